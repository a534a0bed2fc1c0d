//go:build linux

package ipfs

import (
	"context"
	"io"
	"net"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ipfs/kubo/config"
	"github.com/ipfs/kubo/core/coreiface/options"
	"github.com/ipfs/kubo/repo/fsrepo"

	"github.com/datashare/datashare/backend/ipfs/internal/kuboconf"
)

// TestOpenDoesNotWaitForBootstrap starts a public-network node whose bootstrap peers are a
// loopback node and a loopback listener that accepts connections and never answers (what a
// network that drops packets to the internet looks like to a dial). No dial to the silent peer
// has ended when Open returns (Kubo's own start waits for its first round of dials); the node
// connects to the other peer in the background; Close ends the dials still pending. Nothing
// leaves 127.0.0.1: the node's configuration is the loopback one with those two bootstrap peers.
func TestOpenDoesNotWaitForBootstrap(t *testing.T) {
	old := bootstrapDialTimeout
	bootstrapDialTimeout = time.Hour // DataShare's round does not end the silent dial by itself
	t.Cleanup(func() { bootstrapDialTimeout = old })

	silent := newSilentPeer(t)
	other, err := Open(t.Context(), Options{RepoPath: t.TempDir(), Mode: ModeEmbedded, Network: Loopback})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	otherAddrs, err := other.Addrs(t.Context())
	if err != nil || len(otherAddrs) == 0 {
		t.Fatalf("addresses of the other node: %v, %v", otherAddrs, err)
	}

	dir := t.TempDir()
	initBootstrapRepo(t, dir, silent.addr, otherAddrs[0])
	s, err := Open(t.Context(), Options{RepoPath: dir, Mode: ModeEmbedded, Network: Public})
	if err != nil {
		t.Fatal(err)
	}
	if accepted, pending := silent.counts(); pending < accepted {
		s.Close()
		t.Fatalf("%d dials to the silent bootstrap peer ended before Open returned: Open waited for them", accepted-pending)
	}
	closed := false
	defer func() {
		if !closed {
			s.Close()
		}
	}()
	if !poll(t, func() bool { n, err := s.Peers(t.Context()); return err == nil && n > 0 }) {
		t.Fatal("the node never connected to its reachable bootstrap peer")
	}
	if !poll(t, func() bool { accepted, _ := silent.counts(); return accepted > 0 }) {
		t.Fatal("the node never dialed its silent bootstrap peer")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	closed = true
	if !poll(t, func() bool { _, pending := silent.counts(); return pending == 0 }) {
		accepted, pending := silent.counts()
		t.Fatalf("Close left %d of %d dials to the silent bootstrap peer pending", pending, accepted)
	}
}

// silentPeer listens on a loopback port and accepts connections without ever reading or
// answering.
type silentPeer struct {
	addr string // multiaddr with a made-up peer id

	mu    sync.Mutex
	conns []*net.TCPConn
}

func newSilentPeer(t *testing.T) *silentPeer {
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	p := &silentPeer{addr: "/ip4/127.0.0.1/tcp/" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port) + "/p2p/" + randomPeer(t).String()}
	t.Cleanup(func() {
		l.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := l.AcceptTCP()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			p.mu.Unlock()
		}
	}()
	return p
}

// counts returns how many connections were accepted, and how many of them the dialer still
// holds open.
func (p *silentPeer) counts() (accepted, pending int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		if stillOpen(c) {
			pending++
		}
	}
	return len(p.conns), pending
}

// stillOpen drains what the dialer sent on c without waiting, and reports whether the stream
// is still open: the kernel has the dialer's end of stream, if any, before its close returned.
func stillOpen(c *net.TCPConn) bool {
	rc, err := c.SyscallConn()
	if err != nil {
		return false
	}
	open := true
	buf := make([]byte, 4096)
	err = rc.Read(func(fd uintptr) bool {
		for {
			n, _, err := syscall.Recvfrom(int(fd), buf, syscall.MSG_DONTWAIT)
			switch {
			case n > 0:
				continue
			case err == syscall.EAGAIN:
			default: // end of stream, or reset
				open = false
			}
			return true
		}
	})
	return open && err == nil
}

// initBootstrapRepo creates a repository with the loopback configuration and bootstrap peers.
func initBootstrapRepo(t *testing.T, dir string, peers ...string) {
	t.Helper()
	if err := injectPlugins(); err != nil {
		t.Fatal(err)
	}
	id, err := config.CreateIdentity(io.Discard, []options.KeyGenerateOption{options.Key.Type(options.Ed25519Key)})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.InitWithIdentity(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := kuboconf.Loopback(cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Bootstrap = peers
	if err := fsrepo.Init(dir, cfg); err != nil {
		t.Fatal(err)
	}
}

// poll calls ok until it is true, for at most 30 seconds.
func poll(t *testing.T, ok func() bool) bool {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
	return true
}
