package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/contracts"
)

func TestDialWrongNetwork(t *testing.T) {
	s := newSim(t, 1)
	_, err := Dial(ctxT(t), s.url, 11155111, s.contract)
	if !errors.Is(err, ErrWrongNetwork) {
		t.Fatalf("err = %v, want ErrWrongNetwork", err)
	}
	for _, want := range []string{"1337", "11155111", "Sepolia"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not name %s", err, want)
		}
	}
}

func TestDialNoContract(t *testing.T) {
	s := newSim(t, 1)
	_, err := Dial(ctxT(t), s.url, devnet.ChainID, common.HexToAddress("0x00000000000000000000000000000000deadbeef"))
	if !errors.Is(err, ErrNoContract) {
		t.Fatalf("err = %v, want ErrNoContract", err)
	}
}

func TestDialUnavailable(t *testing.T) {
	url := fmt.Sprintf("http://127.0.0.1:%d/v3/secret-api-key", freePort(t)) // closed now
	start := time.Now()
	_, err := Dial(ctxT(t), url, devnet.ChainID, common.Address{1})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to notice a closed port", d)
	}
	if !strings.Contains(err.Error(), "http://127.0.0.1:") {
		t.Errorf("message %q does not name the URL", err)
	}
	if strings.Contains(err.Error(), "secret-api-key") {
		t.Errorf("message %q leaks the URL's path", err)
	}
}

func TestPublishEstimateSendReceipt(t *testing.T) {
	s := newSim(t, 2)
	ctx := ctxT(t)
	tx := Tx{From: s.acct[1], To: s.contract, Data: ds.PackPublish(testCID, milli(10), testEnvelope)}
	est, err := s.c.Estimate(ctx, tx)
	if err != nil {
		t.Fatal(err)
	}
	if est.Gas < 50_000 || est.Gas > 150_000 {
		t.Errorf("gas %d, expected about 70k + margin", est.Gas)
	}
	if want := new(big.Int).Mul(est.GasPrice, new(big.Int).SetUint64(est.Gas)); est.Fee.Cmp(want) != 0 {
		t.Errorf("fee %s != gas × max fee %s", est.Fee, want)
	}
	var j memJournal
	r, err := s.c.SignAndSend(ctx, s.keys[1], tx, est, &j)
	if err != nil {
		t.Fatal(err)
	}
	if len(j.saved) != 1 || j.saved[0] != r.TxHash {
		t.Fatalf("journal %v, receipt %s", j.saved, r.TxHash)
	}
	if r.GasUsed > est.Gas {
		t.Errorf("gas used %d > limit %d", r.GasUsed, est.Gas)
	}
	ev := mustEvent(t, r, ds.UnpackPublishedEvent)
	if ev.Id.Uint64() != 1 || ev.Owner != s.acct[1] || ev.Price.Cmp(milli(10)) != 0 {
		t.Fatalf("event %+v", ev)
	}
	info, err := s.c.Dataset(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if info.Owner != s.acct[1] || info.Price.Cmp(milli(10)) != 0 || info.Version != 1 {
		t.Fatalf("dataset %+v", info)
	}
	t.Logf("publish: estimate %d gas (with margin), used %d; max fee %s", est.Gas, r.GasUsed, FormatEther(est.Fee))
}

func TestRevertDecoding(t *testing.T) {
	s := newSim(t, 3)
	ctx := ctxT(t)
	id := s.publish(0, milli(10))
	s.send(1, ds.PackRegisterKey([32]byte{1}), nil)
	cases := []struct {
		name   string
		from   int
		data   []byte
		value  *big.Int
		reason any
		msg    string
	}{
		{"unknown dataset", 0, ds.PackUpdate(big.NewInt(99), testCID, testEnvelope), nil,
			&contracts.DataShareDatasetNotFound{Id: big.NewInt(99)}, "dataset 99 does not exist"},
		{"not owner", 1, ds.PackSetPrice(big.NewInt(int64(id)), big.NewInt(1)), nil,
			&contracts.DataShareNotOwner{Id: big.NewInt(int64(id)), Caller: s.acct[1]}, "you are not the owner of dataset 1"},
		{"wrong payment", 1, ds.PackRequestAccess(big.NewInt(int64(id))), milli(5),
			&contracts.DataShareWrongPayment{Price: milli(10), Sent: milli(5)}, "the price is 0.01 ETH but 0.005 ETH was sent"},
		{"empty cid", 2, ds.PackPublish(nil, big.NewInt(0), testEnvelope), nil,
			&contracts.DataShareEmptyCid{}, "the dataset's metadata reference (CID) is empty"},
		{"no encryption key", 2, RequestAccessData(id), milli(10),
			&contracts.DataShareNoEncryptionKey{Account: s.acct[2]},
			s.acct[2].Hex() + " has not registered an encryption key yet, so no dataset key can be delivered to it: register one first"},
		{"fulfil without a request", 0, FulfilData(id, s.acct[2], testEnvelope), nil,
			&contracts.DataShareNoPendingRequest{Id: big.NewInt(int64(id)), Account: s.acct[2]},
			s.acct[2].Hex() + " has no pending request for dataset 1 (it was answered, declined or refunded)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.c.Estimate(ctx, Tx{From: s.acct[tc.from], To: s.contract, Data: tc.data, Value: tc.value})
			var re *RevertError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v (%T), want *RevertError", err, err)
			}
			if g, w := fmt.Sprintf("%T%+v", re.Reason, re.Reason), fmt.Sprintf("%T%+v", tc.reason, tc.reason); g != w {
				t.Fatalf("reason %s, want %s", g, w)
			}
			if err.Error() != tc.msg {
				t.Fatalf("message %q, want %q", err, tc.msg)
			}
		})
	}
	// Reads revert the same way; ErrNotFound matches through the RevertError.
	_, err := s.c.Dataset(ctx, 42)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Dataset(42) err = %v, want ErrNotFound", err)
	}
	if err.Error() != "dataset 42 does not exist" {
		t.Fatalf("message %q", err)
	}
}

