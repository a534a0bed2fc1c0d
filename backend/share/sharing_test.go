package share_test

import (
	"errors"
	"math/big"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/share"
)

// profile is one user of the sharing test: a Service and what it was asked to approve.
type profile struct {
	*share.Service
	approvals *approveAll
	dir       string
}

// sharingWorld is several profiles on one local chain, and a client to look at the chain.
type sharingWorld struct {
	t   *testing.T
	eth *ethclient.Client
}

func openProfile(t *testing.T, dir string) *profile {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	a := &approveAll{}
	return &profile{Service: open(t, share.Config{DataDir: dir, Confirm: a.confirm}), approvals: a, dir: dir}
}

// unchanged runs f, expects it to fail with code, and checks that it sent nothing: the
// account's nonce, the chain head and the approvals asked are the same after it.
func (w *sharingWorld) unchanged(p *profile, code string, contains string, f func() error) {
	w.t.Helper()
	ctx := w.t.Context()
	nonce, err := w.eth.PendingNonceAt(ctx, p.Account())
	if err != nil {
		w.t.Fatal(err)
	}
	head, err := w.eth.BlockNumber(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	asked := p.approvals.n.Load()
	jobs, err := p.Jobs(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	err = f()
	if err == nil {
		w.t.Fatalf("no error; want code %s", code)
	}
	if got := share.Code(err); got != code {
		w.t.Fatalf("code %s (%v); want %s", got, err, code)
	}
	if !strings.Contains(err.Error(), contains) {
		w.t.Fatalf("message %q does not say %q", err, contains)
	}
	nonce2, _ := w.eth.PendingNonceAt(ctx, p.Account())
	head2, _ := w.eth.BlockNumber(ctx)
	jobs2, _ := p.Jobs(ctx)
	if nonce2 != nonce || p.approvals.n.Load() != asked || len(jobs2) != len(jobs) {
		w.t.Fatalf("a refused call changed something: nonce %d→%d, approvals %d→%d, jobs %d→%d",
			nonce, nonce2, asked, p.approvals.n.Load(), len(jobs), len(jobs2))
	}
	// Blocks may appear meanwhile (the local chain shows a block as its head a moment after its
	// receipts, and other profiles share the chain); none may hold a transaction this call made:
	// one from the account with a nonce it had not used, or one paying the account (funding).
	signer := types.LatestSignerForChainID(big.NewInt(devnet.ChainID))
	for n := head + 1; n <= head2; n++ {
		b, err := w.eth.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			w.t.Fatal(err)
		}
		for _, tx := range b.Transactions() {
			from, err := types.Sender(signer, tx)
			if err != nil {
				w.t.Fatal(err)
			}
			if (from == p.Account() && tx.Nonce() >= nonce) || (tx.To() != nil && *tx.To() == p.Account()) {
				w.t.Fatalf("a refused call sent transaction %s (block %d)", tx.Hash().Hex(), n)
			}
		}
	}
}

// badChecksum flips the case of one letter of a checksummed address.
func badChecksum(a common.Address) string {
	h := []byte(a.Hex())
	for i := 2; i < len(h); i++ {
		switch {
		case h[i] >= 'a' && h[i] <= 'f':
			h[i] -= 'a' - 'A'
			return string(h)
		case h[i] >= 'A' && h[i] <= 'F':
			h[i] += 'a' - 'A'
			return string(h)
		}
	}
	panic("an address without letters")
}

func grantsOf(evs []share.Event, account common.Address) []uint64 {
	var vs []uint64
	for _, e := range evs {
		if e.Kind == "granted" && e.Account == account.Hex() {
			vs = append(vs, e.Version)
		}
	}
	return vs
}

// TestSharing: A publishes; B and C register keys; A shares with both; they list and fetch it;
// D, with no grant, cannot; A updates and B and C get version 2 without asking; A revokes C and
// updates again: C gets no key of version 3, B does. Every bad input is refused with its code
// and changes nothing. An update stopped after its transaction is re-granted once on resume.
func TestSharing(t *testing.T) {
	ctx := t.Context()
	chainDir := t.TempDir()
	node, err := devnet.Start(ctx, devnet.Options{DataDir: chainDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { node.Close() })
	t.Cleanup(share.SetChainDir(chainDir))
	eth, err := ethclient.DialContext(ctx, node.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eth.Close)
	w := &sharingWorld{t: t, eth: eth}

	// No profile is told where another's IPFS node is: they find each other through the
	// local chain's directory.
	a, b, c, d := openProfile(t, ""), openProfile(t, ""), openProfile(t, ""), openProfile(t, "")
	path1, data1 := writeRandom(t, 200_000)
	ds, err := a.Publish(ctx, path1, share.PublishOptions{Name: "report"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := ds.ID

	t.Run("register keys", func(t *testing.T) {
		st, err := d.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Key.Registered || st.Key.Matches || !strings.Contains(st.Key.Message, "datashare keys register") {
			t.Fatalf("D's key status before registering = %+v", st.Key)
		}
		for _, p := range []*profile{b, c} {
			ks, err := p.RegisterKey(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ks.Registered || !ks.Matches || ks.Message != "" {
				t.Fatalf("after RegisterKey: %+v", ks)
			}
			n := p.approvals.n.Load()
			if sum := p.approvals.last.Load(); sum.Action != "Register encryption key" || !strings.Contains(sum.Note, "register your encryption key") {
				t.Fatalf("register summary = %+v", sum)
			}
			if _, err := p.RegisterKey(ctx); err != nil || p.approvals.n.Load() != n {
				t.Fatalf("registering again asked %d more approvals (%v): it should do nothing", p.approvals.n.Load()-n, err)
			}
		}
	})

	t.Run("bad input changes nothing", func(t *testing.T) {
		w.unchanged(a, share.CodeInvalidInput, "not an Ethereum address", func() error {
			_, err := a.Share(ctx, id, []string{"0x1234"})
			return err
		})
		w.unchanged(a, share.CodeInvalidInput, "checksum", func() error {
			_, err := a.Share(ctx, id, []string{badChecksum(b.Account())})
			return err
		})
		w.unchanged(a, share.CodeInvalidInput, "at least one account", func() error {
			_, err := a.Share(ctx, id, nil)
			return err
		})
		w.unchanged(a, share.CodeInvalidInput, "owns dataset", func() error {
			_, err := a.Share(ctx, id, []string{a.Account().Hex()})
			return err
		})
		w.unchanged(a, share.CodeNoRecipientKey, "has no DataShare encryption key", func() error {
			_, err := a.Share(ctx, id, []string{b.Account().Hex(), d.Account().Hex()})
			return err
		})
		w.unchanged(a, share.CodeNotFound, "does not exist", func() error {
			_, err := a.Share(ctx, 999, []string{b.Account().Hex()})
			return err
		})
		w.unchanged(b, share.CodeNotOwner, "only its owner", func() error {
			_, err := b.Share(ctx, id, []string{c.Account().Hex()})
			return err
		})
		w.unchanged(a, share.CodeInvalidInput, "nothing to revoke", func() error {
			_, err := a.Revoke(ctx, id, b.Account().Hex())
			return err
		})
		path, _ := writeRandom(t, 1000)
		w.unchanged(b, share.CodeNotOwner, "only its owner", func() error {
			_, err := b.Update(ctx, id, path, nil)
			return err
		})
		if acc, err := a.Access(ctx, id); err != nil || len(acc.Grantees)+len(acc.Requests)+len(acc.Revoked) != 0 {
			t.Fatalf("access after refused calls = %+v, %v", acc, err)
		}
	})

	t.Run("share with two", func(t *testing.T) {
		lower := strings.ToLower(b.Account().Hex())
		res, err := a.Share(ctx, id, []string{b.Account().Hex(), c.Account().Hex(), lower})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{b.Account().Hex(), c.Account().Hex()}
		if !slices.Equal(res.Grantees, want) || res.Version != 1 || len(res.TxHashes) != 1 {
			t.Fatalf("Share = %+v; want grantees %v at version 1", res, want)
		}
		sum := a.approvals.last.Load()
		if n := a.approvals.n.Load(); sum.Action != "Share dataset" || !strings.Contains(sum.Dataset, "report") || sum.Version != 1 || !slices.Equal(sum.Grantees, want) || n != 2 {
			t.Fatalf("%d approvals (publish, then one share); share summary = %+v", n, sum)
		}
		w.unchanged(a, share.CodeInvalidInput, "holds version 1", func() error {
			_, err := a.Share(ctx, id, []string{b.Account().Hex()})
			return err
		})
		acc, err := a.Access(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(acc.Grantees) != 2 || !acc.Grantees[0].Current || acc.Grantees[0].Version != 1 || acc.Grantees[0].Since.IsZero() {
			t.Fatalf("Access = %+v", acc)
		}
	})

	t.Run("grantees list and fetch", func(t *testing.T) {
		list, err := b.Shared(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != id || list[0].Name != "report" || list[0].Version != 1 ||
			list[0].Owner != a.Account().Hex() || list[0].Size != int64(len(data1)) || list[0].Grantee != b.Account().Hex() {
			t.Fatalf("B's Shared = %+v", list)
		}
		fetchEqual(t, b.Service, id, data1)
		fetchEqual(t, c.Service, id, data1)
		_, err = d.Fetch(ctx, id, filepath.Join(t.TempDir(), "x"), share.FetchOptions{}, nil)
		if share.Code(err) != share.CodeNoAccess {
			t.Fatalf("D's fetch: %v (code %s); want no access", err, share.Code(err))
		}
		if list, err := d.Shared(ctx); err != nil || len(list) != 0 {
			t.Fatalf("D's Shared = %+v, %v", list, err)
		}
	})

	path2, data2 := writeRandom(t, 150_000)
	t.Run("update re-grants", func(t *testing.T) {
		up, err := a.Update(ctx, id, path2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 || up.ID != id || up.Name != "report" {
			t.Fatalf("Update = %+v", up)
		}
		fetchEqual(t, b.Service, id, data2)
		fetchEqual(t, c.Service, id, data2)
		// The owner and a grantee can still fetch version 1.
		r, err := b.Fetch(ctx, id, filepath.Join(t.TempDir(), "v1"), share.FetchOptions{Version: 1}, nil)
		if err != nil || r.Size != int64(len(data1)) {
			t.Fatalf("B's fetch of version 1 = %+v, %v", r, err)
		}
		fetchEqual(t, a.Service, id, data2)
	})

	path3, data3 := writeRandom(t, 120_000)
	t.Run("revoke then update", func(t *testing.T) {
		rv, err := a.Revoke(ctx, id, c.Account().Hex())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rv.Note, "cannot be taken back") || !strings.Contains(rv.Note, "datashare update") {
			t.Fatalf("Revoke note = %q", rv.Note)
		}
		w.unchanged(a, share.CodeInvalidInput, "revoked", func() error {
			_, err := a.Revoke(ctx, id, c.Account().Hex())
			return err
		})
		if _, err := a.Update(ctx, id, path3, nil); err != nil {
			t.Fatal(err)
		}
		hist, err := a.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := grantsOf(hist, c.Account()); !slices.Equal(got, []uint64{1, 2}) {
			t.Fatalf("C's grants = %v; want versions 1 and 2 only", got)
		}
		if got := grantsOf(hist, b.Account()); !slices.Equal(got, []uint64{1, 2, 3}) {
			t.Fatalf("B's grants = %v; want 1, 2, 3", got)
		}
		fetchEqual(t, b.Service, id, data3)
		_, err = c.Fetch(ctx, id, filepath.Join(t.TempDir(), "v3"), share.FetchOptions{Version: 3}, nil)
		if share.Code(err) != share.CodeNoAccess {
			t.Fatalf("C's fetch of version 3: %v; want no access", err)
		}
		// What C received before it was revoked stays readable: that is the honest limit.
		fetchEqual(t, c.Service, id, data2)
		acc, err := a.Access(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(acc.Grantees) != 1 || acc.Grantees[0].Account != b.Account().Hex() || acc.Grantees[0].Version != 3 ||
			len(acc.Revoked) != 1 || acc.Revoked[0].Account != c.Account().Hex() || acc.Revoked[0].Version != 2 {
			t.Fatalf("Access after revoke = %+v", acc)
		}
		var kinds []string
		for _, e := range hist {
			if e.Time.IsZero() || e.TxHash == "" {
				t.Fatalf("event without time or transaction: %+v", e)
			}
			kinds = append(kinds, e.Kind)
		}
		want := []string{"published", "granted", "granted", "updated", "granted", "granted", "revoked", "updated", "granted"}
		if !slices.Equal(kinds, want) {
			t.Fatalf("history kinds = %v; want %v", kinds, want)
		}
	})

	t.Run("stopped update resumes its re-grant once", func(t *testing.T) {
		path4, data4 := writeRandom(t, 90_000)
		errStop := errors.New("stopped after the update transaction")
		restore := share.SetAfterUpdate(func() error { return errStop })
		_, err := a.Update(ctx, id, path4, nil)
		restore()
		if !errors.Is(err, errStop) {
			t.Fatalf("update with a stop: %v", err)
		}
		jobs, err := a.Jobs(ctx)
		if err != nil || len(jobs) != 1 || jobs[0].Stage != "updated" || jobs[0].Version != 4 {
			t.Fatalf("jobs after the stop = %+v, %v", jobs, err)
		}
		_, err = b.Fetch(ctx, id, filepath.Join(t.TempDir(), "v4"), share.FetchOptions{Version: 4}, nil)
		if share.Code(err) != share.CodeNoAccess {
			t.Fatalf("B's fetch of version 4 before the re-grant: %v", err)
		}
		w.unchanged(a, share.CodeOnChain, "resume", func() error { return a.DiscardJob(ctx, jobs[0].JobID) })

		a.Close()
		a2 := openProfile(t, a.dir)
		out, err := a2.Resume(ctx, nil)
		if err != nil || len(out) != 1 || out[0].Err != nil || out[0].Job.Version != 4 {
			t.Fatalf("Resume = %+v, %v", out, err)
		}
		if again, err := a2.Resume(ctx, nil); err != nil || len(again) != 0 {
			t.Fatalf("second Resume = %+v, %v", again, err)
		}
		fetchEqual(t, b.Service, id, data4) // from A's node as reopened: B finds it again by itself
		hist, err := a2.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := grantsOf(hist, b.Account()); !slices.Equal(got, []uint64{1, 2, 3, 4}) {
			t.Fatalf("B's grants = %v; want each version once", got)
		}
		if got := grantsOf(hist, c.Account()); !slices.Equal(got, []uint64{1, 2}) {
			t.Fatalf("C's grants = %v", got)
		}
		updates := 0
		for _, e := range hist {
			if e.Kind == "updated" {
				updates++
			}
		}
		if updates != 3 {
			t.Fatalf("%d updates on chain; want 3 (the resumed one sent once)", updates)
		}
		list, err := b.Shared(ctx)
		if err != nil || len(list) != 1 || list[0].Version != 4 || list[0].Size != int64(len(data4)) {
			t.Fatalf("B's Shared after version 4 = %+v, %v", list, err)
		}
		own, err := a2.List(ctx)
		if err != nil || len(own) != 1 || own[0].Version != 4 {
			t.Fatalf("A's List = %+v, %v", own, err)
		}
	})
}
