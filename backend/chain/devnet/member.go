package devnet

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rpc"
)

// How a Member watches the chain it joined.
const (
	// pollInterval is how often a joined Member checks that the chain still answers.
	pollInterval = 500 * time.Millisecond
	// pollTimeout bounds one check: a chain that does not answer within it is tried for a
	// takeover (which fails harmlessly with ErrInUse while its runner still holds the directory).
	pollTimeout = 2 * time.Second
	// joinTimeout bounds Join's wait for a runner that is still starting (it may be deploying
	// the contract on a first start).
	joinTimeout = 2 * time.Minute
)

// Member is one process's part in a local chain that several processes use: every DataShare
// profile of a user on one computer shares one chain directory. The first process that needs
// the chain runs it; the others join it over RPC. When the process running it exits (Close, a
// crash, kill -9), a joined Member notices within about a second and takes over: it starts the
// chain itself on the same directory and the same RPC port, so the URL every client dialled
// keeps working and nothing needs to reconnect. When several Members race to take over, one
// wins and the others keep joining.
//
// The chain keeps every block on disk as it is sealed (see Crashes in the package
// documentation), so a takeover after a kill loses nothing that was confirmed.
//
// Limit: when another program has taken the RPC port by the time the runner exits, a Member
// does not move the chain to another port (its clients could not follow); the chain stays down
// for the processes that joined it, Moved reports where it runs once some process started it
// anew, and those processes must be restarted to use it.
type Member struct {
	dir     string
	url     string
	dep     Deployment
	genesis common.Hash // tells this chain from another local chain on the same port

	mu      sync.Mutex
	node    *Node  // while this process runs the chain
	moved   string // the URL the chain was started on since, when it is not url
	lastErr string // the last failed takeover, logged once

	cancel    context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Join runs the local chain in opts.DataDir, or joins the process that runs it. opts.Prefund
// is funded only when this process starts the chain; a joining process funds its accounts
// with Fund. opts.Port applies to a chain this call starts. Join waits (bounded, and by ctx)
// for a runner that is still starting. Close the Member when done: it stops the chain when
// this process runs it, and another Member takes over.
func Join(ctx context.Context, opts Options) (*Member, error) {
	if opts.DataDir == "" {
		return nil, errors.New("devnet: no data directory")
	}
	dir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("devnet: %w", err)
	}
	opts.DataDir = dir
	m := &Member{dir: dir, done: make(chan struct{})}

	wctx, cancel := context.WithTimeout(ctx, joinTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var lastProbe error
	for {
		n, err := Start(ctx, opts)
		if err == nil {
			m.node, m.url, m.dep, m.genesis = n, n.RPCURL(), n.Deployment(), n.genesis()
			break
		}
		if !errors.Is(err, ErrInUse) {
			return nil, err
		}
		if m.url, m.dep, m.genesis, lastProbe = probe(wctx, dir); lastProbe == nil {
			break
		}
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%w in %s, but it does not answer: %w", ErrInUse, dir, lastProbe)
		case <-tick.C:
		}
	}

	sctx, scancel := context.WithCancel(context.Background())
	m.cancel = scancel
	go m.supervise(sctx)
	return m, nil
}

// probe reads the URL and deployment a runner recorded in dir and checks that this chain
// answers there with the contract deployed.
func probe(ctx context.Context, dir string) (string, Deployment, common.Hash, error) {
	rec, err := readRPCFile(dir)
	if err != nil {
		return "", Deployment{}, common.Hash{}, err
	}
	dep, err := ReadDeployment(dir)
	if err != nil {
		return "", Deployment{}, common.Hash{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, pollTimeout)
	defer cancel()
	rc, err := rpc.DialContext(ctx, rec.URL)
	if err != nil {
		return "", Deployment{}, common.Hash{}, err
	}
	defer rc.Close()
	if err := answers(ctx, rc, rec.Genesis); err != nil {
		return "", Deployment{}, common.Hash{}, err
	}
	var code hexutil.Bytes
	if err := rc.CallContext(ctx, &code, "eth_getCode", dep.Contract, "latest"); err != nil {
		return "", Deployment{}, common.Hash{}, err
	}
	if len(code) == 0 {
		return "", Deployment{}, common.Hash{}, fmt.Errorf("no contract at %s yet", dep.Contract.Hex())
	}
	return rec.URL, dep, rec.Genesis, nil
}

// answers checks that the chain at rc is the local chain with this genesis (zero: any): another
// local chain (another directory) may have been started on the same port since.
func answers(ctx context.Context, rc *rpc.Client, genesis common.Hash) error {
	var id hexutil.Big
	if err := rc.CallContext(ctx, &id, "eth_chainId"); err != nil {
		return err
	}
	if (*big.Int)(&id).Cmp(big.NewInt(ChainID)) != 0 {
		return fmt.Errorf("chain id %s answers, not the local chain's %d", (*big.Int)(&id), ChainID)
	}
	if genesis == (common.Hash{}) {
		return nil
	}
	var head struct {
		Hash common.Hash `json:"hash"`
	}
	if err := rc.CallContext(ctx, &head, "eth_getBlockByNumber", "0x0", false); err != nil {
		return err
	}
	if head.Hash != genesis {
		return fmt.Errorf("another local chain answers (genesis %s, not %s)", head.Hash.Hex(), genesis.Hex())
	}
	return nil
}

// supervise watches a joined chain and takes over when it stops answering.
func (m *Member) supervise(ctx context.Context) {
	defer close(m.done)
	if m.Running() {
		return // nothing to watch: this process runs the chain until Close
	}
	rc, err := rpc.DialContext(ctx, m.url) // HTTP: no connection is kept
	if err != nil {
		log.Warn("devnet: watch the local chain", "url", m.url, "err", err)
		return
	}
	defer rc.Close()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		pctx, cancel := context.WithTimeout(ctx, pollTimeout)
		err := answers(pctx, rc, m.genesis)
		cancel()
		if err == nil || ctx.Err() != nil {
			continue
		}
		if m.takeOver(ctx) {
			return
		}
	}
}

