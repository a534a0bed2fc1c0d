package ipfs

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/kubo/config"
	"github.com/ipfs/kubo/core"
	"github.com/ipfs/kubo/repo"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
)

// Kubo's core.NewNode ends with a first round of dials to the bootstrap peers and waits for it:
// ten seconds on a computer whose network drops packets to the internet (longer when DNS
// lookups of /dnsaddr addresses hang), before any command could run. So the public node starts
// with an empty Bootstrap list in its runtime configuration, which makes that round return at
// once, and a bootstrapper of DataShare's dials the peers in the background the way Kubo's does:
// a round now, then one every bootstrapPeriod while the node has fewer than bootstrapMinPeers
// connections. Close cancels it, dials included.

const (
	bootstrapPeriod   = 30 * time.Second // Kubo's
	bootstrapMinPeers = 4                // Kubo's
)

// bootstrapDialTimeout bounds one round, as Kubo's does (a variable for tests).
var bootstrapDialTimeout = 10 * time.Second

// bootstrapPeers takes the public node's bootstrap peers out of cfg (the node's runtime copy):
// the configured ones ("auto" expanded as Kubo does), then those Kubo saved on earlier runs as a
// fallback for when the configured ones cannot be reached.
func bootstrapPeers(cfg *config.Config, r repo.Repo) ([]peer.AddrInfo, error) {
	peers, err := cfg.BootstrapPeersWithAutoConf()
	if err != nil {
		return nil, err
	}
	cfg.Bootstrap = []string{}
	seen := map[peer.ID]bool{}
	for _, p := range peers {
		seen[p.ID] = true
	}
	for _, p := range savedBootstrapPeers(r) {
		if !seen[p.ID] {
			seen[p.ID] = true
			peers = append(peers, p)
		}
	}
	return peers, nil
}

// savedBootstrapPeers reads the peers Kubo saved as temporary bootstrap peers (none if it saved
// nothing, or what it saved does not parse).
func savedBootstrapPeers(r repo.Repo) []peer.AddrInfo {
	b, err := r.Datastore().Get(context.Background(), core.TempBootstrapPeersKey)
	if err != nil {
		return nil
	}
	var addrs []string
	if json.Unmarshal(b, &addrs) != nil {
		return nil
	}
	peers, err := config.ParseBootstrapPeers(addrs)
	if err != nil {
		return nil
	}
	return peers
}

// bootstrapper keeps a node connected to a few peers, in the background.
type bootstrapper struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// startBootstrap starts dialing peers from h and returns at once; nil when there are none (the
// loopback network).
func startBootstrap(h host.Host, peers []peer.AddrInfo) *bootstrapper {
	if len(peers) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &bootstrapper{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		tick := time.NewTicker(bootstrapPeriod)
		defer tick.Stop()
		for {
			bootstrapRound(ctx, h, peers)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return b
}

// stop cancels the bootstrapper and waits for it: its dials end with their context.
func (b *bootstrapper) stop() {
	if b == nil {
		return
	}
	b.cancel()
	<-b.done
}

// bootstrapRound dials peers, in parallel and in random order, until h has bootstrapMinPeers
// connections or bootstrapDialTimeout passed.
func bootstrapRound(ctx context.Context, h host.Host, peers []peer.AddrInfo) {
	need := bootstrapMinPeers - len(h.Network().Peers())
	if need <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, bootstrapDialTimeout)
	defer cancel()
	var connected atomic.Int32
	var wg sync.WaitGroup
	for _, i := range rand.Perm(len(peers)) {
		p := peers[i]
		if h.Network().Connectedness(p.ID) == network.Connected {
			continue
		}
		wg.Go(func() {
			if h.Connect(ctx, p) != nil {
				return
			}
			h.Peerstore().AddAddrs(p.ID, p.Addrs, peerstore.PermanentAddrTTL)
			if int(connected.Add(1)) >= need {
				cancel() // enough: the other dials stop
			}
		})
	}
	wg.Wait()
}
