package evidence

import (
	"os"
	"testing"

	"github.com/wardtm/ward/internal/diagram"
)

// TestMain lets the test binary act as a layout worker, because the
// diagram Renderer starts this executable again to lay out large graphs.
func TestMain(m *testing.M) {
	if diagram.IsLayoutWorker() {
		os.Exit(diagram.ServeLayoutWorker(os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
