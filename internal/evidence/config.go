package evidence

import (
	"fmt"
	"os"

	"github.com/goccy/go-yaml"
)

// configFile is the format of an evidence configuration file.
type configFile struct {
	Patterns    []string `json:"patterns"`
	Skip        []string `json:"skip"`
	MaxFileSize int64    `json:"max_file_size"`
}

// LoadConfig reads a YAML or JSON configuration file with the keys
// patterns (regular expressions), skip (folder names) and max_file_size
// (bytes), and applies it to opts. Values set in opts before the call win
// over the file's.
func LoadConfig(path string, opts *Options) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading the evidence configuration: %w", err)
	}
	var cfg configFile
	if err := yaml.UnmarshalWithOptions(data, &cfg, yaml.DisallowUnknownField()); err != nil {
		return fmt.Errorf("%s: %s; the keys are patterns, skip and max_file_size", path, yaml.FormatError(err, false, false))
	}
	if len(opts.Patterns) == 0 {
		opts.Patterns = cfg.Patterns
	}
	opts.Skip = append(opts.Skip, cfg.Skip...)
	if opts.Limits.MaxFileSize == 0 {
		opts.Limits.MaxFileSize = cfg.MaxFileSize
	}
	if _, err := compilePatterns(opts.Patterns); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
