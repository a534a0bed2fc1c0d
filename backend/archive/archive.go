// Package archive turns a folder into a tar stream and back, safely.
//
// Most callers need two functions:
//
//   - [Write] streams a tar of a tree (regular files and directories, plain permission modes,
//     no owners, in a fixed order) and returns its [Listing]: every file's relative path, size,
//     media type and SHA-256, computed from the bytes it wrote, so the listing always matches
//     the stream even when the folder changes while it is read.
//   - [Extract] recreates the tree from such a stream under a directory. The stream is
//     untrusted: absolute paths, "..", links, devices and names with control characters are
//     refused, nothing is ever written outside the directory, every file is checked against
//     the listing (size and SHA-256) before it takes its name, and an existing file is never
//     replaced unless asked.
//
// The stream is a standard tar (USTAR, PAX where a name needs it): `tar -x` reads it.
package archive

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// File is one regular file of a tree.
type File struct {
	Path      string `json:"path"` // relative, "/"-separated
	Size      int64  `json:"size"`
	MediaType string `json:"mediaType"`
	SHA256    string `json:"sha256"` // hex
}

// Listing is what a tree holds: its files, and its directories (so that empty ones come back).
type Listing struct {
	Files []File   `json:"files"`
	Dirs  []string `json:"dirs,omitempty"`
}

// Size is the total size of the listing's files.
func (l Listing) Size() int64 {
	var n int64
	for _, f := range l.Files {
		n += f.Size
	}
	return n
}

// Progress hears how far a Write or an Extract is: files and bytes of file content.
type Progress interface {
	Progress(files, totalFiles int, bytes, totalBytes int64)
}

// Limits on what a tree may hold.
const (
	// MaxNameBytes bounds one path component (what filesystems allow).
	MaxNameBytes = 255
	// MaxPathBytes bounds a relative path.
	MaxPathBytes = 4096
	// MaxEntries bounds the files and directories of one tree.
	MaxEntries = 1_000_000
)

// ErrUnsafe is matched by every refusal of an unsafe archive entry or listing path.
var ErrUnsafe = errors.New("unsafe archive")

// unsafef is a refusal of something in an archive; it matches ErrUnsafe.
func unsafef(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsafe, fmt.Sprintf(format, a...))
}

// CheckPath checks a relative path from an archive or a listing: "/"-separated, not absolute,
// no empty, "." or ".." component, no backslash, valid UTF-8, no control characters, no Unicode
// format characters (bidi overrides, zero-width characters), no line or paragraph separators,
// at most MaxNameBytes per component and MaxPathBytes in all. Leading dots are allowed (a
// folder's ".gitattributes" is data too): the tree always lands inside a directory the user
// chose.
func CheckPath(p string) error {
	switch {
	case p == "":
		return unsafef("an entry has an empty name")
	case len(p) > MaxPathBytes:
		return unsafef("a name is %d bytes long, more than %d", len(p), MaxPathBytes)
	case !utf8.ValidString(p):
		return unsafef("the name %q is not valid text (UTF-8)", p)
	case strings.HasPrefix(p, "/"):
		return unsafef("%q is an absolute path", p)
	case strings.ContainsRune(p, '\\'):
		return unsafef("%q contains a backslash", p)
	case strings.ContainsFunc(p, badRune):
		return unsafef("the name %q contains control or invisible formatting characters", p)
	}
	for _, c := range strings.Split(p, "/") {
		switch {
		case c == "":
			return unsafef("%q has an empty path component", p)
		case c == "." || c == "..":
			return unsafef("%q contains %q", p, c)
		case len(c) > MaxNameBytes:
			return unsafef("a name in %q is %d bytes long, more than %d", p, len(c), MaxNameBytes)
		}
	}
	return nil
}

func badRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp)
}

// Check checks a listing as it comes from a stranger: every path safe, none twice, no file
// where a directory must be, sizes possible, hashes well formed.
func (l Listing) Check() error {
	if len(l.Files)+len(l.Dirs) > MaxEntries {
		return unsafef("the listing has %d entries, more than %d", len(l.Files)+len(l.Dirs), MaxEntries)
	}
	seen := make(map[string]bool, len(l.Files)+len(l.Dirs))
	dirs := make(map[string]bool, len(l.Dirs))
	for _, d := range l.Dirs {
		if err := CheckPath(d); err != nil {
			return err
		}
		if seen[d] {
			return unsafef("the listing names %q twice", d)
		}
		seen[d], dirs[d] = true, true
	}
	for _, f := range l.Files {
		if err := CheckPath(f.Path); err != nil {
			return err
		}
		if seen[f.Path] {
			return unsafef("the listing names %q twice", f.Path)
		}
		seen[f.Path] = true
		if f.Size < 0 || f.Size > 1<<50 {
			return unsafef("the listing gives %q an impossible size (%d)", f.Path, f.Size)
		}
		if len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "" {
			return unsafef("the listing has no valid SHA-256 for %q", f.Path)
		}
	}
	for _, f := range l.Files {
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			if seen[d] && !dirs[d] {
				return unsafef("the listing has %q both as a file and as a folder", d)
			}
		}
	}
	return nil
}
