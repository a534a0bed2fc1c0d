package archive

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, root string, files map[string]string, modes map[string]fs.FileMode) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		m := fs.FileMode(0o644)
		if mm, ok := modes[p]; ok {
			m = mm
		}
		if err := os.WriteFile(full, []byte(c), m); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, m); err != nil {
			t.Fatal(err)
		}
	}
}

func archiveOf(t *testing.T, root string) ([]byte, Listing, *Plan) {
	t.Helper()
	plan, err := Scan(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	l, err := plan.Write(context.Background(), &buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), l, plan
}

// snapshot maps every path under root to its mode and content.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, _ := d.Info()
		v := info.Mode().String()
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += " " + string(b)
		}
		out[filepath.ToSlash(rel)] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRoundTripModesAndSkips(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, map[string]string{
		"a.csv": "x,y\n1,2\n", "bin/run.sh": "#!/bin/sh\necho hi\n", "docs/deep/readme.txt": "hello",
		"empty/": "", ".hidden": "dot", "zero": "", "ro.txt": "read only",
	}, map[string]fs.FileMode{"bin/run.sh": 0o755, "ro.txt": 0o444})
	if err := os.Symlink("a.csv", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	data, l, plan := archiveOf(t, src)
	if len(plan.Skipped) != 1 || plan.Skipped[0].Path != "link" || !strings.Contains(plan.Skipped[0].Why, "symbolic link") {
		t.Fatalf("skipped = %+v, want the symlink", plan.Skipped)
	}
	if len(l.Files) != 6 {
		t.Fatalf("listing has %d files: %+v", len(l.Files), l.Files)
	}
	for _, f := range l.Files {
		b, _ := os.ReadFile(filepath.Join(src, f.Path))
		sum := sha256.Sum256(b)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Size != int64(len(b)) {
			t.Errorf("%s: listing %+v does not match the file", f.Path, f)
		}
	}
	if l.Files[0].Path != ".hidden" || l.Files[1].Path != "a.csv" || l.Files[0].MediaType == "" {
		t.Errorf("order or media types: %+v", l.Files)
	}
	// The tar has no owners.
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || h.Mode&^0o777 != 0 {
			t.Errorf("%s: header carries owner or special bits: %+v", h.Name, h)
		}
	}
	// Deterministic: the same tree gives the same bytes.
	if again, _, _ := archiveOf(t, src); !bytes.Equal(again, data) {
		t.Error("two archives of the same tree differ")
	}

	dst := t.TempDir()
	res, err := Extract(context.Background(), bytes.NewReader(data), dst, Options{}, l, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 6 {
		t.Errorf("extracted %d files", res.Files)
	}
	want := snapshot(t, src)
	delete(want, "link")
	got := snapshot(t, dst)
	delete(want, ".")
	delete(got, ".")
	if len(got) != len(want) {
		t.Fatalf("extracted tree %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}

	// Again into the same folder: identical files are kept, nothing refused (a resume).
	res, err = Extract(context.Background(), bytes.NewReader(data), dst, Options{}, l, nil)
	if err != nil || res.Kept != 6 || res.Files != 0 {
		t.Fatalf("second extraction: %+v, %v", res, err)
	}
	// A changed file is not replaced without Overwrite, and nothing else is written.
	if err := os.WriteFile(filepath.Join(dst, "a.csv"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Extract(context.Background(), bytes.NewReader(data), dst, Options{}, l, nil)
	var ee *ExistsError
	if !errors.As(err, &ee) || !errors.Is(err, os.ErrExist) || ee.Paths[0] != "a.csv" {
		t.Fatalf("err = %v, want ExistsError for a.csv", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "a.csv")); string(b) != "mine" {
		t.Fatal("a.csv was replaced without Overwrite")
	}
	if _, err := Extract(context.Background(), bytes.NewReader(data), dst, Options{Overwrite: true}, l, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "a.csv")); string(b) != "x,y\n1,2\n" {
		t.Fatalf("a.csv = %q after Overwrite", b)
	}
}

func TestEmptyFolder(t *testing.T) {
	src := t.TempDir()
	data, l, _ := archiveOf(t, src)
	if len(l.Files) != 0 || len(l.Dirs) != 0 {
		t.Fatalf("listing of an empty folder: %+v", l)
	}
	dst := t.TempDir()
	if _, err := Extract(context.Background(), bytes.NewReader(data), dst, Options{}, l, nil); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dst); len(ents) != 0 {
		t.Fatalf("extracting an empty folder wrote %v", ents)
	}
}

func TestOnly(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, map[string]string{"a/1": "one", "a/2": "two", "b/3": "three", "c": "see"}, nil)
	data, l, _ := archiveOf(t, src)
	dst := t.TempDir()
	res, err := Extract(context.Background(), bytes.NewReader(data), dst, Options{Only: []string{"a", "c"}}, l, nil)
	if err != nil || res.Files != 3 {
		t.Fatalf("res %+v, err %v", res, err)
	}
	for p, want := range map[string]bool{"a/1": true, "a/2": true, "c": true, "b/3": false} {
		_, err := os.Stat(filepath.Join(dst, p))
		if (err == nil) != want {
			t.Errorf("%s: exists=%v, want %v", p, err == nil, want)
		}
	}
	if _, err := Extract(context.Background(), bytes.NewReader(data), t.TempDir(), Options{Only: []string{"nope"}}, l, nil); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("an --only path not in the folder: err = %v", err)
	}
}

func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	src := t.TempDir()
	writeTree(t, src, map[string]string{"ok": "fine", "secret": "no"}, map[string]fs.FileMode{"secret": 0})
	_, err := Scan(context.Background(), src)
	if err == nil || !strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v, want a clear message naming the file", err)
	}
}

func TestFileGrowingWhileRead(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, map[string]string{"grow": strings.Repeat("a", 1000), "z": "z"}, nil)
	plan, err := Scan(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	// The file grows between the scan and the write, and while it is written (progress fires
	// mid-file for big files; here after the scan is enough to differ from the plan).
	f, err := os.OpenFile(filepath.Join(src, "grow"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Repeat("b", 500))
	grown := false
	var buf bytes.Buffer
	l, err := plan.Write(context.Background(), &buf, progressFunc(func(files int, _ int64) {
		if files == 1 && !grown {
			grown = true
			f.WriteString("more after it was archived")
		}
	}))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The listing matches the archive's bytes, whatever the file holds now.
	dst := t.TempDir()
	if _, err := Extract(context.Background(), bytes.NewReader(buf.Bytes()), dst, Options{}, l, nil); err != nil {
		t.Fatalf("the archive does not match its own listing: %v", err)
	}
	if l.Files[0].Size != 1500 {
		t.Errorf("listing size %d, want 1500 (the size when opened)", l.Files[0].Size)
	}
}

func TestFileShrinkingWhileRead(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, map[string]string{"a": "x", "b": strings.Repeat("b", 300<<10)}, nil)
	plan, err := Scan(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	cut := false
	_, err = plan.Write(context.Background(), &bytes.Buffer{}, progressFunc(func(files int, bytes int64) {
		if bytes > 1 && !cut {
			cut = true
			os.Truncate(filepath.Join(src, "b"), 10)
		}
	}))
	if err == nil || !strings.Contains(err.Error(), "shrank") {
		t.Fatalf("err = %v, want a file that shrank", err)
	}
}

type progressFunc func(files int, bytes int64)

func (f progressFunc) Progress(files, _ int, bytes, _ int64) { f(files, bytes) }
