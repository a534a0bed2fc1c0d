package archive

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Skipped is an entry Write left out (a symlink, a device, a socket, a named pipe).
type Skipped struct {
	Path string `json:"path"`
	Why  string `json:"why"`
}

// Plan is what Scan found in a tree: what Write will archive, and what it will skip.
type Plan struct {
	Root    string
	Files   int
	Bytes   int64
	Skipped []Skipped
	entries []entry
}

type entry struct {
	rel  string // "/"-separated
	dir  bool
	mode fs.FileMode
}

// Scan walks the tree at root without writing anything: every directory and regular file must
// be readable and have a name Extract accepts, or Scan fails naming it (so nothing is published
// that cannot be fetched). Symlinks, devices, sockets and pipes are noted in Plan.Skipped.
func Scan(ctx context.Context, root string) (*Plan, error) {
	fi, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", root)
	}
	p := &Plan{Root: root}
	err = filepath.WalkDir(root, func(full string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return fmt.Errorf("%s cannot be read (permission denied): nothing was published", full)
			}
			return fmt.Errorf("%s cannot be read: %w", full, err)
		}
		if full == root {
			return nil
		}
		rel, err := filepath.Rel(root, full)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if err := CheckPath(rel); err != nil {
			return fmt.Errorf("%q cannot be published: %w", full, err)
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("%s cannot be read: %w", full, err)
		}
		switch {
		case d.IsDir():
			p.entries = append(p.entries, entry{rel: rel, dir: true, mode: info.Mode().Perm()})
		case info.Mode().IsRegular():
			f, err := os.Open(full)
			if err != nil {
				if errors.Is(err, fs.ErrPermission) {
					return fmt.Errorf("%s cannot be read (permission denied): nothing was published", full)
				}
				return fmt.Errorf("%s cannot be read: %w", full, err)
			}
			f.Close()
			p.entries = append(p.entries, entry{rel: rel, mode: info.Mode().Perm()})
			p.Files++
			p.Bytes += info.Size()
		default:
			p.Skipped = append(p.Skipped, Skipped{Path: rel, Why: kindOf(info.Mode())})
		}
		if len(p.entries) > MaxEntries {
			return fmt.Errorf("%s holds more than %d files and folders", root, MaxEntries)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link (not followed)"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	}
	return "not a regular file"
}

// Write streams the tar of the tree Scan planned to w and returns its listing, computed from
// the bytes written. A file that shrinks while it is read is an error; one that grows is
// archived as it was when opened (its listing entry says so, byte for byte). A file that
// disappeared, or a directory entry that became something else, is an error.
func (p *Plan) Write(ctx context.Context, w io.Writer, prog Progress) (Listing, error) {
	tw := tar.NewWriter(w)
	l := Listing{Files: make([]File, 0, p.Files)}
	buf := make([]byte, 256<<10)
	var done int64
	files := 0
	report := func() {
		if prog != nil {
			prog.Progress(files, p.Files, done, p.Bytes)
		}
	}
	for _, e := range p.entries {
		if err := ctx.Err(); err != nil {
			return Listing{}, err
		}
		full := filepath.Join(p.Root, filepath.FromSlash(e.rel))
		if e.dir {
			hdr := &tar.Header{Typeflag: tar.TypeDir, Name: e.rel + "/", Mode: int64(e.mode), ModTime: time.Unix(0, 0)}
			if fi, err := os.Lstat(full); err == nil && fi.IsDir() {
				hdr.ModTime = fi.ModTime().Truncate(time.Second)
			} else {
				return Listing{}, fmt.Errorf("%s changed while it was being published (it is no longer a folder): try again", full)
			}
			if err := tw.WriteHeader(hdr); err != nil {
				return Listing{}, err
			}
			l.Dirs = append(l.Dirs, e.rel)
			continue
		}
		f, err := writeFile(ctx, tw, full, e, buf, func(n int64) { done += n; report() })
		if err != nil {
			return Listing{}, err
		}
		l.Files = append(l.Files, f)
		files++
		report()
	}
	if err := tw.Close(); err != nil {
		return Listing{}, err
	}
	return l, nil
}

// writeFile writes one file's header and content; the size is the file's when it was opened.
func writeFile(ctx context.Context, tw *tar.Writer, full string, e entry, buf []byte, add func(int64)) (File, error) {
	fd, err := os.OpenFile(full, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return File{}, fmt.Errorf("%s cannot be read any more (%w): try again", full, err)
	}
	defer fd.Close()
	fi, err := fd.Stat()
	if err != nil {
		return File{}, err
	}
	if !fi.Mode().IsRegular() {
		return File{}, fmt.Errorf("%s changed while it was being published (it is no longer a regular file): try again", full)
	}
	size := fi.Size()
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: e.rel, Mode: int64(fi.Mode().Perm()), Size: size, ModTime: fi.ModTime().Truncate(time.Second)}
	if err := tw.WriteHeader(hdr); err != nil {
		return File{}, err
	}
	br := bufio.NewReaderSize(fd, 64<<10)
	mt := mime.TypeByExtension(path.Ext(e.rel))
	if mt == "" {
		head, _ := br.Peek(512)
		mt = http.DetectContentType(head)
	}
	h := sha256.New()
	left := size
	for left > 0 {
		if err := ctx.Err(); err != nil {
			return File{}, err
		}
		n, err := br.Read(buf[:min(int64(len(buf)), left)])
		if n > 0 {
			h.Write(buf[:n])
			if _, werr := tw.Write(buf[:n]); werr != nil {
				return File{}, werr
			}
			left -= int64(n)
			add(int64(n))
		}
		if err == io.EOF && left > 0 {
			return File{}, fmt.Errorf("%s shrank while it was being published (%d bytes, then %d): try again when it is complete", full, size, size-left)
		}
		if err != nil && err != io.EOF {
			return File{}, fmt.Errorf("read %s: %w", full, err)
		}
	}
	return File{Path: e.rel, Size: size, MediaType: mt, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// List reads a tar stream as Write makes it and returns its listing (media types from the
// names only), refusing what Extract refuses. It writes nothing.
func List(ctx context.Context, r io.Reader) (Listing, error) {
	tr := tar.NewReader(r)
	var l Listing
	for {
		if err := ctx.Err(); err != nil {
			return Listing{}, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return l, l.Check()
		}
		if err != nil {
			return Listing{}, err
		}
		name := strings.TrimSuffix(hdr.Name, "/")
		if err := CheckPath(name); err != nil {
			return Listing{}, err
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			l.Dirs = append(l.Dirs, name)
		case tar.TypeReg:
			h := sha256.New()
			n, err := io.Copy(h, tr)
			if err != nil {
				return Listing{}, err
			}
			mt := mime.TypeByExtension(path.Ext(name))
			if mt == "" {
				mt = "application/octet-stream"
			}
			l.Files = append(l.Files, File{Path: name, Size: n, MediaType: mt, SHA256: hex.EncodeToString(h.Sum(nil))})
		default:
			return Listing{}, unsafef("%q is %s: refused", name, typeName(hdr.Typeflag))
		}
	}
}
