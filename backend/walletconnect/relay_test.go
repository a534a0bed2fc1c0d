package walletconnect

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/walletconnect/internal/relayauth"
	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

// *keys.Keys (the OS keyring or the passphrase file) is a Store as is.
var _ Store = (*keys.Keys)(nil)

func clientID(t *testing.T, s Store) string {
	t.Helper()
	k, err := loadClientKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return relayauth.DIDKey(k.Public().(ed25519.PublicKey))
}

// TestRelayIdentity: the client authenticates with a JWT the relay verifies (signature,
// audience), as the same did:key across restarts, and acknowledges every delivery.
func TestRelayIdentity(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	store := &MemoryStore{}
	id := clientID(t, store)
	c := newTestClient(t, r, store, nil)
	if _, _, err := pairGo(t, r, c, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if n := r.Connections(id); n != 1 {
		t.Fatalf("%d connections as %s, want 1", n, id)
	}
	c2 := newTestClient(t, r, store, nil)
	if err := c2.Ping(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if n := r.Connections(id); n != 2 {
		t.Fatalf("after a restart: %d connections as %s, want 2 (the same identity)", n, id)
	}
	// Every delivery is acknowledged (the last acknowledgement may still be on its way).
	deadline := time.Now().Add(10 * time.Second)
	for st := r.Stats(); st.Acked != st.Delivered || st.Rejected != 0; st = r.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("relay stats %+v: every delivery must be acknowledged, no connection rejected", st)
		}
		waitChange(t, r)
	}
}

// TestRelayUnavailable: phone approval says clearly why the relay cannot be used, fast, and
// without the JWT in the message.
func TestRelayUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "ws://" + ln.Addr().String()
	ln.Close()
	refusing := wctest.StartRelay(t, wctest.RelayOptions{ProjectID: "right"})

	for _, tc := range []struct {
		name, url, project, says string
	}{
		{"nothing listening", closedURL, "", "cannot reach " + closedURL},
		{"project ID refused", refusing.URL(), "wrong", "project ID"},
		{"no project ID", refusing.URL(), "", "HTTP 403"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(context.Background(), Options{RelayURL: tc.url, ProjectID: tc.project, ChainID: 1337, Store: &MemoryStore{}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			start := time.Now()
			_, err = c.Pair(testCtx(t))
			if !errors.Is(err, ErrRelayUnavailable) {
				t.Fatalf("Pair: %v, want ErrRelayUnavailable", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.says) || !strings.Contains(msg, "phone approval is unavailable") {
				t.Errorf("message %q does not say %q", msg, tc.says)
			}
			if strings.Contains(msg, "auth=") || strings.Contains(msg, "eyJ") || strings.Contains(msg, "projectId") {
				t.Errorf("message leaks the connection URL: %q", msg)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s to report", d)
			}
		})
	}
	if st := refusing.Stats(); st.Rejected < 2 {
		t.Fatalf("relay rejected %d connections", st.Rejected)
	}
}

// TestRelayRenewsJWT: before its JWT expires, the client reconnects with a new one and
// re-subscribes; the session keeps working.
func TestRelayRenewsJWT(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	store := &MemoryStore{}
	c := newTestClient(t, r, store, nil)
	c.relay.cfg.jwtTTL = 3 * time.Second // renewed 0.3 s before it expires
	if _, _, err := pairGo(t, r, c, nil); err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	if err := r.WaitConnections(ctx, clientID(t, store), 2); err != nil {
		t.Fatalf("no renewal: %v", err)
	}
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("Ping after renewals: %v", err)
	}
	if st := r.Stats(); st.Rejected != 0 {
		t.Fatalf("%d connections rejected: a JWT expired before it was renewed", st.Rejected)
	}
}

// TestRelayReconnects: when the relay drops the socket, the client reconnects at once,
// re-subscribes, and gets what was published meanwhile.
func TestRelayReconnects(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	store := &MemoryStore{}
	changes := make(chan *Session, 8)
	c := newTestClient(t, r, store, func(s *Session) { changes <- s })
	w, s, err := pairGo(t, r, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	<-changes
	id := clientID(t, store)
	ctx := testCtx(t)
	for i := range 3 {
		if r.CloseSockets(id) != 1 {
			t.Fatal("no socket to close")
		}
		// The wallet ends the session while we may be offline: the mailbox keeps it.
		if i == 2 {
			w.publish(s.Topic, map[string]any{"id": newRPCID(), "jsonrpc": "2.0", "method": "wc_sessionDelete", "params": map[string]any{"code": 6000, "message": "bye"}}, 1112)
			break
		}
		if err := r.WaitConnections(ctx, id, i+2); err != nil {
			t.Fatal(err)
		}
		if err := c.Ping(ctx); err != nil {
			t.Fatalf("Ping after reconnect %d: %v", i+1, err)
		}
	}
	select {
	case got := <-changes:
		if got != nil {
			t.Fatalf("change %+v, want the end", got)
		}
	case <-ctx.Done():
		t.Fatal("the deletion published while we were offline never arrived")
	}
}

// waitChange waits for the relay's next event (a delivery, an acknowledgement, a connection).
func waitChange(t *testing.T, r *wctest.Relay) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = r.WaitChange(ctx)
}

