package ipfs

import (
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// IsLoopback reports whether the multiaddr a reaches this computer only: an IPv4 address in
// 127.0.0.0/8 or ::1. An address that does not parse is not.
func IsLoopback(a string) bool {
	m, err := ma.NewMultiaddr(a)
	return err == nil && manet.IsIPLoopback(m)
}
