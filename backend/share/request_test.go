package share_test

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/contracts"
)

// paidWorld is a local chain whose contract has a short refund timeout, so that a refund's
// timeout passes in real time, and a client to read balances and receipts.
func paidWorld(t *testing.T, timeout uint64) *sharingWorld {
	t.Helper()
	ctx := t.Context()
	chainDir := t.TempDir()
	node, err := devnet.Start(ctx, devnet.Options{DataDir: chainDir, RefundTimeout: timeout})
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
	return &sharingWorld{t: t, eth: eth}
}

func ether(s string) *big.Int {
	wei, err := share.ParseEther(s)
	if err != nil {
		panic(err)
	}
	return wei
}

// balance is an account's balance now.
func (w *sharingWorld) balance(a common.Address) *big.Int {
	w.t.Helper()
	b, err := w.eth.BalanceAt(w.t.Context(), a, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

// fee is what a mined transaction cost its sender in gas, from its receipt.
func (w *sharingWorld) fee(hash string) *big.Int {
	w.t.Helper()
	r, err := w.eth.TransactionReceipt(w.t.Context(), common.HexToHash(hash))
	if err != nil {
		w.t.Fatalf("receipt of %s: %v", hash, err)
	}
	return new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
}

// sub is a - b - c...
func sub(a *big.Int, bs ...*big.Int) *big.Int {
	out := new(big.Int).Set(a)
	for _, b := range bs {
		out.Sub(out, b)
	}
	return out
}

// waitFor polls cond until it holds, failing the test after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v", what, d)
		}
		<-tick.C
	}
}

// awaitStage is a Progress that closes reached when the stage is reached.
type awaitStage struct {
	stage   share.Stage
	reached chan struct{}
	once    sync.Once
}

func stageSignal(s share.Stage) *awaitStage {
	return &awaitStage{stage: s, reached: make(chan struct{})}
}

func (a *awaitStage) Stage(s share.Stage) {
	if s == a.stage {
		a.once.Do(func() { close(a.reached) })
	}
}

func (a *awaitStage) Bytes(int64, int64) {}

// wait waits until the stage is reached or the call returned (done), failing the test then.
func (a *awaitStage) wait(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case <-a.reached:
	case err := <-done:
		t.Fatalf("returned before reaching stage %s: %v", a.stage, err)
	case <-time.After(time.Minute):
		t.Fatalf("stage %s not reached after a minute", a.stage)
	}
}