func TestBackoff(t *testing.T) {
	prev := time.Duration(0)
	for attempt := 1; attempt <= 12; attempt++ {
		d := backoff(attempt)
		if d < backoffMin*9/10 || d > backoffMax*11/10 {
			t.Fatalf("attempt %d: %s", attempt, d)
		}
		if attempt <= 6 && d <= prev*11/10/2 {
			t.Fatalf("attempt %d: %s after %s, not growing", attempt, d, prev)
		}
		prev = d
	}
}

func TestCallRespectsContext(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newTestClient(t, r, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if _, err := c.Pair(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Pair with a cancelled context: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("slow to give up")
	}
}

func TestSessionRecord(t *testing.T) {
	k, _ := newSymKey()
	pk := hexKey(k)
	rec := sessionRecord{
		Topic: k.topic(), Key: hexKey(k), PairingTopic: k.topic(), PairingKey: &pk,
		PeerPublicKey: strings.Repeat("ab", 32),
		Peer:          Metadata{Name: strings.Repeat("n", 300), Description: "long words", URL: "https://wallet.example/" + strings.Repeat("u", 300), Icons: []string{"https://wallet.example/" + strings.Repeat("i", 300)}},
		Accounts:      []string{"eip155:1337:0x0000000000000000000000000000000000000001", "eip155:1337:0x0000000000000000000000000000000000000002", "eip155:1337:0x0000000000000000000000000000000000000003"},
		Account:       "0x0000000000000000000000000000000000000001",
		ChainID:       1337,
		Expiry:        time.Now().Add(time.Hour).Unix(),
	}
	b, err := rec.encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > keys.MaxSecretSize {
		t.Fatalf("record of %d bytes", len(b))
	}
	var back sessionRecord
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Key != rec.Key || *back.PairingKey != pk || back.Account != rec.Account || back.Peer.Name == "" {
		t.Fatalf("round trip lost data: %+v", back)
	}
}

func TestRestoreDropsBadRecords(t *testing.T) {
	k, _ := newSymKey()
	expired, _ := sessionRecord{Topic: k.topic(), Key: hexKey(k), ChainID: 1337, Expiry: time.Now().Add(-time.Minute).Unix()}.encode()
	otherChain, _ := sessionRecord{Topic: k.topic(), Key: hexKey(k), ChainID: 1, Expiry: time.Now().Add(time.Hour).Unix()}.encode()
	wrongTopic, _ := sessionRecord{Topic: strings.Repeat("0", 64), Key: hexKey(k), ChainID: 1337, Expiry: time.Now().Add(time.Hour).Unix()}.encode()
	for name, rec := range map[string][]byte{
		"expired": expired, "another chain": otherChain, "topic not the key's": wrongTopic, "damaged": []byte("{"),
	} {
		t.Run(name, func(t *testing.T) {
			store := &MemoryStore{}
			if err := store.SetSecret(secretSession, rec); err != nil {
				t.Fatal(err)
			}
			c, err := New(context.Background(), Options{RelayURL: "ws://127.0.0.1:1", ChainID: 1337, Store: store})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if c.Session() != nil {
				t.Fatal("resumed")
			}
			if _, ok, _ := store.Secret(secretSession); ok {
				t.Fatal("the bad record is still saved")
			}
		})
	}
}

func TestNewChecksOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"no store":    {ChainID: 1},
		"no chain":    {Store: &MemoryStore{}},
		"http relay":  {Store: &MemoryStore{}, ChainID: 1, RelayURL: "https://relay.example?projectId=secret"},
		"garbage URL": {Store: &MemoryStore{}, ChainID: 1, RelayURL: "::"},
	} {
		if _, err := New(context.Background(), o); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: message shows the URL's query: %v", name, err)
		}
	}
}
