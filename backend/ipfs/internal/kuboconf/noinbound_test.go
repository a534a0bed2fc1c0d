package kuboconf

import (
	"strings"
	"testing"

	"github.com/ipfs/kubo/config"
)

// The public-network node of a user who did not ask to accept connections listens on loopback
// only (it is not started here: tests stay off the public network).
func TestNoInbound(t *testing.T) {
	cfg, err := config.InitWithIdentity(config.Identity{PeerID: "12D3KooWQvSjJ9aeC1V5qsGMJYR7mNfd8q4rzQBk9bqtzfPPFNfv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Addresses.Swarm) < 2 {
		t.Fatalf("Kubo's default swarm addresses: %v", cfg.Addresses.Swarm)
	}
	NoInbound(cfg)
	for _, a := range cfg.Addresses.Swarm {
		if !strings.HasPrefix(a, "/ip4/127.0.0.1/") && !strings.HasPrefix(a, "/ip6/::1/") {
			t.Errorf("listens on %s", a)
		}
		if strings.Contains(a, "/4001") {
			t.Errorf("%s keeps the well-known port", a)
		}
	}
	if !cfg.Swarm.DisableNatPortMap {
		t.Error("router port mapping stays on")
	}
	if len(cfg.Bootstrap) == 0 {
		t.Error("the public network lost its bootstrap peers")
	}
}

// mDNS is off on the public network unless LAN discovery is allowed.
func TestPublicMDNS(t *testing.T) {
	for _, o := range []PublicOptions{{}, {Listen: true}, {LANDiscovery: true}, {Listen: true, LANDiscovery: true}} {
		cfg, err := config.InitWithIdentity(config.Identity{PeerID: "12D3KooWQvSjJ9aeC1V5qsGMJYR7mNfd8q4rzQBk9bqtzfPPFNfv"})
		if err != nil {
			t.Fatal(err)
		}
		Public(cfg, o)
		if cfg.Discovery.MDNS.Enabled != o.LANDiscovery {
			t.Errorf("%+v: mDNS enabled = %v", o, cfg.Discovery.MDNS.Enabled)
		}
		if !o.Listen && !strings.HasPrefix(cfg.Addresses.Swarm[0], "/ip4/127.0.0.1/") {
			t.Errorf("%+v: listens on %v", o, cfg.Addresses.Swarm)
		}
	}
}
