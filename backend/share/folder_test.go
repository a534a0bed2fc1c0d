package share_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/internal/testreal"
)

// makeTree writes n small files in nested folders, a few larger ones, an executable, a
// read-only file and an empty folder; it returns the tree's root.
func makeTree(t testing.TB, n int, large []int64) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "survey")
	for i := range n {
		p := filepath.Join(root, fmt.Sprintf("part%02d", i%20), fmt.Sprintf("sub%d", i%3), fmt.Sprintf("row%05d.csv", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, fmt.Appendf(nil, "id,value\n%d,%d\n", i, i*i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, size := range large {
		b := make([]byte, size)
		rand.Read(b)
		if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("weights%d.bin", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(root, "empty"), 0o750)
	os.WriteFile(filepath.Join(root, "run.sh"), []byte("#!/bin/sh\necho ok\n"), 0o755)
	os.WriteFile(filepath.Join(root, "README"), []byte("read me"), 0o444)
	os.Chmod(filepath.Join(root, "README"), 0o444)
	os.Symlink("README", filepath.Join(root, "link-to-readme"))
	return root
}

// treeOf maps each path under root (symlinks left out) to its mode and content hash.
func treeOf(t testing.TB, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		info, _ := d.Info()
		if info.Mode()&fs.ModeSymlink != 0 || rel == "." {
			return nil
		}
		v := info.Mode().String()
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			v += fmt.Sprintf(" %x", b)
		}
		out[rel] = v
		return nil
	})
	return out
}

func sameTree(t testing.TB, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("the fetched tree has %d entries, the published one %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s differs: got %.60q, want %.60q", k, got[k], v)
		}
	}
}