// Every custom error in the ABI needs a sentence: adding an error to the contract without one
// fails here.
func TestEveryContractErrorHasAMessage(t *testing.T) {
	abi := ds.GetABI()
	if len(abi.Errors) == 0 {
		t.Fatal("no errors in the ABI")
	}
	for name, e := range abi.Errors {
		args := make([]any, len(e.Inputs))
		for i, in := range e.Inputs {
			switch in.Type.String() {
			case "uint256":
				args[i] = big.NewInt(7)
			case "address":
				args[i] = common.HexToAddress("0x00000000000000000000000000000000000000a1")
			default:
				t.Fatalf("%s: argument type %s not handled by this test", name, in.Type)
			}
		}
		packed, err := e.Inputs.Pack(args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data := append(append([]byte{}, e.ID[:4]...), packed...)
		re := revertFromData(data)
		msg, ok := describe(re.Reason)
		if !ok {
			t.Errorf("error %s (%T) has no message", name, re.Reason)
			continue
		}
		if re.Error() != msg || msg == "" {
			t.Errorf("%s: Error() %q, describe %q", name, re.Error(), msg)
		}
		t.Logf("%-22s %s", name, msg)
	}
	// Not a DataShare error: still readable.
	if got := revertFromData([]byte{1, 2, 3, 4}).Error(); !strings.Contains(got, "0x01020304") {
		t.Errorf("unknown selector: %q", got)
	}
	if got := (&RevertError{}).Error(); got == "" {
		t.Error("empty message for a revert without data")
	}
}

func TestInsufficientFunds(t *testing.T) {
	s := newSim(t, 1)
	ctx := ctxT(t)
	poor := testKey(t, "unfunded")
	poorAddr := crypto.PubkeyToAddress(poor.PublicKey)
	tx := Tx{From: poorAddr, To: s.contract, Data: ds.PackPublish(testCID, big.NewInt(0), testEnvelope)}
	_, err := s.c.Estimate(ctx, tx)
	var fe *FundsError
	if !errors.Is(err, ErrInsufficientFunds) || !errors.As(err, &fe) {
		t.Fatalf("err = %v, want ErrInsufficientFunds", err)
	}
	if fe.Balance.Sign() != 0 || fe.Need.Sign() <= 0 || fe.Account != poorAddr {
		t.Fatalf("amounts %+v", fe)
	}
	t.Log(err)

	// Paying more than the balance: the node's estimate already refuses.
	id := s.publish(0, eth(5000))
	_, err = s.c.Estimate(ctx, Tx{From: s.acct[0], To: s.contract, Data: ds.PackRequestAccess(new(big.Int).SetUint64(id)), Value: eth(5000)})
	if !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("err = %v, want ErrInsufficientFunds", err)
	}
	// Sending anyway (an estimate made while the account still had the funds).
	est := Estimate{Gas: 100_000, GasPrice: big.NewInt(params.GWei), Tip: big.NewInt(1), Fee: big.NewInt(100_000 * params.GWei)}
	_, err = s.c.SignAndSend(ctx, poor, tx, est, nil)
	if !errors.Is(err, ErrInsufficientFunds) {
		t.Fatalf("SignAndSend err = %v, want ErrInsufficientFunds", err)
	}
}