// TestPaidRequest: B pays for A's public dataset; A answers with the existing grant path (the
// owner's automatic fulfilment replaces it later); B's waiting request completes with the same
// bytes; A's earnings and withdrawal, and both balances, are exact net of gas. C's request that
// nobody answers is refused a refund before the timeout (the message gives the time; the
// timeout is an hour, so the refusal cannot race it however slow the machine); a waiting request
// ends when the owner revokes, saying the escrow is withdrawable. Bad inputs change nothing.
// TestPaidRefund takes a refund after a short timeout.
func TestPaidRequest(t *testing.T) {
	const timeout = 3600 // seconds
	w := paidWorld(t, timeout)
	ctx := t.Context()
	a, b, c := openProfile(t, ""), openProfile(t, ""), openProfile(t, "")

	price := ether("0.25")
	path, data := writeRandom(t, 300_000)
	ds, err := a.Publish(ctx, path, share.PublishOptions{Name: "weather", Description: "rain in 2025", Price: price, Public: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := ds.ID

	t.Run("bad inputs", func(t *testing.T) {
		w.unchanged(a, share.CodeInvalidInput, "is yours", func() error {
			_, err := a.Request(ctx, id, share.RequestOptions{NoWait: true}, nil)
			return err
		})
		w.unchanged(b, share.CodeNotFound, "dataset 999 does not exist", func() error {
			_, err := b.Request(ctx, 999, share.RequestOptions{NoWait: true}, nil)
			return err
		})
		w.unchanged(b, share.CodeInvalidInput, "nothing to refund", func() error {
			_, err := b.Refund(ctx, id)
			return err
		})
		w.unchanged(b, share.CodeInvalidInput, "nothing to withdraw", func() error {
			_, err := b.Withdraw(ctx)
			return err
		})
		w.unchanged(b, share.CodeNotOwner, "only its owner can change the price of it", func() error {
			_, err := b.SetPrice(ctx, id, ether("1"))
			return err
		})
		w.unchanged(a, share.CodeInvalidInput, "cannot be negative", func() error {
			_, err := a.SetPrice(ctx, id, big.NewInt(-1))
			return err
		})
		w.unchanged(a, share.CodeInvalidInput, "too high", func() error {
			_, err := a.SetPrice(ctx, id, new(big.Int).Lsh(big.NewInt(1), 96))
			return err
		})
		w.unchanged(a, share.CodeInvalidInput, "is 0.25 ETH already", func() error {
			_, err := a.SetPrice(ctx, id, price)
			return err
		})
		// More than the account has: refused before anything is asked (no key registration either).
		dear, err := a.Publish(ctx, path, share.PublishOptions{Name: "dear", Price: ether("5000")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		w.unchanged(b, share.CodeInsufficientFunds, "costs 5000 ETH, but", func() error {
			_, err := b.Request(ctx, dear.ID, share.RequestOptions{NoWait: true}, nil)
			return err
		})
	})

	t.Run("delivered and fetched", func(t *testing.T) {
		aBefore, bBefore := w.balance(a.Account()), w.balance(b.Account())
		out := filepath.Join(t.TempDir(), "bought")
		type result struct {
			r   share.RequestResult
			err error
		}
		done := make(chan result, 1)
		go func() {
			// B has no registered key: Request registers it first (one more approval).
			r, err := b.Request(ctx, id, share.RequestOptions{Output: out}, nil)
			done <- result{r, err}
		}()
		// The escrow is visible to the owner, and the request waits.
		waitFor(t, 30*time.Second, "B's request pending", func() bool {
			acc, err := a.Access(ctx, id)
			return err == nil && len(acc.Requests) == 1 && acc.Requests[0].Account == b.Account().Hex() && acc.Requests[0].Amount == price.String()
		})
		select {
		case r := <-done:
			t.Fatalf("the request returned before the key was delivered: %+v, %v", r.r, r.err)
		default:
		}
		if reqs, err := b.Requested(ctx); err != nil || len(reqs) != 1 || reqs[0].Dataset != id || reqs[0].Amount != price.String() || reqs[0].RefundAvailable {
			t.Fatalf("Requested = %+v, %v", reqs, err)
		}
		// A fetch meanwhile says the request waits for its key.
		_, err := b.Fetch(ctx, id, filepath.Join(t.TempDir(), "early"), share.FetchOptions{}, nil)
		if share.Code(err) != share.CodeNoAccess || !strings.Contains(err.Error(), "its request is paid and waits for the owner's app to deliver the key") {
			t.Fatalf("a fetch before the key came: %v", err)
		}
		sh, err := a.Share(ctx, id, []string{b.Account().Hex()})
		if err != nil {
			t.Fatal(err)
		}
		r := <-done
		if r.err != nil {
			t.Fatal(r.err)
		}
		if !r.r.Paid || r.r.State != share.RequestDelivered || r.r.Fetched == nil || r.r.Price != price.String() || r.r.Version != 1 {
			t.Fatalf("Request = %+v", r.r)
		}
		got, err := os.ReadFile(out)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("the bought file differs from the published one (%d bytes, %v)", len(got), err)
		}
		// B paid the price and the gas of two transactions (key registration, request).
		keyTx := registeredKeyTx(t, w, b.Account())
		if want := sub(bBefore, price, w.fee(keyTx), w.fee(r.r.TxHash)); w.balance(b.Account()).Cmp(want) != 0 {
			t.Fatalf("B's balance %s, want %s", w.balance(b.Account()), want)
		}
		e, err := a.Earnings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if e.Withdrawable != price.String() || e.Earned != price.String() || len(e.Datasets) != 1 ||
			e.Datasets[0].Sales != 1 || e.Datasets[0].Pending != 0 || e.Datasets[0].Earned != price.String() {
			t.Fatalf("Earnings = %+v", e)
		}
		wd, err := a.Withdraw(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if wd.Amount != price.String() {
			t.Fatalf("withdrew %s, want %s", wd.Amount, price)
		}
		if want := sub(new(big.Int).Add(aBefore, price), w.fee(sh.TxHashes[0]), w.fee(wd.TxHash)); w.balance(a.Account()).Cmp(want) != 0 {
			t.Fatalf("A's balance %s, want %s", w.balance(a.Account()), want)
		}
		w.unchanged(b, share.CodeInvalidInput, "holds the key of version 1 of dataset", func() error {
			_, err := b.Request(ctx, id, share.RequestOptions{NoWait: true}, nil)
			return err
		})
	})

	t.Run("a holder of an older version pays for the current one", func(t *testing.T) {
		// An update whose re-grant did not run (stopped as a crash would stop it): B holds
		// version 1 only, and buys version 2.
		path2, data2 := writeRandom(t, 120_000)
		errStop := errors.New("stopped after the update transaction")
		restore := share.SetAfterUpdate(func() error { return errStop })
		_, err := a.Update(ctx, id, path2, nil)
		restore()
		if !errors.Is(err, errStop) {
			t.Fatalf("update with a stop: %v", err)
		}
		out := filepath.Join(t.TempDir(), "v2")
		done := make(chan error, 1)
		var r share.RequestResult
		go func() {
			var err error
			r, err = b.Request(ctx, id, share.RequestOptions{Output: out}, nil)
			done <- err
		}()
		waitFor(t, 30*time.Second, "B's request for version 2 pending", func() bool {
			acc, err := a.Access(ctx, id)
			return err == nil && len(acc.Requests) == 1 && acc.Requests[0].Account == b.Account().Hex()
		})
		if _, err := a.Share(ctx, id, []string{b.Account().Hex()}); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, data2) || r.Version != 2 || !r.Paid {
			t.Fatalf("bought version 2: %+v, %d bytes, %v", r, len(got), err)
		}
		e, err := a.Earnings(ctx)
		if err != nil || e.Datasets[0].Sales != 2 || e.Withdrawable != price.String() {
			t.Fatalf("Earnings = %+v, %v", e, err)
		}
		if _, err := a.Withdraw(ctx); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("no answer: the refund is refused before its time", func(t *testing.T) {
		if _, err := c.RegisterKey(ctx); err != nil {
			t.Fatal(err)
		}
		r, err := c.Request(ctx, id, share.RequestOptions{NoWait: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Paid || r.State != share.RequestPending || r.RefundableAt.Sub(r.RequestedAt) != timeout*time.Second {
			t.Fatalf("Request = %+v", r)
		}
		// A second request pays nothing: it finds the pending one.
		nonce, err := w.eth.PendingNonceAt(ctx, c.Account())
		if err != nil {
			t.Fatal(err)
		}
		again, err := c.Request(ctx, id, share.RequestOptions{NoWait: true}, nil)
		if err != nil || again.Paid || again.State != share.RequestPending || again.TxHash != r.TxHash || again.Price != price.String() {
			t.Fatalf("second Request = %+v, %v", again, err)
		}
		if n, _ := w.eth.PendingNonceAt(ctx, c.Account()); n != nonce {
			t.Fatalf("the second request sent a transaction (nonce %d→%d)", nonce, n)
		}
		// The price changes; the pending request keeps what it paid.
		if _, err := a.SetPrice(ctx, id, ether("0.5")); err != nil {
			t.Fatal(err)
		}
		w.unchanged(c, share.CodeRefused, "the refund for dataset", func() error {
			_, err := c.Refund(ctx, id)
			if err != nil && !strings.Contains(err.Error(), r.RefundableAt.UTC().Format("2006-01-02 15:04:05 UTC")) {
				t.Errorf("the refusal %q does not give the time %s", err, r.RefundableAt.UTC())
			}
			return err
		})
		if reqs, err := c.Requested(ctx); err != nil || len(reqs) != 1 || reqs[0].RefundAvailable || reqs[0].Amount != price.String() || !reqs[0].RefundableAt.Equal(r.RefundableAt) {
			t.Fatalf("Requested = %+v, %v", reqs, err)
		}
		e, err := a.Earnings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Datasets) != 1 || e.Datasets[0].Pending != 1 || e.Datasets[0].Escrow != price.String() || e.Datasets[0].Sales != 2 ||
			e.Withdrawable != "0" || e.Datasets[0].Price != ether("0.5").String() {
			t.Fatalf("Earnings with a request pending = %+v", e)
		}
	})

	t.Run("revoked while waiting: the escrow is withdrawable", func(t *testing.T) {
		before := w.balance(c.Account())
		done := make(chan error, 1)
		waiting := stageSignal(share.StageAwaitKey)
		var r share.RequestResult
		go func() {
			var err error
			r, err = c.Request(ctx, id, share.RequestOptions{}, waiting)
			done <- err
		}()
		// The request found the pending one (nothing paid) and waits: then the owner revokes.
		waiting.wait(t, done)
		if _, err := a.Revoke(ctx, id, c.Account().Hex()); err != nil {
			t.Fatal(err)
		}
		err := <-done
		if share.Code(err) != share.CodeNoAccess || !strings.Contains(err.Error(), "revoked the access of "+c.Account().Hex()+" while its request waited: the 0.25 ETH paid are in its withdrawable balance (datashare withdraw)") {
			t.Fatalf("the waiting request ended with %v; want that it was revoked and the escrow is withdrawable", err)
		}
		if r.Paid {
			t.Fatalf("the waiting request paid again: %+v", r)
		}
		e, err := c.Earnings(ctx)
		if err != nil || e.Withdrawable != price.String() {
			t.Fatalf("C's earnings = %+v, %v", e, err)
		}
		wd, err := c.Withdraw(ctx)
		if err != nil || wd.Amount != price.String() {
			t.Fatalf("Withdraw = %+v, %v", wd, err)
		}
		if want := sub(new(big.Int).Add(before, price), w.fee(wd.TxHash)); w.balance(c.Account()).Cmp(want) != 0 {
			t.Fatalf("C's balance %s, want %s", w.balance(c.Account()), want)
		}
		if ea, err := a.Earnings(ctx); err != nil || ea.Datasets[0].Declined != 1 || ea.Datasets[0].Pending != 0 {
			t.Fatalf("A's earnings = %+v, %v", ea, err)
		}
		w.unchanged(c, share.CodeNoAccess, "revoked the access of", func() error {
			_, err := c.Request(ctx, id, share.RequestOptions{NoWait: true}, nil)
			return err
		})
	})
}

// TestPaidRequestRaces: whatever the owner or the buyer did between the request's receipt and
// the buyer's first read of it (fulfil, a grant then a revoke, decline, revoke, refund), Request
// ends with the outcome that happened and says so; a request declined while it waits says so
// too; a request nobody answers is refunded once the (short) timeout passed, exact net of gas,
// and a second refund finds nothing. The buyer's withdrawable balance is exactly the escrows of
// the declined and revoked requests.
func TestPaidRequestRaces(t *testing.T) {
	const timeout = 2 // seconds
	w := paidWorld(t, timeout)
	ctx := t.Context()
	a := openProfile(t, "")
	// B's approvals can run something once, after the estimate and before the transaction is
	// signed: what happens elsewhere while the user looks at the summary.
	var beforeSend atomic.Pointer[func()]
	bDir, bApprovals := t.TempDir(), &approveAll{}
	b := &profile{Service: open(t, share.Config{DataDir: bDir, Confirm: func(ctx context.Context, s approval.Summary) (bool, error) {
		if f := beforeSend.Swap(nil); f != nil {
			(*f)()
		}
		return bApprovals.confirm(ctx, s)
	}}), approvals: bApprovals, dir: bDir}
	if _, err := b.RegisterKey(ctx); err != nil {
		t.Fatal(err)
	}
	price := ether("0.01")
	publish := func(t *testing.T, name string) (uint64, []byte) {
		t.Helper()
		path, data := writeRandom(t, 20_000)
		d, err := a.Publish(ctx, path, share.PublishOptions{Name: name, Price: price, Public: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return d.ID, data
	}
	// refundable waits until B's request for id can be refunded (by the contract's clock).
	refundable := func(t *testing.T, id uint64) {
		t.Helper()
		waitFor(t, 3*time.Minute, "the refund timeout", func() bool {
			reqs, err := b.Requested(ctx)
			for _, r := range reqs {
				if err == nil && r.Dataset == id && r.RefundAvailable {
					return true
				}
			}
			return false
		})
	}
	B := b.Account().Hex()
	grant := func(t *testing.T, id uint64) {
		if _, err := a.Share(ctx, id, []string{B}); err != nil {
			t.Fatal(err)
		}
	}
	revoke := func(t *testing.T, id uint64) {
		if _, err := a.Revoke(ctx, id, B); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("no answer: refunded after the timeout", func(t *testing.T) {
		id, _ := publish(t, "unanswered")
		before := w.balance(b.Account())
		r, err := b.Request(ctx, id, share.RequestOptions{NoWait: true}, nil)
		if err != nil || !r.Paid || r.State != share.RequestPending || r.RefundableAt.Sub(r.RequestedAt) != timeout*time.Second {
			t.Fatalf("Request = %+v, %v", r, err)
		}
		refundable(t, id)
		rf, err := b.Refund(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rf.Amount != price.String() {
			t.Fatalf("refunded %s, want the %s paid", rf.Amount, price)
		}
		if want := sub(before, w.fee(r.TxHash), w.fee(rf.TxHash)); w.balance(b.Account()).Cmp(want) != 0 {
			t.Fatalf("B's balance %s, want %s (its whole payment back, less the gas)", w.balance(b.Account()), want)
		}
		if reqs, err := b.Requested(ctx); err != nil || len(reqs) != 0 {
			t.Fatalf("Requested after the refund = %+v, %v", reqs, err)
		}
		e, err := a.Earnings(ctx)
		if err != nil || len(e.Datasets) != 1 || e.Datasets[0].Refunded != 1 || e.Datasets[0].Sales != 0 || e.Datasets[0].Pending != 0 || e.Withdrawable != "0" {
			t.Fatalf("Earnings after the refund = %+v, %v", e, err)
		}
		w.unchanged(b, share.CodeInvalidInput, "nothing to refund", func() error {
			_, err := b.Refund(ctx, id)
			return err
		})
	})

	// What came back to B's withdrawable balance (escrows of declined and revoked requests) and
	// what A sold, in the subtests that ran.
	credited, sold := new(big.Int), new(big.Int)
	for _, tc := range []struct {
		name      string
		between   func(t *testing.T, id uint64) // after the request's receipt, before Request reads
		delivered bool
		says      string
	}{
		// First: the wait for the refund timeout above let this computer's clock catch up with
		// the chain's, which runs ahead when blocks come faster than one a second.
		{"refunded", func(t *testing.T, id uint64) {
			refundable(t, id)
			if _, err := b.Refund(ctx, id); err != nil {
				t.Fatal(err)
			}
		}, false, "the request of " + B + " for dataset %d was refunded (0.01 ETH back to the account) before a key came"},
		{"fulfilled", grant, true, ""},
		{"granted, then revoked", func(t *testing.T, id uint64) { grant(t, id); revoke(t, id) }, true, ""},
		{"declined", func(t *testing.T, id uint64) {
			if err := a.DeclineForTest(ctx, id, b.Account()); err != nil {
				t.Fatal(err)
			}
		}, false, "declined the request of " + B + ": the 0.01 ETH paid are in its withdrawable balance (datashare withdraw)"},
		{"revoked", revoke, false, "revoked the access of " + B + " while its request waited: the 0.01 ETH paid are in its withdrawable balance (datashare withdraw)"},
	} {
		t.Run(tc.name+" before the first read", func(t *testing.T) {
			id, data := publish(t, tc.name)
			ran := false
			restore := share.SetAfterRequestMined(func() {
				if !ran {
					ran = true
					tc.between(t, id)
				}
			})
			out := filepath.Join(t.TempDir(), "got")
			r, err := b.Request(ctx, id, share.RequestOptions{Output: out}, nil)
			restore()
			if !ran || !r.Paid {
				t.Fatalf("the request was not paid and mined (%+v, %v)", r, err)
			}
			if tc.delivered {
				sold.Add(sold, price)
			} else if strings.Contains(tc.says, "withdrawable") {
				credited.Add(credited, price)
			}
			if !tc.delivered {
				if want := strings.ReplaceAll(tc.says, "%d", strconv.FormatUint(id, 10)); share.Code(err) != share.CodeNoAccess || !strings.Contains(err.Error(), want) {
					t.Fatalf("Request ended with %v; want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, rerr := os.ReadFile(out)
			if r.State != share.RequestDelivered || r.Version != 1 || r.Fetched == nil || rerr != nil || !bytes.Equal(got, data) {
				t.Fatalf("Request = %+v; the file: %d bytes, %v", r, len(got), rerr)
			}
		})
	}

	t.Run("granted before the request was sent", func(t *testing.T) {
		id, data := publish(t, "granted first")
		f := func() { grant(t, id) }
		beforeSend.Store(&f)
		out := filepath.Join(t.TempDir(), "got")
		r, err := b.Request(ctx, id, share.RequestOptions{Output: out}, nil)
		if beforeSend.Load() != nil {
			t.Fatal("the approval was not asked")
		}
		if err != nil {
			t.Fatal(err)
		}
		got, rerr := os.ReadFile(out)
		if r.Paid || r.State != share.RequestDelivered || r.Version != 1 || rerr != nil || !bytes.Equal(got, data) {
			t.Fatalf("Request = %+v; the file: %d bytes, %v", r, len(got), rerr)
		}
	})

	t.Run("requested from elsewhere before the request was sent", func(t *testing.T) {
		id, _ := publish(t, "requested twice")
		var first share.RequestResult
		f := func() {
			var err error
			if first, err = b.Request(ctx, id, share.RequestOptions{NoWait: true}, nil); err != nil || !first.Paid {
				t.Errorf("the other request = %+v, %v", first, err)
			}
		}
		beforeSend.Store(&f)
		r, err := b.Request(ctx, id, share.RequestOptions{NoWait: true}, nil)
		if err != nil || r.Paid || r.State != share.RequestPending || r.TxHash != first.TxHash || r.Price != price.String() {
			t.Fatalf("Request = %+v, %v; want the other request found (%s), not paid again", r, err, first.TxHash)
		}
		if e, err := a.Earnings(ctx); err != nil {
			t.Fatal(err)
		} else {
			for _, d := range e.Datasets {
				if d.Dataset == id && (d.Pending != 1 || d.Escrow != price.String()) {
					t.Fatalf("the owner sees %+v; want one request, paid once", d)
				}
			}
		}
		if err := a.DeclineForTest(ctx, id, b.Account()); err != nil {
			t.Fatal(err)
		}
		credited.Add(credited, price)
	})

	t.Run("declined while waiting", func(t *testing.T) {
		id, _ := publish(t, "declined later")
		waiting := stageSignal(share.StageAwaitKey)
		done := make(chan error, 1)
		go func() {
			_, err := b.Request(ctx, id, share.RequestOptions{}, waiting)
			done <- err
		}()
		waiting.wait(t, done)
		if err := a.DeclineForTest(ctx, id, b.Account()); err != nil {
			t.Fatal(err)
		}
		credited.Add(credited, price)
		err := <-done
		if want := "declined the request of " + B + ": the 0.01 ETH paid are in its withdrawable balance (datashare withdraw); you may request again"; share.Code(err) != share.CodeNoAccess || !strings.Contains(err.Error(), want) {
			t.Fatalf("the waiting request ended with %v; want %q", err, want)
		}
	})

	// Every declined or revoked escrow came back to B's withdrawable balance, exactly (with all
	// subtests: three declines and a revoke of a pending request); a grant before a revoke paid
	// the owner.
	if e, err := b.Earnings(ctx); err != nil || e.Withdrawable != credited.String() {
		t.Fatalf("B's earnings = %+v, %v; want %s wei withdrawable", e, err, credited)
	}
	if e, err := a.Earnings(ctx); err != nil || e.Withdrawable != sold.String() {
		t.Fatalf("A's earnings = %+v, %v; want %s wei withdrawable (its sales)", e, err, sold)
	}
}

// registeredKeyTx is the transaction of the account's newest KeyRegistered event.
func registeredKeyTx(t *testing.T, w *sharingWorld, a common.Address) string {
	t.Helper()
	logs, err := w.eth.FilterLogs(t.Context(), filterKeyRegistered(a))
	if err != nil || len(logs) == 0 {
		t.Fatalf("no KeyRegistered of %s (%v)", a.Hex(), err)
	}
	return logs[len(logs)-1].TxHash.Hex()
}

func filterKeyRegistered(a common.Address) ethereum.FilterQuery {
	ev := contracts.NewDataShare().GetABI().Events["KeyRegistered"]
	return ethereum.FilterQuery{Topics: [][]common.Hash{{ev.ID}, {common.BytesToHash(a.Bytes())}}}
}

// TestCatalog: every owner's public datasets are listed (name, description, price, owner,
// versions) to another profile, private ones never; search finds by name and description; a
// new version and a price change show.
func TestCatalog(t *testing.T) {
	w := paidWorld(t, 60)
	ctx := t.Context()
	a, b := openProfile(t, ""), openProfile(t, "")
	path, _ := writeRandom(t, 5000)
	pub, err := a.Publish(ctx, path, share.PublishOptions{Name: "Rainfall 2025", Description: "daily rain in mm", Price: ether("0.01"), Public: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := a.Publish(ctx, path, share.PublishOptions{Name: "secret plans", Description: "rain dance"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := b.Publish(ctx, path, share.PublishOptions{Name: "B's open notes", Public: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(items []share.CatalogItem) []uint64 {
		var out []uint64
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	list, err := b.Catalog(ctx, share.CatalogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(list); len(got) != 2 || got[0] != mine.ID || got[1] != pub.ID {
		t.Fatalf("catalog lists %v; want %d and %d (never the private %d)", got, mine.ID, pub.ID, priv.ID)
	}
	it := list[1]
	if it.Name != "Rainfall 2025" || it.Description != "daily rain in mm" || it.Price != ether("0.01").String() ||
		it.Owner != a.Account().Hex() || it.Version != 1 || it.Size != 5000 || it.Mine || !list[0].Mine {
		t.Fatalf("catalog entry %+v", it)
	}
	for _, q := range []struct {
		search string
		want   []uint64
	}{{"RAIN", []uint64{pub.ID}}, {"mm", []uint64{pub.ID}}, {"notes", []uint64{mine.ID}}, {"secret", nil}, {"dance", nil}, {"%", nil}} {
		got, err := b.Catalog(ctx, share.CatalogOptions{Search: q.search})
		if err != nil {
			t.Fatal(err)
		}
		if g := ids(got); len(g) != len(q.want) || (len(g) == 1 && g[0] != q.want[0]) {
			t.Errorf("search %q finds %v; want %v", q.search, g, q.want)
		}
	}
	// A profile opened later on this computer reads the owners' metadata from their nodes, found
	// through the local records, with no manual connect.
	d := openProfile(t, "")
	if got, err := d.Catalog(ctx, share.CatalogOptions{}); err != nil || len(got) != 2 {
		t.Fatalf("a new profile's catalog = %+v, %v", got, err)
	}
	// The owner's own catalog says the same, from its own index.
	if own, err := a.Catalog(ctx, share.CatalogOptions{}); err != nil || len(own) != 2 || !own[1].Mine {
		t.Fatalf("A's catalog = %+v, %v", own, err)
	}
	if _, err := a.SetPrice(ctx, pub.ID, ether("0.02")); err != nil {
		t.Fatal(err)
	}
	path2, _ := writeRandom(t, 7000)
	if _, err := a.Update(ctx, pub.ID, path2, nil); err != nil {
		t.Fatal(err)
	}
	list, err = b.Catalog(ctx, share.CatalogOptions{Search: "rainfall"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Version != 2 || list[0].Price != ether("0.02").String() || list[0].Size != 7000 {
		t.Fatalf("after a price change and an update, the catalog says %+v", list)
	}
	_ = w
}
