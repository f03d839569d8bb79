package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/modelgen"
)

// generatedView loads a model of n elements from modelgen, as the report
// benchmarks do, and builds the view called name.
func generatedView(t testing.TB, n int, name string) View {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ward.yaml")
	data := modelgen.Generate(modelgen.Params{Elements: n, Flows: n * 3 / 2, Interfaces: n / 5, Seed: 1})
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	m, diags, err := model.Load(path, model.LoadOptions{})
	if err != nil {
		t.Fatalf("model.Load(generated %d elements): %v", n, err)
	}
	if diags.HasErrors() {
		t.Fatalf("model.Load(generated %d elements) diagnostics:\n%v", n, diags)
	}
	v, err := Build(m, name)
	if err != nil {
		t.Fatal(err)
	}
	if v.Graph == nil {
		t.Fatalf("view %s of the generated model is omitted: %s", name, v.Omitted)
	}
	return v
}

// layoutRepeatedly lays v out times times with r and fails the test on
// the first layout that fails or differs from the first one.
func layoutRepeatedly(t *testing.T, r *Renderer, v View, times int) {
	t.Helper()
	var want []byte
	for i := range times {
		d, err := r.Layout(context.Background(), v.Graph)
		if err != nil {
			t.Fatalf("Layout %d of %d: %v", i+1, times, err)
		}
		got := d.SVG(v.Title, "g")
		if i == 0 {
			want = got
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Layout %d of %d differs from the first", i+1, times)
		}
	}
}

// TestLayoutLargeViewRepeated lays the generated 300-element update view,
// 134 nodes, out 20 times in one process. The in-process Graphviz failed
// on its 11th layout of this view with "lost n109 n68 edge". Graphs of
// more than 100 nodes now go to a new worker process each time.
func TestLayoutLargeViewRepeated(t *testing.T) {
	if testing.Short() {
		t.Skip("lays out a 134-node view 20 times")
	}
	v := generatedView(t, 300, ViewUpdate)
	if len(v.Graph.Nodes) <= largeGraph {
		t.Fatalf("the update view has %d nodes, want more than %d so that it goes to a worker", len(v.Graph.Nodes), largeGraph)
	}
	layoutRepeatedly(t, renderer(t), v, 20)
}

// fallbackTestEnv makes the test binary run the fallback scenario of
// TestLayoutFallbackAfterFailure. The scenario breaks the process's
// in-process Graphviz for good, so it runs in a child process.
const fallbackTestEnv = "WARD_DIAGRAM_TEST_FALLBACK"

// TestLayoutFallbackAfterFailure lays the 134-node update view out 20
// times in the in-process Graphviz, which in go-graphviz v0.2.10 fails
// after about ten layouts, and checks that every layout still succeeds
// because the failed ones are done again in a worker process.
func TestLayoutFallbackAfterFailure(t *testing.T) {
	if testing.Short() {
		t.Skip("lays out a 134-node view 20 times")
	}
	if os.Getenv(fallbackTestEnv) == "1" {
		r, err := NewRenderer(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		r.maxInProcessNodes = 1 << 20
		layoutRepeatedly(t, r, generatedView(t, 300, ViewUpdate), 20)
		if embeddedUsable() {
			fmt.Println("fallback: the in-process Graphviz did not fail")
		} else {
			fmt.Println("fallback: the in-process Graphviz failed and workers took over")
		}
		return
	}

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestLayoutFallbackAfterFailure$", "-test.v")
	cmd.Env = append(os.Environ(), fallbackTestEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the fallback scenario failed: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "fallback:") {
			t.Log(line)
		}
	}
}

func TestLayoutInWorkerMatchesInProcess(t *testing.T) {
	m := loadExample(t)
	for _, v := range Views(m) {
		if v.Graph == nil {
			continue
		}
		t.Run(v.Slug(), func(t *testing.T) {
			inProcess, err := renderer(t).Layout(context.Background(), v.Graph)
			if err != nil {
				t.Fatalf("in-process Layout: %v", err)
			}
			worker := &Renderer{Timeout: DefaultLayoutTimeout, maxInProcessNodes: -1}
			inWorker, err := worker.Layout(context.Background(), v.Graph)
			if err != nil {
				t.Fatalf("Layout in a worker: %v", err)
			}
			if !bytes.Equal(inWorker.SVG(v.Title, "g"), inProcess.SVG(v.Title, "g")) {
				t.Error("the layout from the worker differs from the in-process one")
			}
		})
	}
}

// shellWorker returns a Renderer whose worker is the shell script script.
func shellWorker(t *testing.T, script string) *Renderer {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skipf("no shell to stand in for a worker: %v", err)
	}
	return &Renderer{Timeout: time.Minute, maxInProcessNodes: -1, workerCommand: []string{sh, "-c", script}}
}

func smallGraph() *Graph {
	return &Graph{Nodes: []Node{{ID: "a", Label: "A", Kind: KindProcess}, {ID: "b", Label: "B", Kind: KindStore}},
		Edges: []Edge{{ID: "f", From: "a", To: "b"}}}
}

