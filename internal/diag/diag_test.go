package diag

import (
	"strings"
	"testing"
)

func TestListSortByPosition(t *testing.T) {
	var l List
	l.Add(Pos{File: "b.yaml", Line: 1, Col: 1}, "x", "", "third", "")
	l.Add(Pos{File: "a.yaml", Line: 9, Col: 2}, "x", "", "second", "")
	l.Add(Pos{File: "a.yaml", Line: 9, Col: 1}, "x", "", "first", "")
	l.Sort()

	var got []string
	for _, d := range l {
		got = append(got, d.Summary)
	}
	if strings.Join(got, " ") != "first second third" {
		t.Errorf("sorted summaries = %v, want first second third", got)
	}
}

func TestListErrIgnoresWarnings(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Error("empty list: Err() != nil")
	}
	l.Warn(Pos{File: "m.yaml", Line: 2, Col: 3}, "w", "", "just a warning", "")
	if l.Err() != nil {
		t.Error("list with only a warning: Err() != nil")
	}
	l.Add(Pos{File: "m.yaml", Line: 4, Col: 5}, "e", "flows[0].to", "unknown element", "did you mean pump-fw?")
	if l.Err() == nil {
		t.Fatal("list with an error: Err() == nil")
	}
	want := "m.yaml:4:5: flows[0].to: unknown element; did you mean pump-fw?"
	if got := l.Errors()[0].Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestPosString(t *testing.T) {
	tests := []struct {
		pos  Pos
		want string
	}{
		{Pos{}, "-"},
		{Pos{File: "a.yaml"}, "a.yaml"},
		{Pos{File: "a.yaml", Line: 3}, "a.yaml:3"},
		{Pos{File: "a.yaml", Line: 3, Col: 7}, "a.yaml:3:7"},
	}
	for _, tt := range tests {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.pos, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"ble", "ble", 3, 0},
		{"bel", "ble", 3, 1},
		{"pump-fw", "pump-fx", 3, 1},
		{"flow", "flows", 3, 1},
		{"abc", "xyz", 3, 3},
		{"short", "a much longer name", 3, 4},
	}
	for _, tt := range tests {
		if got := EditDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("EditDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
