package archive

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Options say what Extract writes.
type Options struct {
	// Only extracts these paths of the listing (a folder's path selects everything under it);
	// empty: everything.
	Only []string
	// Overwrite replaces existing files that differ from the listing. Off, Extract refuses
	// before writing anything (an existing file identical to the listing is kept either way,
	// so an interrupted extraction resumes).
	Overwrite bool
}

// ExistsError is returned when files Extract would write exist and differ from the listing,
// and Options.Overwrite is off. Nothing was written. It matches os.ErrExist.
type ExistsError struct{ Paths []string }

func (e *ExistsError) Error() string {
	more := ""
	if len(e.Paths) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(e.Paths)-1)
	}
	return fmt.Sprintf("%s already exists%s: choose another folder, or allow replacing", e.Paths[0], more)
}
func (e *ExistsError) Is(target error) bool { return target == os.ErrExist }

// Result is what Extract did.
type Result struct {
	Files int   `json:"files"` // written
	Bytes int64 `json:"bytes"` // written
	Kept  int   `json:"kept"`  // already there, identical
}

// Select returns the files of l that opts.Only selects, or an error naming a path that selects
// nothing.
func Select(l Listing, only []string) ([]File, error) {
	if len(only) == 0 {
		return l.Files, nil
	}
	want := make(map[string]bool)
	for _, o := range only {
		o = strings.Trim(o, "/")
		matched := false
		for _, f := range l.Files {
			if f.Path == o || strings.HasPrefix(f.Path, o+"/") {
				want[f.Path], matched = true, true
			}
		}
		if !matched {
			return nil, fmt.Errorf("%q is not in this folder (see its file list)", o)
		}
	}
	var out []File
	for _, f := range l.Files {
		if want[f.Path] {
			out = append(out, f)
		}
	}
	return out, nil
}