// TestFolderDataset: A publishes a folder (2,000 small files, a few MiB, modes, an empty
// folder, a symlink skipped) privately and shares it with B on one local chain; B lists its
// files and fetches the tree byte for byte with modes, a part of it with Only, never replacing
// a changed file without Overwrite; the payload opens with age piped into tar.
func TestFolderDataset(t *testing.T) {
	ctx := t.Context()
	chainDir := t.TempDir()
	node, err := devnet.Start(ctx, devnet.Options{DataDir: chainDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { node.Close() })
	t.Cleanup(share.SetChainDir(chainDir))
	a, b := openProfile(t, ""), openProfile(t, "")

	root := makeTree(t, 2000, []int64{3 << 20, 1 << 20})
	want := treeOf(t, root)
	ds, err := a.Publish(ctx, root, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Name != "survey" || ds.MediaType != share.FolderMediaType {
		t.Fatalf("published %+v", ds)
	}
	if _, err := b.RegisterKey(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Share(ctx, ds.ID, []string{b.Account().Hex()}); err != nil {
		t.Fatal(err)
	}

	files, err := b.Files(ctx, ds.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2004 {
		t.Fatalf("the file list has %d files, want 2004", len(files))
	}
	for _, f := range files {
		if f.Path == "part00/sub0/row00000.csv" && (f.Size != 13 || f.MediaType != "text/csv; charset=utf-8" && f.MediaType != "text/csv") {
			t.Fatalf("listing entry %+v", f)
		}
	}

	out := filepath.Join(t.TempDir(), "got")
	res, err := b.Fetch(ctx, ds.ID, out, share.FetchOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 2004 || res.Path != out {
		t.Fatalf("fetch result %+v", res)
	}
	sameTree(t, treeOf(t, out), want)

	t.Run("only", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "part")
		res, err := b.Fetch(ctx, ds.ID, dir, share.FetchOptions{Only: []string{"part03", "run.sh"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Files != 101 {
			t.Fatalf("extracted %d files, want 101", res.Files)
		}
		if _, err := os.Stat(filepath.Join(dir, "part04")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("part04 was extracted too: %v", err)
		}
		_, err = b.Fetch(ctx, ds.ID, dir, share.FetchOptions{Only: []string{"nothing-here"}}, nil)
		if share.Code(err) != "invalid_input" || !strings.Contains(err.Error(), "nothing-here") {
			t.Fatalf("an --only path not in the folder: %v (code %s)", err, share.Code(err))
		}
	})

	t.Run("no replace", func(t *testing.T) {
		p := filepath.Join(out, "part00", "sub0", "row00000.csv")
		os.WriteFile(p, []byte("edited"), 0o644)
		_, err := b.Fetch(ctx, ds.ID, out, share.FetchOptions{}, nil)
		if !errors.Is(err, os.ErrExist) {
			t.Fatalf("err = %v, want exists", err)
		}
		if got, _ := os.ReadFile(p); string(got) != "edited" {
			t.Fatal("a changed file was replaced without Overwrite")
		}
		if _, err := b.Fetch(ctx, ds.ID, out, share.FetchOptions{Overwrite: true}, nil); err != nil {
			t.Fatal(err)
		}
		sameTree(t, treeOf(t, out), want)
	})

	t.Run("age and tar", func(t *testing.T) {
		agePath := testreal.NeedCommand(t, "age", "Debian package age")
		tarPath := testreal.NeedCommand(t, "tar", "Debian package tar")
		secret, payload, err := b.DatasetKeyForTest(ctx, ds.ID)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		keyFile := filepath.Join(dir, "key.txt")
		if err := os.WriteFile(keyFile, []byte(secret+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		into := filepath.Join(dir, "x")
		os.Mkdir(into, 0o755)
		dec := exec.CommandContext(ctx, agePath, "-d", "-i", keyFile)
		dec.Stdin = bytes.NewReader(payload)
		untar := exec.CommandContext(ctx, tarPath, "-x", "-p", "-C", into)
		untar.Stdin, _ = dec.StdoutPipe()
		var stderr bytes.Buffer
		dec.Stderr, untar.Stderr = &stderr, &stderr
		if err := untar.Start(); err != nil {
			t.Fatal(err)
		}
		if err := dec.Run(); err != nil {
			t.Fatalf("age -d: %v: %s", err, stderr.String())
		}
		if err := untar.Wait(); err != nil {
			t.Fatalf("tar -x: %v: %s", err, stderr.String())
		}
		sameTree(t, treeOf(t, into), want)
	})
}

// TestFolderUnreadable: a folder with a file that cannot be read is refused before anything is
// published, naming the file.
func TestFolderUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	root := makeTree(t, 3, nil)
	secret := filepath.Join(root, "part00", "secret.csv")
	os.WriteFile(secret, []byte("x"), 0)
	_, err := share.CheckPublish(root, share.PublishOptions{})
	if share.Code(err) != "invalid_input" || !strings.Contains(err.Error(), "secret.csv") || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v (code %s)", err, share.Code(err))
	}
}

// TestFilesBeforeBuying: a buyer lists the files of a public folder dataset before it has access
// (its metadata and file list are plain; only the payload is encrypted); a private one's stay
// refused with ErrNoAccess.
func TestFilesBeforeBuying(t *testing.T) {
	ctx := t.Context()
	chainDir := t.TempDir()
	node, err := devnet.Start(ctx, devnet.Options{DataDir: chainDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { node.Close() })
	t.Cleanup(share.SetChainDir(chainDir))
	a, b := openProfile(t, ""), openProfile(t, "")

	root := makeTree(t, 40, []int64{20_000})
	pub, err := a.Publish(ctx, root, share.PublishOptions{Name: "survey for sale", Price: ether("0.001"), Public: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := a.Publish(ctx, root, share.PublishOptions{Name: "survey kept"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := a.Files(ctx, pub.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Files(ctx, pub.ID, 0)
	if err != nil {
		t.Fatalf("files of a public dataset before buying: %v", err)
	}
	if len(got) != 43 || !slices.Equal(got, want) {
		t.Fatalf("buyer sees %d files, owner %d (first %+v)", len(got), len(want), got[:min(len(got), 1)])
	}
	if _, err := b.Files(ctx, priv.ID, 0); !errors.Is(err, share.ErrNoAccess) {
		t.Fatalf("files of a private dataset without access = %v, want ErrNoAccess", err)
	}
	if _, err := b.Files(ctx, pub.ID, 2); !errors.Is(err, share.ErrNotFound) {
		t.Fatalf("files of a version that does not exist = %v", err)
	}
}
