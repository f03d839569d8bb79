package modelgen

import (
	"bytes"
	"testing"

	"github.com/wardtm/ward/internal/model"
)

func TestGenerateValid(t *testing.T) {
	for _, p := range []Params{
		{},
		{Elements: 1},
		{Elements: 50, Flows: 120, Interfaces: 10, Seed: 1},
		{Elements: 500, Flows: 1500, Interfaces: 100, Seed: 7},
	} {
		src := Generate(p)
		m, diags := model.Parse("gen.yaml", src, model.LoadOptions{})
		if diags.HasErrors() {
			t.Fatalf("Generate(%+v) gives an invalid model:\n%v", p, diags)
		}
		if len(m.Elements) != p.Elements || len(m.Interfaces) != p.Interfaces {
			t.Errorf("Generate(%+v): %d elements, %d interfaces", p, len(m.Elements), len(m.Interfaces))
		}
		if p.Elements >= 2 && len(m.Flows) != p.Flows {
			t.Errorf("Generate(%+v): %d flows", p, len(m.Flows))
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	p := Params{Elements: 100, Flows: 300, Interfaces: 20, Seed: 3}
	if !bytes.Equal(Generate(p), Generate(p)) {
		t.Error("Generate returned different bytes for the same Params")
	}
	q := p
	q.Seed = 4
	if bytes.Equal(Generate(p), Generate(q)) {
		t.Error("Generate returned the same bytes for different seeds")
	}
}
