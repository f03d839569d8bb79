package vuln

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// dirStat stats files relative to an open folder, so the kernel looks up
// one name per file instead of every component of its path. On 200,000
// files in folders of 1,000 on ext4 this made the stat calls of the check
// that every run makes about twice as fast. The folder stays open while
// files of the same folder follow each other.
type dirStat struct {
	dir string
	fd  int
}

func (s *dirStat) stat(f *dbFile) error {
	dir, name := filepath.Split(f.path)
	if dir != s.dir || s.fd < 0 {
		s.close()
		fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return &os.PathError{Op: "open", Path: dir, Err: err}
		}
		s.dir, s.fd = dir, fd
	}
	var st unix.Stat_t
	if err := unix.Fstatat(s.fd, name, &st, 0); err != nil {
		return &os.PathError{Op: "stat", Path: f.path, Err: err}
	}
	f.size, f.mtime = st.Size, st.Mtim.Nano()
	return nil
}

func (s *dirStat) close() {
	if s.fd >= 0 {
		unix.Close(s.fd)
	}
	s.dir, s.fd = "", -1
}

func newDirStat() *dirStat { return &dirStat{fd: -1} }
