package diagram

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

func TestViewsExample(t *testing.T) {
	m := loadExample(t)
	views := Views(m)

	var names []string
	for _, v := range views {
		names = append(names, v.Name)
	}
	want := []string{"global", "multi-patient", "update"}
	for _, uc := range m.Views.UseCases {
		want = append(want, "use-case:"+uc.ID)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("Views names = %v, want %v", names, want)
	}
	for _, v := range views {
		if v.Graph == nil {
			t.Errorf("view %s omitted (%s), want a graph: the example says enough for every view", v.Name, v.Omitted)
		}
		if v.Summary == "" {
			t.Errorf("view %s has no summary text", v.Name)
		}
	}

	globalView := views[0]
	if got, want := len(globalView.Graph.Nodes), len(m.Elements); got != want {
		t.Errorf("global view has %d nodes, want every element (%d)", got, want)
	}
	if got, want := len(globalView.Graph.Edges), len(m.Flows); got != want {
		t.Errorf("global view has %d edges, want every flow (%d)", got, want)
	}
}

func TestMultiPatientPaths(t *testing.T) {
	m := &model.Model{
		Elements: []model.Element{
			{ID: "cloud", Kind: "process", Patients: "many"},
			{ID: "app", Kind: "process"},
			{ID: "pump", Kind: "process"},
			{ID: "unrelated", Kind: "store"},
			{ID: "ehr", Kind: "entity"},
		},
		Flows: []model.Flow{
			{ID: "pump-app", From: "pump", To: "app"},
			{ID: "app-cloud", From: "app", To: "cloud"},
			{ID: "ehr-cloud", From: "ehr", To: "cloud", Bidirectional: true},
			{ID: "cloud-unrelated", From: "cloud", To: "unrelated"},
		},
	}
	v := multiPatient(m)
	if v.Graph == nil {
		t.Fatalf("multi-patient view omitted: %s", v.Omitted)
	}

	var got []string
	for _, n := range v.Graph.Nodes {
		got = append(got, n.ID)
		if n.Emphasis != (n.ID == "cloud") {
			t.Errorf("node %s emphasis = %v, want only cloud emphasised", n.ID, n.Emphasis)
		}
	}
	if want := []string{"cloud", "app", "pump", "ehr"}; !slices.Equal(got, want) {
		t.Errorf("multi-patient nodes = %v, want %v (elements with a flow path to cloud)", got, want)
	}
}

func TestViewOmissions(t *testing.T) {
	tests := []struct {
		name   string
		model  *model.Model
		view   string
		reason string
		stated bool
	}{
		{
			name:   "stated omission",
			model:  &model.Model{Elements: []model.Element{{ID: "a", Kind: "process", Patients: "many"}}, Views: model.Views{Omit: map[string]string{"multi-patient": "single-patient device with no network"}}},
			view:   "multi-patient",
			reason: "single-patient device with no network",
			stated: true,
		},
		{
			name:   "no many-patient element",
			model:  &model.Model{Elements: []model.Element{{ID: "a", Kind: "process"}}},
			view:   "multi-patient",
			reason: "no element has patients: many",
		},
		{
			name:   "no firmware data",
			model:  &model.Model{Elements: []model.Element{{ID: "a", Kind: "process"}}},
			view:   "update",
			reason: "no data item has category firmware",
		},
		{
			name: "firmware on no flow",
			model: &model.Model{
				Data:     []model.Data{{ID: "fw", Category: "firmware"}},
				Elements: []model.Element{{ID: "a", Kind: "process"}},
			},
			view:   "update",
			reason: "no flow carries data of category firmware",
		},
		{
			name:   "empty model",
			model:  &model.Model{},
			view:   "global",
			reason: "the model has no elements",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := Build(tt.model, tt.view)
			if err != nil {
				t.Fatalf("Build(%q): %v", tt.view, err)
			}
			if v.Graph != nil {
				t.Fatalf("Build(%q) drew a graph, want the omission %q", tt.view, tt.reason)
			}
			if !strings.Contains(v.Omitted, tt.reason) {
				t.Errorf("Omitted = %q, want it to contain %q", v.Omitted, tt.reason)
			}
			if v.Stated != tt.stated {
				t.Errorf("Stated = %v, want %v", v.Stated, tt.stated)
			}
		})
	}
}

func TestBuildUnknownView(t *testing.T) {
	m := &model.Model{Views: model.Views{UseCases: []model.UseCase{{ID: "uc-1", Flows: []string{"f"}}}}}
	for _, name := range []string{"everything", "use-case:nope", ""} {
		_, err := Build(m, name)
		if !errors.Is(err, ErrUnknownView) {
			t.Errorf("Build(%q) error = %v, want ErrUnknownView", name, err)
		}
	}
	_, err := Build(m, "use-case:nope")
	if err == nil || !strings.Contains(err.Error(), "uc-1") {
		t.Errorf("Build(use-case:nope) error = %v, want it to list the known use case uc-1", err)
	}
}

func TestUpdateView(t *testing.T) {
	m := loadExample(t)
	v, err := Build(m, "update")
	if err != nil {
		t.Fatal(err)
	}
	if v.Graph == nil {
		t.Fatalf("update view omitted: %s", v.Omitted)
	}
	for _, e := range v.Graph.Edges {
		if !slices.Contains(e.Data, "firmware") {
			t.Errorf("update view edge %s carries %v, want only flows carrying firmware", e.ID, e.Data)
		}
		if !e.Emphasis {
			t.Errorf("update view edge %s is not emphasised", e.ID)
		}
	}
}

func TestHostileBoundaryCycle(t *testing.T) {
	v := global(hostileModel())
	if v.Graph == nil {
		t.Fatalf("global view omitted: %s", v.Omitted)
	}
	for _, c := range v.Graph.Clusters {
		seen := map[string]bool{}
		for cur := c.ID; cur != ""; {
			if seen[cur] {
				t.Fatalf("cluster %s has a parent cycle through %s", c.ID, cur)
			}
			seen[cur] = true
			next := ""
			for _, p := range v.Graph.Clusters {
				if p.ID == cur {
					next = p.Parent
				}
			}
			cur = next
		}
	}
	for _, e := range v.Graph.Edges {
		if e.To == "nowhere" {
			t.Errorf("edge %s to an undefined element was drawn", e.ID)
		}
	}
}
