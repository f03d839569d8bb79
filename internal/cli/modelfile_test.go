package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestModelFileMissing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, _, errOut := run(t, "validate")
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"no model file ward.yaml in the current folder " + dir,
		"give the model's path as the argument",
		"examples/minimal/ward.yaml",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "no such file or directory") {
		t.Errorf("stderr shows the system error instead of the next step:\n%s", errOut)
	}
}

func TestModelFileFolderArgument(t *testing.T) {
	withModel := t.TempDir()
	if err := os.WriteFile(filepath.Join(withModel, "ward.yaml"), []byte(editModel), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "validate", withModel)
	if code != ExitOK {
		t.Fatalf("validate of a folder with ward.yaml: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if want := filepath.Join(withModel, "ward.yaml") + ": valid"; !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}

	without := t.TempDir()
	if err := os.WriteFile(filepath.Join(without, "pump.yaml"), []byte(editModel), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "threats", without)
	if code != ExitInvalid {
		t.Fatalf("threats of a folder without ward.yaml: exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	want := without + " is a folder without a ward.yaml; give the path of the model file, such as " + filepath.Join(without, "pump.yaml")
	if !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
}

func TestModelFileNotFound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pump.yaml")
	code, _, errOut := run(t, "check", path)
	if code != ExitInvalid {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", code, errOut)
	}
	if want := "model file " + path + " not found; check the path"; !strings.Contains(errOut, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errOut)
	}
}
