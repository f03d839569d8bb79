package report

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/diagram"
)

func TestBuildLayoutTimeoutNamesView(t *testing.T) {
	a := assessExample(t)
	r, err := diagram.NewRenderer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Timeout = time.Nanosecond

	_, err = Build(context.Background(), a, r, "2026-11-19")
	if !errors.Is(err, diagram.ErrLayoutTimeout) {
		t.Fatalf("Build with a 1 ns layout timeout: got %v, want an error wrapping diagram.ErrLayoutTimeout", err)
	}
	for _, want := range []string{"drawing view global", "views.omit.global", "ward diagram --view global --format dot"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
