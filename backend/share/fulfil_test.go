package share_test

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/index"
	"github.com/datashare/datashare/backend/seal"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/contracts"
)

// buyer is an account that asks for access through the chain package alone (no profile): a
// key, its encryption identity (registered on chain), and nothing else.
type buyer struct {
	key  *ecdsa.PrivateKey
	addr common.Address
	id   *age.X25519Identity
}

// payWorld is a local chain of its own, with buyers funded in its genesis and their keys
// registered, and clients to look at it.
type payWorld struct {
	t      testing.TB
	node   *devnet.Node
	eth    *ethclient.Client
	c      *chain.Client
	buyers []buyer
}

func newPayWorld(t testing.TB, buyers int) *payWorld {
	t.Helper()
	ctx := t.Context()
	w := &payWorld{t: t}
	var addrs []common.Address
	for range buyers {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		b := buyer{key: k, addr: crypto.PubkeyToAddress(k.PublicKey), id: id}
		w.buyers = append(w.buyers, b)
		addrs = append(addrs, b.addr)
	}
	dir := t.TempDir()
	node, err := devnet.Start(ctx, devnet.Options{DataDir: dir, Prefund: addrs})
	if err != nil {
		t.Fatal(err)
	}
	w.node = node
	t.Cleanup(func() { node.Close() })
	t.Cleanup(share.SetChainDir(dir))
	if w.eth, err = ethclient.DialContext(ctx, node.RPCURL()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.eth.Close)
	if w.c, err = chain.Dial(ctx, node.RPCURL(), devnet.ChainID, node.Contract()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.c.Close)
	dsABI := contracts.NewDataShare()
	w.parallel(len(w.buyers), func(i int) error {
		b := w.buyers[i]
		_, err := w.c.SignAndSend(ctx, b.key, chain.Tx{To: node.Contract(), Data: dsABI.PackRegisterKey(seal.PublicKeyBytes(b.id))}, chain.Estimate{}, nil)
		return err
	})
	return w
}

// in is the world seen from test t (a subtest fails itself, not its parent).
func (w *payWorld) in(t testing.TB) *payWorld {
	c := *w
	c.t = t
	return &c
}

// parallel runs f(0..n-1) at once and fails the test on the first error.
func (w *payWorld) parallel(n int, f func(i int) error) {
	w.t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		w.t.Fatal(err)
	}
}

// request pays price into escrow for dataset id from buyer b; it returns once mined.
func (w *payWorld) request(b buyer, id uint64, price *big.Int) error {
	_, err := w.c.SignAndSend(w.t.Context(), b.key, chain.Tx{To: w.node.Contract(), Data: chain.RequestAccessData(id), Value: price}, chain.Estimate{}, nil)
	if err != nil {
		return fmt.Errorf("request of %s for dataset %d: %w", b.addr.Hex(), id, err)
	}
	return nil
}

// waitGranted polls until account holds the current version of dataset id, and returns when it
// saw it.
func (w *payWorld) waitGranted(id uint64, account common.Address, within time.Duration) time.Time {
	w.t.Helper()
	deadline := time.Now().Add(within)
	for {
		acc, err := w.c.Access(w.t.Context(), id, account)
		if err != nil {
			w.t.Fatal(err)
		}
		if acc.State == chain.AccessGranted {
			return time.Now()
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s was not granted dataset %d within %s (state %d)", account.Hex(), id, within, acc.State)
		}
		time.Sleep(5 * time.Millisecond) // polling the chain with a deadline
	}
}

// waitState polls until account's access to dataset id is in state (the node's latest state
// follows a receipt by a moment).
func (w *payWorld) waitState(id uint64, account common.Address, state uint8) {
	w.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		acc, err := w.c.Access(w.t.Context(), id, account)
		if err != nil {
			w.t.Fatal(err)
		}
		if acc.State == state {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the access of %s to dataset %d stays in state %d, want %d", account.Hex(), id, acc.State, state)
		}
		time.Sleep(5 * time.Millisecond) // polling the chain with a deadline
	}
}

