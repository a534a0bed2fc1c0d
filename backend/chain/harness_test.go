package chain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/gethclient"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/contracts"
)

var (
	ds           = contracts.NewDataShare()
	ether        = big.NewInt(params.Ether)
	testCID      = []byte{0x01, 0x71, 0x12, 0x20, 0xaa, 0xbb}
	testEnvelope = []byte("age-encryption.org/v1 test envelope")
)

func eth(n int64) *big.Int   { return new(big.Int).Mul(big.NewInt(n), ether) }
func milli(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether/1000)) }

// sim is a simulated chain under mainnet rules, served over HTTP on 127.0.0.1, with funded
// accounts, DataShare deployed, a miner that seals a block whenever transactions are pending,
// and a Client dialled to it.
type sim struct {
	t        testing.TB
	backend  *simulated.Backend
	url      string
	keys     []*ecdsa.PrivateKey
	acct     []common.Address
	contract common.Address
	c        *Client
}

func testKey(t testing.TB, label string) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("datashare chain test " + label)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func newSim(t testing.TB, nkeys int) *sim {
	t.Helper()
	s := &sim{t: t}
	alloc := types.GenesisAlloc{}
	for i := range nkeys {
		k := testKey(t, fmt.Sprint(i))
		s.keys = append(s.keys, k)
		s.acct = append(s.acct, crypto.PubkeyToAddress(k.PublicKey))
		alloc[s.acct[i]] = types.Account{Balance: eth(1000)}
	}
	port := freePort(t)
	s.backend = simulated.NewBackend(alloc, func(nc *node.Config, ec *ethconfig.Config) {
		ec.Genesis.Config = devnet.ChainConfig()
		nc.HTTPHost = "127.0.0.1"
		nc.HTTPPort = port
		nc.HTTPModules = []string{"eth", "net", "web3"}
		nc.WSHost = "127.0.0.1" // the miner's subscription, on the same port
		nc.WSPort = port
		nc.WSModules = []string{"eth"}
		nc.IPCPath = ""
	})
	t.Cleanup(func() { s.backend.Close() })
	s.url = fmt.Sprintf("http://127.0.0.1:%d", port)

	// Deploy before the miner runs: one Commit seals it.
	ec := s.backend.Client()
	ctx := context.Background()
	code := append(common.FromHex(contracts.DataShareMetaData.Bin), ds.PackConstructor(big.NewInt(3600))...)
	head, err := ec.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := types.SignNewTx(s.keys[0], types.LatestSignerForChainID(big.NewInt(devnet.ChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(devnet.ChainID), Nonce: 0, GasTipCap: big.NewInt(params.GWei),
		GasFeeCap: new(big.Int).Add(big.NewInt(params.GWei), new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas:       3_000_000, Data: code,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ec.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	s.backend.Commit()
	rcpt, err := ec.TransactionReceipt(ctx, tx.Hash())
	if err != nil || rcpt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("deploy: %v %+v", err, rcpt)
	}
	s.contract = rcpt.ContractAddress
	s.startMiner()

	s.c, err = Dial(ctx, s.url, devnet.ChainID, s.contract)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.c.Close)
	return s
}

// startMiner seals blocks while transactions are pending, woken by the pool's new-transaction
// subscription (the simulated backend mines only on Commit).
func (s *sim) startMiner() {
	ctx, cancel := context.WithCancel(context.Background())
	rc, err := rpc.DialContext(ctx, strings.Replace(s.url, "http://", "ws://", 1))
	if err != nil {
		s.t.Fatal(err)
	}
	hashes := make(chan common.Hash, 256)
	sub, err := gethclient.New(rc).SubscribePendingTransactions(ctx, hashes)
	if err != nil {
		s.t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Err():
				return
			case <-hashes:
			}
			for {
				s.backend.Commit()
				n, err := s.backend.Client().PendingTransactionCount(ctx)
				if err != nil || n == 0 {
					break
				}
			}
		}
	}()
	// Registered after backend.Close, so it runs first.
	s.t.Cleanup(func() {
		cancel()
		sub.Unsubscribe()
		wg.Wait()
		rc.Close()
	})
}

// send runs tx through Estimate and SignAndSend from account i and fails the test on error.
func (s *sim) send(i int, data []byte, value *big.Int) *types.Receipt {
	s.t.Helper()
	r, err := s.trySend(i, data, value, nil)
	if err != nil {
		s.t.Fatalf("send from account %d: %v", i, err)
	}
	return r
}

func (s *sim) trySend(i int, data []byte, value *big.Int, j Journal) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tx := Tx{From: s.acct[i], To: s.contract, Data: data, Value: value}
	est, err := s.c.Estimate(ctx, tx)
	if err != nil {
		return nil, err
	}
	return s.c.SignAndSend(ctx, s.keys[i], tx, est, j)
}

func (s *sim) publish(i int, price *big.Int) uint64 {
	s.t.Helper()
	if price == nil {
		price = new(big.Int)
	}
	r := s.send(i, ds.PackPublish(testCID, price, testEnvelope), nil)
	return mustEvent(s.t, r, ds.UnpackPublishedEvent).Id.Uint64()
}

// mustEvent returns the one log of the receipt that unpack accepts.
func mustEvent[T any](t testing.TB, r *types.Receipt, unpack func(*types.Log) (*T, error)) *T {
	t.Helper()
	var found *T
	for _, l := range r.Logs {
		if ev, err := unpack(l); err == nil {
			if found != nil {
				t.Fatalf("more than one %T in receipt", found)
			}
			found = ev
		}
	}
	if found == nil {
		var zero T
		t.Fatalf("no %T event in receipt", zero)
	}
	return found
}

// memJournal records what SignAndSend journals.
type memJournal struct {
	mu    sync.Mutex
	saved []common.Hash
	raw   map[common.Hash][]byte
}

func (j *memJournal) SaveSigned(_ context.Context, hash common.Hash, raw []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.raw == nil {
		j.raw = make(map[common.Hash][]byte)
	}
	j.saved = append(j.saved, hash)
	j.raw[hash] = append([]byte(nil), raw...)
	return nil
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
