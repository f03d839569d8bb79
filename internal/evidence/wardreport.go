package evidence

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/assessment"
	"github.com/wardtm/ward/internal/report"
)

// auditStatement matches the first sentence of the audit statement of a
// Ward report, which names the document ID, its version, the system and
// the assessment date.
var auditStatement = regexp.MustCompile(`This document, (.+?) version (.+?), is the threat model of (.+?) as assessed on (\d{4}-\d{2}-\d{2}|\(no date\))\.`)

// reportIdentity is the system, document and date that a Ward report names
// for the assessment it shows.
type reportIdentity struct {
	documentID, version, system, date string
}

// identityOf reads the audit statement of a Ward report. It returns false
// when the document has none, for example a PDF recognized by its producer
// whose statement the reader split.
func identityOf(blocks []Block) (reportIdentity, bool) {
	for _, b := range blocks {
		if m := auditStatement.FindStringSubmatch(b.Text); m != nil {
			return reportIdentity{documentID: m[1], version: m[2], system: m[3], date: m[4]}, true
		}
	}
	return reportIdentity{}, false
}

// sibling is the assessment.json of one folder, read once per scan.
type sibling struct {
	a *assessment.Assessment
	// problem is the reason the file cannot be used. It is empty when a
	// is set or the folder has no such file.
	problem string
}

// siblingUse records which Ward reports took their results from one
// assessment.json, and why the others did not.
type siblingUse struct {
	usedBy []string
	notes  []string
}

// reportAssessment returns the assessment.json in the folder of the report
// at rel when it belongs to the same assessment. The report's audit
// statement must name the same system, document ID, version and date. A
// report without a statement must carry the file name that ward report
// gives the system. It also returns the JSON file's path and, when the file
// exists but is not used, a note for the document's reason. It records
// which reports used the file, so that the file is listed as a document.
func (s *scanner) reportAssessment(rel string, blocks []Block) (*assessment.Assessment, string, string) {
	a, jsonRel, note := s.matchAssessment(rel, blocks)
	if sib := s.siblings[jsonRel]; sib.a != nil || sib.problem != "" {
		use := s.siblingUse[jsonRel]
		if use == nil {
			use = &siblingUse{}
			s.siblingUse[jsonRel] = use
		}
		if a != nil {
			use.usedBy = append(use.usedBy, rel)
		} else {
			use.notes = append(use.notes, rel+": "+note)
		}
	}
	return a, jsonRel, note
}

// matchAssessment decides whether the report at rel uses its folder's
// assessment.json, with the results that reportAssessment describes.
func (s *scanner) matchAssessment(rel string, blocks []Block) (*assessment.Assessment, string, string) {
	jsonRel := path.Join(path.Dir(rel), report.JSONFileName)
	sib := s.readSibling(jsonRel)
	if sib.problem != "" {
		return nil, jsonRel, fmt.Sprintf("%s is not used: %s", jsonRel, sib.problem)
	}
	if sib.a == nil {
		return nil, jsonRel, ""
	}

	sys := sib.a.Model.System
	name := cmp.Or(sys.Name, sys.ID)
	if id, ok := identityOf(blocks); ok {
		date := "(no date)"
		if !sib.a.Date.IsZero() {
			date = sib.a.Date.Format("2006-01-02")
		}
		want := reportIdentity{documentID: cmp.Or(sys.Document.ID, "(no document ID)"), version: cmp.Or(sys.Document.Version, "(no version)"), system: name, date: date}
		if id != want {
			return nil, jsonRel, fmt.Sprintf("%s is not used: it assesses %s, document %s version %s on %s, but the report shows %s, document %s version %s on %s",
				jsonRel, want.system, want.documentID, want.version, want.date, id.system, id.documentID, id.version, id.date)
		}
		return sib.a, jsonRel, ""
	}

	base := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	if base != "Threat-Model-"+safeFileName(sys.ID) {
		return nil, jsonRel, fmt.Sprintf("%s is not used: it assesses system %s, and the report names no system in an audit statement", jsonRel, sys.ID)
	}
	return sib.a, jsonRel, ""
}

// readSibling reads the assessment.json at rel inside the scanned folder,
// once per scan. A link to a file outside the folder is not followed.
func (s *scanner) readSibling(rel string) sibling {
	if sib, ok := s.siblings[rel]; ok {
		return sib
	}
	sib := s.loadSibling(rel)
	s.siblings[rel] = sib
	return sib
}

func (s *scanner) loadSibling(rel string) sibling {
	name := filepath.Join(s.root, filepath.FromSlash(rel))
	if _, err := os.Lstat(name); err != nil {
		return sibling{}
	}
	resolved, err := filepath.EvalSymlinks(name)
	if err != nil {
		return sibling{problem: "broken symbolic link"}
	}
	if !within(s.root, resolved) {
		return sibling{problem: "symbolic link to a file outside the scanned folder, not followed"}
	}
	data, err := readFile(resolved, s.opts.Limits.maxFileSize())
	if err != nil {
		return sibling{problem: err.Error()}
	}
	a, err := report.ReadAssessment(bytes.NewReader(data))
	if err != nil {
		return sibling{problem: err.Error()}
	}
	return sibling{a: a}
}

// safeFileName is the system ID as ward report puts it into file names:
// letters, digits, dots, dashes and underscores kept, anything else
// replaced by an underscore, leading dots removed.
func safeFileName(id string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, id)
	s = strings.TrimLeft(s, ".")
	if s == "" {
		return "system"
	}
	return s
}

// assessmentDocuments lists every assessment.json that a Ward report in the
// folder used or was offered, so the output names each input file. The
// state is Input when a report took its results from the file, or else
// the state the file's problem calls for.
func (s *scanner) assessmentDocuments() []*Document {
	var out []*Document
	for rel, use := range s.siblingUse {
		doc := &Document{Path: rel, Format: "json", Kind: KindAssessment, Reason: "assessment written by ward report next to a report", State: Input}
		switch {
		case len(use.usedBy) > 0:
			doc.Problem = "conformance results of " + joinComma(use.usedBy)
			if len(use.notes) > 0 {
				doc.Problem += "; not used for " + strings.Join(use.notes, "; ")
			}
		case s.siblings[rel].problem != "":
			doc.State, doc.Problem = Malformed, s.siblings[rel].problem
		default:
			doc.State, doc.Problem = Unused, strings.Join(use.notes, "; ")
		}
		out = append(out, doc)
	}
	slices.SortFunc(out, func(a, b *Document) int { return strings.Compare(a.Path, b.Path) })
	return out
}
