package approval_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/walletconnect"
	"github.com/datashare/datashare/contracts"
)

var ds = contracts.NewDataShare()

func TestMain(m *testing.M) {
	code := m.Run()
	devnettest.Close()
	os.Exit(code)
}

// publishRequest is a DataShare publish, checked like share does: a Published event owned by
// owner with this CID.
func publishRequest(c *chain.Client, owner common.Address, cid []byte) approval.Request {
	return approval.Request{
		Action:  "Publish dataset",
		Dataset: "report.pdf",
		To:      c.Contract(),
		Data:    ds.PackPublish(cid, big.NewInt(0), []byte("age-encryption.org/v1 owner envelope")),
		Check: func(r *types.Receipt) error {
			for _, l := range r.Logs {
				if ev, err := ds.UnpackPublishedEvent(l); err == nil {
					if ev.Owner != owner || !bytes.Equal(ev.MetadataCid, cid) {
						return errors.New("its Published event is for another dataset")
					}
					return nil
				}
			}
			return errors.New("it records no Published event")
		},
	}
}

// fakeWallet is a PhoneWallet in Go: it does what send says with the request.
type fakeWallet struct {
	sess *walletconnect.Session
	send func(ctx context.Context, tx walletconnect.Transaction) (common.Hash, error)
}

func (f *fakeWallet) Session() *walletconnect.Session { return f.sess }
func (f *fakeWallet) SendTransaction(ctx context.Context, tx walletconnect.Transaction) (common.Hash, error) {
	return f.send(ctx, tx)
}

// signAndSend signs tx (changed by edit, if not nil) with key and broadcasts it, as a wallet
// would, returning its hash.
func signAndSend(ctx context.Context, c *chain.Client, key *ecdsa.PrivateKey, tx walletconnect.Transaction, edit func(*types.DynamicFeeTx)) (common.Hash, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := c.Eth().PendingNonceAt(ctx, from)
	if err != nil {
		return common.Hash{}, err
	}
	tip, err := c.Eth().SuggestGasTipCap(ctx)
	if err != nil {
		return common.Hash{}, err
	}
	head, err := c.Eth().HeaderByNumber(ctx, nil)
	if err != nil {
		return common.Hash{}, err
	}
	value := tx.Value
	if value == nil {
		value = new(big.Int)
	}
	to := tx.To
	dyn := &types.DynamicFeeTx{
		ChainID:   new(big.Int).SetUint64(tx.ChainID),
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas:       tx.Gas,
		To:        &to,
		Value:     value,
		Data:      tx.Data,
	}
	if edit != nil {
		edit(dyn)
	}
	signed, err := types.SignNewTx(key, types.LatestSignerForChainID(dyn.ChainID), dyn)
	if err != nil {
		return common.Hash{}, err
	}
	// The dev chain's transaction pool learns of a new block (the funding) a moment after the
	// block is visible over RPC: until then it sees no balance. Retry that, with a deadline.
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := c.Eth().SendTransaction(ctx, signed)
		if err == nil || !strings.Contains(err.Error(), "insufficient funds") || time.Now().After(deadline) {
			return signed.Hash(), err
		}
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return common.Hash{}, ctx.Err()
		case <-t.C:
		}
	}
}

func session(key *ecdsa.PrivateKey) *walletconnect.Session {
	return &walletconnect.Session{Account: crypto.PubkeyToAddress(key.PublicKey), ChainID: devnet.ChainID, Wallet: walletconnect.Metadata{Name: "fake"}}
}

type journal struct {
	hash common.Hash
	raw  []byte
}

func (j *journal) SaveSigned(_ context.Context, h common.Hash, raw []byte) error {
	j.hash, j.raw = h, raw
	return nil
}

