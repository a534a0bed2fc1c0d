package index

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestCatalog: only public entries are listed, newest first; search matches name, description
// and tags in any ASCII case, and takes % and _ literally; unread entries come fewest tries
// first; ClearCatalog empties it.
func TestCatalog(t *testing.T) {
	d := open(t, filepath.Join(t.TempDir(), "index.db"))
	ctx := t.Context()
	es := []CatalogEntry{
		{ID: 1, Owner: "0xA", Version: 1, MetadataCID: "m1", Price: "0", Visibility: VisibilityPublic, Name: "Rain 100%", Description: "daily", Tags: []string{"weather", "eu"}, Size: 10},
		{ID: 2, Owner: "0xA", Version: 1, MetadataCID: "m2", Price: "5", Visibility: VisibilityPrivate, Size: -1},
		{ID: 3, Owner: "0xB", Version: 2, MetadataCID: "m3", Price: "7", Visibility: VisibilityPublic, Name: "wind_speed", Description: "hourly rain gauge", Size: 20},
		{ID: 4, Owner: "0xB", Version: 1, MetadataCID: "m4", Price: "1", Tries: 2, Size: -1},
		{ID: 5, Owner: "0xC", Version: 1, MetadataCID: "m5", Price: "1", Size: -1},
	}
	if err := d.PutCatalog(ctx, es); err != nil {
		t.Fatal(err)
	}
	ids := func(search string) []uint64 {
		t.Helper()
		rows, err := d.PublicCatalog(ctx, search)
		if err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	for search, want := range map[string][]uint64{
		"": {3, 1}, "RAIN": {3, 1}, "WEATHER": {1}, "100%": {1}, "%": {1}, "_": {3}, "d_ily": nil, "private": nil,
	} {
		if got := ids(search); !slices.Equal(got, want) {
			t.Errorf("search %q = %v; want %v", search, got, want)
		}
	}
	rows, err := d.CatalogByID(ctx, []uint64{1})
	if err != nil || len(rows) != 1 || !slices.Equal(rows[0].Tags, []string{"weather", "eu"}) || rows[0].Price != "0" {
		t.Fatalf("CatalogByID(1) = %+v, %v", rows, err)
	}
	unread, err := d.CatalogUnread(ctx, 10)
	if err != nil || len(unread) != 2 || unread[0].ID != 5 || unread[1].ID != 4 {
		t.Fatalf("CatalogUnread = %+v, %v", unread, err)
	}
	if err := d.ClearCatalog(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ids(""); len(got) != 0 {
		t.Fatalf("after ClearCatalog: %v", got)
	}
}
