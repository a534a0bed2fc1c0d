// Package kuboconf holds the Kubo configuration DataShare applies to its
// embedded node and to the daemons its tests start.
package kuboconf

import (
	"fmt"
	"strings"

	"github.com/ipfs/kubo/config"
)

// Loopback confines a node to 127.0.0.1: one TCP listener on a free
// loopback port; no RPC API or gateway listener; no bootstrap peers, peering,
// mDNS, DHT or delegated routing, AutoNAT, relay, hole punching, port
// mapping, HTTP retrieval, providing, AutoConf, AutoTLS or telemetry. Peers
// are reached only by dialing them.
func Loopback(cfg *config.Config) error {
	if err := config.Profiles["test"].Transform(cfg); err != nil {
		return fmt.Errorf("applying Kubo's test profile: %w", err)
	}
	cfg.Addresses.Swarm = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.Addresses.API = config.Strings{}
	cfg.Addresses.Gateway = config.Strings{}
	cfg.Addresses.Announce = []string{}
	cfg.Addresses.AppendAnnounce = []string{}
	cfg.Bootstrap = []string{}
	cfg.Peering.Peers = nil
	cfg.Discovery.MDNS.Enabled = false
	cfg.Routing.Type = config.NewOptionalString("none")
	cfg.Routing.DelegatedRouters = []string{}
	cfg.Ipns.DelegatedPublishers = []string{}
	cfg.DNS.Resolvers = map[string]string{}
	cfg.Swarm.DisableNatPortMap = true
	cfg.Swarm.RelayClient.Enabled = config.False
	cfg.Swarm.RelayService.Enabled = config.False
	cfg.Swarm.EnableHolePunching = config.False
	cfg.Swarm.Transports.Network.QUIC = config.False
	cfg.Swarm.Transports.Network.WebTransport = config.False
	cfg.Swarm.Transports.Network.WebRTCDirect = config.False
	cfg.Swarm.Transports.Network.Websocket = config.False
	cfg.Swarm.Transports.Network.Relay = config.False
	cfg.AutoNAT.ServiceMode = config.AutoNATServiceDisabled
	cfg.HTTPRetrieval.Enabled = config.False
	cfg.Provide.Enabled = config.False
	cfg.AutoConf.Enabled = config.False
	cfg.AutoTLS.Enabled = config.False
	if cfg.Plugins.Plugins == nil {
		cfg.Plugins.Plugins = map[string]config.Plugin{}
	}
	cfg.Plugins.Plugins["telemetry"] = config.Plugin{Config: map[string]any{"Mode": "off"}}
	return nil
}

// NoInbound keeps a public-network node from listening beyond this computer: every swarm
// listener moves to the loopback address of its family on a free port, and no router port
// mapping is requested. The node still dials out, exchanges blocks over the connections it
// opens, and stays reachable through relays (relay client and hole punching stay on).
func NoInbound(cfg *config.Config) {
	var addrs []string
	for _, a := range cfg.Addresses.Swarm {
		a = strings.Replace(a, "/ip4/0.0.0.0/", "/ip4/127.0.0.1/", 1)
		a = strings.Replace(a, "/ip6/::/", "/ip6/::1/", 1)
		for _, p := range []string{"/tcp/4001", "/udp/4001"} {
			a = strings.Replace(a, p, p[:5]+"0", 1)
		}
		addrs = append(addrs, a)
	}
	cfg.Addresses.Swarm = addrs
	cfg.Swarm.DisableNatPortMap = true
}

// PublicOptions are the user's choices for a public-network node.
type PublicOptions struct {
	Listen       bool // accept connections from other computers (else NoInbound)
	LANDiscovery bool // mDNS: announce the node on the local network and find peers there
}

// Public configures a node on the public IPFS network: listeners as NoInbound unless o.Listen,
// and mDNS (which announces the peer on the local network and listens on UDP 5353 on every
// interface) off unless o.LANDiscovery.
func Public(cfg *config.Config, o PublicOptions) {
	if !o.Listen {
		NoInbound(cfg)
	}
	cfg.Discovery.MDNS.Enabled = o.LANDiscovery
}
