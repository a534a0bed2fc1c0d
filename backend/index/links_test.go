package index

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestLinks: links survive a reopen and a rebuild of the cache (ClearDatasets), are listed per
// dataset oldest first, and are replaced and deleted by dataset and account.
func TestLinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	d := open(t, path)
	ctx := t.Context()
	t0 := time.Now().Truncate(time.Millisecond)
	put := func(l Link) {
		t.Helper()
		if err := d.PutLink(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	put(Link{DatasetID: 1, Account: "0xB", Label: "second", Sealed: []byte("s2"), CreatedAt: t0.Add(time.Second)})
	put(Link{DatasetID: 1, Account: "0xA", Label: "first", Sealed: []byte("s1"), CreatedAt: t0})
	put(Link{DatasetID: 2, Account: "0xA", Sealed: []byte("s3"), CreatedAt: t0})
	put(Link{DatasetID: 1, Account: "0xB", Label: "second", Sealed: []byte("s2"), Version: 3, TxHash: "0xt", CreatedAt: t0.Add(time.Second)})
	if err := d.ClearDatasets(ctx); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d = open(t, path)

	ls, err := d.Links(ctx, 1)
	if err != nil || len(ls) != 2 || ls[0].Account != "0xA" || ls[1].Account != "0xB" {
		t.Fatalf("Links(1) = %+v, %v", ls, err)
	}
	if b := ls[1]; b.Version != 3 || b.TxHash != "0xt" || !bytes.Equal(b.Sealed, []byte("s2")) || !b.CreatedAt.Equal(t0.Add(time.Second)) || b.Label != "second" {
		t.Fatalf("replaced link = %+v", b)
	}
	if l, err := d.LinkOf(ctx, 2, "0xA"); err != nil || !bytes.Equal(l.Sealed, []byte("s3")) {
		t.Fatalf("LinkOf(2, 0xA) = %+v, %v", l, err)
	}
	if _, err := d.LinkOf(ctx, 2, "0xB"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LinkOf of no link = %v", err)
	}
	if err := d.DeleteLink(ctx, 1, "0xA"); err != nil {
		t.Fatal(err)
	}
	if ls, _ := d.Links(ctx, 1); len(ls) != 1 || ls[0].Account != "0xB" {
		t.Fatalf("after delete Links(1) = %+v", ls)
	}
	if ls, _ := d.Links(ctx, 3); len(ls) != 0 {
		t.Fatalf("Links(3) = %+v", ls)
	}
}
