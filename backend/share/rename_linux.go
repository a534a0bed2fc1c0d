package share

import (
	"errors"

	"golang.org/x/sys/unix"
)

// renameNoReplace moves tmp to target unless target exists (os.ErrExist then), atomically.
// Filesystems without RENAME_NOREPLACE fall back to a hard link.
func renameNoReplace(tmp, target string) error {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, target, unix.RENAME_NOREPLACE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EEXIST):
		return errExists
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.ENOTSUP):
		return linkNoReplace(tmp, target)
	}
	return err
}
