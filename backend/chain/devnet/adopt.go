package devnet

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/gofrs/flock"
)

// HasChain reports whether dir holds a chain (its database), started or not.
func HasChain(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "geth", "chaindata"))
	return err == nil && fi.IsDir()
}

// occupied reports whether a chain is in dir or being created there.
func occupied(dir string) bool {
	for _, name := range []string{"geth", deploymentFile} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// Adopt moves the chain in from (with its deployment.json and rpc.json) to dir, when dir holds
// no chain yet, and reports whether it did. It is how a chain that one profile used to run for
// itself becomes the chain every profile shares, so that the datasets on it stay visible. When
// dir already has a chain, from is left alone (false, nil). When from is in use by a running
// process, nothing moves and the error matches ErrInUse. The move is one rename on the same
// file system (a copy, then a rename, across file systems): an interrupted Adopt leaves the
// chain either where it was or where it goes, never half in each.
func Adopt(from, dir string) (bool, error) {
	if !HasChain(from) || occupied(dir) {
		return false, nil
	}
	lock := flock.New(filepath.Join(from, "geth", "LOCK")) // go-ethereum's own lock of its directory
	ok, err := lock.TryLock()
	if err != nil {
		return false, fmt.Errorf("devnet: check whether the chain in %s is in use: %w", from, err)
	}
	if !ok {
		return false, fmt.Errorf("%w in %s: quit the DataShare process that runs it, then try again", ErrInUse, from)
	}
	lock.Unlock() // before the move: Windows cannot rename a directory with a file held open

	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return false, fmt.Errorf("devnet: %w", err)
	}
	os.Remove(dir) // rename cannot replace a directory on every system; this removes only an empty one
	err = os.Rename(from, dir)
	if errors.Is(err, syscall.EXDEV) {
		err = copyThenRename(from, dir)
	}
	if err != nil {
		if occupied(dir) {
			return false, nil // another process created or adopted a chain there first
		}
		return false, fmt.Errorf("devnet: move the chain from %s to %s: %w (move it there yourself, or choose another directory)", from, dir, err)
	}
	return true, nil
}

// copyThenRename copies from next to dir, renames the copy to dir, then removes from.
func copyThenRename(from, dir string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".adopt-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // after a successful rename: nothing left to remove
	if err := copyTree(from, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	return os.RemoveAll(from)
}

// copyTree copies the directories and regular files under from into to (which exists), syncing
// each file.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil || rel == "." {
			return err
		}
		dst := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(dst, 0o700)
		case d.Type().IsRegular():
			return copyFile(path, dst)
		default:
			return nil // no links or devices in a chain directory
		}
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