func TestConcurrentSendsFromOneKey(t *testing.T) {
	s := newSim(t, 1)
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	ids := make([]uint64, n)
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := s.trySend(0, ds.PackPublish(testCID, big.NewInt(int64(i)), testEnvelope), nil, nil)
			if err != nil {
				errs[i] = err
				return
			}
			ev, err := ds.UnpackPublishedEvent(r.Logs[0])
			if err != nil {
				errs[i] = err
				return
			}
			ids[i] = ev.Id.Uint64()
		}()
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for i, err := range errs {
		if err != nil {
			t.Errorf("send %d: %v", i, err)
			continue
		}
		if seen[ids[i]] {
			t.Errorf("dataset id %d twice", ids[i])
		}
		seen[ids[i]] = true
	}
	if cnt, err := s.c.DatasetCount(ctxT(t)); err != nil || cnt != n {
		t.Fatalf("dataset count %d (%v), want %d", cnt, err, n)
	}
	t.Logf("%d concurrent sends from one key in %v", n, time.Since(start))
}

// After the node learns of transactions the Client did not count (another program, a chain that
// re-added journaled transactions), "nonce too low" makes SignAndSend re-read the nonce, journal
// the new signing and send that.
func TestNonceTooLowIsRetried(t *testing.T) {
	s := newSim(t, 1)
	s.publish(0, nil)
	s.publish(0, nil)
	// Pretend a transaction of ours is in flight with a stale counter.
	n := s.c.nonceOf(s.acct[0])
	n.mu.Lock()
	n.next, n.valid, n.inflight = 0, true, 1
	n.mu.Unlock()
	var j memJournal
	r, err := s.trySend(0, ds.PackPublish(testCID, big.NewInt(0), testEnvelope), nil, &j)
	if err != nil {
		t.Fatal(err)
	}
	if len(j.saved) != 2 || j.saved[1] != r.TxHash {
		t.Fatalf("journal %v, receipt %s: want the stale signing, then the sent one", j.saved, r.TxHash)
	}
	if id := mustEvent(t, r, ds.UnpackPublishedEvent).Id.Uint64(); id != 3 {
		t.Fatalf("id %d", id)
	}
}

func TestTxFailedOnChain(t *testing.T) {
	s := newSim(t, 1)
	ctx := ctxT(t)
	// A stale estimate: the call reverts when mined.
	est := Estimate{Gas: 200_000, GasPrice: big.NewInt(10 * params.GWei), Tip: big.NewInt(params.GWei)}
	est.Fee = new(big.Int).Mul(est.GasPrice, big.NewInt(200_000))
	tx := Tx{From: s.acct[0], To: s.contract, Data: ds.PackSetPrice(big.NewInt(5), big.NewInt(1))}
	r, err := s.c.SignAndSend(ctx, s.keys[0], tx, est, nil)
	if !errors.Is(err, ErrTxFailed) {
		t.Fatalf("err = %v, want ErrTxFailed", err)
	}
	if r == nil || r.Status != types.ReceiptStatusFailed {
		t.Fatalf("receipt %+v", r)
	}
	var re *RevertError
	if !errors.As(err, &re) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v: want the revert reason DatasetNotFound", err)
	}
	t.Log(err)
	// The next send works: the failed transaction used its nonce.
	s.publish(0, nil)
}

