package share_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/share"
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
	_, err := share.Open(t.Context(), share.Config{DataDir: t.TempDir(), NoKeyring: true, Loopback: true,
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