// Extract reads a tar stream from r and recreates under dir (which must exist) the files of
// listing that opts selects, and the listing's folders. The stream is untrusted: see the
// package comment. Each file is written under a temporary name, checked against the listing,
// then takes its name; an error stops the extraction with what was verified so far in place.
func Extract(ctx context.Context, r io.Reader, dir string, opts Options, listing Listing, prog Progress) (Result, error) {
	if err := listing.Check(); err != nil {
		return Result{}, err
	}
	sel, err := Select(listing, opts.Only)
	if err != nil {
		return Result{}, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Result{}, fmt.Errorf("open %s: %w", dir, err)
	}
	defer root.Close()

	byPath := make(map[string]File, len(listing.Files))
	for _, f := range listing.Files {
		byPath[f.Path] = f
	}
	wanted := make(map[string]bool, len(sel))
	var total int64
	for _, f := range sel {
		wanted[f.Path] = true
		total += f.Size
	}
	// Files there already: identical ones are kept, others refused unless Overwrite.
	kept := make(map[string]bool)
	var exists []string
	for _, f := range sel {
		same, there, err := sameFile(root, f)
		if err != nil {
			return Result{}, err
		}
		switch {
		case same:
			kept[f.Path] = true
		case there:
			exists = append(exists, f.Path)
		}
	}
	if len(exists) > 0 && !opts.Overwrite {
		return Result{}, &ExistsError{Paths: exists}
	}
	dirs := make(map[string]bool, len(listing.Dirs))
	for _, d := range listing.Dirs {
		dirs[d] = true
	}

	// The stream can hold nothing but the listing's entries: bound what is read.
	limit := int64(1024 * 10)
	for _, f := range listing.Files {
		limit += (f.Size+511)/512*512 + 3*512 + 2*int64(len(f.Path)) + 1024
	}
	limit += int64(len(listing.Dirs)) * (3*512 + 2*MaxPathBytes)
	lr := &capReader{r: r, left: limit}
	tr := tar.NewReader(lr)
	res := Result{Kept: len(kept)}
	seen := make(map[string]bool, len(listing.Files)+len(listing.Dirs))
	var made []dirMode
	var doneBytes int64
	headers := 0
	buf := make([]byte, 256<<10)
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, streamErr(lr, err)
		}
		headers++
		name := strings.TrimSuffix(hdr.Name, "/")
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeDir {
			return res, unsafef("%q is %s: refused", name, typeName(hdr.Typeflag))
		}
		for k := range hdr.PAXRecords {
			if strings.HasPrefix(k, "GNU.sparse.") {
				return res, unsafef("%q is a sparse file: refused", name)
			}
		}
		if headers > len(listing.Files)+len(listing.Dirs) {
			return res, unsafef("the archive has more entries than its listing (%d)", len(listing.Files)+len(listing.Dirs))
		}
		if err := CheckPath(name); err != nil {
			return res, err
		}
		if seen[name] {
			return res, unsafef("the archive holds %q twice", name)
		}
		seen[name] = true
		switch hdr.Typeflag {
		case tar.TypeDir:
			if !dirs[name] {
				return res, unsafef("the archive holds a folder %q its listing does not name", name)
			}
			if !under(name, opts.Only) {
				continue
			}
			created, err := mkdirs(root, name)
			if err != nil {
				return res, err
			}
			made = append(made, created...)
			if len(created) > 0 && created[len(created)-1].path == name {
				made[len(made)-1].mode = fs.FileMode(hdr.Mode).Perm()
			}
		case tar.TypeReg:
			f, ok := byPath[name]
			if !ok {
				return res, unsafef("the archive holds a file %q its listing does not name", name)
			}
			if hdr.Size != f.Size {
				return res, unsafef("%q is %d bytes in the archive, %d in its listing", name, hdr.Size, f.Size)
			}
			if !wanted[name] || kept[name] {
				if _, err := io.Copy(io.Discard, tr); err != nil {
					return res, streamErr(lr, err)
				}
				if kept[name] {
					doneBytes += f.Size
				}
				continue
			}
			created, err := mkdirs(root, path.Dir(name))
			if err != nil {
				return res, err
			}
			made = append(made, created...)
			n, err := writeVerified(ctx, root, tr, f, fs.FileMode(hdr.Mode).Perm(), opts.Overwrite, buf, func(n int64) {
				if prog != nil {
					prog.Progress(res.Files+res.Kept, len(sel), doneBytes+n, total)
				}
			})
			if err != nil {
				return res, streamErr(lr, err)
			}
			doneBytes += n
			res.Files++
			res.Bytes += n
		default:
			return res, unsafef("%q is %s: refused", name, typeName(hdr.Typeflag))
		}
		if prog != nil {
			prog.Progress(res.Files+res.Kept, len(sel), doneBytes, total)
		}
	}
	for _, f := range sel {
		if !seen[f.Path] {
			return res, fmt.Errorf("the archive ended before %s (it is truncated or does not match its listing)", f.Path)
		}
	}
	for _, d := range listing.Dirs {
		if !seen[d] {
			return res, fmt.Errorf("the archive ended before the folder %s (it is truncated or does not match its listing)", d)
		}
	}
	// Folder modes last, deepest first, so a read-only folder did not stop its files.
	sort.Slice(made, func(i, j int) bool { return len(made[i].path) > len(made[j].path) })
	for _, d := range made {
		if err := root.Chmod(d.path, d.mode); err != nil {
			return res, err
		}
	}
	return res, nil
}

func typeName(t byte) string {
	switch t {
	case tar.TypeSymlink:
		return "a symbolic link"
	case tar.TypeLink:
		return "a hard link"
	case tar.TypeChar, tar.TypeBlock:
		return "a device"
	case tar.TypeFifo:
		return "a named pipe"
	}
	return fmt.Sprintf("an entry of type %q", t)
}

// capReader fails once more than left bytes are read.
type capReader struct {
	r    io.Reader
	left int64
	over bool
}

var errTooLong = errors.New("the archive is longer than its listing allows")

