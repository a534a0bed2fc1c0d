package share

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// appearing is a reader whose end creates the file at path, as another program would while a
// download runs.
type appearing struct {
	r    io.Reader
	path string
	t    *testing.T
}

func (a *appearing) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err == io.EOF {
		if werr := os.WriteFile(a.path, []byte("theirs"), 0o644); werr != nil {
			a.t.Fatal(werr)
		}
	}
	return n, err
}

// TestWriteAtomicKeepsFileThatAppeared: the final rename never replaces a file created while the
// download ran, unless overwrite.
func TestWriteAtomicKeepsFileThatAppeared(t *testing.T) {
	data := []byte("the dataset's bytes")
	sum := sha256.Sum256(data)
	m := Metadata{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	dir := t.TempDir()
	target := filepath.Join(dir, "out.bin")

	_, _, err := writeAtomic(target, &appearing{r: bytes.NewReader(data), path: target, t: t}, m, false)
	var ee *ExistsError
	if !errors.As(err, &ee) || ee.Path != target {
		t.Fatalf("writeAtomic over a file that appeared: %v; want an ExistsError", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "theirs" {
		t.Fatalf("the file that appeared was replaced: %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d files left in the directory; want only the one that appeared", len(ents))
	}

	if _, _, err := writeAtomic(target, &appearing{r: bytes.NewReader(data), path: target, t: t}, m, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); !bytes.Equal(b, data) {
		t.Fatalf("with overwrite the file holds %q", b)
	}
}

// TestLinkNoReplace is the fallback of filesystems without RENAME_NOREPLACE.
func TestLinkNoReplace(t *testing.T) {
	dir := t.TempDir()
	tmp, target := filepath.Join(dir, "tmp"), filepath.Join(dir, "target")
	os.WriteFile(tmp, []byte("new"), 0o600)
	os.WriteFile(target, []byte("old"), 0o600)
	if err := linkNoReplace(tmp, target); !errors.Is(err, errExists) {
		t.Fatalf("linkNoReplace over a file = %v", err)
	}
	os.Remove(target)
	if err := linkNoReplace(tmp, target); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Fatalf("target holds %q", b)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the temporary file is still there")
	}
}
