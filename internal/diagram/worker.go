package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/goccy/go-graphviz"
)

// LayoutWorkerEnv is the environment variable that starts a Ward
// executable as a layout worker. The Renderer sets it to 1 for the worker
// processes it starts.
//
// A worker process exists because go-graphviz v0.2.10 runs every layout
// of a process on one WebAssembly module that it never resets. Laying the
// generated 1,000-element global view out again and again in one process
// returned 19 bytes of garbage, reported as success, on the sixth layout,
// while each worker process starts with a new module and lays out one
// graph.
const LayoutWorkerEnv = "WARD_LAYOUT_WORKER"

const (
	// maxWorkerInput bounds the DOT a worker reads. The generated
	// 1,000-element global view is 0.5 MB of DOT.
	maxWorkerInput = 64 << 20
	// workerStderrTail is how many bytes from the end of a worker's
	// standard error a failure message quotes.
	workerStderrTail = 2048
	// workerWaitDelay bounds the wait for a killed worker's output pipes
	// to close.
	workerWaitDelay = 5 * time.Second
	// workerHeader starts a worker's output, so that the Renderer can
	// tell a worker from an executable that ignored LayoutWorkerEnv.
	workerHeader = "ward layout worker 1\n"
)

// maxWorkerOutput bounds the layout a worker writes. The layout of the
// generated 1,000-element global view is 5.4 MB of JSON. Tests lower it.
var maxWorkerOutput = 512 << 20

// workerArgs are the worker process's arguments. A Ward executable checks
// LayoutWorkerEnv before reading its arguments. A test binary whose
// TestMain lacks the worker hook would instead run its tests. With this
// pattern it runs none and exits at once, and the Renderer reports the
// missing worker header.
var workerArgs = []string{"-test.run=^$"}

// workerSlots bounds the number of worker processes running at once.
var workerSlots = make(chan struct{}, runtime.NumCPU())

// IsLayoutWorker reports whether this process was started as a layout
// worker, that is, whether LayoutWorkerEnv is 1.
func IsLayoutWorker() bool { return os.Getenv(LayoutWorkerEnv) == "1" }

// RunOrServe serves one layout and returns its exit code when this process
// is a layout worker, and otherwise returns what run returns. cmd/ward's
// main and the TestMain of test binaries that lay out graphs pass it
// their real work, so the executable can be started again as a worker.
func RunOrServe(run func() int) int {
	if IsLayoutWorker() {
		return ServeLayoutWorker(os.Stdin, os.Stdout, os.Stderr)
	}
	return run()
}

// ServeLayoutWorker is the main function of a layout worker process. It
// reads one graph in DOT from stdin, at most 64 MiB, lays it out with the
// process's own embedded Graphviz and writes a header line and then the
// layout in Graphviz's JSON format to stdout. On failure it writes the
// error to stderr. It returns the process's exit status, 0 or 1.
//
// cmd/ward's main reaches it through RunOrServe, before anything else. So
// must the TestMain of every test binary that lays out graphs of more than
// 100 nodes, or that may fall back to a worker process.
func ServeLayoutWorker(stdin io.Reader, stdout, stderr io.Writer) int {
	out, err := layoutForWorker(stdin)
	if err == nil {
		_, err = io.WriteString(stdout, workerHeader)
	}
	if err == nil {
		_, err = stdout.Write(out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ward layout worker: %v\n", err)
		return 1
	}
	return 0
}

func layoutForWorker(stdin io.Reader) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(stdin, maxWorkerInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading DOT from standard input: %w", err)
	}
	if len(src) > maxWorkerInput {
		return nil, fmt.Errorf("the DOT on standard input exceeds %d MiB", maxWorkerInput>>20)
	}
	gv, err := graphviz.New(context.Background())
	if err != nil {
		return nil, fmt.Errorf("starting embedded graphviz: %w", err)
	}
	// The process ends after this one layout, so gv is not closed.
	return runGraphviz(gv, src, graphviz.Format("json"))
}

