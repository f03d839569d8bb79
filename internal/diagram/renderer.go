package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/goccy/go-graphviz"
)

// Renderer lays graphs out with Graphviz's dot algorithm, compiled to
// WebAssembly and embedded in the binary, so no system Graphviz is needed.
// A Renderer is safe for concurrent use. Close releases it.
type Renderer struct {
	gv *graphviz.Graphviz
	// Timeout bounds each layout, waiting for other layouts included.
	// NewRenderer sets DefaultLayoutTimeout; zero or less means no bound
	// beyond the caller's context.
	Timeout time.Duration
}

// DefaultLayoutTimeout is the time a layout may take before Layout gives
// up. The largest view measured, 1,000 elements and 1,500 flows, takes
// under 2 s on one core.
const DefaultLayoutTimeout = 2 * time.Minute

// ErrLayoutTimeout is returned, wrapped, when Graphviz does not finish a
// layout within the Renderer's Timeout or the caller's deadline.
var ErrLayoutTimeout = errors.New("graphviz did not finish the layout in time")

// graphvizLock serializes every call into Graphviz in the process.
// go-graphviz v0.2.10 runs all graphviz.Graphviz values, and the package
// functions such as graphviz.ParseBytes, on one WebAssembly module that it
// instantiates when the program starts, and neither that module nor
// Graphviz's C code may be entered by two goroutines at once. A channel
// rather than a mutex lets a waiting caller give up when its context ends.
var graphvizLock = make(chan struct{}, 1)

// abandoned counts the layouts that render gave up on and that still run.
var abandoned struct {
	sync.Mutex
	running int
}

// NewRenderer starts the embedded Graphviz.
func NewRenderer(ctx context.Context) (*Renderer, error) {
	if err := lockGraphviz(ctx); err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	defer unlockGraphviz()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	return &Renderer{gv: gv, Timeout: DefaultLayoutTimeout}, nil
}

// Close releases the Graphviz instance. It waits for a layout running in
// the process, unless a layout outlived its timeout: then it returns an
// error at once and leaves the instance allocated.
func (r *Renderer) Close() error {
	abandoned.Lock()
	stuck := abandoned.running > 0
	abandoned.Unlock()
	if stuck {
		return fmt.Errorf("closing embedded graphviz: %w; a layout is still running", ErrLayoutTimeout)
	}
	graphvizLock <- struct{}{}
	defer unlockGraphviz()
	return r.gv.Close()
}

func lockGraphviz(ctx context.Context) error {
	select {
	case graphvizLock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func unlockGraphviz() { <-graphvizLock }

// render lays out src and writes it in format, within r.Timeout.
//
// NOTE: go-graphviz v0.2.10 creates its WebAssembly runtime without
// wazero's close-on-context-done option, so a layout cannot be stopped
// once it runs. When the time is up, render returns ErrLayoutTimeout and
// leaves the call running in its goroutine, which keeps graphvizLock
// until it returns. Later layouts in the same process then time out too.
func (r *Renderer) render(ctx context.Context, src string, format graphviz.Format) ([]byte, error) {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return nil, layoutError(ctx, err)
	}
	if err := lockGraphviz(ctx); err != nil {
		return nil, layoutError(ctx, err)
	}

	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	finished, gaveUp := false, false
	go func() {
		defer unlockGraphviz()
		out, err := r.renderLocked(src, format)
		abandoned.Lock()
		finished = true
		if gaveUp {
			abandoned.running--
		}
		abandoned.Unlock()
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		abandoned.Lock()
		if !finished {
			gaveUp = true
			abandoned.running++
		}
		abandoned.Unlock()
		if !gaveUp {
			res := <-done
			return res.out, res.err
		}
		return nil, layoutError(ctx, ctx.Err())
	}
}

// layoutError turns the end of ctx into ErrLayoutTimeout when a deadline
// ended it, and keeps a cancellation as it is.
func layoutError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		deadline, _ := ctx.Deadline()
		return fmt.Errorf("laying out diagram: %w (deadline %s)", ErrLayoutTimeout, deadline.Format(time.RFC3339))
	}
	return fmt.Errorf("laying out diagram: %w", err)
}

// renderLocked runs Graphviz; the caller holds graphvizLock. It turns a
// panic inside go-graphviz into an error: ParseBytes can return a graph
// with no WebAssembly object behind it after Graphviz failed, and Close
// on it dereferences nil.
func (r *Renderer) renderLocked(src string, format graphviz.Format) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("laying out diagram: embedded graphviz failed: %v", p)
		}
	}()

	g, err := graphviz.ParseBytes([]byte(src))
	if err != nil {
		return nil, fmt.Errorf("parsing generated DOT: %w", err)
	}
	defer g.Close()

	var buf bytes.Buffer
	if err := r.gv.Render(context.Background(), g, format, &buf); err != nil {
		return nil, fmt.Errorf("laying out diagram: %w", err)
	}
	return buf.Bytes(), nil
}
