package approval_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

// phoneWithSDKWallet pairs a walletconnect client with the real SDK wallet (holding key) and
// returns a Phone approver over it.
func phoneWithSDKWallet(t *testing.T, mode wctest.RequestMode) (*approval.Phone, *wctest.Wallet) {
	t.Helper()
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := devnettest.Client(t)
	wc, err := walletconnect.New(context.Background(), walletconnect.Options{
		RelayURL: r.URL(),
		Metadata: walletconnect.Metadata{Name: "DataShare (test)", URL: "https://datashare.test"},
		ChainID:  devnet.ChainID,
		Store:    &walletconnect.MemoryStore{},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wc.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pr, err := wc.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	key := devnettest.FundedKey(t)
	w := wctest.StartWallet(t, wctest.WalletOptions{
		RelayURL: r.URL(), URI: pr.URI, Key: key, RPCURL: devnettest.Shared(t).RPCURL(), Requests: mode,
	})
	if _, err := wc.WaitSession(ctx, pr); err != nil {
		t.Fatal(err)
	}
	return &approval.Phone{Chain: c, Wallet: wc, Network: "local"}, w
}

// TestPhoneSDKPublish: a DataShare publish approved on the (SDK) phone wallet creates a dataset
// owned by the wallet's account.
func TestPhoneSDKPublish(t *testing.T) {
	t.Parallel()
	p, w := phoneWithSDKWallet(t, wctest.Approve)
	if p.Account() != w.Address {
		t.Fatalf("Account %s, want the wallet's %s", p.Account().Hex(), w.Address.Hex())
	}
	cid := []byte{0x01, 0x71, 0x12, 0x20, 0xde, 0xad, 0xbe, 0xef}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := p.Approve(ctx, publishRequest(p.Chain, w.Address, cid))
	if out.Status != approval.Approved {
		t.Fatalf("outcome %s: %v", out.Status, out.Err)
	}
	var id *big.Int
	for _, l := range out.Receipt.Logs {
		if ev, err := ds.UnpackPublishedEvent(l); err == nil {
			id = ev.Id
			if ev.Owner != w.Address {
				t.Fatalf("Published owner %s, want the wallet %s", ev.Owner.Hex(), w.Address.Hex())
			}
		}
	}
	if id == nil {
		t.Fatal("no Published event")
	}
	info, err := p.Chain.Dataset(ctx, id.Uint64())
	if err != nil {
		t.Fatal(err)
	}
	if info.Owner != w.Address {
		t.Fatalf("dataset %d owner %s, want the wallet %s", id, info.Owner.Hex(), w.Address.Hex())
	}
	// The transaction is the wallet's own: signed by its key, not by anything on this computer.
	tx, _, err := p.Chain.Eth().TransactionByHash(ctx, out.Receipt.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	if from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx); err != nil || from != w.Address {
		t.Fatalf("transaction signed by %s (%v), want the wallet %s", from.Hex(), err, w.Address.Hex())
	}
	if _, err := w.Wait(ctx, "ANSWERED"); err != nil {
		t.Fatal(err)
	}
}

// TestPhoneSDKRejected: the user declines the publish on the phone.
func TestPhoneSDKRejected(t *testing.T) {
	t.Parallel()
	p, w := phoneWithSDKWallet(t, wctest.RejectTx)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := p.Approve(ctx, publishRequest(p.Chain, w.Address, []byte{0x01, 0x55}))
	if out.Status != approval.Rejected || !errors.Is(out.Err, approval.ErrRejected) {
		t.Fatalf("outcome %s %v, want rejected", out.Status, out.Err)
	}
	t.Logf("message: %v", out.Err)
}