// layoutInWorker lays src out in a new process of this executable, whose
// WebAssembly module has done no layout before, and returns Graphviz's
// JSON output. The process is killed when ctx ends or r.Timeout passes.
func (r *Renderer) layoutInWorker(ctx context.Context, src []byte) ([]byte, error) {
	if IsLayoutWorker() {
		return nil, fmt.Errorf("laying out diagram: %w: a layout worker cannot start another worker", ErrLayoutFailed)
	}
	if len(src) > maxWorkerInput {
		return nil, fmt.Errorf("laying out diagram: %w: the graph is %d MiB of DOT, more than the %d MiB a layout worker accepts; leave the view out under views.omit", ErrLayoutFailed, len(src)>>20, maxWorkerInput>>20)
	}
	command, err := r.workerCommandLine()
	if err != nil {
		return nil, err
	}

	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	select {
	case workerSlots <- struct{}{}:
		defer func() { <-workerSlots }()
	case <-ctx.Done():
		return nil, layoutError(ctx, ctx.Err())
	}

	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Env = append(os.Environ(), LayoutWorkerEnv+"=1")
	cmd.Stdin = bytes.NewReader(src)
	stdout := &cappedBuffer{limit: maxWorkerOutput}
	stderr := &tailBuffer{limit: workerStderrTail}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = workerWaitDelay
	err = cmd.Run()

	switch {
	case ctx.Err() != nil:
		return nil, layoutError(ctx, ctx.Err())
	case stdout.exceeded:
		return nil, fmt.Errorf("laying out diagram: %w: the layout worker %s wrote more than %d MiB", ErrLayoutFailed, command[0], maxWorkerOutput>>20)
	case err != nil:
		return nil, fmt.Errorf("laying out diagram: %w: layout worker %s: %v%s", ErrLayoutFailed, command[0], err, stderr.quote())
	}
	out, ok := bytes.CutPrefix(stdout.data, []byte(workerHeader))
	if !ok {
		return nil, fmt.Errorf("laying out diagram: %w: %s did not act as a layout worker, because its output does not start with the worker header; a test binary must call diagram.ServeLayoutWorker from TestMain when diagram.IsLayoutWorker is true%s", ErrLayoutFailed, command[0], stderr.quote())
	}
	return out, nil
}

// workerCommandLine returns the program and arguments of a worker.
func (r *Renderer) workerCommandLine() ([]string, error) {
	if len(r.workerCommand) > 0 {
		return r.workerCommand, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("laying out diagram: %w: finding this executable to start a layout worker: %w", ErrLayoutFailed, err)
	}
	return append([]string{exe}, workerArgs...), nil
}

// errWorkerOutputTooLarge stops copying a worker's output at the limit.
var errWorkerOutputTooLarge = errors.New("layout worker output too large")

// cappedBuffer stores what is written to it up to limit bytes and fails
// the write that would go beyond. It does not embed bytes.Buffer, whose
// ReadFrom method io.Copy would call instead of Write.
type cappedBuffer struct {
	data     []byte
	limit    int
	exceeded bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if len(b.data)+len(p) > b.limit {
		b.exceeded = true
		return 0, errWorkerOutputTooLarge
	}
	b.data = append(b.data, p...)
	return len(p), nil
}

// tailBuffer stores the last limit bytes written to it.
type tailBuffer struct {
	data  []byte
	limit int
	cut   bool
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.data = append(b.data, p...)
	if len(b.data) > 2*b.limit {
		b.data = append(b.data[:0], b.data[len(b.data)-b.limit:]...)
		b.cut = true
	}
	return len(p), nil
}

// quote returns the stored text as the end of an error message, or ""
// when nothing was written.
func (b *tailBuffer) quote() string {
	text := b.data
	cut := b.cut
	if len(text) > b.limit {
		text, cut = text[len(text)-b.limit:], true
	}
	s := strings.TrimSpace(string(bytes.ToValidUTF8(text, []byte("?"))))
	if s == "" {
		return ""
	}
	if cut {
		s = "..." + s
	}
	return "; its standard error ends with: " + s
}
