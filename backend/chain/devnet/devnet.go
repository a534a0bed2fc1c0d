package devnet

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/datashare/datashare/contracts"
)

// Options configures Start.
type Options struct {
	// DataDir holds the chain (persistent), deployment.json and rpc.json. Required.
	DataDir string
	// Port is the RPC port on 127.0.0.1; ErrPortTaken if something listens on it. 0: the port
	// recorded in DataDir by an earlier start if it is free, else any free port. The port used is
	// recorded.
	Port int
	// Prefund are funded with PrefundAmount: in the genesis on the first start, and on later
	// starts by the faucet if their balance is zero.
	Prefund []common.Address
	// RefundTimeout is the escrow timeout, in seconds, the contract is deployed with when this
	// start deploys it (0: the timeout of the chain's existing deployment, else the default
	// RefundTimeout). Tests of refunds use a few seconds, so the real timeout passes in real time.
	RefundTimeout uint64
}

// Node is a running local chain.
type Node struct {
	dir    string
	stack  *node.Node
	eth    *eth.Ethereum
	client *ethclient.Client // in-process
	url    string
	dep    Deployment

	closeOnce sync.Once
	closeErr  error
}

// ErrInUse: another Node (in this process or another) runs the chain in this DataDir. Connect to
// it over RPC with the URL from JoinURL.
var ErrInUse = errors.New("the local chain is already running")

// ErrPortTaken: Options.Port was given and something else listens on it.
var ErrPortTaken = errors.New("the local chain's port is taken by another program")

// Chain parameters.
const (
	// GasLimit is the block gas limit: generous, so that gas never limits a local test.
	GasLimit = 60_000_000
	// RefundTimeout is the escrow timeout the contract is deployed with, in seconds.
	RefundTimeout = 24 * 60 * 60
)

// PrefundAmount is what each Options.Prefund account receives: 1000 ETH of play money.
var PrefundAmount = new(big.Int).Mul(big.NewInt(1000), big.NewInt(params.Ether))

// startTimeout bounds the transactions Start sends (deployment, funding).
const startTimeout = time.Minute

// Start opens the local chain in opts.DataDir, creating it on the first start (genesis with the
// faucet and opts.Prefund funded, DataShare deployed and recorded in deployment.json), and serves
// JSON-RPC (eth, net, web3, txpool) on 127.0.0.1. Blocks are sealed as soon as a transaction
// arrives. ErrInUse: another Node runs in DataDir.
func Start(ctx context.Context, opts Options) (*Node, error) {
	if opts.DataDir == "" {
		return nil, errors.New("devnet: no data directory")
	}
	dir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}

	// The port is chosen once this process holds the directory: one that does not must not
	// probe the port, which could make the runner's own listen fail.
	port, fixed := opts.Port, opts.Port != 0
	if !fixed {
		if rec, err := readRPCFile(dir); err == nil && rec.Port > 0 {
			port = rec.Port
		}
	}
	stack, err := newStack(dir, port)
	if err != nil {
		return nil, err
	}
	if port != 0 && !portFree(port) {
		stack.Close()
		if fixed {
			return nil, fmt.Errorf("%w: 127.0.0.1:%d", ErrPortTaken, port)
		}
		if stack, err = newStack(dir, 0); err != nil { // any free port, recorded once started
			return nil, err
		}
	}
	n, err := start(ctx, stack, dir, opts)
	if err != nil {
		stack.Close()
		return nil, err
	}
	return n, nil
}

