package ipfs

import (
	"testing"

	"github.com/ipfs/kubo/config"
)

// TestApplyOptionsPublic checks the configuration the public-network node really runs with
// (the node is not started: tests stay off the public network): mDNS, which announces the peer
// on the local network and listens on UDP 5353 on every interface, is off unless the user
// allows LAN discovery, whether or not the node accepts connections.
func TestApplyOptionsPublic(t *testing.T) {
	for _, tc := range []struct {
		listen, lan, wantMDNS bool
	}{
		{false, false, false},
		{true, false, false},
		{false, true, true},
		{true, true, true},
	} {
		cfg, err := config.InitWithIdentity(config.Identity{PeerID: "12D3KooWQvSjJ9aeC1V5qsGMJYR7mNfd8q4rzQBk9bqtzfPPFNfv"})
		if err != nil {
			t.Fatal(err)
		}
		applyOptions(cfg, Options{Network: Public, Listen: tc.listen, LANDiscovery: tc.lan}.withDefaults())
		if cfg.Discovery.MDNS.Enabled != tc.wantMDNS {
			t.Errorf("listen %v, LAN discovery %v: mDNS enabled = %v", tc.listen, tc.lan, cfg.Discovery.MDNS.Enabled)
		}
		if len(cfg.Bootstrap) == 0 {
			t.Errorf("listen %v, LAN discovery %v: the public network lost its bootstrap peers", tc.listen, tc.lan)
		}
	}
}
