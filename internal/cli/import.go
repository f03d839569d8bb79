package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/wardtm/ward/internal/atomicfile"

	"github.com/wardtm/ward/internal/diag"
	"github.com/wardtm/ward/internal/interop"
	"github.com/wardtm/ward/internal/model"
	"github.com/wardtm/ward/internal/sbom"
)

func newImportCmd(e *env) *cobra.Command {
	var (
		from   string
		output string
		force  bool
		pick   string
	)
	cmd := &cobra.Command{
		Use:   "import [--from FORMAT] FILE",
		Short: "Convert a threat model from another tool into a Ward model",
		Long: `Import reads a threat model made with another tool and writes a Ward model.
--from names the format of FILE; without it the format is detected from
the content:

  threagile              Threagile YAML
  threat-dragon          OWASP Threat Dragon JSON, version 1 or 2
  otm                    Open Threat Model (OTM) JSON or YAML
  pytm                   OWASP pytm JSON input
  threatcl               threatcl HCL or JSON
  threat-model-library   OWASP Threat Model Library JSON
  tmbom                  CycloneDX threat model BOM (TMBOM) JSON
  tm7                    Microsoft Threat Modeling Tool .tm7 file

A JSON Schema document or an SBOM (SPDX, or CycloneDX without threat-model
components) is reported as such instead; use ward sbom import for an SBOM.

The output is a valid Ward model. Comments starting with "inferred:" mark
values Ward chose because the source had none. A report on standard error
lists what was imported, what was dropped and why, and the IEC 81001-5-1
clause 7.2 items the source had no place for, such as physical and debug
ports, dependencies and reviews.

Exit codes: 0 when the model was written, 2 when the input is invalid or
the output file exists and --force is not given.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(e, args[0], from, output, pick, force)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "format of FILE: threagile, threat-dragon, otm, pytm, threatcl, threat-model-library (OWASP Threat Model Library), tmbom (CycloneDX threat model BOM) or tm7 (default: detect from the content)")
	cmd.Flags().StringVarP(&output, "output", "o", DefaultModel, `file to write the Ward model to; "-" writes to standard output`)
	cmd.Flags().BoolVar(&force, "force", false, "overwrite the output file if it exists")
	cmd.Flags().StringVar(&pick, "select", "", "name of the threat model to import from a threatcl file that holds several")
	return cmd
}

func runImport(e *env, input, from, output, pick string, force bool) error {
	var format interop.Format
	if from != "" {
		f, err := interop.ParseFormat(from)
		if err != nil {
			return withCode(ExitInvalid, err)
		}
		format = f
	}
	// The input is read before the output is checked, so a mistyped input
	// name is reported as such rather than as an existing ward.yaml.
	data, err := readLimited(input, interop.MaxInputBytes)
	if err != nil {
		return withCode(ExitInvalid, err)
	}
	if format == "" {
		if err := rejectSBOM(input, data); err != nil {
			return withCode(ExitInvalid, err)
		}
	}
	if output != "-" && !force {
		if _, err := os.Stat(output); err == nil {
			return withCode(ExitInvalid, fmt.Errorf("%s already exists; pass --force to overwrite it or -o to write elsewhere", output))
		}
	}

	res, err := interop.Import(input, data, format, interop.Options{Select: pick})
	if err != nil {
		var diags diag.List
		if errors.As(err, &diags) {
			printDiagnostics(e.stderr, diags, defaultMaxErrors)
			return withCode(ExitInvalid, fmt.Errorf("%s: cannot import: %s", input, countErrors(diags)))
		}
		return withCode(ExitInvalid, err)
	}

	var buf bytes.Buffer
	if err := interop.WriteYAML(&buf, res.Model, res.Notes); err != nil {
		return err
	}
	// The importer promises a valid model; check it before writing so a
	// bug in an importer never leaves an unusable file behind.
	name := output
	if name == "-" {
		name = "<stdout>"
	}
	if _, diags := model.Parse(name, buf.Bytes(), model.LoadOptions{}); diags.HasErrors() {
		printDiagnostics(e.stderr, diags, defaultMaxErrors)
		return withCode(ExitInvalid, fmt.Errorf("the model imported from %s is invalid, which is a bug in Ward's %s importer; please report it with the input file", input, res.Report.Format))
	}

	if output == "-" {
		if _, err := e.stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := atomicfile.Write(output, buf.Bytes(), 0o644); err != nil {
		return withCode(ExitInvalid, err)
	}
	if err := res.Report.WriteText(e.stderr); err != nil {
		return err
	}
	if output != "-" {
		printImportNext(e.stderr, output, res.Model)
	}
	return nil
}

// printImportNext prints the commands to run on the imported model.
// ward report dates its document from --date, else from the model's latest
// review or release date, and models of other tools carry neither.
func printImportNext(w io.Writer, output string, m *model.Model) {
	if len(m.Reviews) > 0 || !m.System.Released.IsZero() {
		fmt.Fprintf(w, "wrote %s; next: ward validate %s && ward check %s && ward report %s\n", output, output, output, output)
		return
	}
	fmt.Fprintf(w, "wrote %s; next: ward validate %s && ward check %s && ward report %s --date YYYY-MM-DD\n", output, output, output, output)
	fmt.Fprintln(w, "ward report needs --date because the model has no review or release date to date the document.")
}

// rejectSBOM returns an error pointing at ward sbom import when data is
// an SPDX document or a CycloneDX XML document. The threat model importers
// would report such a file as malformed YAML or an unknown format. A
// CycloneDX JSON document is left to the importers, because it may be a
// threat model BOM (TMBOM), and they explain one that is not.
func rejectSBOM(input string, data []byte) error {
	kind, err := sbom.Identify(input, data)
	if err != nil && !errors.Is(err, sbom.ErrUnsupported) {
		return nil
	}
	if kind.Format == sbom.CycloneDX && kind.Encoding == sbom.JSON {
		return nil
	}
	return fmt.Errorf("%s is an SBOM (%s), which lists software, not a threat model; add its components to a Ward model's dependencies with ward sbom import %s",
		input, kind, input)
}

// readLimited reads a whole file, rejecting files over limit bytes before
// reading them.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("input file %s not found; check the path", path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes, the import limit", path, limit)
	}
	return data, nil
}
