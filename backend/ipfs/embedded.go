package ipfs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	fslock "github.com/ipfs/go-fs-lock"
	"github.com/ipfs/kubo/config"
	"github.com/ipfs/kubo/core"
	"github.com/ipfs/kubo/core/coreapi"
	iface "github.com/ipfs/kubo/core/coreiface"
	"github.com/ipfs/kubo/core/coreiface/options"
	"github.com/ipfs/kubo/core/corerepo"
	"github.com/ipfs/kubo/core/node/libp2p"
	"github.com/ipfs/kubo/plugin/loader"
	"github.com/ipfs/kubo/repo"
	"github.com/ipfs/kubo/repo/fsrepo"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"

	"github.com/datashare/datashare/backend/ipfs/internal/kuboconf"
)

// plugins are injected into Kubo's process-global registries once.
var plugins struct {
	once sync.Once
	err  error
}

func injectPlugins() error {
	plugins.once.Do(func() {
		pl, err := loader.NewPluginLoader("")
		if err == nil {
			err = pl.Initialize()
		}
		if err == nil {
			err = pl.Inject()
		}
		if err != nil {
			plugins.err = fmt.Errorf("loading Kubo plugins: %w", err)
		}
	})
	return plugins.err
}

// nodes holds the embedded nodes running in this process, by repository
// path: Kubo does not stop a second node from opening the same repository
// within one process, so Open shares the first one.
var nodes = struct {
	sync.Mutex
	m map[string]*sharedNode
}{m: map[string]*sharedNode{}}

// sharedNode is one embedded node and the Stores using it.
type sharedNode struct {
	dir     string
	network Network
	refs    int

	node   *core.IpfsNode
	api    iface.CoreAPI
	boot   *bootstrapper // public network: dials the bootstrap peers in the background
	stopGC context.CancelFunc
	gcDone chan struct{}
}