// newStack makes the node for dir, serving RPC on 127.0.0.1:port (0: any free port), and takes
// the directory's lock: ErrInUse when another node holds it.
func newStack(dir string, port int) (*node.Node, error) {
	stack, err := node.New(&node.Config{
		Name:                 "geth", // so that `geth --datadir DataDir` can open the chain for debugging
		DataDir:              dir,
		HTTPHost:             "127.0.0.1",
		HTTPPort:             port,
		HTTPModules:          []string{"eth", "net", "web3", "txpool"},
		HTTPVirtualHosts:     []string{"localhost"}, // and any IP literal: DNS rebinding protection
		HTTPTimeouts:         rpc.DefaultHTTPTimeouts,
		BatchRequestLimit:    node.DefaultConfig.BatchRequestLimit,
		BatchResponseMaxSize: node.DefaultConfig.BatchResponseMaxSize,
		IPCPath:              "", // no IPC socket
		P2P: p2p.Config{
			MaxPeers:    0,
			NoDiscovery: true,
			NoDial:      true,
			ListenAddr:  "",
		},
	})
	if errors.Is(err, node.ErrDatadirUsed) {
		return nil, fmt.Errorf("%w in %s: use JoinURL to connect to it", ErrInUse, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}
	return stack, nil
}

func start(ctx context.Context, stack *node.Node, dir string, opts Options) (*Node, error) {
	faucet := crypto.PubkeyToAddress(FaucetKey().PublicKey)
	cfg := ethconfig.Defaults
	cfg.NetworkId = ChainID
	cfg.SyncMode = ethconfig.FullSync
	cfg.Miner.GasCeil = GasLimit
	cfg.Miner.GasPrice = big.NewInt(1) // as geth --dev: any tip is mined
	cfg.Miner.PendingFeeRecipient = faucet
	// A desktop app's chain: small caches (go-ethereum's defaults are sized for mainnet).
	cfg.DatabaseCache = 32
	cfg.TrieCleanCache = 16
	cfg.TrieDirtyCache = 16
	cfg.FilterLogCacheSize = 8
	// go-ethereum's journal of the transactions it received (transactions.rlp, see the package
	// documentation) is read back, with a signature check per transaction, at every start, and
	// only rewritten without the mined ones every Rejournal (an hour by default): after 1,000
	// publishes it held 640 KB and cost a cold command a few hundred milliseconds. Rewritten at
	// the first check (10 s after the start), it holds only what is still pending.
	cfg.TxPool.Rejournal = 5 * time.Second
	// Crash safety (see the package documentation): every block's state is written to the
	// database (hash scheme, archive mode), and headSyncer fsyncs it after each new head.
	cfg.StateScheme = rawdb.HashScheme
	cfg.NoPruning = true
	cfg.SnapshotCache = 0 // no snapshot: nothing to regenerate after a crash

	if rawdb.PreexistingDatabase(stack.ResolvePath("chaindata")) == "" {
		genesis := core.DeveloperGenesisBlock(GasLimit, &faucet)
		genesis.Config = ChainConfig()
		for _, a := range opts.Prefund {
			genesis.Alloc[a] = types.Account{Balance: new(big.Int).Set(PrefundAmount)}
		}
		cfg.Genesis = genesis
	}
	backend, err := eth.New(stack, &cfg)
	if err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}
	// eth_getLogs and the filter API.
	fs := filters.NewFilterSystem(backend.APIBackend, filters.Config{LogCacheSize: cfg.FilterLogCacheSize})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(fs)}})
	// Period 0: a block is sealed as soon as a transaction arrives.
	beacon, err := catalyst.NewSimulatedBeacon(0, faucet, backend)
	if err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}
	catalyst.RegisterSimulatedBeaconAPIs(stack, beacon)
	stack.RegisterLifecycle(beacon)
	// Registered last, so stopped first: no sync after the database is closed.
	if headSync {
		stack.RegisterLifecycle(&headSyncer{eth: backend})
	}
	if err := stack.Start(); err != nil {
		return nil, fmt.Errorf("devnet: start on 127.0.0.1:%d: %w", stack.Config().HTTPPort, err)
	}

	n := &Node{dir: dir, stack: stack, eth: backend, client: ethclient.NewClient(stack.Attach()), url: stack.HTTPEndpoint()}
	if err := n.recordRPC(); err != nil {
		n.client.Close()
		return nil, err
	}
	if err := n.ensureDeployed(ctx, opts.RefundTimeout); err != nil {
		n.client.Close()
		return nil, err
	}
	if err := n.ensureFunded(ctx, opts.Prefund); err != nil {
		n.client.Close()
		return nil, err
	}
	return n, nil
}

// recordRPC writes rpc.json for JoinURL and the next start.
func (n *Node) recordRPC() error {
	_, portStr, err := net.SplitHostPort(n.url[len("http://"):])
	if err != nil {
		return fmt.Errorf("devnet: endpoint %s: %w", n.url, err)
	}
	port, _ := strconv.Atoi(portStr)
	return writeJSON(filepath.Join(n.dir, rpcFile), rpcRecord{URL: n.url, Port: port, Genesis: n.genesis()})
}

// genesis is the hash of the chain's first block.
func (n *Node) genesis() common.Hash { return n.eth.BlockChain().Genesis().Hash() }