func TestResubmit(t *testing.T) {
	s := newSim(t, 2)
	ctx := ctxT(t)

	// Already mined: the same receipt.
	var j memJournal
	r, err := s.trySend(0, ds.PackPublish(testCID, big.NewInt(0), testEnvelope), nil, &j)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.c.Resubmit(ctx, j.raw[r.TxHash])
	if err != nil {
		t.Fatal(err)
	}
	if again.TxHash != r.TxHash || again.BlockHash != r.BlockHash {
		t.Fatalf("resubmit gave %s in %s, want %s in %s", again.TxHash, again.BlockHash, r.TxHash, r.BlockHash)
	}

	// Signed but never sent: sent now.
	sign := func(nonce uint64, data []byte) []byte {
		head, err := s.c.Eth().HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		to := s.contract
		tx, err := types.SignNewTx(s.keys[1], s.c.signer, &types.DynamicFeeTx{
			ChainID: big.NewInt(devnet.ChainID), Nonce: nonce, GasTipCap: big.NewInt(params.GWei),
			GasFeeCap: new(big.Int).Add(big.NewInt(params.GWei), new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
			Gas:       200_000, To: &to, Data: data,
		})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := tx.MarshalBinary()
		return raw
	}
	r, err = s.c.Resubmit(ctx, sign(0, ds.PackPublish(testCID, big.NewInt(0), testEnvelope)))
	if err != nil {
		t.Fatal(err)
	}
	if ev := mustEvent(t, r, ds.UnpackPublishedEvent); ev.Owner != s.acct[1] {
		t.Fatalf("event %+v", ev)
	}

	// Ahead of the account's nonce: refused, nothing sent.
	if _, err := s.c.Resubmit(ctx, sign(5, ds.PackPublish(testCID, big.NewInt(0), testEnvelope))); !errors.Is(err, ErrNonceGap) {
		t.Fatalf("err = %v, want ErrNonceGap", err)
	}

	// Its nonce taken by another transaction: replaced.
	stale := sign(1, ds.PackPublish(testCID, big.NewInt(1), testEnvelope))
	s.publish(1, big.NewInt(2)) // nonce 1
	if _, err := s.c.Resubmit(ctx, stale); !errors.Is(err, ErrReplaced) {
		t.Fatalf("err = %v, want ErrReplaced", err)
	}
	// Another chain's transaction.
	other, _ := types.SignNewTx(s.keys[1], types.LatestSignerForChainID(big.NewInt(1)), &types.DynamicFeeTx{ChainID: big.NewInt(1), Gas: 21000})
	raw, _ := other.MarshalBinary()
	if _, err := s.c.Resubmit(ctx, raw); !errors.Is(err, ErrWrongNetwork) {
		t.Fatalf("err = %v, want ErrWrongNetwork", err)
	}
}

func TestEvents(t *testing.T) {
	s := newSim(t, 4)
	ctx := ctxT(t)
	s.c.logRange = 2 // several eth_getLogs calls per query
	a, b, c := s.acct[0], s.acct[1], s.acct[2]
	s.send(2, ds.PackRegisterKey([32]byte{2}), nil)
	id1 := s.publish(0, nil)
	id2 := s.publish(0, milli(1))
	s.publish(1, nil)
	s.send(0, ds.PackGrantAccess(new(big.Int).SetUint64(id1), b, testEnvelope), nil)
	s.send(0, ds.PackGrantAccess(new(big.Int).SetUint64(id1), c, testEnvelope), nil)
	s.send(0, ds.PackGrantAccess(new(big.Int).SetUint64(id2), b, testEnvelope), nil)
	s.send(0, ds.PackUpdate(new(big.Int).SetUint64(id1), testCID, testEnvelope), nil)
	s.send(2, ds.PackRequestAccess(new(big.Int).SetUint64(id2)), milli(1))

	const all = ^uint64(0)
	pub, err := s.c.PublishedEvents(ctx, &a, 0, all)
	if err != nil {
		t.Fatal(err)
	}
	if len(pub) != 2 || pub[0].Value.Id.Uint64() != id1 || pub[1].Value.Id.Uint64() != id2 || pub[0].Block >= pub[1].Block {
		t.Fatalf("published by a: %+v", pub)
	}
	if pub[0].TxHash == (common.Hash{}) || pub[0].BlockHash == (common.Hash{}) {
		t.Fatalf("event without position: %+v", pub[0])
	}
	if all, err := s.c.PublishedEvents(ctx, nil, 0, all); err != nil || len(all) != 3 {
		t.Fatalf("published: %d, %v", len(all), err)
	}
	// A range that excludes the first block.
	if some, err := s.c.PublishedEvents(ctx, nil, pub[0].Block+1, all); err != nil || len(some) != 2 {
		t.Fatalf("published after block %d: %d, %v", pub[0].Block, len(some), err)
	}

	count := func(id *uint64, grantee *common.Address) int {
		t.Helper()
		evs, err := s.c.GrantedEvents(ctx, id, grantee, 0, all)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if (id != nil && e.Value.Id.Uint64() != *id) || (grantee != nil && e.Value.Grantee != *grantee) {
				t.Fatalf("filter let through %+v", e.Value)
			}
		}
		return len(evs)
	}
	for _, tc := range []struct {
		id      *uint64
		grantee *common.Address
		want    int
	}{{nil, nil, 3}, {&id1, nil, 2}, {nil, &b, 2}, {&id1, &c, 1}, {&id2, &c, 0}} {
		if got := count(tc.id, tc.grantee); got != tc.want {
			t.Errorf("granted(id %v, grantee %v) = %d, want %d", tc.id, tc.grantee, got, tc.want)
		}
	}
	up, err := s.c.UpdatedEvents(ctx, &id1, 0, all)
	if err != nil || len(up) != 1 || up[0].Value.Version != 2 {
		t.Fatalf("updated: %+v, %v", up, err)
	}
	if up, err := s.c.UpdatedEvents(ctx, &id2, 0, all); err != nil || len(up) != 0 {
		t.Fatalf("updated id2: %+v, %v", up, err)
	}
	req, err := s.c.RequestedEvents(ctx, &a, nil, 0, all)
	if err != nil || len(req) != 1 || req[0].Value.Requester != c || req[0].Value.Amount.Cmp(milli(1)) != 0 {
		t.Fatalf("requested: %+v, %v", req, err)
	}
	d := s.acct[3]
	if evs, err := s.c.RevokedEvents(ctx, nil, &d, 0, all); err != nil || len(evs) != 0 {
		t.Fatalf("revoked: %+v, %v", evs, err)
	}

	// c's request for id2 is declined, then c asks again and is answered.
	s.send(0, DeclineData(id2, c), nil)
	s.send(2, RequestAccessData(id2), milli(1))
	s.send(0, FulfilData(id2, c, testEnvelope), nil)
	dec, err := s.c.DeclinedEvents(ctx, &id2, &c, 0, all)
	if err != nil || len(dec) != 1 || dec[0].Value.Owner != a || dec[0].Value.Refunded.Cmp(milli(1)) != 0 {
		t.Fatalf("declined: %+v, %v", dec, err)
	}
	if evs, err := s.c.DeclinedEvents(ctx, &id1, nil, 0, all); err != nil || len(evs) != 0 {
		t.Fatalf("declined id1: %+v, %v", evs, err)
	}
	grants, err := s.c.GrantedEvents(ctx, &id2, &c, 0, all)
	if err != nil || len(grants) != 1 || !grants[0].Value.Fulfilled || grants[0].Value.Paid.Cmp(milli(1)) != 0 || grants[0].Value.Version != 1 {
		t.Fatalf("fulfilment of c: %+v, %v", grants, err)
	}
	if evs, err := s.c.RefundedEvents(ctx, nil, nil, 0, all); err != nil || len(evs) != 0 {
		t.Fatalf("refunded: %+v, %v", evs, err)
	}
}