func (c *capReader) Read(b []byte) (int, error) {
	if c.left <= 0 {
		c.over = true
		return 0, errTooLong
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	return n, err
}

// streamErr says what a read error of the tar stream means.
func streamErr(c *capReader, err error) error {
	switch {
	case c.over || errors.Is(err, errTooLong):
		return unsafef("%v", errTooLong)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the archive is truncated (it ended in the middle of an entry)")
	case errors.Is(err, tar.ErrHeader):
		return unsafef("the archive has an invalid header: %v", err)
	}
	return err
}

type dirMode struct {
	path string
	mode fs.FileMode
}

// mkdirs makes the folder p and its parents under root, refusing any component that exists as
// something else than a folder (a symbolic link is never followed). It returns the folders it
// made, parents first, with default modes.
func mkdirs(root *os.Root, p string) ([]dirMode, error) {
	if p == "." || p == "" {
		return nil, nil
	}
	var made []dirMode
	parts := strings.Split(p, "/")
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		fi, err := root.Lstat(sub)
		switch {
		case err == nil && fi.IsDir():
			continue
		case err == nil:
			return made, unsafef("%s exists and is not a folder (%s): refused", sub, fi.Mode().Type())
		case !errors.Is(err, fs.ErrNotExist):
			return made, err
		}
		if err := root.Mkdir(sub, 0o700); err != nil {
			return made, fmt.Errorf("make folder %s: %w", sub, err)
		}
		made = append(made, dirMode{path: sub, mode: 0o755})
	}
	return made, nil
}

// sameFile reports whether f's path under root holds f already (same size and SHA-256), and
// whether something is there at all. A non-regular file there is never "the same".
func sameFile(root *os.Root, f File) (same, there bool, err error) {
	fi, err := root.Lstat(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		// A parent that is a file, or unreadable: let the extraction report it.
		return false, false, nil
	}
	if !fi.Mode().IsRegular() || fi.Size() != f.Size {
		return false, true, nil
	}
	fd, err := root.OpenFile(f.Path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return false, true, nil
	}
	defer fd.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fd); err != nil {
		return false, true, nil
	}
	return hex.EncodeToString(h.Sum(nil)) == f.SHA256, true, nil
}

// writeVerified writes r (f's content) to a temporary file beside f.Path, checks its size and
// SHA-256, then gives it its name (never replacing a file unless overwrite).
func writeVerified(ctx context.Context, root *os.Root, r io.Reader, f File, mode fs.FileMode, overwrite bool, buf []byte, add func(int64)) (int64, error) {
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return 0, err
	}
	dir, base := path.Split(f.Path)
	tmpBase := "." + base
	if len(tmpBase) > MaxNameBytes-20 {
		tmpBase = tmpBase[:MaxNameBytes-20]
	}
	tmp := dir + tmpBase + "." + hex.EncodeToString(rnd[:]) + ".part"
	fd, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", f.Path, err)
	}
	ok := false
	defer func() {
		if !ok {
			fd.Close()
			_ = root.Remove(tmp)
		}
	}()
	h := sha256.New()
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, rerr := r.Read(buf)
		if k > 0 {
			h.Write(buf[:k])
			if _, err := fd.Write(buf[:k]); err != nil {
				return n, fmt.Errorf("write %s: %w", f.Path, err)
			}
			n += int64(k)
			add(n)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return n, rerr
		}
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return n, fmt.Errorf("%s does not match its listing (size or SHA-256): the archive is damaged or was altered; nothing of it was kept", f.Path)
	}
	if err := fd.Chmod(mode); err != nil {
		return n, err
	}
	if err := fd.Sync(); err != nil {
		return n, err
	}
	if err := fd.Close(); err != nil {
		return n, err
	}
	if overwrite {
		if fi, err := root.Lstat(f.Path); err == nil && !fi.Mode().IsRegular() {
			return n, fmt.Errorf("%s exists and is not a file (%s): refused", f.Path, fi.Mode().Type())
		}
		if err := root.Rename(tmp, f.Path); err != nil {
			return n, fmt.Errorf("write %s: %w", f.Path, err)
		}
	} else {
		// A hard link takes the name only if it is free; then the temporary name goes.
		if err := root.Link(tmp, f.Path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return n, &ExistsError{Paths: []string{f.Path}}
			}
			return n, fmt.Errorf("write %s: %w", f.Path, err)
		}
		_ = root.Remove(tmp)
	}
	ok = true
	return n, nil
}

// under reports whether p is one of only or inside one of them (or only is empty).
func under(p string, only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		o = strings.Trim(o, "/")
		if p == o || strings.HasPrefix(p, o+"/") {
			return true
		}
	}
	return false
}
