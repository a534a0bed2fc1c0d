package ipfs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/kubo/config"
)

func TestAnyPort(t *testing.T) {
	tests := []struct{ in, proto, want string }{
		{"/ip4/0.0.0.0/tcp/4001", "tcp", "/ip4/0.0.0.0/tcp/0"},
		{"/ip6/::/udp/4001/quic-v1/webtransport", "udp", "/ip6/::/udp/0/quic-v1/webtransport"},
		{"/ip4/0.0.0.0/udp/4001/quic-v1", "tcp", "/ip4/0.0.0.0/udp/4001/quic-v1"},
		{"/ip4/0.0.0.0/tcp/40010", "tcp", "/ip4/0.0.0.0/tcp/40010"},
	}
	for _, tt := range tests {
		if got := anyPort(tt.in, tt.proto, "4001"); got != tt.want {
			t.Errorf("anyPort(%s, %s) = %s, want %s", tt.in, tt.proto, got, tt.want)
		}
	}
}

func TestApplyOptionsLoopback(t *testing.T) {
	cfg, err := config.InitWithIdentity(config.Identity{PeerID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	applyOptions(cfg, Options{Network: Loopback, MaxMemory: 1 << 28, GCInterval: 5 * time.Minute})
	checks := []struct {
		name string
		ok   bool
	}{
		{"swarm on loopback only", len(cfg.Addresses.Swarm) == 1 && cfg.Addresses.Swarm[0] == "/ip4/127.0.0.1/tcp/0"},
		{"no API, no gateway", len(cfg.Addresses.API) == 0 && len(cfg.Addresses.Gateway) == 0},
		{"no bootstrap", len(cfg.Bootstrap) == 0},
		{"mDNS off", !cfg.Discovery.MDNS.Enabled},
		{"routing none", cfg.Routing.Type.WithDefault("") == "none"},
		{"no port mapping", cfg.Swarm.DisableNatPortMap},
		{"relays off", !cfg.Swarm.RelayClient.Enabled.WithDefault(true) && !cfg.Swarm.RelayService.Enabled.WithDefault(true)},
		{"AutoNAT off", cfg.AutoNAT.ServiceMode == config.AutoNATServiceDisabled},
		{"HTTP retrieval off", !cfg.HTTPRetrieval.Enabled.WithDefault(true)},
		{"providing off", !cfg.Provide.Enabled.WithDefault(true)},
		{"AutoConf off", !cfg.AutoConf.Enabled.WithDefault(true)},
		{"AutoTLS off", !cfg.AutoTLS.Enabled.WithDefault(true)},
		{"memory cap", cfg.Swarm.ResourceMgr.MaxMemory.WithDefault(0) == 1<<28},
		{"GC period", cfg.Datastore.GCPeriod == "5m0s"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not so", c.name)
		}
	}
}

func TestDaemonCandidates(t *testing.T) {
	home, ipfsPath := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ipfs"), 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(dir, addr string) {
		if err := os.WriteFile(filepath.Join(dir, "api"), []byte(addr+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(home, ".ipfs"), "/ip4/127.0.0.1/tcp/5002")
	write(ipfsPath, "/ip4/127.0.0.1/tcp/5003")
	t.Setenv("HOME", home)
	t.Setenv("IPFS_PATH", ipfsPath)

	addrs := func(cs []apiCandidate) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.addr)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name     string
		explicit string
		network  Network
		want     string
	}{
		{"explicit", "http://127.0.0.1:1234", Public, "http://127.0.0.1:1234"},
		{"public", "", Public, "/ip4/127.0.0.1/tcp/5003 /ip4/127.0.0.1/tcp/5002 /ip4/127.0.0.1/tcp/5001"},
		{"loopback", "", Loopback, "/ip4/127.0.0.1/tcp/5003"},
	}
	for _, tt := range tests {
		if got := addrs(daemonCandidates(tt.explicit, tt.network)); got != tt.want {
			t.Errorf("%s: candidates %q, want %q", tt.name, got, tt.want)
		}
	}

	t.Setenv("IPFS_PATH", filepath.Join(home, ".ipfs"))
	if got, want := addrs(daemonCandidates("", Public)), "/ip4/127.0.0.1/tcp/5002 /ip4/127.0.0.1/tcp/5001"; got != want {
		t.Errorf("IPFS_PATH=~/.ipfs: candidates %q, want %q", got, want)
	}
}
