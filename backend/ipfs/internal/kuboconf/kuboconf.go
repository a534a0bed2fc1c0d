// Package kuboconf holds the Kubo configuration DataShare applies to its
// embedded node and to the daemons its tests start.
package kuboconf

import (
	"fmt"

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
