package share_test

import (
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/share"
)

// waitUntil polls cond every 20 ms until it holds, failing after bound.
func waitUntil(t *testing.T, bound time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	t0 := time.Now()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Since(t0) > bound {
			t.Fatalf("%s: not within %v", what, bound)
		}
		<-tick.C
	}
	return time.Since(t0)
}

// TestLocalChainSharedByProfiles: two profiles on one computer use one local chain: B sees what
// A publishes. When A, which runs the chain, exits while B uses it, B takes over: no block or
// confirmed transaction is lost, B keeps working, and A, restarted, joins B's chain.
func TestLocalChainSharedByProfiles(t *testing.T) {
	localnet := t.TempDir()
	a := open(t, share.Config{LocalnetDir: localnet})
	b := open(t, share.Config{LocalnetDir: localnet})
	na, nb := a.Network(), b.Network()
	if na.RPCURL != nb.RPCURL || na.Contract != nb.Contract {
		t.Fatalf("A uses %s %s, B %s %s: not one chain", na.RPCURL, na.Contract, nb.RPCURL, nb.Contract)
	}
	if !a.RunsLocalChain() || b.RunsLocalChain() {
		t.Fatalf("A runs the chain: %v, B: %v; want true, false", a.RunsLocalChain(), b.RunsLocalChain())
	}
	if a.Account() == b.Account() {
		t.Fatal("two profiles with one account")
	}
	st, err := b.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if bal, _ := new(big.Int).SetString(st.Balance, 10); bal == nil || bal.Sign() <= 0 {
		t.Fatalf("B's device key was not funded on joining: balance %q", st.Balance)
	}

	path, _ := writeRandom(t, 2000)
	d, err := a.Publish(t.Context(), path, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if owner, err := b.DatasetOwner(t.Context(), d.ID); err != nil || owner != a.Account() {
		t.Fatalf("B reads dataset %d's owner as %s (%v), want A's %s", d.ID, owner, err, a.Account())
	}
	if _, err := b.Fetch(t.Context(), d.ID, filepath.Join(t.TempDir(), "out"), share.FetchOptions{}, nil); share.Code(err) != share.CodeNoAccess {
		t.Fatalf("B fetching A's private dataset: code %q (%v), want no_access (the dataset exists, B has no key)", share.Code(err), err)
	}
	before, err := b.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	// A, the runner, exits while B uses the chain.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	took := waitUntil(t, 30*time.Second, "B takes over the local chain", b.RunsLocalChain)
	if owner, err := b.DatasetOwner(t.Context(), d.ID); err != nil || owner != a.Account() {
		t.Fatalf("after the takeover, dataset %d's owner is %s (%v): A's publish was lost", d.ID, owner, err)
	}
	path2, data2 := writeRandom(t, 3000)
	d2, err := b.Publish(t.Context(), path2, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatalf("B publishing after the takeover: %v", err)
	}
	after, err := b.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if after.Block <= before.Block || after.Contract != before.Contract || after.RPCURL != before.RPCURL {
		t.Fatalf("before the takeover block %d %s %s, after %d %s %s", before.Block, before.Contract, before.RPCURL, after.Block, after.Contract, after.RPCURL)
	}
	fetchEqual(t, b, d2.ID, data2)

	// A again: it joins the chain B runs now and still finds its dataset.
	a = open(t, share.Config{DataDir: a.DataDir(), LocalnetDir: localnet})
	if a.RunsLocalChain() {
		t.Fatal("A, restarted, runs a second chain")
	}
	list, err := a.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != d.ID || list[0].Status != "published" {
		t.Fatalf("A's list after the restart = %+v", list)
	}
	t.Logf("B took over %v after A closed", took)
}

// TestLegacyChainAdopted: a profile that ran a chain of its own (in its data directory, as
// before profiles shared one) hands it over to the shared directory when there is none yet,
// and its dataset stays visible; a second such profile, once the shared chain exists, keeps its
// own chain untouched and Status names it.
func TestLegacyChainAdopted(t *testing.T) {
	localnet := filepath.Join(t.TempDir(), "localnet")
	// legacyProfile publishes on a chain kept in the profile's own "chain" directory.
	legacyProfile := func() (string, share.Dataset) {
		dir := t.TempDir()
		s := open(t, share.Config{DataDir: dir, LocalnetDir: filepath.Join(dir, "chain")})
		path, _ := writeRandom(t, 1000)
		d, err := s.Publish(t.Context(), path, share.PublishOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return dir, d
	}

	pdir, pd := legacyProfile()
	p := open(t, share.Config{DataDir: pdir, LocalnetDir: localnet})
	if _, err := os.Stat(filepath.Join(pdir, "chain")); !errors.Is(err, os.ErrNotExist) || !devnet.HasChain(localnet) {
		t.Fatalf("the profile's chain was not moved to the shared directory: %v", err)
	}
	if owner, err := p.DatasetOwner(t.Context(), pd.ID); err != nil || owner != p.Account() {
		t.Fatalf("dataset %d on the adopted chain: owner %s (%v), want %s", pd.ID, owner, err, p.Account())
	}
	st, err := p.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.LegacyChain != "" {
		t.Fatalf("Status names a legacy chain %q after adopting it", st.LegacyChain)
	}

	qdir, _ := legacyProfile()
	q := open(t, share.Config{DataDir: qdir, LocalnetDir: localnet})
	if !devnet.HasChain(filepath.Join(qdir, "chain")) {
		t.Fatal("the second profile's own chain was touched although the shared one exists")
	}
	// Both profiles published dataset 1 on their own chains: on the shared one, it is P's.
	if owner, err := q.DatasetOwner(t.Context(), pd.ID); err != nil || owner != p.Account() || q.Network().RPCURL != p.Network().RPCURL {
		t.Fatalf("the second profile is not on the shared chain: dataset %d's owner %s (%v), want %s; RPC %s, shared %s",
			pd.ID, owner, err, p.Account(), q.Network().RPCURL, p.Network().RPCURL)
	}
	st, err = q.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.LegacyChain != filepath.Join(qdir, "chain") {
		t.Fatalf("Status.LegacyChain = %q, want %q", st.LegacyChain, filepath.Join(qdir, "chain"))
	}
}