func (w *payWorld) nonce(a common.Address) uint64 {
	w.t.Helper()
	n, err := w.eth.PendingNonceAt(w.t.Context(), a)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *payWorld) withdrawable(a common.Address) *big.Int {
	w.t.Helper()
	v, err := w.c.Withdrawable(w.t.Context(), a)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

// invariant checks the contract's money rule: its balance is the escrows of the pending
// requests plus every withdrawable balance (of owner and buyers).
func (w *payWorld) invariant(owner common.Address, ids []uint64, others ...common.Address) {
	w.t.Helper()
	ctx := w.t.Context()
	bal, err := w.eth.BalanceAt(ctx, w.node.Contract(), nil)
	if err != nil {
		w.t.Fatal(err)
	}
	sum := w.withdrawable(owner)
	accounts := others
	for _, b := range w.buyers {
		accounts = append(accounts, b.addr)
	}
	for _, a := range accounts {
		sum.Add(sum, w.withdrawable(a))
		for _, id := range ids {
			acc, err := w.c.Access(ctx, id, a)
			if err != nil {
				w.t.Fatal(err)
			}
			sum.Add(sum, acc.Escrow)
		}
	}
	if bal.Cmp(sum) != 0 {
		w.t.Fatalf("the contract holds %s wei but escrows and withdrawable balances add up to %s", bal, sum)
	}
}

// grants counts the AccessGranted events of dataset id to account.
func (w *payWorld) grants(id uint64, account common.Address) int {
	w.t.Helper()
	evs, err := w.c.GrantedEvents(w.t.Context(), &id, &account, 0, ^uint64(0))
	if err != nil {
		w.t.Fatal(err)
	}
	return len(evs)
}

// publishSmall publishes n small datasets at price from p.
func publishSmall(t testing.TB, p *share.Service, n int, price *big.Int) []uint64 {
	t.Helper()
	dir := t.TempDir()
	var ids []uint64
	for i := range n {
		path := filepath.Join(dir, fmt.Sprintf("d%d.txt", i))
		if err := os.WriteFile(path, fmt.Appendf(nil, "dataset %d\n", i), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := p.Publish(t.Context(), path, share.PublishOptions{Price: price}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	return ids
}

var testPrice = big.NewInt(1e16) // 0.01 ETH

// TestFulfilPaid: B pays for A's dataset while A's engine runs: answered within seconds, B
// fetches the file, A's withdrawable balance is the price. B pays while A is closed: A answers
// when it opens again. A "crashes" after sending an answer and before its receipt: after the
// restart no second answer is sent and the request is answered.
func TestFulfilPaid(t *testing.T) {
	ctx := t.Context()
	top := t               // profiles reopened in subtests live until the end of the test
	w := newPayWorld(t, 1) // buyers[0] is made an operator of A, to decline behind its back
	aDir := t.TempDir()
	a := openProfile(t, aDir)
	b := openProfile(t, "")
	if _, err := b.RegisterKey(ctx); err != nil {
		t.Fatal(err)
	}
	addrs, err := a.IPFSAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.ConnectIPFS(ctx, addrs); err != nil {
		t.Fatal(err)
	}
	path, data := writeRandom(t, 150_000)
	d1, err := a.Publish(ctx, path, share.PublishOptions{Name: "paid report", Price: testPrice}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := publishSmall(t, a.Service, 5, testPrice)
	d2, d3, d4, d5, d6 := ids[0], ids[1], ids[2], ids[3], ids[4]
	var fulfilled atomic.Int32
	if err := a.StartFulfilment(share.FulfilOptions{OnEvent: func(e share.FulfilEvent) {
		if e.Kind == share.FulfilFulfilled {
			fulfilled.Add(1)
		}
	}}); err != nil {
		t.Fatal(err)
	}

	t.Run("while A runs", func(t *testing.T) {
		w := w.in(t)
		start := time.Now()
		if err := b.RequestAccessForTest(ctx, d1.ID, testPrice); err != nil {
			t.Fatal(err)
		}
		mined := time.Now()
		got := w.waitGranted(d1.ID, b.Account(), 10*time.Second)
		t.Logf("request mined after %s, key delivered %s later", mined.Sub(start).Round(time.Millisecond), got.Sub(mined).Round(time.Millisecond))
		fetchEqual(t, b.Service, d1.ID, data)
		deadline := time.Now().Add(5 * time.Second)
		for fulfilled.Load() != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("the engine reported %d answers, want 1", fulfilled.Load())
			}
			time.Sleep(10 * time.Millisecond) // polling with a deadline
		}
		if v := w.withdrawable(a.Account()); v.Cmp(testPrice) != 0 {
			t.Fatalf("A can withdraw %s wei, want %s", v, testPrice)
		}
		w.invariant(a.Account(), []uint64{d1.ID}, b.Account())
	})

	t.Run("while A is off", func(t *testing.T) {
		w := w.in(t)
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if err := b.RequestAccessForTest(ctx, d2, testPrice); err != nil {
			t.Fatal(err)
		}
		w.waitState(d2, b.Account(), chain.AccessRequested)
		a = openProfile(top, aDir)
		if err := a.StartFulfilment(share.FulfilOptions{Log: testLog(top)}); err != nil {
			t.Fatal(err)
		}
		w.waitGranted(d2, b.Account(), 15*time.Second)
		if v := w.withdrawable(a.Account()); v.Cmp(new(big.Int).Mul(testPrice, big.NewInt(2))) != 0 {
			t.Fatalf("A can withdraw %s wei, want twice %s", v, testPrice)
		}
	})

	t.Run("crash between send and receipt", func(t *testing.T) {
		w := w.in(t)
		before := w.nonce(a.Account())
		sent := make(chan error, 1)
		restore := share.SetAfterFulfilJournaled(func(raw []byte) error {
			tx := new(types.Transaction)
			err := tx.UnmarshalBinary(raw)
			if err == nil {
				err = w.eth.SendTransaction(ctx, tx) // sent, and then the process "dies"
			}
			sent <- err
			return errors.New("simulated crash after sending")
		})
		defer restore()
		if err := b.RequestAccessForTest(ctx, d3, testPrice); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-sent:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the engine sent no answer")
		}
		restore()
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		a = openProfile(top, aDir)
		rows, err := a.FulfilJournal(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var row *index.Fulfil
		for _, r := range rows {
			if r.DatasetID == d3 {
				row = r
			}
		}
		if row == nil || row.State != index.FulfilSigned || len(row.RawTx) == 0 {
			t.Fatalf("the journal does not hold the answer signed before the crash: %+v", row)
		}
		if err := a.StartFulfilment(share.FulfilOptions{}); err != nil {
			t.Fatal(err)
		}
		w.waitGranted(d3, b.Account(), 15*time.Second)
		deadline := time.Now().Add(10 * time.Second)
		for {
			rows, err := a.FulfilJournal(ctx)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rows, func(r *index.Fulfil) bool { return r.DatasetID == d3 })
			if rows[i].State == index.FulfilConfirmed {
				if rows[i].TxHash != row.TxHash {
					t.Fatalf("confirmed %s, not the transaction sent before the crash %s", rows[i].TxHash, row.TxHash)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the journal entry stays %s", rows[i].State)
			}
			time.Sleep(10 * time.Millisecond) // polling with a deadline
		}
		if after := w.nonce(a.Account()); after != before+1 {
			t.Fatalf("A sent %d transactions for one request, want 1", after-before)
		}
		if n := w.grants(d3, b.Account()); n != 1 {
			t.Fatalf("%d grants of dataset %d to B, want 1", n, d3)
		}
		if v := w.withdrawable(a.Account()); v.Cmp(new(big.Int).Mul(testPrice, big.NewInt(3))) != 0 {
			t.Fatalf("A can withdraw %s wei, want 3 × %s", v, testPrice)
		}
		w.invariant(a.Account(), []uint64{d1.ID, d2, d3}, b.Account())
	})
	t.Run("declined before the answer is mined", func(t *testing.T) {
		w := w.in(t)
		// An operator of A declines B's request between the engine's estimate and its send:
		// the answer fails on chain with NoPendingRequest, is recorded as gone, and is never
		// sent again (a later request is answered with the next and only other transaction).
		op := w.buyers[0]
		if err := a.SetOperatorForTest(ctx, op.addr); err != nil {
			t.Fatal(err)
		}
		before := w.nonce(a.Account())
		declined := make(chan error, 1)
		restore := share.SetAfterFulfilJournaled(func([]byte) error {
			_, err := w.c.SignAndSend(ctx, op.key, chain.Tx{To: w.node.Contract(), Data: chain.DeclineData(d4, b.Account())}, chain.Estimate{}, nil)
			declined <- err
			return nil
		})
		defer restore()
		if err := b.RequestAccessForTest(ctx, d4, testPrice); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-declined:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the engine sent no answer")
		}
		restore()
		deadline := time.Now().Add(15 * time.Second)
		for {
			rows, err := a.FulfilJournal(ctx)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rows, func(r *index.Fulfil) bool { return r.DatasetID == d4 })
			if i >= 0 && rows[i].State == index.FulfilGone {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the refused answer is not recorded as gone: %+v", rows)
			}
			time.Sleep(10 * time.Millisecond) // polling with a deadline
		}
		if err := b.RequestAccessForTest(ctx, d5, testPrice); err != nil {
			t.Fatal(err)
		}
		w.waitGranted(d5, b.Account(), 15*time.Second)
		if after := w.nonce(a.Account()); after != before+2 {
			t.Fatalf("A sent %d transactions, want 2 (the refused answer once, the next answer)", after-before)
		}
		if n := w.grants(d4, b.Account()); n != 0 {
			t.Fatalf("%d grants of the declined dataset", n)
		}
		w.invariant(a.Account(), append(ids, d1.ID), b.Account())
		if v := w.withdrawable(b.Account()); v.Cmp(testPrice) != 0 {
			t.Fatalf("B can withdraw %s wei after the decline, want %s", v, testPrice)
		}
	})
	t.Run("device key cannot pay", func(t *testing.T) {
		w := w.in(t)
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		a = openProfile(top, aDir)
		events := make(chan share.FulfilEvent, 100)
		if err := a.StartFulfilment(share.FulfilOptions{OnEvent: func(e share.FulfilEvent) { events <- e }}); err != nil {
			t.Fatal(err)
		}
		sink := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
		if err := a.DrainDeviceForTest(ctx, sink); err != nil {
			t.Fatal(err)
		}
		if err := b.RequestAccessForTest(ctx, d6, testPrice); err != nil {
			t.Fatal(err)
		}
		timeout := time.After(15 * time.Second)
		for {
			var e share.FulfilEvent
			select {
			case e = <-events:
			case <-timeout:
				t.Fatal("the owner was not told that the device key cannot pay")
			}
			if e.Kind != share.FulfilNeedsFunds {
				continue
			}
			want := "ethereum:" + a.Account().Hex() + "@1337?value="
			if !strings.HasPrefix(e.TopUpURI, want) || !strings.Contains(e.Message, e.TopUpURI) || e.Dataset != d6 {
				t.Fatalf("needs-funds event %+v; want a URI starting %s", e, want)
			}
			if st := a.FulfilStatus(); st.TopUpURI != e.TopUpURI || st.NeedsFund == "" {
				t.Fatalf("status %+v", st)
			}
			break
		}
		h, err := devnet.Fund(ctx, w.node.RPCURL(), a.Account(), big.NewInt(1e18))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.c.WaitReceipt(ctx, h); err != nil {
			t.Fatal(err)
		}
		w.waitGranted(d6, b.Account(), 30*time.Second)
		deadline := time.Now().Add(5 * time.Second)
		for st := a.FulfilStatus(); st.TopUpURI != "" || st.NeedsFund != "" || st.Answered != 1; st = a.FulfilStatus() {
			if time.Now().After(deadline) {
				t.Fatalf("status after the top-up %+v", st)
			}
			time.Sleep(10 * time.Millisecond) // polling with a deadline
		}
	})
}

// burstFigures are what a burst of requests measured.
type burstFigures struct {
	Requests int
	Total    time.Duration // first request sent → last key delivered
	GasMean  uint64        // gas used per fulfil
}

// burst sends one paid request from each buyer for each dataset (buyers in parallel), waits
// until all are answered and checks: one transaction of the owner per request, every journal
// entry confirmed, the owner's withdrawable balance exact and the contract's invariant.
func burst(t testing.TB, w *payWorld, a *share.Service, ids []uint64) burstFigures {
	t.Helper()
	ctx := t.Context()
	owner := a.Account()
	before := w.nonce(owner)
	owed := w.withdrawable(owner)
	start := time.Now()
	w.parallel(len(w.buyers), func(i int) error {
		for _, id := range ids {
			if err := w.request(w.buyers[i], id, testPrice); err != nil {
				return err
			}
		}
		return nil
	})
	for _, b := range w.buyers {
		for _, id := range ids {
			w.waitGranted(id, b.addr, 60*time.Second)
		}
	}
	total := time.Since(start)
	n := len(w.buyers) * len(ids)
	if sent := w.nonce(owner) - before; sent != uint64(n) {
		t.Fatalf("the owner sent %d transactions for %d requests", sent, n)
	}
	want := new(big.Int).Add(owed, new(big.Int).Mul(testPrice, big.NewInt(int64(n))))
	if got := w.withdrawable(owner); got.Cmp(want) != 0 {
		t.Fatalf("the owner can withdraw %s wei, want %s", got, want)
	}
	w.invariant(owner, ids)
	rows, err := a.FulfilJournal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var gas uint64
	confirmed := 0
	for _, r := range rows {
		if r.State == index.FulfilConfirmed {
			confirmed++
			gas += r.GasUsed
		} else if r.Error != "" {
			t.Fatalf("an answer failed on its way: %+v", r)
		}
	}
	if confirmed < n {
		// The journal is written right after the receipt; the chain may say granted first.
		deadline := time.Now().Add(10 * time.Second)
		for confirmed < n && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond) // polling with a deadline
			rows, _ = a.FulfilJournal(ctx)
			confirmed, gas = 0, 0
			for _, r := range rows {
				if r.State == index.FulfilConfirmed {
					confirmed++
					gas += r.GasUsed
				}
			}
		}
		if confirmed < n {
			t.Fatalf("%d of %d answers are confirmed in the journal", confirmed, n)
		}
	}
	return burstFigures{Requests: n, Total: total, GasMean: gas / uint64(confirmed)}
}