// TestAccessCalls sends every access function through the calldata helpers and reads the
// result back with Access.
func TestAccessCalls(t *testing.T) {
	s := newSim(t, 5)
	ctx := ctxT(t)
	owner, buyer, friend, old := 0, 1, 2, 3
	for _, i := range []int{buyer, friend, old} {
		s.send(i, ds.PackRegisterKey([32]byte{byte(i + 1)}), nil)
	}
	price := milli(2)
	id := s.publish(owner, price)
	access := func(i int) AccessInfo {
		t.Helper()
		a, err := s.c.Access(ctx, id, s.acct[i])
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	s.send(owner, GrantAccessData(id, s.acct[old], testEnvelope), nil)
	s.send(owner, ds.PackUpdate(new(big.Int).SetUint64(id), testCID, testEnvelope), nil)
	// The holder of version 1 asks for version 2: pending, still holding version 1.
	r := s.send(old, RequestAccessData(id), price)
	blk, err := s.c.Eth().HeaderByNumber(ctx, r.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	if a := access(old); !a.Pending() || !a.Holds(1) || a.Holds(2) || a.RefundableAt != blk.Time+3600 {
		t.Fatalf("older holder's request: %+v", a)
	}
	s.send(buyer, RequestAccessData(id), price)

	// One grantMany: version 2 to the older holder (answering its request) and to a friend.
	data, err := GrantManyData(id, []Grant{{s.acct[old], testEnvelope}, {s.acct[friend], testEnvelope}})
	if err != nil {
		t.Fatal(err)
	}
	s.send(owner, data, nil)
	if a := access(old); a.Pending() || !a.Holds(2) || a.Escrow.Sign() != 0 || a.RefundableAt != 0 {
		t.Fatalf("older holder after grantMany: %+v", a)
	}
	if a := access(friend); a.State != AccessGranted || !a.Holds(2) {
		t.Fatalf("friend after grantMany: %+v", a)
	}
	if _, err := GrantManyData(id, nil); !errors.Is(err, ErrNoGrants) {
		t.Fatalf("GrantManyData(no grants) err = %v", err)
	}

	// The buyer is declined (no ban), asks again and is answered.
	s.send(owner, DeclineData(id, s.acct[buyer]), nil)
	if a := access(buyer); a.State != AccessNone || a.Pending() {
		t.Fatalf("buyer after decline: %+v", a)
	}
	s.send(buyer, RequestAccessData(id), price)
	s.send(owner, FulfilData(id, s.acct[buyer], testEnvelope), nil)
	if a := access(buyer); a.State != AccessGranted || !a.Holds(2) {
		t.Fatalf("buyer after fulfil: %+v", a)
	}
	// A second answer is refused with a sentence, before anything is sent.
	_, err = s.c.Estimate(ctx, Tx{From: s.acct[owner], To: s.contract, Data: FulfilData(id, s.acct[buyer], testEnvelope)})
	var re *RevertError
	if !errors.As(err, &re) {
		t.Fatalf("second fulfil: %v", err)
	}
	if _, ok := re.Reason.(*contracts.DataShareNoPendingRequest); !ok {
		t.Fatalf("second fulfil reverted with %T", re.Reason)
	}

	s.send(owner, RevokeData(id, s.acct[friend]), nil)
	if a := access(friend); a.State != AccessRevoked || !a.Holds(2) {
		t.Fatalf("friend after revoke: %+v", a)
	}
	// Two sales (the older holder's and the buyer's); the declined escrow was credited back.
	if w, err := s.c.Withdrawable(ctx, s.acct[owner]); err != nil || w.Cmp(new(big.Int).Mul(price, big.NewInt(2))) != 0 {
		t.Fatalf("owner withdrawable %v, %v", w, err)
	}
	if w, err := s.c.Withdrawable(ctx, s.acct[buyer]); err != nil || w.Cmp(price) != 0 {
		t.Fatalf("buyer withdrawable %v, %v", w, err)
	}
	// A refund before the timeout is refused with the time it becomes possible.
	s.send(4, ds.PackRegisterKey([32]byte{5}), nil)
	s.send(4, RequestAccessData(id), price)
	_, err = s.c.Estimate(ctx, Tx{From: s.acct[4], To: s.contract, Data: RefundData(id)})
	if !errors.As(err, &re) {
		t.Fatalf("early refund: %v", err)
	}
	if r, ok := re.Reason.(*contracts.DataShareRefundNotYetAvailable); !ok || r.AvailableAt.Uint64() != access(4).RefundableAt {
		t.Fatalf("early refund reverted with %+v, want the time accessOf gives (%d)", re.Reason, access(4).RefundableAt)
	}
}

func TestReads(t *testing.T) {
	s := newSim(t, 3)
	ctx := ctxT(t)
	owner, buyer, device := s.acct[0], s.acct[1], s.acct[2]
	key := [32]byte{7, 7, 7}
	if got, err := s.c.EncryptionKey(ctx, buyer); err != nil || got != ([32]byte{}) {
		t.Fatalf("key before: %x, %v", got, err)
	}
	s.send(1, ds.PackRegisterKey(key), nil)
	if got, err := s.c.EncryptionKey(ctx, buyer); err != nil || got != key {
		t.Fatalf("key: %x, %v", got, err)
	}
	id := s.publish(0, milli(3))
	if a, err := s.c.Access(ctx, id, buyer); err != nil || a.State != AccessNone {
		t.Fatalf("access before: %+v, %v", a, err)
	}
	r := s.send(1, ds.PackRequestAccess(new(big.Int).SetUint64(id)), milli(3))
	a, err := s.c.Access(ctx, id, buyer)
	if err != nil {
		t.Fatal(err)
	}
	blk, err := s.c.Eth().HeaderByNumber(ctx, r.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != AccessRequested || a.Escrow.Cmp(milli(3)) != 0 || a.RequestedAt != blk.Time || a.Version != 0 {
		t.Fatalf("access: %+v", a)
	}
	s.send(0, ds.PackSetOperator(device, true), nil)
	if ok, err := s.c.IsOperator(ctx, owner, device); err != nil || !ok {
		t.Fatalf("operator: %v, %v", ok, err)
	}
	s.send(2, ds.PackGrantAccess(new(big.Int).SetUint64(id), buyer, testEnvelope), nil)
	if a, err := s.c.Access(ctx, id, buyer); err != nil || a.State != AccessGranted || a.Version != 1 || a.Escrow.Sign() != 0 {
		t.Fatalf("access after grant: %+v, %v", a, err)
	}
	if w, err := s.c.Withdrawable(ctx, owner); err != nil || w.Cmp(milli(3)) != 0 {
		t.Fatalf("withdrawable: %v, %v", w, err)
	}
	if rt, err := s.c.RefundTimeout(ctx); err != nil || rt != 3600 {
		t.Fatalf("refund timeout: %d, %v", rt, err)
	}
	bal, err := s.c.Balance(ctx, owner)
	if err != nil || bal.Sign() <= 0 {
		t.Fatalf("balance %v, %v", bal, err)
	}
	if n, err := s.c.BlockNumber(ctx); err != nil || n < r.BlockNumber.Uint64() {
		t.Fatalf("block number %d, %v", n, err)
	}
	if s.c.ChainID() != devnet.ChainID || s.c.Contract() != s.contract || s.c.URL() != s.url {
		t.Fatal("accessors")
	}
}

func TestWaitReceiptHonoursContext(t *testing.T) {
	s := newSim(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.c.WaitReceipt(ctx, common.Hash{1})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("returned after %v", d)
	}
}

func TestUnavailableAfterDial(t *testing.T) {
	s := newSim(t, 1)
	s.backend.Close() // the node goes away
	ctx := ctxT(t)
	if _, err := s.c.BlockNumber(ctx); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if _, err := s.c.Estimate(ctx, Tx{From: s.acct[0], To: s.contract, Data: ds.PackWithdraw()}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestFormatEther(t *testing.T) {
	for _, tc := range []struct {
		wei  *big.Int
		want string
	}{
		{nil, "0 ETH"},
		{big.NewInt(0), "0 ETH"},
		{eth(1), "1 ETH"},
		{milli(10), "0.01 ETH"},
		{milli(1500), "1.5 ETH"},
		{big.NewInt(1), "0.000000000000000001 ETH"},
		{big.NewInt(-5e15), "-0.005 ETH"},
		{eth(123456789), "123456789 ETH"},
	} {
		if got := FormatEther(tc.wei); got != tc.want {
			t.Errorf("FormatEther(%v) = %q, want %q", tc.wei, got, tc.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8545":                         "http://127.0.0.1:8545",
		"https://sepolia.infura.io/v3/0123456789abcdef": "https://sepolia.infura.io/v3/…",
		"wss://eth.example.org/?apikey=secret":          "wss://eth.example.org?apikey=…",
		"https://user:pass@rpc.example.org":             "https://…@rpc.example.org",
		"/run/geth.ipc":                                 "/run/geth.ipc",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