func TestLayoutWorkerFailures(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   []string
	}{
		{
			name:   "exit status and stderr",
			script: `cat >/dev/null; echo "graphviz: out of memory" >&2; exit 3`,
			want:   []string{"exit status 3", "its standard error ends with: graphviz: out of memory"},
		},
		{
			name:   "long stderr keeps its end",
			script: `cat >/dev/null; i=0; while [ $i -lt 3000 ]; do echo "line $i" >&2; i=$((i+1)); done; exit 1`,
			want:   []string{"...", "line 2999"},
		},
		{
			name:   "no worker header",
			script: `cat >/dev/null; echo PASS`,
			want:   []string{"did not act as a layout worker", "TestMain"},
		},
		{
			name:   "garbage after the header",
			script: `cat >/dev/null; printf 'ward layout worker 1\n\000\000'`,
			want:   []string{"reading graphviz layout"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := shellWorker(t, tt.script).Layout(context.Background(), smallGraph())
			if err == nil {
				t.Fatal("Layout succeeded, want an error")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "line 0\n") {
				t.Errorf("error %q quotes the start of a long stderr, want only its end", err)
			}
		})
	}
}

func TestLayoutWorkerFailureWrapsSentinel(t *testing.T) {
	_, err := shellWorker(t, `exit 1`).Layout(context.Background(), smallGraph())
	if !errors.Is(err, ErrLayoutFailed) {
		t.Errorf("Layout with a failing worker: got %v, want an error wrapping ErrLayoutFailed", err)
	}
}

func TestLayoutWorkerTimeout(t *testing.T) {
	r := shellWorker(t, `exec sleep 60`)
	r.Timeout = 200 * time.Millisecond
	_, err := r.Layout(context.Background(), smallGraph())
	if !errors.Is(err, ErrLayoutTimeout) {
		t.Errorf("Layout with a worker that never answers: got %v, want an error wrapping ErrLayoutTimeout", err)
	}
}

func TestLayoutWorkerCancelled(t *testing.T) {
	r := shellWorker(t, `exec sleep 60`)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := r.Layout(ctx, smallGraph())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Layout cancelled while the worker runs: got %v, want an error wrapping context.Canceled", err)
	}
}

func TestLayoutWorkerOutputLimit(t *testing.T) {
	old := maxWorkerOutput
	maxWorkerOutput = 1 << 16
	t.Cleanup(func() { maxWorkerOutput = old })

	_, err := shellWorker(t, `cat >/dev/null; exec yes`).Layout(context.Background(), smallGraph())
	if err == nil || !strings.Contains(err.Error(), "wrote more than") {
		t.Errorf("Layout with a worker that writes without end: got %v, want an error about its output size", err)
	}
}

func TestServeLayoutWorker(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := ServeLayoutWorker(strings.NewReader(DOT(smallGraph())), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("ServeLayoutWorker exit status %d, stderr %q", code, stderr.String())
	}
	out, ok := bytes.CutPrefix(stdout.Bytes(), []byte(workerHeader))
	if !ok {
		t.Fatalf("worker output starts with %q, want the header %q", stdout.Bytes()[:min(40, stdout.Len())], workerHeader)
	}
	d, err := parseLayout(out)
	if err != nil {
		t.Fatalf("parsing the worker's layout: %v", err)
	}
	if d.Width <= 0 || d.Height <= 0 {
		t.Errorf("worker layout size %v x %v, want positive", d.Width, d.Height)
	}
}

func TestServeLayoutWorkerRejects(t *testing.T) {
	tests := []struct {
		name  string
		input io.Reader
		want  string
	}{
		{"input over the limit", io.LimitReader(repeatReader('x'), maxWorkerInput+1), "exceeds 64 MiB"},
		{"invalid DOT", strings.NewReader("digraph { a -> }"), "parsing generated DOT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := ServeLayoutWorker(tt.input, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.Bytes()[:min(40, stdout.Len())])
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.want)
			}
		})
	}
}

// repeatReader is an endless stream of one byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestLayoutInWorkersConcurrently(t *testing.T) {
	m := loadExample(t)
	v, err := Build(m, ViewGlobal)
	if err != nil {
		t.Fatal(err)
	}
	first, err := renderer(t).Layout(context.Background(), v.Graph)
	if err != nil {
		t.Fatalf("in-process Layout: %v", err)
	}
	want := first.SVG(v.Title, "g")

	// More goroutines than workerSlots, so some wait for a slot.
	workers := 2*cap(workerSlots) + 1
	r := &Renderer{Timeout: DefaultLayoutTimeout, maxInProcessNodes: -1}
	errs := make(chan error, workers)
	for i := range workers {
		go func() {
			d, err := r.Layout(context.Background(), v.Graph)
			switch {
			case err != nil:
				errs <- fmt.Errorf("Layout %d in a worker: %w", i, err)
			case !bytes.Equal(d.SVG(v.Title, "g"), want):
				errs <- fmt.Errorf("Layout %d in a worker differs from the in-process one", i)
			default:
				errs <- nil
			}
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
