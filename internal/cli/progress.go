package cli

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressTo returns a progress callback that draws a bar on w when w is
// a terminal, and nil otherwise, so that redirected output and CI logs
// stay free of control characters.
func progressTo(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return progressBar(w)
}

// progressBar returns a callback that draws a bar of the OSV records
// indexed on w, created at the first call, and clears it when done
// reaches total.
func progressBar(w io.Writer) func(done, total int) {
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("indexing OSV records"),
				progressbar.OptionShowCount(),
				progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
		if done == total {
			_ = bar.Finish()
		}
	}
}