func TestPhoneOutcomes(t *testing.T) {
	c := devnettest.Client(t)
	cid := func(s string) []byte { return append([]byte{0x01, 0x71, 0x12, 0x20}, []byte(s)...) }
	tests := []struct {
		name   string
		send   func(ctx context.Context, key *ecdsa.PrivateKey, tx walletconnect.Transaction) (common.Hash, error)
		status approval.Status
		is     error  // the outcome's error matches it
		msg    string // and contains it
	}{{
		name: "approved",
		send: func(ctx context.Context, key *ecdsa.PrivateKey, tx walletconnect.Transaction) (common.Hash, error) {
			return signAndSend(ctx, c, key, tx, nil)
		},
		status: approval.Approved,
	}, {
		name: "rejected on the phone",
		send: func(context.Context, *ecdsa.PrivateKey, walletconnect.Transaction) (common.Hash, error) {
			return common.Hash{}, &walletconnect.WalletError{Code: 5000, Message: "User rejected."}
		},
		status: approval.Rejected,
		is:     approval.ErrRejected,
	}, {
		name: "expired on the phone",
		send: func(context.Context, *ecdsa.PrivateKey, walletconnect.Transaction) (common.Hash, error) {
			return common.Hash{}, walletconnect.ErrExpired
		},
		status: approval.Expired,
		is:     approval.ErrExpired,
	}, {
		name: "a hash the network never sees",
		send: func(context.Context, *ecdsa.PrivateKey, walletconnect.Transaction) (common.Hash, error) {
			return common.HexToHash("0x5eed"), nil
		},
		status: approval.Failed,
		msg:    "probably never sent",
	}, {
		name: "the hash of another transaction",
		send: func(ctx context.Context, key *ecdsa.PrivateKey, tx walletconnect.Transaction) (common.Hash, error) {
			return signAndSend(ctx, c, key, tx, func(d *types.DynamicFeeTx) {
				d.Data = ds.PackRegisterKey([32]byte{9})
			})
		},
		status: approval.Failed,
		msg:    "not the one approved",
	}, {
		name: "mined but failed (out of gas)",
		send: func(ctx context.Context, key *ecdsa.PrivateKey, tx walletconnect.Transaction) (common.Hash, error) {
			return signAndSend(ctx, c, key, tx, func(d *types.DynamicFeeTx) { d.Gas = 30_000 })
		},
		status: approval.Failed,
		is:     chain.ErrTxFailed,
	}, {
		name: "sent, but the answer was lost",
		send: func(ctx context.Context, key *ecdsa.PrivateKey, tx walletconnect.Transaction) (common.Hash, error) {
			if _, err := signAndSend(ctx, c, key, tx, nil); err != nil {
				return common.Hash{}, err
			}
			return common.Hash{}, walletconnect.ErrExpired
		},
		status: approval.Approved,
	}, {
		name: "relay down, nothing sent",
		send: func(context.Context, *ecdsa.PrivateKey, walletconnect.Transaction) (common.Hash, error) {
			return common.Hash{}, walletconnect.ErrRelayUnavailable
		},
		status: approval.Failed,
		is:     walletconnect.ErrRelayUnavailable,
	}}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key := devnettest.FundedKey(t)
			owner := crypto.PubkeyToAddress(key.PublicKey)
			var notified approval.Summary
			p := &approval.Phone{
				Chain: c,
				Wallet: &fakeWallet{sess: session(key), send: func(ctx context.Context, tx walletconnect.Transaction) (common.Hash, error) {
					if tx.From != owner || tx.ChainID != devnet.ChainID || tx.Gas == 0 {
						t.Errorf("asked the wallet for %+v", tx)
					}
					return tt.send(ctx, key, tx)
				}},
				Network: "local",
				Notify:  func(_ context.Context, s approval.Summary) { notified = s },
				// Long enough for a loaded machine to mine the transaction a lost answer sent
				// (only "a hash the network never sees" waits it out).
				AppearTimeout: 5 * time.Second,
			}
			if p.Account() != owner {
				t.Fatalf("Account %s, want %s", p.Account().Hex(), owner.Hex())
			}
			req := publishRequest(c, owner, cid(string(rune('a'+i))))
			j := &journal{}
			req.Journal = j
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out := p.Approve(ctx, req)
			if out.Status != tt.status {
				t.Fatalf("status %s (%v), want %s", out.Status, out.Err, tt.status)
			}
			if notified.Account != owner.Hex() || notified.Gas == 0 || notified.Fee == nil || notified.Action != "Publish dataset" {
				t.Errorf("summary %+v", notified)
			}
			if tt.is != nil && !errors.Is(out.Err, tt.is) {
				t.Errorf("error %v, want %v", out.Err, tt.is)
			}
			if tt.msg != "" && (out.Err == nil || !strings.Contains(out.Err.Error(), tt.msg)) {
				t.Errorf("error %v, want it to say %q", out.Err, tt.msg)
			}
			if out.Status == approval.Approved {
				if out.Receipt == nil || j.hash != out.Receipt.TxHash || len(j.raw) == 0 {
					t.Errorf("receipt %v, journaled %s", out.Receipt, j.hash.Hex())
				}
				if out.Err != nil {
					t.Errorf("approved with error %v", out.Err)
				}
			}
		})
	}
}

func TestPhoneWithoutSession(t *testing.T) {
	c := devnettest.Client(t)
	p := &approval.Phone{Chain: c, Wallet: &fakeWallet{}}
	if p.Account() != (common.Address{}) {
		t.Fatal("an account without a session")
	}
	out := p.Approve(context.Background(), publishRequest(c, common.Address{}, []byte{1}))
	if out.Status != approval.Failed || !errors.Is(out.Err, walletconnect.ErrNoSession) {
		t.Fatalf("outcome %s %v, want failed with ErrNoSession", out.Status, out.Err)
	}
}
