package index

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

// TestFulfils: the journal of answers survives a reopen and a rebuild of the cache, names each
// request by dataset, requester and request transaction, and lists entries by state.
func TestFulfils(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	d := open(t, path)
	ctx := t.Context()
	a := &Fulfil{DatasetID: 1, Requester: "0xA", RequestTx: "0xr1", Amount: "10", State: FulfilSigned, TxHash: "0xt1", RawTx: []byte{1, 2}, Sender: "0xO"}
	b := &Fulfil{DatasetID: 1, Requester: "0xA", RequestTx: "0xr2", Amount: "10", State: FulfilGone, Error: "not pending"}
	for _, f := range []*Fulfil{a, b} {
		if err := d.PutFulfil(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.ClearDatasets(ctx); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d = open(t, path)
	got, err := d.FulfilOf(ctx, 1, "0xA", "0xr1")
	if err != nil || got.State != FulfilSigned || !bytes.Equal(got.RawTx, []byte{1, 2}) || got.TxHash != "0xt1" || got.Sender != "0xO" || got.CreatedAt.IsZero() {
		t.Fatalf("FulfilOf = %+v, %v", got, err)
	}
	if _, err := d.FulfilOf(ctx, 1, "0xA", "0xr3"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown request: %v", err)
	}
	got.State, got.Block, got.GasUsed = FulfilConfirmed, 7, 49000
	if err := d.PutFulfil(ctx, got); err != nil {
		t.Fatal(err)
	}
	signed, err := d.Fulfils(ctx, FulfilSigned)
	if err != nil || len(signed) != 0 {
		t.Fatalf("signed after confirming = %+v, %v", signed, err)
	}
	all, err := d.Fulfils(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("all = %+v, %v", all, err)
	}
	states := []FulfilState{all[0].State, all[1].State}
	slices.Sort(states)
	if !slices.Equal(states, []FulfilState{FulfilConfirmed, FulfilGone}) {
		t.Fatalf("states %v", states)
	}
}

// TestPolicies: a policy is kept per dataset with its accounts; the default removes it.
func TestPolicies(t *testing.T) {
	d := open(t, filepath.Join(t.TempDir(), "index.db"))
	ctx := t.Context()
	if p, err := d.PolicyOf(ctx, 1); err != nil || p.Mode != PolicyDefault || p.Allow != nil {
		t.Fatalf("unset policy = %+v, %v", p, err)
	}
	if err := d.PutPolicy(ctx, Policy{DatasetID: 1, Mode: PolicyAllow, Allow: []string{"0xA", "0xB"}}); err != nil {
		t.Fatal(err)
	}
	if p, err := d.PolicyOf(ctx, 1); err != nil || p.Mode != PolicyAllow || !slices.Equal(p.Allow, []string{"0xA", "0xB"}) || p.UpdatedAt.IsZero() {
		t.Fatalf("allow policy = %+v, %v", p, err)
	}
	if p, err := d.PolicyOf(ctx, 2); err != nil || p.Mode != PolicyDefault {
		t.Fatalf("another dataset's policy = %+v, %v", p, err)
	}
	if err := d.PutPolicy(ctx, Policy{DatasetID: 1, Mode: PolicyDefault}); err != nil {
		t.Fatal(err)
	}
	if p, err := d.PolicyOf(ctx, 1); err != nil || p.Mode != PolicyDefault || p.Allow != nil {
		t.Fatalf("policy after the default = %+v, %v", p, err)
	}
}
