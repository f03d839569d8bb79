package diagram

import (
	"os"
	"testing"
)

// TestMain lets the test binary act as a layout worker, because the
// Renderer starts this executable again for layouts it does not run in
// the test process.
func TestMain(m *testing.M) { os.Exit(RunOrServe(m.Run)) }