// takeOver starts the chain on the joined URL's port. It fails harmlessly while the runner still
// holds the directory (slow to answer, or exiting) and when another program listens on the
// port. It reports whether this process now runs it.
func (m *Member) takeOver(ctx context.Context) bool {
	port := urlPort(m.url)
	if port == 0 {
		return false
	}
	n, err := Start(ctx, Options{DataDir: m.dir, Port: port})
	switch {
	case err == nil:
		if n.Contract() != m.dep.Contract {
			// The chain lost its deployment (see Crashes): clients of the old address fail
			// with "no contract" until they restart.
			log.Warn("devnet: the local chain was redeployed after a takeover", "was", m.dep.Contract, "now", n.Contract())
		}
		m.mu.Lock()
		m.node = n
		m.mu.Unlock()
		return true
	case errors.Is(err, ErrInUse), errors.Is(err, ErrPortTaken):
		m.checkMoved() // another process won, or the runner is slow to answer, or another program took the port
	default:
		m.mu.Lock()
		first := m.lastErr != err.Error()
		m.lastErr = err.Error()
		m.mu.Unlock()
		if first {
			log.Warn("devnet: take over the local chain", "dir", m.dir, "err", err)
		}
	}
	return false
}

// checkMoved notes whether the chain's runner recorded another URL than the joined one.
func (m *Member) checkMoved() {
	u, err := JoinURL(m.dir)
	if err != nil || u == m.url {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.moved != u {
		m.moved = u
		log.Warn("devnet: the local chain moved to another port; restart to follow it", "was", m.url, "now", u)
	}
}

// urlPort is the port of an http://127.0.0.1:port URL, 0 if it has none.
func urlPort(raw string) int {
	u, err := url.Parse(raw)
	if err != nil {
		return 0
	}
	_, p, err := net.SplitHostPort(u.Host)
	if err != nil {
		return 0
	}
	port, _ := strconv.Atoi(p)
	return port
}

// RPCURL is the chain's JSON-RPC endpoint, http://127.0.0.1:port. It stays valid across
// takeovers.
func (m *Member) RPCURL() string { return m.url }

// Deployment is the DataShare contract every profile on this chain uses.
func (m *Member) Deployment() Deployment { return m.dep }

// Contract is the DataShare contract's address.
func (m *Member) Contract() common.Address { return m.dep.Contract }

// DeployBlock is the block the contract was deployed in: event scans start there.
func (m *Member) DeployBlock() uint64 { return m.dep.DeployBlock }

// DataDir is the chain's directory (absolute).
func (m *Member) DataDir() string { return m.dir }

// Running reports whether this process runs the chain (it started it, or took it over).
func (m *Member) Running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.node != nil
}

// Moved is the URL the chain runs on when it could not stay on RPCURL's port (see the limit in
// the Member documentation), else "".
func (m *Member) Moved() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.moved
}

// Close stops watching the chain and, when this process runs it, shuts it down cleanly; a
// joined Member in another process (or this one) then takes over.
func (m *Member) Close() error {
	m.closeOnce.Do(func() {
		if m.cancel != nil {
			m.cancel()
			<-m.done // no takeover can start after this
		}
		m.mu.Lock()
		n := m.node
		m.node = nil
		m.mu.Unlock()
		if n != nil {
			m.closeErr = n.Close()
		}
	})
	return m.closeErr
}
