package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type ent struct {
	name, body, link string
	typ              byte
}

// build makes a tar of es and a listing that names every regular file and folder in it with
// the right hashes (a listing that matches is the hard case: the stream alone must be refused).
func build(t testing.TB, es []ent) ([]byte, Listing) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	var l Listing
	for _, e := range es {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, Linkname: e.link}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.body))
			sum := sha256.Sum256([]byte(e.body))
			l.Files = append(l.Files, File{Path: strings.TrimPrefix(e.name, "/"), Size: h.Size, SHA256: hex.EncodeToString(sum[:])})
		}
		if typ == tar.TypeDir {
			h.Mode = 0o755
			l.Dirs = append(l.Dirs, strings.TrimSuffix(e.name, "/"))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			tw.Write([]byte(e.body))
		}
	}
	tw.Close()
	return buf.Bytes(), l
}

// outsideUntouched checks that nothing but dir exists in its parent.
func outsideUntouched(t testing.TB, parent string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != "out" && e.Name() != "canary" {
			t.Fatalf("something was written outside the folder: %s", e.Name())
		}
	}
	if b, err := os.ReadFile(filepath.Join(parent, "canary")); err != nil || string(b) != "untouched" {
		t.Fatalf("the file outside the folder changed: %q, %v", b, err)
	}
	filepath.WalkDir(filepath.Join(parent, "out"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink != 0 {
			t.Fatalf("a symbolic link was made: %s", p)
		}
		return nil
	})
}

func setup(t testing.TB) (parent, out string) {
	parent = t.TempDir()
	out = filepath.Join(parent, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parent, "canary"), []byte("untouched"), 0o644); err != nil {
		t.Fatal(err)
	}
	return parent, out
}

func TestHostileArchives(t *testing.T) {
	cases := []struct {
		name string
		es   []ent
		want string
	}{
		{"absolute", []ent{{name: "/canary", body: "pwned"}}, "absolute"},
		{"dotdot", []ent{{name: "../canary", body: "pwned"}}, `".."`},
		{"dotdot inside", []ent{{name: "a/../../canary", body: "pwned"}}, `".."`},
		{"symlink then file", []ent{{name: "l", typ: tar.TypeSymlink, link: ".."}, {name: "l/canary", body: "pwned"}}, "symbolic link"},
		{"hard link", []ent{{name: "h", typ: tar.TypeLink, link: "../canary"}}, "hard link"},
		{"device", []ent{{name: "d", typ: tar.TypeChar}}, "device"},
		{"control char", []ent{{name: "evil\x1b[2Jname", body: "x"}}, "control"},
		{"newline", []ent{{name: "a\nb", body: "x"}}, "control"},
		{"bidi override", []ent{{name: "txt\u202eexe.sh", body: "x"}}, "control"},
		{"backslash", []ent{{name: `..\canary`, body: "x"}}, "backslash"},
		{"twice", []ent{{name: "a", body: "1"}, {name: "a", body: "2"}}, "twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parent, out := setup(t)
			data, l := build(t, c.es)
			_, err := Extract(context.Background(), bytes.NewReader(data), out, Options{}, l, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one about %s", err, c.want)
			}
			outsideUntouched(t, parent)
		})
	}
}

func TestPreexistingSymlinkNotFollowed(t *testing.T) {
	parent, out := setup(t)
	if err := os.Symlink(parent, filepath.Join(out, "sub")); err != nil {
		t.Fatal(err)
	}
	data, l := build(t, []ent{{name: "sub/", typ: tar.TypeDir}, {name: "sub/canary", body: "pwned"}})
	_, err := Extract(context.Background(), bytes.NewReader(data), out, Options{Overwrite: true}, l, nil)
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Fatalf("err = %v, want a refusal of the symlinked folder", err)
	}
	if b, _ := os.ReadFile(filepath.Join(parent, "canary")); string(b) != "untouched" {
		t.Fatal("wrote through a symlink")
	}
}

func TestHugeHeaderCount(t *testing.T) {
	parent, out := setup(t)
	var es []ent
	for i := range 5000 {
		es = append(es, ent{name: "d" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "/" + itoa(i) + "/", typ: tar.TypeDir})
	}
	data, _ := build(t, es)
	// The listing promises one file; the stream has thousands of entries.
	_, small := build(t, []ent{{name: "only", body: "1"}})
	_, err := Extract(context.Background(), bytes.NewReader(data), out, Options{}, small, nil)
	if err == nil || !errors.Is(err, ErrUnsafe) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	outsideUntouched(t, parent)
}

func TestTruncated(t *testing.T) {
	data, l := build(t, []ent{{name: "a", body: strings.Repeat("a", 5000)}, {name: "b", body: strings.Repeat("b", 5000)}})
	for _, cut := range []int{100, 512, 3000, 512*12 + 10, 512 * 12, 11000} {
		parent, out := setup(t)
		_, err := Extract(context.Background(), bytes.NewReader(data[:cut]), out, Options{}, l, nil)
		if err == nil || !(strings.Contains(err.Error(), "truncated") || errors.Is(err, ErrUnsafe)) {
			t.Fatalf("cut at %d: err = %v, want truncated", cut, err)
		}
		outsideUntouched(t, parent)
		// No partial file under its name.
		if b, err := os.ReadFile(filepath.Join(out, "b")); err == nil && len(b) != 5000 {
			t.Fatalf("cut at %d: a partial b was left (%d bytes)", cut, len(b))
		}
	}
}

func TestAlteredContent(t *testing.T) {
	parent, out := setup(t)
	data, l := build(t, []ent{{name: "a", body: "good"}})
	l.Files[0].SHA256 = strings.Repeat("0", 64)
	_, err := Extract(context.Background(), bytes.NewReader(data), out, Options{}, l, nil)
	if err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("err = %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Fatalf("left %v", ents)
	}
	outsideUntouched(t, parent)
}

func itoa(i int) string {
	const d = "0123456789"
	if i < 10 {
		return d[i : i+1]
	}
	return itoa(i/10) + d[i%10:i%10+1]
}

// FuzzExtract: whatever the stream, nothing is written outside the folder and no link is made.
func FuzzExtract(f *testing.F) {
	seeds := [][]ent{
		{{name: "a", body: "x"}, {name: "d/", typ: tar.TypeDir}, {name: "d/b", body: "yy"}},
		{{name: "../x", body: "x"}},
		{{name: "l", typ: tar.TypeSymlink, link: ".."}, {name: "l/x", body: "x"}},
		{{name: "/abs", body: "x"}},
	}
	for _, s := range seeds {
		data, _ := build(f, s)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A listing that matches what the stream claims, so the fuzzer gets past the checks.
		var l Listing
		tr := tar.NewReader(bytes.NewReader(data))
		for range 64 {
			h, err := tr.Next()
			if err != nil {
				break
			}
			name := strings.TrimSuffix(h.Name, "/")
			if h.Typeflag == tar.TypeDir {
				l.Dirs = append(l.Dirs, name)
				continue
			}
			hs := sha256.New()
			n, _ := io.CopyN(io.Discard, teeHash{tr, hs}, int64(len(data)))
			l.Files = append(l.Files, File{Path: name, Size: n, SHA256: hex.EncodeToString(hs.Sum(nil))})
		}
		parent, out := setup(t)
		_, _ = Extract(context.Background(), bytes.NewReader(data), out, Options{}, l, nil)
		outsideUntouched(t, parent)
	})
}

type teeHash struct {
	r interface{ Read([]byte) (int, error) }
	h interface{ Write([]byte) (int, error) }
}

func (t teeHash) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	t.h.Write(b[:n])
	return n, err
}
