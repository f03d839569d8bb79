package interop

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wardtm/ward/internal/diag"
)

func TestThreagileNestingAndIncludes(t *testing.T) {
	res := importFile(t, "testdata/nested.threagile.yaml")
	m, _ := writeAndParse(t, res)
	if b := boundaryByID(m, "ward-net"); b == nil || b.Parent != "hospital" {
		t.Errorf("ward-net = %+v, want parent hospital", b)
	}
	if b := boundaryByID(m, "monitor-os"); b == nil || b.Parent != "ward-net" || b.Kind != "process" {
		t.Errorf("monitor-os = %+v", b)
	}
	if b := boundaryByID(m, "hospital"); b.Parent != "" {
		t.Errorf("hospital parent = %q; the cycle back to it must be dropped", b.Parent)
	}
	// Assets come from the included file; each lands in its innermost boundary.
	if e := elementByID(m, "monitor"); e == nil || e.Boundary != "monitor-os" {
		t.Errorf("monitor = %+v", e)
	}
	if e := elementByID(m, "gateway"); e == nil || e.Boundary != "ward-net" {
		t.Errorf("gateway = %+v", e)
	}
	f := flowByID(m, "monitor-vitals")
	if f == nil || f.Protocol.Name != "hl7-over-carrier-pigeon" || f.Authentication != "mutual" {
		t.Errorf("vitals flow = %+v", f)
	}
	if len(m.Protocols) != 1 || m.Protocols[0].ID != "hl7-over-carrier-pigeon" {
		t.Errorf("protocols = %+v, want the unknown protocol added", m.Protocols)
	}
	dropped := strings.Join(res.Report.Dropped, "\n")
	for _, want := range []string{`goes to "nowhere"`, "would make a cycle"} {
		if !strings.Contains(dropped, want) {
			t.Errorf("dropped lacks %q:\n%s", want, dropped)
		}
	}
}

func TestThreagileIncludeErrors(t *testing.T) {
	tests := []struct {
		file, code string
	}{
		{"testdata/cycle.threagile.yaml", "include-cycle"},
		{"testdata/outside.threagile.yaml", "invalid-include"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			_, err := Import(tt.file, readFile(t, tt.file), Threagile, Options{})
			var diags diag.List
			if !errors.As(err, &diags) || diags[0].Code != tt.code {
				t.Fatalf("error = %v, want %s", err, tt.code)
			}
			if diags[0].Pos.Line != 2 {
				t.Errorf("position = %v, want line 2", diags[0].Pos)
			}
		})
	}
	_, err := Import("testdata/missing.yaml", []byte("title: x\nincludes: [not-there.yaml]\n"), Threagile, Options{})
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing include error = %v, want a not-exist error", err)
	}
}

func TestUnicodeNamesAndUnknownProtocols(t *testing.T) {
	res := importFile(t, "testdata/unicode.pytm.json")
	m, out := writeAndParse(t, res)
	if m.System.Name != "Pumpe für Kinder – Übersicht" || m.System.ID != "pumpe-fur-kinder-ubersicht" {
		t.Errorf("system = %q (%s)", m.System.Name, m.System.ID)
	}
	if b := boundaryByID(m, "zuhause"); b == nil {
		t.Errorf("boundary zuhause missing: %+v", m.Boundaries)
	}
	// A name without Latin letters falls back to the kind, numbered.
	if b := boundaryByID(m, "boundary"); b == nil || b.Name != "病院" {
		t.Errorf("boundary for 病院 = %+v", b)
	}
	if e := elementByID(m, "process"); e == nil || e.Name != "胰岛素泵" || e.Boundary != "boundary" {
		t.Errorf("first 胰岛素泵 = %+v", e)
	}
	if e := elementByID(m, "process-2"); e == nil || e.Name != "胰岛素泵" {
		t.Errorf("second 胰岛素泵 = %+v", e)
	}
	if e := elementByID(m, "unknown-thing"); e == nil || e.Kind != "process" {
		t.Errorf("unknown class = %+v", e)
	}
	f := flowByID(m, "befehl")
	if f == nil || f.Protocol.Name != "proprietary-ble-gatt" || f.Protocol.Port != "4660" || f.Encryption == nil || !*f.Encryption {
		t.Errorf("befehl = %+v", f)
	}
	if !strings.Contains(string(out), "name: Patientin Ärzte") {
		t.Errorf("output does not keep the Unicode name plain:\n%s", out)
	}
	if !strings.Contains(strings.Join(res.Report.Dropped, "\n"), `"Ins Leere"`) {
		t.Errorf("flow to nowhere not reported: %q", res.Report.Dropped)
	}
}

