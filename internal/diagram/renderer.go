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
//
// Graphs of up to 100 nodes are laid out in this process. Larger graphs,
// and every graph after the in-process Graphviz failed once, are laid out
// in a worker process (see ServeLayoutWorker), because the in-process
// Graphviz keeps its state from one layout to the next and fails after a
// few large layouts.
type Renderer struct {
	// gv is the in-process Graphviz, or nil when it was unusable when the
	// Renderer was made.
	gv *graphviz.Graphviz
	// Timeout bounds each layout attempt, waiting for other layouts
	// included. A layout that the in-process Graphviz does not finish in
	// time is run again in a worker process with a new Timeout, so it can
	// take up to twice Timeout. NewRenderer sets DefaultLayoutTimeout; zero
	// or less means no bound beyond the caller's context.
	Timeout time.Duration

	// maxInProcessNodes is the node count up to which graphs are laid
	// out in this process. Tests set it to -1 to send every graph to a
	// worker process.
	maxInProcessNodes int
	// workerCommand, when not empty, is the worker process's program and
	// arguments, in place of this executable (tests).
	workerCommand []string
}

// DefaultLayoutTimeout is the time a layout may take before Layout gives
// up. The largest view measured, 1,000 elements and 1,500 flows, takes
// under 2 s on one core.
const DefaultLayoutTimeout = 2 * time.Minute

// ErrLayoutTimeout is returned, wrapped, when Graphviz does not finish a
// layout within the Renderer's Timeout or the caller's deadline.
var ErrLayoutTimeout = errors.New("graphviz did not finish the layout in time")

// ErrLayoutFailed is returned, wrapped, when Graphviz or the worker
// process that runs it fails on a layout.
var ErrLayoutFailed = errors.New("graphviz failed")

// errEmbeddedUnusable is returned by lockGraphviz once the in-process
// Graphviz has failed.
var errEmbeddedUnusable = errors.New("the in-process graphviz failed before and is no longer used")

// embeddedBroken is closed when a layout in this process fails, times out
// or panics. go-graphviz never resets its WebAssembly module, so after
// such a failure the module's state cannot be trusted, and every later
// layout of the process runs in a worker process.
var (
	embeddedBroken     = make(chan struct{})
	embeddedBrokenOnce sync.Once
)

func markEmbeddedBroken() { embeddedBrokenOnce.Do(func() { close(embeddedBroken) }) }

func embeddedUsable() bool {
	select {
	case <-embeddedBroken:
		return false
	default:
		return true
	}
}

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

// NewRenderer starts the embedded Graphviz. Once the in-process Graphviz
// has failed, it returns a Renderer that lays every graph out in a worker
// process.
func NewRenderer(ctx context.Context) (*Renderer, error) {
	r := &Renderer{Timeout: DefaultLayoutTimeout, maxInProcessNodes: largeGraph}
	err := lockGraphviz(ctx)
	if errors.Is(err, errEmbeddedUnusable) {
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	defer unlockGraphviz()
	r.gv, err = graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	return r, nil
}

// Close releases the in-process Graphviz instance. It waits for a layout
// running in the process, unless a layout outlived its timeout: then it
// returns an error at once and leaves the instance allocated. After the
// in-process Graphviz failed, Close leaves the instance allocated and
// returns nil, because calling into the failed module could fail again.
func (r *Renderer) Close() error {
	abandoned.Lock()
	stuck := abandoned.running > 0
	abandoned.Unlock()
	if stuck {
		return fmt.Errorf("closing embedded graphviz: %w; a layout is still running", ErrLayoutTimeout)
	}
	if r.gv == nil {
		return nil
	}
	if err := lockGraphviz(context.Background()); err != nil {
		return nil
	}
	defer unlockGraphviz()
	return r.gv.Close()
}

// lockGraphviz takes graphvizLock. It gives up when ctx ends or when the
// in-process Graphviz is marked broken, because a layout stuck in the
// broken module may hold the lock forever.
func lockGraphviz(ctx context.Context) error {
	select {
	case <-embeddedBroken:
		return errEmbeddedUnusable
	default:
	}
	select {
	case graphvizLock <- struct{}{}:
		return nil
	case <-embeddedBroken:
		return errEmbeddedUnusable
	case <-ctx.Done():
		return ctx.Err()
	}
}

func unlockGraphviz() { <-graphvizLock }

// render lays out src in this process and writes it in format, within
// r.Timeout. started is false when the Graphviz call did not begin,
// because ctx ended or the in-process Graphviz is broken.
//
// NOTE: go-graphviz v0.2.10 creates its WebAssembly runtime without
// wazero's close-on-context-done option, so a layout cannot be stopped
// once it runs. When the time is up, render returns ErrLayoutTimeout and
// leaves the call running in its goroutine, which keeps graphvizLock
// until it returns and may keep a core busy. Layout then marks the
// in-process Graphviz broken, so later layouts do not wait for the lock.
func (r *Renderer) render(ctx context.Context, src string, format graphviz.Format) (out []byte, started bool, err error) {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return nil, false, layoutError(ctx, err)
	}
	if err := lockGraphviz(ctx); err != nil {
		return nil, false, layoutError(ctx, err)
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
		return res.out, true, res.err
	case <-ctx.Done():
		abandoned.Lock()
		if !finished {
			gaveUp = true
			abandoned.running++
		}
		abandoned.Unlock()
		if !gaveUp {
			res := <-done
			return res.out, true, res.err
		}
		return nil, true, layoutError(ctx, ctx.Err())
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

// renderLocked runs the in-process Graphviz; the caller holds
// graphvizLock.
func (r *Renderer) renderLocked(src string, format graphviz.Format) ([]byte, error) {
	return runGraphviz(r.gv, []byte(src), format)
}

// runGraphviz lays src out with gv and writes it in format. It turns a
// panic inside go-graphviz into an error: ParseBytes can return a graph
// with no WebAssembly object behind it after Graphviz failed, and Close
// on it dereferences nil.
func runGraphviz(gv *graphviz.Graphviz, src []byte, format graphviz.Format) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("laying out diagram: %w: panic in go-graphviz: %v", ErrLayoutFailed, p)
		}
	}()

	g, err := graphviz.ParseBytes(src)
	if err != nil {
		return nil, fmt.Errorf("parsing generated DOT: %w: %w", ErrLayoutFailed, err)
	}
	defer g.Close()

	var buf bytes.Buffer
	if err := gv.Render(context.Background(), g, format, &buf); err != nil {
		return nil, fmt.Errorf("laying out diagram: %w: %w", ErrLayoutFailed, err)
	}
	return buf.Bytes(), nil
}
