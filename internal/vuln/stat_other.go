//go:build !linux

package vuln

import "os"

// dirStat stats files by path; stat_linux.go has the faster form.
type dirStat struct{}

func (s *dirStat) stat(f *dbFile) error {
	fi, err := os.Stat(f.path)
	if err != nil {
		return err
	}
	f.size, f.mtime = fi.Size(), fi.ModTime().UnixNano()
	return nil
}

func (s *dirStat) close() {}

func newDirStat() *dirStat { return &dirStat{} }