// ensureDeployed deploys DataShare unless deployment.json names a contract the chain has, built
// from this DataShare's code. A chain made by an older build of the app, whose contract lacks
// functions this one calls, gets the current contract (its datasets stay in the old one).
// timeout is the refund timeout to deploy with (0: the existing deployment's, else
// RefundTimeout).
func (n *Node) ensureDeployed(ctx context.Context, timeout uint64) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	dep, depErr := ReadDeployment(n.dir)
	if timeout == 0 {
		timeout = RefundTimeout
		if depErr == nil && dep.RefundTimeout != 0 {
			timeout = dep.RefundTimeout
		}
	}
	ds := contracts.NewDataShare()
	code := append(common.FromHex(contracts.DataShareMetaData.Bin), ds.PackConstructor(new(big.Int).SetUint64(timeout))...)
	codeHash := crypto.Keccak256Hash(code)
	if depErr == nil && dep.ChainID == ChainID && dep.CodeHash == codeHash {
		code, err := n.client.CodeAt(ctx, dep.Contract, nil)
		if err != nil {
			return fmt.Errorf("devnet: read contract code: %w", err)
		}
		if len(code) > 0 {
			n.dep = dep
			return nil
		}
		// The chain lost the deployment (killed before a clean shutdown): deploy again.
	}
	rcpt, err := faucetSend(ctx, n.client, nil, nil, code)
	if err != nil {
		return fmt.Errorf("devnet: deploy DataShare: %w", err)
	}
	// Check the code at the receipt's block, not at "latest" (see notes on bind.WaitDeployed).
	got, err := n.client.CodeAt(ctx, rcpt.ContractAddress, rcpt.BlockNumber)
	if err != nil || len(got) == 0 {
		return fmt.Errorf("devnet: deploy DataShare: no code at %s after deployment (%v)", rcpt.ContractAddress.Hex(), err)
	}
	n.dep = Deployment{
		Contract:      rcpt.ContractAddress,
		DeployBlock:   rcpt.BlockNumber.Uint64(),
		ChainID:       ChainID,
		DeployTx:      rcpt.TxHash,
		RefundTimeout: timeout,
		CodeHash:      codeHash,
	}
	return writeJSON(filepath.Join(n.dir, deploymentFile), n.dep)
}

// ensureFunded funds the accounts with a zero balance (on a first start the genesis did).
func (n *Node) ensureFunded(ctx context.Context, accounts []common.Address) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for _, a := range accounts {
		bal, err := n.client.BalanceAt(ctx, a, nil)
		if err != nil {
			return fmt.Errorf("devnet: balance of %s: %w", a.Hex(), err)
		}
		if bal.Sign() > 0 {
			continue
		}
		to := a
		if _, err := faucetSend(ctx, n.client, &to, PrefundAmount, nil); err != nil {
			return fmt.Errorf("devnet: fund %s: %w", a.Hex(), err)
		}
	}
	return nil
}

// RPCURL is the JSON-RPC endpoint, http://127.0.0.1:port.
func (n *Node) RPCURL() string { return n.url }

// Contract is the DataShare contract's address.
func (n *Node) Contract() common.Address { return n.dep.Contract }

// DeployBlock is the block the contract was deployed in: event scans start there.
func (n *Node) DeployBlock() uint64 { return n.dep.DeployBlock }

// Deployment is what deployment.json records.
func (n *Node) Deployment() Deployment { return n.dep }

// DataDir is the chain's directory (absolute).
func (n *Node) DataDir() string { return n.dir }

// Close shuts the chain down cleanly: it stops RPC, then writes the state journal, without which
// the next start would go back to the previous clean shutdown. Call it on quit and on signals.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		n.client.Close()
		n.closeErr = n.stack.Close()
	})
	return n.closeErr
}

// portFree reports whether 127.0.0.1:port can be listened on.
func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// headSync: whether Start registers the headSyncer (tests turn it off).
var headSync = true

// headSyncer makes each new head durable. go-ethereum writes to its database without waiting for
// the write-ahead log (pebble.NoSync), so a killed process loses whatever the log had not
// flushed: with a block every few minutes, that is every block since the last clean shutdown.
type headSyncer struct {
	eth  *eth.Ethereum
	quit chan struct{}
	done chan struct{}
}

func (h *headSyncer) Start() error {
	h.quit, h.done = make(chan struct{}), make(chan struct{})
	heads := make(chan core.ChainHeadEvent, 16)
	sub := h.eth.BlockChain().SubscribeChainHeadEvent(heads)
	go func() {
		defer close(h.done)
		defer sub.Unsubscribe()
		for {
			select {
			case <-heads:
				// Coalesce a burst of heads into one sync.
				for drained := false; !drained; {
					select {
					case <-heads:
					default:
						drained = true
					}
				}
				if err := h.eth.ChainDb().SyncKeyValue(); err != nil {
					log.Warn("devnet: sync database", "err", err)
				}
			case <-sub.Err():
				return
			case <-h.quit:
				return
			}
		}
	}()
	return nil
}

func (h *headSyncer) Stop() error {
	close(h.quit)
	<-h.done
	return nil
}
