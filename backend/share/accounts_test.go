package share_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/datashare/datashare/backend/chain/devnet/devnettest"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

// customNetwork writes settings that select a custom network at rpcURL with the contract of
// the running profile base, and returns the data directory.
func customNetwork(t *testing.T, base *share.Service, rpcURL string) string {
	t.Helper()
	dir := t.TempDir()
	n := base.Network()
	err := config.SaveSettings(dir, config.Settings{Network: "custom", Networks: map[string]config.NetworkSettings{
		"custom": {RPCURL: rpcURL, Contract: n.Contract.Hex(), ChainID: n.ChainID},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStatusRedactsRPCURL: an RPC URL with API keys in its user info, path and query is shown
// by Status without them, and a dial error does not show them either.
func TestStatusRedactsRPCURL(t *testing.T) {
	base := open(t, share.Config{})
	const secret = "k3y0f5ecret0123456789"
	host := strings.TrimPrefix(base.Network().RPCURL, "http://")
	url := "http://user:" + secret + "@" + host + "/?apikey=" + secret
	s := open(t, share.Config{DataDir: customNetwork(t, base, url)})
	st, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(st.RPCURL, secret) || !strings.Contains(st.RPCURL, host) {
		t.Fatalf("Status.RPCURL = %q", st.RPCURL)
	}

	bad := "http://127.0.0.1:9/v3/" + secret + "?apikey=" + secret
	_, err = share.Open(t.Context(), share.Config{DataDir: customNetwork(t, base, bad), NoKeyring: true, Passphrase: pass, Loopback: true, IPFSMode: "embedded"})
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("Open with an unreachable RPC URL: %v", err)
	}
	t.Log(err)
}

// TestOpenErrorSaysOnce: an error opening the keys says each thing once ("open keys: keys: new
// passphrase: passphrase too weak" said keys and passphrase twice).
func TestOpenErrorSaysOnce(t *testing.T) {
	_, err := share.Open(t.Context(), share.Config{DataDir: t.TempDir(), LocalnetDir: t.TempDir(), NoKeyring: true, Loopback: true,
		Passphrase: func(context.Context, string) (string, error) { return "short", nil }})
	if !errors.Is(err, keys.ErrWeakPassphrase) {
		t.Fatalf("Open with a weak new passphrase: %v", err)
	}
	saysOnce(t, err.Error())
	if !strings.Contains(err.Error(), "keys file") || !strings.Contains(err.Error(), "too short") {
		t.Errorf("%q does not say which passphrase and what is wrong", err)
	}
}

// saysOnce fails when the prefixes of an error message repeat a word ("keys: keys: …").
func saysOnce(t *testing.T, msg string) {
	t.Helper()
	parts := strings.Split(msg, ": ")
	seen := map[string]bool{}
	for _, p := range parts {
		for _, w := range strings.Fields(strings.Trim(p, ".;,")) {
			w = strings.Trim(strings.ToLower(w), ".;,()'")
			if len(w) > 3 && seen[w] {
				t.Errorf("%q says %q twice", msg, w)
			}
			seen[w] = true
		}
	}
}

// TestListCoversEveryAccount: datasets published with the device key stay listed (and
// fetchable: the owner's envelope opens with the profile's identity) after a phone wallet is
// paired; what the wallet published stays listed after it disconnects.
func TestListCoversEveryAccount(t *testing.T) {
	wctest.RequireSDK(t)
	relay := wctest.StartRelay(t, wctest.RelayOptions{})
	s := open(t, share.Config{RelayURL: relay.URL()})
	device := s.Account()
	path1, data1 := writeRandom(t, 3000)
	d1, err := s.Publish(t.Context(), path1, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := s.List(t.Context()); err != nil || len(list) != 1 {
		t.Fatalf("before pairing, List = %+v, %v", list, err)
	}

	key, _ := crypto.GenerateKey()
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	n := s.Network()
	devnettest.Fund(t, n.RPCURL, wallet, big.NewInt(params.Ether))
	p, err := s.PairWallet(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	wctest.StartWallet(t, wctest.WalletOptions{RelayURL: relay.URL(), URI: p.URI, Key: key, RPCURL: n.RPCURL, ChainID: n.ChainID})
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	if _, err := s.WaitWallet(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Account() != wallet {
		t.Fatalf("after pairing the account is %s, want the wallet's %s", s.Account().Hex(), wallet.Hex())
	}
	owners := func(want ...string) {
		t.Helper()
		list, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range list {
			got = append(got, d.Owner)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("List owners = %v, want %v", got, want)
		}
	}
	owners(device.Hex())
	fetchEqual(t, s, d1.ID, data1)

	path2, data2 := writeRandom(t, 4000)
	d2, err := s.Publish(ctx, path2, share.PublishOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d2.Owner != wallet.Hex() {
		t.Fatalf("published through the wallet: owner %s", d2.Owner)
	}
	owners(wallet.Hex(), device.Hex())

	if err := s.DisconnectWallet(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Account() != device {
		t.Fatalf("after disconnecting, the account is %s", s.Account().Hex())
	}
	owners(wallet.Hex(), device.Hex())
	fetchEqual(t, s, d2.ID, data2)
}

// hangingProxy forwards JSON-RPC to target, except that once hang is set, requests for
// method never get an answer (a node that stopped responding mid-sync).
func hangingProxy(t *testing.T, target, method string, hang *atomic.Bool) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if hang.Load() && bytes.Contains(body, []byte(`"`+method+`"`)) {
			<-r.Context().Done()
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestListBoundsChainCalls: a node that stops answering in the middle of a sync makes List
// fail within the call bound, instead of waiting for as long as the caller's context allows.
func TestListBoundsChainCalls(t *testing.T) {
	defer share.SetChainCallTimeout(time.Second)()
	base := open(t, share.Config{})
	var hang atomic.Bool
	s := open(t, share.Config{DataDir: customNetwork(t, base, hangingProxy(t, base.Network().RPCURL, "eth_getBlockByNumber", &hang))})
	if _, err := s.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	hang.Store(true)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	start := time.Now()
	_, err := s.List(ctx)
	if err == nil || time.Since(start) > 15*time.Second {
		t.Fatalf("List with a hung node: %v after %v", err, time.Since(start))
	}
	t.Log(err)
}
