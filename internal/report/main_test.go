package report

import (
	"os"
	"testing"

	"github.com/wardtm/ward/internal/diagram"
)

// TestMain lets the test binary act as a layout worker, because the
// diagram Renderer starts this executable again to lay out large graphs.
func TestMain(m *testing.M) { os.Exit(diagram.RunOrServe(m.Run)) }