func TestEmptyModels(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		data   string
	}{
		{"otm", OTM, `{"otmVersion": "0.2.0", "project": {"name": "Empty", "id": "empty"}}`},
		{"otm-yaml", OTM, "otmVersion: 0.2.0\nproject: {name: Empty, id: empty}\n"},
		{"pytm", Pytm, `{}`},
		{"threagile", Threagile, "threagile_version: 1.0.0\n"},
		{"threat-dragon", ThreatDragon, `{"summary": {}, "detail": {"diagrams": []}}`},
		{"tm7", TM7, `<ThreatModel><DrawingSurfaceList/></ThreatModel>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := importBytes(t, "empty."+tt.name, tt.format, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := writeAndParse(t, res)
			if len(m.Elements) != 0 || m.System.Name == "" || m.System.Document.ID == "" {
				t.Errorf("model = %+v", m.System)
			}
			todo := strings.Join(res.Report.ToDo, "\n")
			if !strings.Contains(todo, "no elements") || !strings.Contains(todo, "document metadata was made up") {
				t.Errorf("to-do = %s", todo)
			}
		})
	}
}

// TestHostileInput checks the limits: alias bombs, deep nesting and
// oversize files fail fast with a diagnostic.
func TestHostileInput(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		prev := string(i - 1)
		bomb += fmt.Sprintf("%c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	tests := []struct {
		name   string
		format Format
		data   string
		code   string
	}{
		{"alias-bomb", Threagile, "title: bomb\n" + bomb, "too-many-values"},
		{"self-alias", Threagile, "title: x\nloop: &l [*l]\n", "too-deep"},
		{"deep-json", Pytm, strings.Repeat("[", 10000) + strings.Repeat("]", 10000), "too-deep"},
		{"deep-yaml", Threagile, strings.Repeat("[", 500) + strings.Repeat("]", 500), "too-deep"},
		{"deep-xml", TM7, strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000), "too-deep"},
		{"huge", Pytm, `{"name": "` + strings.Repeat("x", MaxInputBytes) + `"}`, "input-too-large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importBytes(t, tt.name, tt.format, tt.data)
			var diags diag.List
			if !errors.As(err, &diags) {
				t.Fatalf("error = %v, want a diagnostic", err)
			}
			if diags[0].Code != tt.code {
				t.Errorf("code = %s, want %s (%v)", diags[0].Code, tt.code, diags[0])
			}
		})
	}
}

// TestUnknownProtocolsAreDefined checks that a protocol name Ward does not
// know is added under protocols:, so the imported model validates, and that
// two names with the same slug stay two protocols.
func TestUnknownProtocolsAreDefined(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		doc    string
		want   []string
	}{
		{"pytm", Pytm, `{"name": "x", "elements": [{"__class__": "Actor", "name": "User"}, {"__class__": "Server", "name": "Pump"}],
			"flows": [{"name": "a", "source": "User", "sink": "Pump", "protocol": "C++ RPC"},
			          {"name": "b", "source": "Pump", "sink": "User", "protocol": "C RPC"},
			          {"name": "c", "source": "User", "sink": "Pump", "protocol": "胰岛素"},
			          {"name": "d", "source": "Pump", "sink": "User", "protocol": "泵"}]}`,
			[]string{"c-rpc", "c-rpc-2", "protocol", "protocol-2"}},
		{"otm", OTM, `{"otmVersion": "0.2.0", "project": {"name": "x", "id": "x"},
			"trustZones": [{"id": "z", "name": "Z", "risk": {"trustRating": 10}}],
			"components": [{"id": "a", "name": "A", "type": "web-client", "parent": {"trustZone": "z"}},
			               {"id": "b", "name": "B", "type": "web-service", "parent": {"trustZone": "z"}}],
			"dataflows": [{"id": "f", "name": "F", "source": "a", "destination": "b", "attributes": {"protocol": "Acme RPC"}},
			              {"id": "g", "name": "G", "source": "b", "destination": "a", "attributes": {"protocol": "acme rpc"}}]}`,
			[]string{"acme-rpc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := importBytes(t, "unknown-protocols", tt.format, tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := writeAndParse(t, res)
			var got []string
			for _, p := range m.Protocols {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("protocols = %q, want %q", got, tt.want)
			}
		})
	}
}
