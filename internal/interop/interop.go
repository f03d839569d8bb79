// Package interop converts threat models between Ward and other tools.
//
// Importers read Threagile YAML, OWASP Threat Dragon JSON (versions 1 and
// 2), Open Threat Model (OTM) JSON and YAML, OWASP pytm JSON input, threatcl
// HCL and JSON, OWASP Threat Model Library JSON, CycloneDX threat model
// BOMs (TMBOM) and Microsoft Threat Modeling Tool .tm7 files, and build a
// model.Model whose IDs are valid and unique while the source's names are
// kept. Each import also returns Notes, the comments the YAML writer puts
// next to what was inferred, and a Report of counts, dropped content and
// the IEC 81001-5-1 clause 7.2 items the source had no place for.
// ExportOTM writes a model as OTM JSON.
//
// Every importer reads through one JSON/YAML/HCL node tree or a bounded XML
// reader, so malformed and hostile files fail with a diag.List naming file,
// line and column. The package never prints. Callers validate the model it
// builds, because only the OTM importer validates, and only the content
// that it reads back from the ward_ attributes of files Ward exported.
package interop

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wardtm/ward/internal/model"
)

// Format names a threat model file format.
type Format string

// Supported formats, as the --from flag spells them.
const (
	Threagile    Format = "threagile"
	ThreatDragon Format = "threat-dragon"
	OTM          Format = "otm"
	Pytm         Format = "pytm"
	TM7          Format = "tm7"
	Threatcl     Format = "threatcl"
	// ThreatModelLibrary is the OWASP Threat Model Library JSON format.
	ThreatModelLibrary Format = "threat-model-library"
	// TMBOM is a CycloneDX 1.6 BOM that describes a threat model.
	TMBOM Format = "tmbom"
)

// Formats lists every format Import reads.
var Formats = []Format{Threagile, ThreatDragon, OTM, Pytm, TM7, Threatcl, ThreatModelLibrary, TMBOM}

// Title returns the name people use for the format, such as "Open Threat
// Model (OTM)", for messages and documentation.
func (f Format) Title() string {
	switch f {
	case Threagile:
		return "Threagile"
	case ThreatDragon:
		return "OWASP Threat Dragon"
	case OTM:
		return "Open Threat Model (OTM)"
	case Pytm:
		return "OWASP pytm"
	case TM7:
		return "Microsoft Threat Modeling Tool"
	case Threatcl:
		return "threatcl"
	case ThreatModelLibrary:
		return "OWASP Threat Model Library"
	case TMBOM:
		return "CycloneDX threat model BOM (TMBOM)"
	}
	return string(f)
}

// Options changes how Import reads a file.
type Options struct {
	// ReadFile reads files that the input includes (Threagile includes:),
	// with names resolved against the input file's folder. Nil means
	// os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// Select names the threat model to import from a threatcl file that
	// holds several; empty means the first.
	Select string
}

// Result is one imported model with what the writer and the report need.
type Result struct {
	Model  *model.Model
	Notes  *Notes
	Report *Report
}

// Import reads data, the content of file, as format (detected from the
// content when format is empty). It returns a diag.List error when the file
// is malformed and a plain error when an included file cannot be read.
func Import(file string, data []byte, format Format, opts Options) (*Result, error) {
	if format == "" {
		detected, err := Detect(file, data)
		if err != nil {
			return nil, err
		}
		format = detected
	} else if err := rejectJSONSchema(file, data); err != nil {
		return nil, err
	}
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	switch format {
	case Threagile:
		return importThreagile(file, data, opts)
	case ThreatDragon:
		return importThreatDragon(file, data)
	case OTM:
		return importOTM(file, data)
	case Pytm:
		return importPytm(file, data)
	case TM7:
		return importTM7(file, data)
	case Threatcl:
		return importThreatcl(file, data, opts)
	case ThreatModelLibrary:
		return importTML(file, data)
	case TMBOM:
		return importTMBOM(file, data)
	}
	return nil, fmt.Errorf("unknown format %q: use one of %s", format, formatList())
}

// ParseFormat checks a --from value.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	switch f {
	case "threatdragon", "td":
		f = ThreatDragon
	case "tml", "owasp-tml", "owasp-threat-model-library":
		f = ThreatModelLibrary
	case "cyclonedx", "cdx", "tm-bom":
		f = TMBOM
	case "hcl":
		f = Threatcl
	}
	if slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, formatList())
}

func formatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// baseName returns the file name without folders and extension, used as the
// system name when the source has none.
func baseName(file string) string {
	b := filepath.Base(file)
	for ext := filepath.Ext(b); ext != ""; ext = filepath.Ext(b) {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}
