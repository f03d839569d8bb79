package evidence

import (
	"fmt"
	"testing"
)

// blockLine is a compact form of a block for table tests.
func blockLine(b Block) string {
	loc := b.Line
	if b.Page > 0 {
		loc = b.Page
	}
	return fmt.Sprintf("%d %s%s %q %v", loc, b.Kind, levelSuffix(b.Level), b.Text, b.Path)
}

func levelSuffix(level int) string {
	if level == 0 {
		return ""
	}
	return fmt.Sprint(level)
}

func checkBlocks(t *testing.T, name string, got []Block, want []string) {
	t.Helper()
	if len(got) != len(want) {
		for _, b := range got {
			t.Log(blockLine(b))
		}
		t.Fatalf("%s: %d blocks, want %d", name, len(got), len(want))
	}
	for i := range want {
		if g := blockLine(got[i]); g != want[i] {
			t.Errorf("%s block %d:\n got %s\nwant %s", name, i, g, want[i])
		}
	}
}

func TestReadMarkdown(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"headings and table", "# Title\n\nIntro *text* with [a link](http://x).\n\n## Ports\n\n| Port | State |\n|---|:--:|\n| USB \\| C | off |\n",
			[]string{`1 heading1 "Title" []`, `3 paragraph "Intro text with a link." [Title]`, `5 heading2 "Ports" [Title]`,
				`7 table-row "Port | State" [Title Ports]`, `9 table-row "USB | C | off" [Title Ports]`}},
		{"setext and lists", "Title\n=====\nSub\n---\n- one\n  continued\n2. two\n",
			[]string{`1 heading1 "Title" []`, `3 heading2 "Sub" [Title]`, `5 list-item "one continued" [Title Sub]`, `7 list-item "two" [Title Sub]`}},
		{"front matter and fence", "---\ntitle: \"Doc\"\n---\n```\ncode # not a heading\n```\n<a id=\"x\"></a>\n\n### Deep\n",
			[]string{`5 paragraph "code # not a heading" []`, `9 heading3 "Deep" []`}},
		{"sibling headings", "## A\n\ntext\n\n## B\n\nmore\n",
			[]string{`1 heading2 "A" []`, `3 paragraph "text" [A]`, `5 heading2 "B" []`, `7 paragraph "more" [B]`}},
		{"escaped Ward text", "## 6\\.7 Physical and debug ports\n\nPorts \\<reachable\\> from outside\\.\n",
			[]string{`1 heading2 "6.7 Physical and debug ports" []`, `3 paragraph "Ports <reachable> from outside." [6.7 Physical and debug ports]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkBlocks(t, tt.name, readMarkdown([]byte(tt.in), Limits{}).Blocks, tt.want)
		})
	}
	if got := readMarkdown([]byte("---\ntitle: Doc\n---\n# Other\n"), Limits{}).Title; got != "Doc" {
		t.Errorf("front matter title = %q, want Doc", got)
	}
}

func TestReadText(t *testing.T) {
	in := "THREAT MODEL\n\n1 Scope\n\nThe pump and\nits app.\n\n1.1 Ports\n\n- USB port\nPort\tState\tNote\n\nA short line without period\nfollowed by text.\n"
	checkBlocks(t, "text", readText([]byte(in), Limits{}).Blocks, []string{
		`1 heading1 "THREAT MODEL" []`,
		`3 heading1 "1 Scope" []`,
		`5 paragraph "The pump and its app." [1 Scope]`,
		`8 heading2 "1.1 Ports" [1 Scope]`,
		`10 list-item "USB port" [1 Scope 1.1 Ports]`,
		`11 table-row "Port | State | Note" [1 Scope 1.1 Ports]`,
		`13 paragraph "A short line without period followed by text." [1 Scope 1.1 Ports]`,
	})
}

func TestReadHTML(t *testing.T) {
	in := `<!DOCTYPE html>
<html><head><title>Threat &amp; model</title><meta name="generator" content="Ward 1.0">
<style>p > b { x: "<h1>" }</style><script>if (a<b) {}</script></head>
<body><!-- <h1>hidden</h1> -->
<h1>Threat model</h1>
<p>The pump
uses <b>BLE</b>&nbsp;&#x2014; see <a href=x>here</a>.
<h2 id=ports>Ports</h2>
<ul><li>USB<li>Serial port</ul>
<table><tr><th>Port<th>State</tr>
<tr><td><p>JTAG</p><td>fused</tr></table>
<svg><text>Not text</text></svg>
<p>Unclosed <i>tags <b>everywhere
</body>`
	txt := readHTML([]byte(in), Limits{})
	checkBlocks(t, "html", txt.Blocks, []string{
		`5 heading1 "Threat model" []`,
		`6 paragraph "The pump uses BLE — see here." [Threat model]`,
		`8 heading2 "Ports" [Threat model]`,
		`9 list-item "USB" [Threat model Ports]`,
		`9 list-item "Serial port" [Threat model Ports]`,
		`10 table-row "Port | State" [Threat model Ports]`,
		`11 table-row "JTAG | fused" [Threat model Ports]`,
		`13 paragraph "Unclosed tags everywhere" [Threat model Ports]`,
	})
	if txt.Title != "Threat & model" || txt.Generator != "Ward 1.0" {
		t.Errorf("title %q generator %q, want the title and meta generator", txt.Title, txt.Generator)
	}
}

func TestReadDOCX(t *testing.T) {
	txt, err := readDOCX(toDOCX(t, completeSpec()), Limits{})
	if err != nil {
		t.Fatalf("readDOCX: %v", err)
	}
	if txt.Title != completeSpec().title {
		t.Errorf("title = %q, want the core title", txt.Title)
	}
	checkBlocks(t, "docx", txt.Blocks[:5], []string{
		`1 heading1 "Threat Model: Acme Infusion Pump" []`,
		`2 heading1 "Document control" []`,
		`3 table-row "Field | Value" [Document control]`,
		`5 table-row "Document ID | TM-ACME-001" [Document control]`,
		`7 table-row "Version | 1.2" [Document control]`,
	})
}

func TestAssessRules(t *testing.T) {
	tests := []struct {
		name, md, item, want string
	}{
		{"heading with content", "# Board connections\n\nThe JTAG header is fused.\n", "tm.board-connections", Covered},
		{"heading without content", "# Board connections\n\nTBD\n\n# Other\n\ntext\n", "tm.board-connections", Weak},
		{"list with two terms", "# Hardware\n\n- JTAG header\n- UART pads\n", "tm.board-connections", Covered},
		{"one list item", "# Notes\n\n- JTAG header\n", "tm.board-connections", Weak},
		{"context section", "# Hardware security\n\nThe JTAG port is fused at the factory.\n", "tm.board-connections", Covered},
		{"in passing", "# Overview\n\nEngineers used JTAG during development.\n", "tm.board-connections", Weak},
		{"nothing", "# Overview\n\nA pump.\n", "tm.board-connections", Missing},
		{"table of contents ignored", "# Contents\n\n- Board connections\n- JTAG and UART\n\n# Overview\n\nA pump.\n", "tm.board-connections", Missing},
		{"word boundaries", "# Overview\n\nA jtagless design with SWDX parts.\n", "tm.board-connections", Missing},
		{"yearly promise in review section", "# Reviews\n\nThe team reviews the model annually.\n", "review.yearly", Weak},
		{"yearly promise in passing", "# Overview\n\nIt is reviewed annually.\n", "review.yearly", Weak},
		{"annual review heading without record", "# Annual review\n\nThe model will be reviewed every year.\n", "review.yearly", Weak},
		{"dated review record", "# Reviews\n\nReviewed by the development team on 2026-03-01.\n", "review.yearly", Covered},
		{"dated approval record", "# Overview\n\nDocument TM-TDW-014, version 1.2, approved by J. Smith on 1 March 2026.\n", "review.yearly", Covered},
		{"approval record identifies document", "# Overview\n\nDocument TM-TDW-014, version 1.2, approved by J. Smith.\n", "tm.exists", Covered},
		{"version without approval", "# Overview\n\nThis is version 1.2 of the model.\n", "tm.exists", Weak},
		{"approval without version or date", "# Overview\n\nThe model was approved by the board.\n", "tm.exists", Weak},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			txt := readMarkdown([]byte(tt.md), Limits{})
			got := itemOf(t, assess("doc.md", txt.Unit, txt.Blocks), tt.item)
			if got.Status != tt.want {
				t.Errorf("%s = %s (%s), want %s", tt.item, got.Status, got.Reason, tt.want)
			}
		})
	}
}

func TestTermCase(t *testing.T) {
	tests := []struct {
		term Term
		text string
		want bool
	}{
		{word("REST"), "a REST API", true},
		{word("REST"), "the rest of the data at rest", false},
		{word("test point"), "TP3 is a Test-Point", true},
		{word("JTAG"), "jtagless", false},
		{word("Bluetooth Low Energy"), "bluetooth low-energy", true},
		{pattern("CVE-nnnn-n", `CVE-\d{4}-\d+`), "see cve-2024-1234.", true},
	}
	for _, tt := range tests {
		if got := tt.term.find(tt.text) != nil; got != tt.want {
			t.Errorf("term %q in %q: match %v, want %v", tt.term.Name, tt.text, got, tt.want)
		}
	}
}

func TestGroupLinesJoins(t *testing.T) {
	tests := []struct {
		name string
		runs []pdfRun
		want string
	}{
		{"placed cell inside estimated end", []pdfRun{
			{x: 475.3, y: 312.4, size: 7.5, width: 131.2, text: "6.6 Internal and external protocols", placed: true},
			{x: 601.9, y: 312.4, size: 7.5, width: 232.5, text: "protocols across trust boundaries", placed: true},
		}, "6.6 Internal and external protocols protocols across trust boundaries"},
		{"placed glyph cluster at estimated end", []pdfRun{
			{x: 100, y: 10, size: 10, width: 20, text: "prot", placed: true},
			{x: 119, y: 10, size: 10, width: 25, text: "ocols", placed: true},
		}, "protocols"},
		{"continued run after kerning", []pdfRun{
			{x: 100, y: 10, size: 10, width: 20, text: "prot", placed: true},
			{x: 110, y: 10, size: 10, width: 25, text: "ocols"},
		}, "protocols"},
		{"wide gap is a cell", []pdfRun{
			{x: 100, y: 10, size: 10, width: 20, text: "ID", placed: true},
			{x: 200, y: 10, size: 10, width: 20, text: "Name", placed: true},
		}, "ID | Name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := groupLines(tt.runs, 1)
			if len(lines) != 1 || lines[0].text != tt.want {
				t.Errorf("groupLines = %+v, want one line %q", lines, tt.want)
			}
		})
	}
}