func openEmbedded(ctx context.Context, opts Options) (*Store, error) {
	if opts.RepoPath == "" {
		return nil, errors.New("ipfs: Options.RepoPath is required for the embedded node")
	}
	dir, err := filepath.Abs(opts.RepoPath)
	if err != nil {
		return nil, fmt.Errorf("ipfs: repository path %s: %w", opts.RepoPath, err)
	}
	if home, err := os.UserHomeDir(); err == nil && dir == filepath.Join(home, ".ipfs") {
		return nil, fmt.Errorf("ipfs: refusing to run the embedded node on %s, the user's own IPFS repository; use a directory of the application's own", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ipfs: creating repository: %w", err)
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if err := injectPlugins(); err != nil {
		return nil, fmt.Errorf("ipfs: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("ipfs: opening %s: %w", dir, err)
	}

	nodes.Lock()
	defer nodes.Unlock()
	n := nodes.m[dir]
	if n == nil {
		n, err = startNode(ctx, dir, opts)
		if err != nil {
			return nil, err
		}
		nodes.m[dir] = n
	} else if n.network != opts.Network {
		return nil, fmt.Errorf("ipfs: repository %s is already open in this process on the %s network", dir, n.network)
	}
	n.refs++
	return &Store{
		mode:   ModeEmbedded,
		api:    n.api,
		peerID: n.node.Identity,
		stall:  opts.StallTimeout,
		shared: n,
	}, nil
}

// release drops one Store's reference; the last one stops the node.
func (n *sharedNode) release() error {
	nodes.Lock()
	defer nodes.Unlock()
	n.refs--
	if n.refs > 0 {
		return nil
	}
	delete(nodes.m, n.dir)
	n.stopGC()
	<-n.gcDone
	n.boot.stop()
	if n.node.Bootstrapper != nil {
		n.node.Bootstrapper.Close() // Kubo's own, which IpfsNode.Close leaves running
	}
	if err := n.node.Close(); err != nil {
		return fmt.Errorf("ipfs: stopping the embedded node: %w", err)
	}
	return nil
}

func startNode(ctx context.Context, dir string, opts Options) (*sharedNode, error) {
	if !fsrepo.IsInitialized(dir) {
		if err := initRepo(dir, opts.Network); err != nil {
			return nil, err
		}
	}
	r, err := fsrepo.Open(dir)
	if err != nil {
		if errors.As(err, new(fslock.LockedError)) {
			return nil, fmt.Errorf("ipfs: opening %s: %w (is an ipfs daemon or another DataShare running on it?): %w", dir, ErrRepoLocked, err)
		}
		return nil, fmt.Errorf("ipfs: opening repository %s: %w", dir, err)
	}
	stored, err := r.Config()
	var cfg *config.Config
	if err == nil {
		cfg, err = stored.Clone()
	}
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("ipfs: reading the configuration of %s: %w", dir, err)
	}
	applyOptions(cfg, opts)

	router := libp2p.NilRouterOption
	var peers []peer.AddrInfo
	if opts.Network == Public {
		if peers, err = bootstrapPeers(cfg, r); err != nil {
			r.Close()
			return nil, fmt.Errorf("ipfs: the bootstrap peers of %s: %w", dir, err)
		}
		// The DHT still gets the bootstrap peers (it falls back on them when its routing table
		// empties); the node's own first round of dials is left to startBootstrap.
		dhtClient := func(args libp2p.RoutingOptionArgs) (routing.Routing, error) {
			args.BootstrapPeers = peers
			return libp2p.DHTClientOption(args)
		}
		router = libp2p.ConstructDefaultRouting(cfg, dhtClient)
	}
	rr := &runtimeRepo{Repo: r, cfg: cfg}
	// core.NewNode stops the node when the context it is given ends: give it
	// one that lives as long as the node (Close stops it).
	node, err := core.NewNode(context.WithoutCancel(ctx), &core.BuildCfg{
		Online:          true,
		Permanent:       true,
		Repo:            rr,
		Routing:         router,
		ShutdownTimeout: shutdownTimeout,
	})
	if err != nil {
		if node != nil {
			node.Close()
		}
		rr.Close()
		return nil, fmt.Errorf("ipfs: starting the embedded node on %s: %w", dir, err)
	}
	api, err := coreapi.NewCoreAPI(node)
	if err != nil {
		node.Close()
		return nil, fmt.Errorf("ipfs: starting the embedded node on %s: %w", dir, err)
	}

	// The node is up; reaching the network is the background's work (Close stops it).
	boot := startBootstrap(node.PeerHost, peers)

	gcCtx, stopGC := context.WithCancel(context.Background())
	gcDone := make(chan struct{})
	go func() {
		defer close(gcDone)
		// Errors here are configuration errors caught by applyOptions.
		_ = corerepo.PeriodicGC(gcCtx, node)
	}()

	return &sharedNode{
		dir:     dir,
		network: opts.Network,
		node:    node,
		api:     api,
		boot:    boot,
		stopGC:  stopGC,
		gcDone:  gcDone,
	}, nil
}

// initRepo creates a repository with an Ed25519 identity.
func initRepo(dir string, network Network) error {
	id, err := config.CreateIdentity(io.Discard, []options.KeyGenerateOption{options.Key.Type(options.Ed25519Key)})
	if err != nil {
		return fmt.Errorf("ipfs: creating an identity: %w", err)
	}
	cfg, err := config.InitWithIdentity(id)
	if err != nil {
		return fmt.Errorf("ipfs: creating a configuration: %w", err)
	}
	if network == Loopback {
		if err := kuboconf.Loopback(cfg); err != nil {
			return fmt.Errorf("ipfs: %w", err)
		}
	}
	if err := fsrepo.Init(dir, cfg); err != nil {
		return fmt.Errorf("ipfs: creating repository %s: %w", dir, err)
	}
	return nil
}

// applyOptions sets what Options govern on the node's runtime copy of the
// configuration; the file on disk is left as it is.
func applyOptions(cfg *config.Config, opts Options) {
	cfg.Swarm.ResourceMgr.MaxMemory = config.NewOptionalBytes(strconv.FormatInt(opts.MaxMemory, 10))
	cfg.Datastore.GCPeriod = opts.GCInterval.String()
	switch opts.Network {
	case Loopback:
		// The profile cannot fail on a well-formed config.
		_ = kuboconf.Loopback(cfg)
	case Public:
		kuboconf.Public(cfg, kuboconf.PublicOptions{Listen: opts.Listen, LANDiscovery: opts.LANDiscovery})
		if opts.Listen {
			freeDefaultPorts(cfg)
		}
	}
}

// freeDefaultPorts moves the swarm listeners off Kubo's well-known port 4001
// when something else (a second DataShare, an idle daemon) already holds it,
// so the node still starts; any free port works for outgoing use and NAT
// port mapping.
func freeDefaultPorts(cfg *config.Config) {
	const port = "4001"
	tcp, udp := true, true
	if l, err := net.Listen("tcp", ":"+port); err == nil {
		l.Close()
	} else {
		tcp = false
	}
	if c, err := net.ListenPacket("udp", ":"+port); err == nil {
		c.Close()
	} else {
		udp = false
	}
	if tcp && udp {
		return
	}
	addrs := make([]string, len(cfg.Addresses.Swarm))
	for i, a := range cfg.Addresses.Swarm {
		if !tcp {
			a = anyPort(a, "tcp", port)
		}
		if !udp {
			a = anyPort(a, "udp", port)
		}
		addrs[i] = a
	}
	cfg.Addresses.Swarm = addrs
}

// anyPort replaces port by 0 in the proto component of multiaddr a.
func anyPort(a, proto, port string) string {
	comp := "/" + proto + "/" + port
	i := strings.Index(a, comp)
	if i < 0 {
		return a
	}
	rest := a[i+len(comp):]
	if rest != "" && rest[0] != '/' {
		return a
	}
	return a[:i] + "/" + proto + "/0" + rest
}

// runtimeRepo is a repository whose configuration, as the node sees it, is a
// copy with Options applied. Close is idempotent.
type runtimeRepo struct {
	repo.Repo
	cfg *config.Config

	closeOnce sync.Once
	closeErr  error
}

func (r *runtimeRepo) Config() (*config.Config, error) { return r.cfg, nil }

func (r *runtimeRepo) Close() error {
	r.closeOnce.Do(func() { r.closeErr = r.Repo.Close() })
	return r.closeErr
}
