package chain_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/contracts"
)

// These tests run on the embedded dev chain: it seals a block when a transaction arrives, so a
// transaction whose fee cap is below the base fee stays in the pool, as under a fee spike.

func TestMain(m *testing.M) {
	code := m.Run()
	devnettest.Close()
	os.Exit(code)
}

var (
	dsc      = contracts.NewDataShare()
	signer   = types.LatestSignerForChainID(big.NewInt(devnet.ChainID))
	envelope = []byte("age-encryption.org/v1 test envelope")
)

type journal struct {
	mu    sync.Mutex
	saved []common.Hash
}

func (j *journal) SaveSigned(_ context.Context, h common.Hash, _ []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.saved = append(j.saved, h)
	return nil
}

func (j *journal) hashes() []common.Hash {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]common.Hash(nil), j.saved...)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// sign signs a publish (or data, when given) from key with the given nonce and fees (nil: fees
// the chain mines now), without sending it.
func sign(t *testing.T, c *chain.Client, key *ecdsa.PrivateKey, nonce uint64, tip, feeCap *big.Int, data []byte) (*types.Transaction, []byte) {
	t.Helper()
	if data == nil {
		data = dsc.PackPublish([]byte{0x01, 0x71, 0x12, 0x20, byte(nonce)}, big.NewInt(0), envelope)
	}
	if feeCap == nil {
		head, err := c.Eth().HeaderByNumber(testCtx(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		tip = big.NewInt(1_000_000_000)
		feeCap = new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	}
	to := c.Contract()
	tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
		ChainID: big.NewInt(devnet.ChainID), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap,
		Gas: 300_000, To: &to, Data: data,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return tx, raw
}

// lowFeeTx is a transaction the chain never mines: its fee cap, 1 wei, is below the lowest base
// fee EIP-1559 reaches (7 wei).
func lowFeeTx(t *testing.T, c *chain.Client, key *ecdsa.PrivateKey, nonce uint64) (*types.Transaction, []byte) {
	t.Helper()
	return sign(t, c, key, nonce, big.NewInt(1), big.NewInt(1), nil)
}

// send sends tx, retrying while the node's pool has not yet caught up with the funding of a
// new key.
func send(t *testing.T, c *chain.Client, tx *types.Transaction) {
	t.Helper()
	ctx := testCtx(t)
	for {
		err := c.Eth().SendTransaction(ctx, tx)
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "insufficient funds") || ctx.Err() != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatal(err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestTrackStuckIsResigned: a transaction pending under a low fee is signed again with the same
// nonce and fees raised at least 10 %, journaled before it is sent, and mined.
func TestTrackStuckIsResigned(t *testing.T) {
	c := devnettest.Client(t)
	key := devnettest.FundedKey(t)
	ctx := testCtx(t)
	stuck, raw := lowFeeTx(t, c, key, 0)
	send(t, c, stuck)
	var j journal
	r, err := c.Track(ctx, raw, chain.Follow{Key: key, Journal: &j, StuckAfter: 300 * time.Millisecond, MaxWait: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	saved := j.hashes()
	if r.TxHash == stuck.Hash() || len(saved) == 0 || saved[len(saved)-1] != r.TxHash {
		t.Fatalf("receipt of %s; stuck %s; journaled %v", r.TxHash.Hex(), stuck.Hash().Hex(), saved)
	}
	mined, _, err := c.Eth().TransactionByHash(ctx, r.TxHash)
	if err != nil {
		t.Fatal(err)
	}
	min := func(v *big.Int) *big.Int {
		return new(big.Int).Div(new(big.Int).Mul(v, big.NewInt(110)), big.NewInt(100))
	}
	if mined.Nonce() != 0 || mined.GasTipCap().Cmp(min(stuck.GasTipCap())) < 0 || mined.GasFeeCap().Cmp(min(stuck.GasFeeCap())) < 0 {
		t.Fatalf("re-signed nonce %d tip %s cap %s; stuck tip %s cap %s", mined.Nonce(), mined.GasTipCap(), mined.GasFeeCap(), stuck.GasTipCap(), stuck.GasFeeCap())
	}
	if r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("status %d", r.Status)
	}
}

// TestTrackStuckWithoutKeyIsBounded: without the key a stuck transaction is waited for, within
// the bound, and reported pending; looking only reports it pending at once.
func TestTrackStuckWithoutKeyIsBounded(t *testing.T) {
	c := devnettest.Client(t)
	key := devnettest.FundedKey(t)
	ctx := testCtx(t)
	stuck, raw := lowFeeTx(t, c, key, 0)
	send(t, c, stuck)
	start := time.Now()
	_, err := c.Track(ctx, raw, chain.Follow{MaxWait: time.Second})
	if !errors.Is(err, chain.ErrPending) {
		t.Fatalf("err = %v, want ErrPending", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v with a bound of 1s", d)
	}
	if _, err := c.Track(ctx, raw, chain.Follow{Look: true}); !errors.Is(err, chain.ErrPending) {
		t.Fatalf("look: err = %v, want ErrPending", err)
	}
	// Clear it (the dev chain seals blocks while its pool holds a transaction).
	if _, err := c.Track(ctx, raw, chain.Follow{Key: key, StuckAfter: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
}

// TestTrackReplaced: a journaled transaction whose nonce another transaction used is
// ErrReplaced, whether looking or sending, and nothing is sent.
func TestTrackReplaced(t *testing.T) {
	c := devnettest.Client(t)
	key := devnettest.FundedKey(t)
	ctx := testCtx(t)
	_, journaled := sign(t, c, key, 0, nil, nil, nil) // signed, never sent
	other, _ := sign(t, c, key, 0, nil, nil, dsc.PackPublish([]byte{9, 9, 9}, big.NewInt(1), envelope))
	send(t, c, other)
	if _, err := c.WaitReceipt(ctx, other.Hash()); err != nil {
		t.Fatal(err)
	}
	for _, look := range []bool{true, false} {
		if _, err := c.Track(ctx, journaled, chain.Follow{Look: look, Key: key}); !errors.Is(err, chain.ErrReplaced) {
			t.Fatalf("look %v: err = %v, want ErrReplaced", look, err)
		}
	}
	n, err := c.Eth().PendingNonceAt(ctx, crypto.PubkeyToAddress(key.PublicKey))
	if err != nil || n != 1 {
		t.Fatalf("pending nonce %d, %v: want 1", n, err)
	}
}

// TestTrackDropped: a journaled transaction neither mined nor in the pool, its nonce free, is
// reported dropped when looking and sent again otherwise.
func TestTrackDropped(t *testing.T) {
	c := devnettest.Client(t)
	key := devnettest.FundedKey(t)
	ctx := testCtx(t)
	tx, raw := sign(t, c, key, 0, nil, nil, nil)
	if _, err := c.Track(ctx, raw, chain.Follow{Look: true}); !errors.Is(err, chain.ErrDropped) {
		t.Fatalf("look: err = %v, want ErrDropped", err)
	}
	r, err := c.Track(ctx, raw, chain.Follow{})
	if err != nil || r.TxHash != tx.Hash() || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("track = %+v, %v", r, err)
	}
}

// TestTrackReverted: a journaled transaction mined with status 0 gives its receipt and
// ErrTxFailed with the decoded reason.
func TestTrackReverted(t *testing.T) {
	c := devnettest.Client(t)
	key := devnettest.FundedKey(t)
	ctx := testCtx(t)
	_, raw := sign(t, c, key, 0, nil, nil, dsc.PackUpdate(big.NewInt(1_000_000), []byte{1, 2}, envelope))
	r, err := c.Track(ctx, raw, chain.Follow{})
	if !errors.Is(err, chain.ErrTxFailed) || !errors.Is(err, chain.ErrNotFound) || r == nil || r.Status != 0 {
		t.Fatalf("track = %+v, %v; want the receipt and ErrTxFailed for an unknown dataset", r, err)
	}
	t.Log(err)
}

// TestTrackEarlierSigningMined: when an earlier signing of the same nonce is the one mined, its
// receipt is the answer.
func TestTrackEarlierSigningMined(t *testing.T) {
	c := devnettest.Client(t)
	key := devnettest.FundedKey(t)
	ctx := testCtx(t)
	first, _ := sign(t, c, key, 0, nil, nil, nil)
	_, later := lowFeeTx(t, c, key, 0) // the journal's latest signing, never mined
	send(t, c, first)
	if _, err := c.WaitReceipt(ctx, first.Hash()); err != nil {
		t.Fatal(err)
	}
	r, err := c.Track(ctx, later, chain.Follow{Earlier: []common.Hash{first.Hash()}})
	if err != nil || r.TxHash != first.Hash() {
		t.Fatalf("track = %+v, %v; want the receipt of %s", r, err, first.Hash().Hex())
	}
}
