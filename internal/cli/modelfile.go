package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// startHint is the next step for a user who has no model yet.
const startHint = "or copy examples/minimal/ward.yaml from Ward's repository to start a new model"

// checkModelFile returns an error naming the next step when path
// names no model file: nothing there, or a folder without a ward.yaml.
// Other problems, such as a file that cannot be read, are left to the
// loader, which reports them with their cause.
func checkModelFile(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && path == DefaultModel:
		where, _ := os.Getwd()
		return fmt.Errorf("no model file %s in the current folder %s; give the model's path as the argument, %s", DefaultModel, where, startHint)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("model file %s not found; check the path, %s", path, startHint)
	case err != nil:
		return nil
	case info.IsDir():
		// modelPath has already taken DIR/ward.yaml when there is one.
		msg := fmt.Sprintf("%s is a folder without a %s; give the path of the model file", path, DefaultModel)
		if candidates := yamlFiles(path); len(candidates) > 0 {
			msg += ", such as " + strings.Join(candidates, " or ")
		}
		return errors.New(msg)
	}
	return nil
}

// yamlFiles returns up to three .yaml or .yml files in dir, by name.
func yamlFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var files []string
	for _, en := range entries {
		ext := strings.ToLower(filepath.Ext(en.Name()))
		if en.Type().IsRegular() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, filepath.Join(dir, en.Name()))
		}
	}
	slices.Sort(files)
	return files[:min(len(files), 3)]
}
