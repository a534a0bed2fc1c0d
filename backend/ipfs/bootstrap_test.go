package ipfs

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	"github.com/ipfs/kubo/config"
	"github.com/ipfs/kubo/core"
	"github.com/ipfs/kubo/repo"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// TestBootstrapPeers: the public node's runtime configuration loses its Bootstrap list (so
// core.NewNode's own first round returns at once) and the peers come back from bootstrapPeers,
// followed by those Kubo saved on an earlier run, each once.
func TestBootstrapPeers(t *testing.T) {
	a, b := randomPeer(t), randomPeer(t)
	cfg := &config.Config{Bootstrap: []string{"/ip4/127.0.0.1/tcp/4001/p2p/" + a.String()}}
	cfg.AutoConf.Enabled = config.False
	saved, _ := json.Marshal([]string{"/ip4/127.0.0.1/tcp/4002/p2p/" + b.String(), "/ip4/127.0.0.1/tcp/4003/p2p/" + a.String()})
	r := &repo.Mock{D: dssync.MutexWrap(datastore.NewMapDatastore())}
	if err := r.D.Put(t.Context(), core.TempBootstrapPeersKey, saved); err != nil {
		t.Fatal(err)
	}
	peers, err := bootstrapPeers(cfg, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Bootstrap) != 0 {
		t.Errorf("runtime Bootstrap = %v, want empty", cfg.Bootstrap)
	}
	if len(peers) != 2 || peers[0].ID != a || peers[1].ID != b {
		t.Errorf("peers = %v, want %s then %s", peers, a, b)
	}
}

// TestUnstarted: a Store made by Unstarted reports its mode and fails every call with
// ErrNotStarted.
func TestUnstarted(t *testing.T) {
	for _, tc := range []struct {
		mode, want Mode
	}{{"", ModeAuto}, {ModeEmbedded, ModeEmbedded}, {ModeDaemon, ModeDaemon}} {
		s := Unstarted(Options{Mode: tc.mode})
		if s.Started() || s.Mode() != tc.want || s.PeerID() != "" {
			t.Errorf("Unstarted(%q): started %v, mode %q, peer %q", tc.mode, s.Started(), s.Mode(), s.PeerID())
		}
	}
	ctx := t.Context()
	s := Unstarted(Options{})
	c := cid.MustParse("bafkqaaa")
	calls := map[string]func() error{
		"Add":         func() error { _, err := s.Add(ctx, strings.NewReader("x"), "n"); return err },
		"Fetch":       func() error { return s.Fetch(ctx, c, "n", nil) },
		"Open":        func() error { _, _, err := s.Open(ctx, c); return err },
		"IsPinned":    func() error { _, err := s.IsPinned(ctx, c); return err },
		"Pins":        func() error { _, err := s.Pins(ctx); return err },
		"Unpin":       func() error { return s.Unpin(ctx, c) },
		"Addrs":       func() error { _, err := s.Addrs(ctx); return err },
		"ListenAddrs": func() error { _, err := s.ListenAddrs(ctx); return err },
		"Connect":     func() error { return s.Connect(ctx, nil) },
		"Peers":       func() error { _, err := s.Peers(ctx); return err },
		"RepoStat":    func() error { _, err := s.RepoStat(ctx); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrNotStarted) {
			t.Errorf("%s on an unstarted Store = %v, want ErrNotStarted", name, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
}

// TestCheckOptions: what Open would refuse is found without contacting anything.
func TestCheckOptions(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string // "" = accepted
	}{
		{Options{}, ""},
		{Options{Mode: ModeDaemon, APIAddr: "/ip4/127.0.0.1/tcp/5001"}, ""},
		{Options{APIAddr: "http://127.0.0.1:5001"}, ""},
		{Options{Mode: "bogus"}, `unknown mode "bogus"`},
		{Options{APIAddr: "notamultiaddr"}, "not a multiaddr or http(s) URL"},
	} {
		err := CheckOptions(tc.opts)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckOptions(%+v) = %v, want %q", tc.opts, err, tc.want)
		}
	}
}

func randomPeer(t *testing.T) peer.ID {
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
