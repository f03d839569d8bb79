package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal and returns its controlling side and
// the terminal side a program writes to.
func openPTY(t *testing.T) (control, terminal *os.File) {
	t.Helper()
	control, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("no pseudo-terminals here:", err)
	}
	fd := int(control.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		control.Close()
		t.Skip("cannot unlock a pseudo-terminal:", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		control.Close()
		t.Skip("cannot name a pseudo-terminal:", err)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		control.Close()
		t.Skip("cannot open the terminal side of a pseudo-terminal:", err)
	}
	return control, terminal
}

func TestVulnsProgressOnTerminal(t *testing.T) {
	path, index := importedExample(t)
	control, terminal := openPTY(t)
	defer control.Close()

	drawn := make(chan string)
	go func() {
		var buf bytes.Buffer
		io.Copy(&buf, control) // ends with EIO once the terminal side closes
		drawn <- buf.String()
	}()
	var out bytes.Buffer
	code := Run(context.Background(), []string{"vulns", path, "--db", osvCorpus, "--index", index}, strings.NewReader(""), &out, terminal)
	terminal.Close()
	stderr := <-drawn

	if code != ExitOK {
		t.Fatalf("vulns exit = %d\nstderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "indexing OSV records") || !strings.Contains(stderr, "(0/35)") {
		t.Errorf("terminal stderr = %q, want a progress bar of 35 records", stderr)
	}
	// The bar redraws its line after each carriage return, so the text
	// after the last one is what stays on the screen.
	trimmed := strings.TrimSuffix(stderr, "\r")
	last := trimmed[strings.LastIndex(trimmed, "\r")+1:]
	if strings.TrimSpace(last) != "" {
		t.Errorf("terminal stderr ends with %q, want the bar cleared", last)
	}
	if strings.Contains(out.String(), "indexing") {
		t.Errorf("the progress bar went to stdout:\n%s", out.String())
	}

	// The second run reuses the index and draws nothing.
	control2, terminal2 := openPTY(t)
	defer control2.Close()
	go func() {
		var buf bytes.Buffer
		io.Copy(&buf, control2)
		drawn <- buf.String()
	}()
	code = Run(context.Background(), []string{"vulns", path, "--db", osvCorpus, "--index", index}, strings.NewReader(""), &out, terminal2)
	terminal2.Close()
	if stderr := <-drawn; code != ExitOK || stderr != "" {
		t.Errorf("second vulns exit = %d, terminal stderr = %q; want 0 and nothing", code, stderr)
	}
}
