// Package devnettest gives tests a local chain: one embedded dev chain per test process, with
// DataShare deployed and funded keys, on 127.0.0.1 only.
//
// Call Close from TestMain after m.Run.
package devnettest

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/chain"
	"github.com/datashare/datashare/backend/chain/devnet"
)

var (
	once sync.Once
	node *devnet.Node
	err  error
	dir  string
)

// Shared is the process's test chain, started on first use.
func Shared(t testing.TB) *devnet.Node {
	t.Helper()
	once.Do(func() {
		if dir, err = os.MkdirTemp("", "devnettest-"); err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		node, err = devnet.Start(ctx, devnet.Options{DataDir: dir})
	})
	if err != nil {
		t.Fatalf("devnet: %v", err)
	}
	return node
}

// Close stops the shared chain and removes its directory, if it was started.
func Close() {
	if node != nil {
		node.Close()
	}
	if dir != "" {
		os.RemoveAll(dir)
	}
}

// Client dials the shared chain; the client is closed when the test ends.
func Client(t testing.TB) *chain.Client {
	t.Helper()
	n := Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := chain.Dial(ctx, n.RPCURL(), devnet.ChainID, n.Contract())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// FundedKey makes a key holding 10 ETH on the shared chain.
func FundedKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	Fund(t, Shared(t).RPCURL(), crypto.PubkeyToAddress(k.PublicKey), new(big.Int).Mul(big.NewInt(10), big.NewInt(params.Ether)))
	return k
}

// Fund sends amount from the faucet of the local chain at rpcURL and waits until the latest state
// shows it: the dev chain serves the funding's receipt a moment before its "latest" state has
// the balance.
func Fund(t testing.TB, rpcURL string, to common.Address, amount *big.Int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ec, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	before, err := ec.BalanceAt(ctx, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := new(big.Int).Add(before, amount)
	if _, err := devnet.Fund(ctx, rpcURL, to, amount); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		bal, err := ec.BalanceAt(ctx, to, nil)
		if err == nil && bal.Cmp(want) >= 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the funding of %s never showed: %v", to.Hex(), err)
		case <-tick.C:
		}
	}
}