// TestFulfilLoad: 100 paid requests from 10 accounts against one running engine.
func TestFulfilLoad(t *testing.T) {
	w := newPayWorld(t, 10)
	a := openProfile(t, "")
	ids := publishSmall(t, a.Service, 10, testPrice)
	if err := a.StartFulfilment(share.FulfilOptions{}); err != nil {
		t.Fatal(err)
	}
	f := burst(t, w, a.Service, ids)
	t.Logf("%d requests from %d accounts answered in %s; %d gas per fulfil", f.Requests, len(w.buyers), f.Total.Round(time.Millisecond), f.GasMean)
}

// TestFulfilFree: 20 strangers ask for a free dataset: the engine sends nothing; the inbox
// lists them. Allowing one account answers it; the owner grants one and declines one by hand;
// bad input changes nothing; opting the dataset into automatic answers answers the rest.
func TestFulfilFree(t *testing.T) {
	ctx := t.Context()
	w := newPayWorld(t, 20)
	a := openProfile(t, "")
	id := publishSmall(t, a.Service, 1, nil)[0]
	var waiting atomic.Int32
	if err := a.StartFulfilment(share.FulfilOptions{OnEvent: func(e share.FulfilEvent) {
		if e.Kind == share.FulfilWaiting {
			waiting.Add(1)
		}
	}}); err != nil {
		t.Fatal(err)
	}
	before := w.nonce(a.Account())
	w.parallel(len(w.buyers), func(i int) error { return w.request(w.buyers[i], id, nil) })
	deadline := time.Now().Add(15 * time.Second)
	for waiting.Load() < int32(len(w.buyers)) {
		if time.Now().After(deadline) {
			t.Fatalf("the engine saw %d of %d free requests", waiting.Load(), len(w.buyers))
		}
		time.Sleep(10 * time.Millisecond) // polling with a deadline
	}
	if n := w.nonce(a.Account()); n != before {
		t.Fatalf("free requests made the owner send %d transactions", n-before)
	}
	if st := a.FulfilStatus(); !st.Running || st.Waiting != len(w.buyers) || st.Answered != 0 {
		t.Fatalf("status %+v", st)
	}
	inbox, err := a.Inbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != len(w.buyers) {
		t.Fatalf("inbox holds %d requests, want %d", len(inbox), len(w.buyers))
	}
	for _, r := range inbox {
		if r.Dataset != id || r.Amount != "0" || r.Auto || r.Why == "" || r.Since.IsZero() || !r.RefundableAt.After(r.Since) {
			t.Fatalf("inbox entry %+v", r)
		}
	}

	// Allow one account: it is answered automatically, and only it.
	pol, err := a.SetPolicy(ctx, id, share.PolicyAllow, []string{w.buyers[0].addr.Hex()})
	if err != nil {
		t.Fatal(err)
	}
	if pol.Mode != "allow" || len(pol.Allow) != 1 || pol.Summary == "" {
		t.Fatalf("policy %+v", pol)
	}
	w.waitGranted(id, w.buyers[0].addr, 15*time.Second)

	// By hand: grant one, decline one.
	g, err := a.GrantRequest(ctx, id, w.buyers[1].addr.Hex())
	if err != nil {
		t.Fatal(err)
	}
	if g.Answer != "granted" || g.TxHash == "" || g.Version != 1 {
		t.Fatalf("grant %+v", g)
	}
	evs, err := w.c.GrantedEvents(ctx, &id, &w.buyers[1].addr, 0, ^uint64(0))
	if err != nil || len(evs) != 1 || !evs[0].Value.Fulfilled {
		t.Fatalf("grant events %v %v", evs, err)
	}
	if _, err := seal.OpenKey(evs[0].Value.Envelope, w.buyers[1].id); err != nil {
		t.Fatalf("the buyer cannot open the key it received: %v", err)
	}
	if r, err := a.DeclineRequest(ctx, id, w.buyers[2].addr.Hex()); err != nil || r.Answer != "declined" {
		t.Fatalf("decline %+v %v", r, err)
	}
	if acc, err := w.c.Access(ctx, id, w.buyers[2].addr); err != nil || acc.State != chain.AccessNone {
		t.Fatalf("declined account's access %+v %v", acc, err)
	}

	// Bad input: nothing sent, nothing asked.
	sw := &sharingWorld{t: t, eth: w.eth}
	stranger := common.HexToAddress("0x00000000000000000000000000000000000000aa").Hex()
	sw.unchanged(a, share.CodeInvalidInput, "no pending request", func() error {
		_, err := a.GrantRequest(ctx, id, stranger)
		return err
	})
	sw.unchanged(a, share.CodeInvalidInput, "no pending request", func() error {
		_, err := a.GrantRequest(ctx, id, w.buyers[1].addr.Hex()) // answered already
		return err
	})
	sw.unchanged(a, share.CodeInvalidInput, "no pending request", func() error {
		_, err := a.DeclineRequest(ctx, id, w.buyers[2].addr.Hex()) // declined already
		return err
	})
	sw.unchanged(a, share.CodeInvalidInput, "checksum", func() error {
		_, err := a.GrantRequest(ctx, id, badChecksum(w.buyers[3].addr))
		return err
	})
	sw.unchanged(a, share.CodeNotFound, "does not exist", func() error {
		_, err := a.GrantRequest(ctx, 999, w.buyers[3].addr.Hex())
		return err
	})
	sw.unchanged(a, share.CodeInvalidInput, "not an answer policy", func() error {
		_, err := a.SetPolicy(ctx, id, "sometimes", nil)
		return err
	})
	b := openProfile(t, "")
	sw.unchanged(b, share.CodeNotOwner, "only its owner", func() error {
		_, err := b.GrantRequest(ctx, id, w.buyers[3].addr.Hex())
		return err
	})
	sw.unchanged(b, share.CodeNotOwner, "only its owner", func() error {
		_, err := b.SetPolicy(ctx, id, share.PolicyAuto, nil)
		return err
	})
	if n := w.nonce(a.Account()); n != before+3 {
		t.Fatalf("the owner sent %d transactions, want 3 (one allowed, one granted, one declined)", n-before)
	}
	for _, bu := range w.buyers[3:] {
		if acc, err := w.c.Access(ctx, id, bu.addr); err != nil || !acc.Pending() {
			t.Fatalf("%s is no longer pending: %+v %v", bu.addr.Hex(), acc, err)
		}
	}

	// Every request automatically.
	if _, err := a.SetPolicy(ctx, id, share.PolicyAuto, nil); err != nil {
		t.Fatal(err)
	}
	for _, bu := range w.buyers[3:] {
		w.waitGranted(id, bu.addr, 30*time.Second)
	}
	if inbox, err := a.Inbox(ctx); err != nil || len(inbox) != 0 {
		t.Fatalf("inbox after answering all: %v %v", inbox, err)
	}
}

