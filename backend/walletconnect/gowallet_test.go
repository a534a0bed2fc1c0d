package walletconnect

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/datashare/datashare/backend/walletconnect/wctest"
)

// goWallet is a minimal wallet in Go, for the misbehaviours the SDK never produces. Its
// behaviour is set by settle (edits the session it settles) and answer (answers requests).
type goWallet struct {
	t       *testing.T
	r       *relay
	account *ecdsa.PrivateKey
	priv    *ecdh.PrivateKey

	settle func(*settleParams)
	answer func(method string, params []json.RawMessage) (any, *rpcError)

	mu         sync.Mutex
	keys       map[string]symKey
	session    string
	received   []rpcMessage // every message from the dApp
	changed    chan struct{}
	settleSent chan struct{}
}

func startGoWallet(t *testing.T, relayURL, uri string, setup func(*goWallet)) *goWallet {
	t.Helper()
	u, err := parsePairingURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	account, _ := crypto.GenerateKey()
	priv, _ := ecdh.X25519().GenerateKey(rand.Reader)
	_, clientKey, _ := ed25519.GenerateKey(nil)
	w := &goWallet{
		t: t, account: account, priv: priv,
		keys:       map[string]symKey{u.Topic: u.SymKey},
		changed:    make(chan struct{}),
		settleSent: make(chan struct{}),
		answer: func(method string, params []json.RawMessage) (any, *rpcError) {
			return nil, &rpcError{Code: 5000, Message: "User rejected."}
		},
	}
	if setup != nil {
		setup(w)
	}
	w.r = newRelay(relayConfig{url: relayURL, key: clientKey, userAgent: "go-test-wallet", log: slog.New(slog.NewTextHandler(io.Discard, nil))}, w.onMessage)
	t.Cleanup(w.r.close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := w.r.subscribe(ctx, u.Topic); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *goWallet) address() string { return crypto.PubkeyToAddress(w.account.PublicKey).Hex() }

func (w *goWallet) publish(topic string, v any, tag int) {
	w.mu.Lock()
	k := w.keys[topic]
	w.mu.Unlock()
	b, _ := json.Marshal(v)
	msg, _ := seal(k, b)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := w.r.publish(ctx, topic, msg, 5*time.Minute, tag, false); err != nil && !errors.Is(err, ErrClosed) {
		w.t.Errorf("go wallet: publish: %v", err)
	}
}

func (w *goWallet) onMessage(in inbound) {
	w.mu.Lock()
	k, ok := w.keys[in.topic]
	w.mu.Unlock()
	if !ok {
		return
	}
	env, err := decodeEnvelope(in.message)
	if err != nil {
		w.t.Errorf("go wallet: %v", err)
		return
	}
	pt, err := env.open(k)
	if err != nil {
		w.t.Errorf("go wallet: %v", err)
		return
	}
	var m rpcMessage
	if err := json.Unmarshal(pt, &m); err != nil {
		w.t.Errorf("go wallet: %v", err)
		return
	}
	w.mu.Lock()
	w.received = append(w.received, m)
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
	switch m.Method {
	case "wc_sessionPropose":
		var p proposal
		_ = json.Unmarshal(m.Params, &p)
		peer, _ := hex.DecodeString(p.Proposer.PublicKey)
		sk, err := deriveSymKey(w.priv, peer)
		if err != nil {
			w.t.Errorf("go wallet: %v", err)
			return
		}
		w.mu.Lock()
		w.session = sk.topic()
		w.keys[w.session] = sk
		w.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = w.r.subscribe(ctx, sk.topic())
		pub := hex.EncodeToString(w.priv.PublicKey().Bytes())
		w.publish(in.topic, map[string]any{"id": m.ID, "jsonrpc": "2.0", "result": map[string]any{"relay": map[string]string{"protocol": "irn"}, "responderPublicKey": pub}}, 1101)
		sp := settleParams{
			Relay: relayProtocol{Protocol: "irn"},
			Namespaces: map[string]namespace{"eip155": {
				Accounts: []string{"eip155:1337:" + w.address()},
				Methods:  proposedMethods,
				Events:   proposedEvents,
			}},
			Controller: participant{PublicKey: pub, Metadata: Metadata{Name: "Go wallet", Icons: []string{}}},
			Expiry:     time.Now().Add(7 * 24 * time.Hour).Unix(),
		}
		if w.settle != nil {
			w.settle(&sp)
		}
		w.publish(sk.topic(), map[string]any{"id": newRPCID(), "jsonrpc": "2.0", "method": "wc_sessionSettle", "params": sp}, 1102)
		close(w.settleSent)
	case "wc_sessionRequest":
		var p struct {
			Request struct {
				Method string            `json:"method"`
				Params []json.RawMessage `json:"params"`
			} `json:"request"`
		}
		_ = json.Unmarshal(m.Params, &p)
		res, rerr := w.answer(p.Request.Method, p.Request.Params)
		resp := map[string]any{"id": m.ID, "jsonrpc": "2.0"}
		if rerr != nil {
			resp["error"] = rerr
		} else {
			resp["result"] = res
		}
		w.publish(in.topic, resp, 1109)
	case "wc_sessionPing":
		w.publish(in.topic, map[string]any{"id": m.ID, "jsonrpc": "2.0", "result": true}, 1115)
	}
}

// waitReceived waits for a message from the dApp that match accepts.
func (w *goWallet) waitReceived(ctx context.Context, match func(rpcMessage) bool) (rpcMessage, error) {
	for {
		w.mu.Lock()
		for _, m := range w.received {
			if match(m) {
				w.mu.Unlock()
				return m, nil
			}
		}
		ch := w.changed
		w.mu.Unlock()
		select {
		case <-ctx.Done():
			return rpcMessage{}, ctx.Err()
		case <-ch:
		}
	}
}

func newTestClient(t *testing.T, r *wctest.Relay, store Store, onChange func(*Session)) *Client {
	t.Helper()
	if store == nil {
		store = &MemoryStore{}
	}
	c, err := New(context.Background(), Options{RelayURL: r.URL(), ChainID: 1337, Store: store, OnSessionChange: onChange, RequestExpiry: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// pairGo pairs c with a Go wallet.
func pairGo(t *testing.T, r *wctest.Relay, c *Client, setup func(*goWallet)) (*goWallet, *Session, error) {
	t.Helper()
	ctx := testCtx(t)
	p, err := c.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := startGoWallet(t, r.URL(), p.URI, setup)
	s, err := c.WaitSession(ctx, p)
	return w, s, err
}

func TestGoWalletBadAnswers(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newTestClient(t, r, nil, nil)
	stranger, _ := crypto.GenerateKey()
	var answer func(method string, params []json.RawMessage) (any, *rpcError)
	w, s, err := pairGo(t, r, c, func(w *goWallet) {
		w.answer = func(m string, p []json.RawMessage) (any, *rpcError) { return answer(m, p) }
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Account.Hex() != w.address() || s.Wallet.Name != "Go wallet" {
		t.Fatalf("session %+v", s)
	}
	ctx := testCtx(t)
	sign := func(k *ecdsa.PrivateKey, msg []byte, v27 bool) string {
		sig, _ := crypto.Sign(accounts.TextHash(msg), k)
		if v27 {
			sig[64] += 27
		}
		return hexutil.Encode(sig)
	}
	msg := []byte("hello")
	for _, tc := range []struct {
		name   string
		answer any
		rerr   *rpcError
		is     error
		ok     bool
	}{
		{name: "good, v=27/28", answer: sign(w.account, msg, true), ok: true},
		{name: "good, v=0/1", answer: sign(w.account, msg, false), ok: true},
		{name: "another key's signature", answer: sign(stranger, msg, true), is: ErrBadSignature},
		{name: "short signature", answer: "0x1234"},
		{name: "not a string", answer: 42},
		{name: "rejected (4001)", rerr: &rpcError{Code: 4001, Message: "User denied"}, is: ErrRejected},
		{name: "expired (8000)", rerr: &rpcError{Code: 8000, Message: "Request expired"}, is: ErrExpired},
		{name: "other error", rerr: &rpcError{Code: -32000, Message: "boom"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer = func(string, []json.RawMessage) (any, *rpcError) { return tc.answer, tc.rerr }
			sig, err := c.PersonalSign(ctx, msg)
			switch {
			case tc.ok && (err != nil || len(sig) != 65 || sig[64] < 27):
				t.Fatalf("PersonalSign: %x, %v", sig, err)
			case !tc.ok && err == nil:
				t.Fatalf("PersonalSign accepted %v", tc.answer)
			case tc.is != nil && !errors.Is(err, tc.is):
				t.Fatalf("PersonalSign: %v, want %v", err, tc.is)
			}
		})
	}
	answer = func(string, []json.RawMessage) (any, *rpcError) { return "0x1234", nil }
	if _, err := c.SendTransaction(ctx, Transaction{To: s.Account}); err == nil || !strings.Contains(err.Error(), "not a transaction hash") {
		t.Fatalf("SendTransaction with a bad hash: %v", err)
	}
	if _, err := c.SendTransaction(ctx, Transaction{From: crypto.PubkeyToAddress(stranger.PublicKey), To: s.Account}); err == nil || !strings.Contains(err.Error(), "the wallet's account is") {
		t.Fatalf("SendTransaction from another account: %v", err)
	}
	if _, err := c.SendTransaction(ctx, Transaction{ChainID: 1, To: s.Account}); err == nil {
		t.Fatal("SendTransaction for another chain was sent")
	}
}

func TestGoWalletUnusableSettle(t *testing.T) {
	for name, edit := range map[string]func(*settleParams){
		"no account on our chain": func(sp *settleParams) {
			sp.Namespaces["eip155"] = namespace{Accounts: []string{"eip155:1:0x0000000000000000000000000000000000000001"}, Methods: proposedMethods, Events: proposedEvents}
		},
		"no eth_sendTransaction": func(sp *settleParams) {
			ns := sp.Namespaces["eip155"]
			ns.Methods = []string{"personal_sign"}
			sp.Namespaces["eip155"] = ns
		},
		"expired":          func(sp *settleParams) { sp.Expiry = time.Now().Add(-time.Minute).Unix() },
		"too long":         func(sp *settleParams) { sp.Expiry = time.Now().Add(30 * 24 * time.Hour).Unix() },
		"other controller": func(sp *settleParams) { sp.Controller.PublicKey = strings.Repeat("ab", 32) },
	} {
		t.Run(name, func(t *testing.T) {
			r := wctest.StartRelay(t, wctest.RelayOptions{})
			c := newTestClient(t, r, nil, nil)
			w, s, err := pairGo(t, r, c, func(w *goWallet) { w.settle = edit })
			if err == nil || s != nil {
				t.Fatalf("WaitSession: %v, %v", s, err)
			}
			if c.Session() != nil {
				t.Fatal("a session")
			}
			// The wallet is told (an error answer to its settle).
			if _, err := w.waitReceived(testCtx(t), func(m rpcMessage) bool { return m.Error != nil && m.Error.Code == 1005 }); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestGoWalletSessionExpires(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	store := &MemoryStore{}
	changes := make(chan *Session, 4)
	c := newTestClient(t, r, store, func(s *Session) { changes <- s })
	_, s, err := pairGo(t, r, c, func(w *goWallet) {
		w.settle = func(sp *settleParams) { sp.Expiry = time.Now().Add(2 * time.Second).Unix() }
	})
	if err != nil {
		t.Fatal(err)
	}
	if <-changes == nil {
		t.Fatal("no session")
	}
	select {
	case got := <-changes:
		if got != nil {
			t.Fatalf("change %+v, want the end", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not expire")
	}
	if time.Now().Before(s.Expiry) {
		t.Fatalf("ended before its expiry %s", s.Expiry)
	}
	if _, ok, _ := store.Secret(secretSession); ok {
		t.Fatal("the expired session is still saved")
	}
	if _, err := c.PersonalSign(testCtx(t), []byte("x")); !errors.Is(err, ErrNoSession) {
		t.Fatalf("PersonalSign: %v, want ErrNoSession", err)
	}
}

// TestGoWalletPlaintextIgnored: a type 2 (Link Mode, unauthenticated) envelope that says
// wc_sessionDelete does not end the session.
func TestGoWalletPlaintextIgnored(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newTestClient(t, r, nil, nil)
	w, s, err := pairGo(t, r, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := json.Marshal(map[string]any{"id": newRPCID(), "jsonrpc": "2.0", "method": "wc_sessionDelete", "params": map[string]any{"code": 6000, "message": "forged"}})
	ctx := testCtx(t)
	if err := w.r.publish(ctx, s.Topic, base64.StdEncoding.EncodeToString(append([]byte{2}, forged...)), time.Minute, 1112, false); err != nil {
		t.Fatal(err)
	}
	// Then a real ping: when it is answered, the forged message was handled (and ignored).
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Session() == nil {
		t.Fatal("a plaintext envelope ended the session")
	}
}

func TestPairingExpires(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newTestClient(t, r, nil, nil)
	ctx := testCtx(t)
	p, err := c.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if time.Until(p.Expiry) < 4*time.Minute || !strings.HasPrefix(p.URI, "wc:") {
		t.Fatalf("pairing %s expires %s", p.URI[:10], p.Expiry)
	}
	c.mu.Lock()
	p.p.expiry = time.Now().Add(100 * time.Millisecond)
	c.mu.Unlock()
	if _, err := c.WaitSession(ctx, p); !errors.Is(err, ErrExpired) {
		t.Fatalf("WaitSession: %v, want ErrExpired", err)
	}
	// Cancelling abandons a pairing too.
	p, err = c.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.WaitSession(cctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("WaitSession: %v, want context.Canceled", err)
	}
	c.mu.Lock()
	n := len(c.pairings) + len(c.keys)
	c.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d pairings and keys left", n)
	}
}

// TestNewPairingReplacesSession: pairing a second phone ends the first session (and tells it).
func TestNewPairingReplacesSession(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newTestClient(t, r, nil, nil)
	w1, s1, err := pairGo(t, r, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, s2, err := pairGo(t, r, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Session(); got == nil || got.Topic != s2.Topic || got.Topic == s1.Topic {
		t.Fatalf("session %+v, want the second", got)
	}
	if _, err := w1.waitReceived(testCtx(t), func(m rpcMessage) bool { return m.Method == "wc_sessionDelete" }); err != nil {
		t.Fatal("the first wallet was not told:", err)
	}
}

// TestWaitSessionAfterTheAnswer: the phone answers before WaitSession is called (a quick
// scan); WaitSession still reports the outcome.
func TestWaitSessionAfterTheAnswer(t *testing.T) {
	r := wctest.StartRelay(t, wctest.RelayOptions{})
	c := newTestClient(t, r, nil, nil)
	ctx := testCtx(t)
	p, err := c.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := startGoWallet(t, r.URL(), p.URI, nil)
	// Our answer to its settle (result true) means the pairing has finished.
	if _, err := w.waitReceived(ctx, func(m rpcMessage) bool { return string(m.Result) == "true" }); err != nil {
		t.Fatal(err)
	}
	s, err := c.WaitSession(ctx, p)
	if err != nil || s == nil || s.Account.Hex() != w.address() {
		t.Fatalf("WaitSession after the answer: %+v, %v", s, err)
	}
	if _, err := c.WaitSession(ctx, &Pairing{}); err == nil {
		t.Fatal("WaitSession of a made-up Pairing")
	}
}
