package ipfs

import "testing"

func TestIsLoopback(t *testing.T) {
	const id = "12D3KooWS9UJCw7UmXTkfPZgJAyQ5rapphpiEbxBQFL1yBzTrLai"
	for _, c := range []struct {
		addr string
		want bool
	}{
		{"/ip4/127.0.0.1/tcp/4001/p2p/" + id, true},
		{"/ip4/127.8.9.10/udp/4001/quic-v1/p2p/" + id, true},
		{"/ip6/::1/tcp/4001/p2p/" + id, true},
		{"/ip4/192.168.1.2/tcp/4001/p2p/" + id, false},
		{"/ip4/0.0.0.0/tcp/4001", false},
		{"/dns4/localhost/tcp/4001/p2p/" + id, false},
		{"/p2p/" + id + "/p2p-circuit", false},
		{"not a multiaddr", false},
		{"", false},
	} {
		if got := IsLoopback(c.addr); got != c.want {
			t.Errorf("IsLoopback(%q) = %v; want %v", c.addr, got, c.want)
		}
	}
}