// BenchmarkFulfil measures, on the local chain with the engine running: request → key
// delivered (median and p95 of 20 requests one after another), and a burst of 100 requests
// from 10 accounts (total time, gas per fulfil). Run with -benchtime=1x.
func BenchmarkFulfil(b *testing.B) {
	w := newPayWorld(b, 10)
	dir := b.TempDir()
	a := openTB(b, dir)
	single := publishSmall(b, a, 20, testPrice)
	many := publishSmall(b, a, 10, testPrice)
	if err := a.StartFulfilment(share.FulfilOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		var lat []time.Duration
		for _, id := range single {
			start := time.Now()
			if err := w.request(w.buyers[0], id, testPrice); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, w.waitGranted(id, w.buyers[0].addr, 10*time.Second).Sub(start))
		}
		slices.Sort(lat)
		f := burst(b, w, a, many)
		med, p95 := lat[len(lat)/2], lat[(len(lat)*95+99)/100-1]
		b.ReportMetric(float64(med.Milliseconds()), "ms-median")
		b.ReportMetric(float64(p95.Milliseconds()), "ms-p95")
		b.ReportMetric(f.Total.Seconds(), "s-100-requests")
		b.ReportMetric(float64(f.GasMean), "gas/fulfil")
		b.Logf("request → key delivered: median %s, p95 %s (%d requests); %d requests from %d accounts answered in %s; %d gas per fulfil",
			med.Round(time.Millisecond), p95.Round(time.Millisecond), len(lat), f.Requests, len(w.buyers), f.Total.Round(time.Millisecond), f.GasMean)
		break // the datasets are bought once: one run of the scenario
	}
}

// testLog logs to the test's log when DATASHARE_TEST_LOG is set.
func testLog(t testing.TB) *slog.Logger {
	if os.Getenv("DATASHARE_TEST_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// openTB opens a profile as open does, for benchmarks too.
func openTB(t testing.TB, dir string) *share.Service {
	t.Helper()
	s, err := share.Open(t.Context(), share.Config{DataDir: dir, LocalnetDir: share.LocalnetForTests(), NoKeyring: true, Passphrase: pass,
		Loopback: true, IPFSMode: "embedded", Confirm: (&approveAll{}).confirm})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
