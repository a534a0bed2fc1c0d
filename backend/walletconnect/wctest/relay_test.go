package wctest

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/datashare/datashare/backend/walletconnect/internal/relayauth"
)

// raw is a bare relay client: it sends JSON-RPC, acknowledges deliveries and queues them.
type raw struct {
	t   *testing.T
	ws  *websocket.Conn
	id  string
	key ed25519.PrivateKey

	mu      sync.Mutex
	nextID  int
	waiting map[string]chan json.RawMessage
	got     []delivery
	changed chan struct{}
	closed  chan struct{}
}

type delivery struct{ Topic, Message string }

func token(t *testing.T, key ed25519.PrivateKey, aud string, iat time.Time) string {
	t.Helper()
	tok, err := relayauth.Sign(key, "nonce", aud, iat, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func dial(ctx context.Context, r *Relay, query url.Values) (*websocket.Conn, *http.Response, error) {
	return websocket.Dial(ctx, r.URL()+"?"+query.Encode(), nil)
}

func connectRaw(t *testing.T, r *Relay, key ed25519.PrivateKey) *raw {
	t.Helper()
	if key == nil {
		_, key, _ = ed25519.GenerateKey(nil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := dial(ctx, r, url.Values{"auth": {token(t, key, r.URL(), time.Now())}})
	if err != nil {
		t.Fatal(err)
	}
	c := &raw{t: t, ws: ws, key: key, id: relayauth.DIDKey(key.Public().(ed25519.PublicKey)), waiting: map[string]chan json.RawMessage{}, changed: make(chan struct{}), closed: make(chan struct{})}
	go c.read()
	t.Cleanup(func() { ws.CloseNow() })
	return c
}

func (c *raw) read() {
	defer close(c.closed)
	for {
		_, b, err := c.ws.Read(context.Background())
		if err != nil {
			return
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params struct {
				Data delivery `json:"data"`
			} `json:"params"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		if m.Method == "irn_subscription" {
			ack, _ := json.Marshal(map[string]any{"id": m.ID, "jsonrpc": "2.0", "result": true})
			_ = c.ws.Write(context.Background(), websocket.MessageText, ack)
			c.mu.Lock()
			c.got = append(c.got, m.Params.Data)
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
			continue
		}
		res := m.Result
		if m.Error != nil {
			res = m.Error
		}
		c.mu.Lock()
		ch := c.waiting[string(m.ID)]
		c.mu.Unlock()
		if ch != nil {
			ch <- res
		}
	}
}

// call sends a request with an id too large for a float64 (as the SDK's are) and returns
// the result.
func (c *raw) call(method string, params any) json.RawMessage {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := fmt.Sprintf("17000000000000000%03d", c.nextID)
	ch := make(chan json.RawMessage, 1)
	c.waiting[id] = ch
	c.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"id": json.RawMessage(id), "jsonrpc": "2.0", "method": method, "params": params})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
	select {
	case res := <-ch:
		return res
	case <-ctx.Done():
		c.t.Fatalf("%s: no answer", method)
		return nil
	}
}

func (c *raw) publish(topic, msg string) {
	c.t.Helper()
	if res := c.call("irn_publish", map[string]any{"topic": topic, "message": msg, "ttl": 300, "tag": 1108, "prompt": true}); string(res) != "true" {
		c.t.Fatalf("publish: %s", res)
	}
}

// wait returns once n messages were delivered, and all of them.
func (c *raw) wait(n int) []delivery {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		c.mu.Lock()
		got, ch := append([]delivery(nil), c.got...), c.changed
		c.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-ctx.Done():
			c.t.Fatalf("%d deliveries, want %d", len(got), n)
		}
	}
}

func (c *raw) deliveries() []delivery {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]delivery(nil), c.got...)
}

// fetch returns what irn_fetchMessages returns for topic.
func (c *raw) fetch(topic string) []delivery {
	c.t.Helper()
	var res struct {
		Messages []delivery
		HasMore  bool
	}
	if err := json.Unmarshal(c.call("irn_fetchMessages", map[string]string{"topic": topic}), &res); err != nil {
		c.t.Fatal(err)
	}
	return res.Messages
}

func TestRelayAuthentication(t *testing.T) {
	r := StartRelay(t, RelayOptions{ProjectID: "p1"})
	_, key, _ := ed25519.GenerateKey(nil)
	_, other, _ := ed25519.GenerateKey(nil)
	good := token(t, key, r.URL(), time.Now())
	parts := strings.Split(good, ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Split(token(t, other, r.URL(), time.Now()), ".")[2]
	for _, tc := range []struct {
		name  string
		query url.Values
		code  int
	}{
		{"good", url.Values{"auth": {good}, "projectId": {"p1"}}, http.StatusSwitchingProtocols},
		{"no project ID", url.Values{"auth": {good}}, http.StatusForbidden},
		{"wrong project ID", url.Values{"auth": {good}, "projectId": {"p2"}}, http.StatusForbidden},
		{"no JWT", url.Values{"projectId": {"p1"}}, http.StatusUnauthorized},
		{"forged signature", url.Values{"auth": {forged}, "projectId": {"p1"}}, http.StatusUnauthorized},
		{"wrong audience", url.Values{"auth": {token(t, key, "wss://relay.walletconnect.org", time.Now())}, "projectId": {"p1"}}, http.StatusUnauthorized},
		{"expired", url.Values{"auth": {token(t, key, r.URL(), time.Now().Add(-25*time.Hour))}, "projectId": {"p1"}}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			ws, resp, err := dial(ctx, r, tc.query)
			if ws != nil {
				ws.CloseNow()
			}
			if resp == nil {
				t.Fatalf("no response: %v", err)
			}
			if resp.StatusCode != tc.code {
				t.Fatalf("HTTP %d, want %d", resp.StatusCode, tc.code)
			}
		})
	}
	if st := r.Stats(); st.Rejected != 6 {
		t.Fatalf("%d rejected", st.Rejected)
	}
	if !strings.HasPrefix(r.URL(), "ws://127.0.0.1:") {
		t.Fatalf("listens on %s", r.URL())
	}
}

func TestRelayMailbox(t *testing.T) {
	r := StartRelay(t, RelayOptions{})
	_, keyA, _ := ed25519.GenerateKey(nil)
	a := connectRaw(t, r, keyA)
	b := connectRaw(t, r, nil)

	// Published before anyone subscribes: kept, and delivered on subscribe.
	a.call("irn_subscribe", map[string]string{"topic": "t1"})
	a.publish("t1", "m1")
	if id := a.call("irn_subscribe", map[string]string{"topic": "t1"}); len(id) != 66 { // quoted 64-hex
		t.Fatalf("subscription id %s", id)
	}
	b.call("irn_batchSubscribe", map[string][]string{"topics": {"t1", "t2"}})
	if got := b.wait(1); got[0] != (delivery{"t1", "m1"}) {
		t.Fatalf("got %+v", got)
	}
	// Live delivery, never to the publisher.
	a.publish("t1", "m2")
	b.wait(2)
	b.call("irn_batchPublish", map[string]any{"messages": []map[string]any{{"topic": "t1", "message": "m3", "ttl": 300, "tag": 1}, {"topic": "t2", "message": "m4", "ttl": 300, "tag": 1}}})
	if got := a.wait(1); len(got) != 1 || got[0] != (delivery{"t1", "m3"}) {
		t.Fatalf("publisher A got %+v", got)
	}
	// Subscribing again on the same socket does not deliver again.
	b.call("irn_subscribe", map[string]string{"topic": "t1"})
	// A new socket of the same client gets the mailbox again (so clients must de-duplicate),
	// still without its own messages.
	a2 := connectRaw(t, r, keyA)
	a2.call("irn_subscribe", map[string]string{"topic": "t1"})
	if got := a2.wait(1); len(got) != 1 || got[0] != (delivery{"t1", "m3"}) {
		t.Fatalf("A's new socket got %+v", got)
	}
	// fetch returns only what this socket was not given yet.
	c := connectRaw(t, r, nil)
	if got := c.fetch("t1"); len(got) != 3 {
		t.Fatalf("fetch: %+v", got)
	}
	if got := c.fetch("t1"); len(got) != 0 {
		t.Fatalf("second fetch: %+v", got)
	}
	// Unsubscribed: no more deliveries.
	b.call("irn_unsubscribe", map[string]string{"topic": "t1", "id": "x"})
	a.publish("t1", "m5")
	if got := c.fetch("t1"); len(got) != 1 {
		t.Fatalf("fetch after m5: %+v", got)
	}
	if got := b.deliveries(); len(got) != 2 {
		t.Fatalf("B after unsubscribing got %+v", got)
	}
	if st := r.Stats(); st.Delivered != 4 {
		t.Fatalf("stats %+v", st)
	}
}

func TestRelayImplicitSubscription(t *testing.T) {
	for _, implicit := range []bool{true, false} {
		t.Run(fmt.Sprint("implicit ", implicit), func(t *testing.T) {
			r := StartRelay(t, RelayOptions{})
			r.SetFaults(Faults{NoImplicitSubscribe: !implicit})
			dapp := connectRaw(t, r, nil)
			wallet := connectRaw(t, r, nil)
			dapp.call("wc_proposeSession", map[string]any{"pairingTopic": "pairing", "sessionProposal": "proposal", "ttl": 300, "correlationId": 1})
			wallet.call("irn_subscribe", map[string]string{"topic": "pairing"})
			if got := wallet.wait(1); got[0] != (delivery{"pairing", "proposal"}) {
				t.Fatalf("wallet got %+v", got)
			}
			wallet.call("wc_approveSession", map[string]any{"sessionTopic": "session", "pairingTopic": "pairing", "sessionProposalResponse": "response", "sessionSettlementRequest": "settle"})
			dapp.call("irn_subscribe", map[string]string{"topic": "session"})
			dapp.publish("session", "ack")
			// With implicit subscriptions the dApp got the response on the pairing topic and
			// the wallet the ack on the session topic; without, only by fetching.
			if implicit {
				if got := dapp.wait(2); got[0] != (delivery{"pairing", "response"}) || got[1] != (delivery{"session", "settle"}) {
					t.Fatalf("dapp got %+v", got)
				}
				if got := wallet.wait(2); got[1] != (delivery{"session", "ack"}) {
					t.Fatalf("wallet got %+v", got)
				}
			} else {
				if got := dapp.wait(1); got[0] != (delivery{"session", "settle"}) {
					t.Fatalf("dapp got %+v", got)
				}
				if got := dapp.fetch("pairing"); len(got) != 1 || got[0].Message != "response" {
					t.Fatalf("dapp fetched %+v", got)
				}
				if got := wallet.fetch("session"); len(got) != 1 || got[0].Message != "ack" {
					t.Fatalf("wallet fetched %+v", got)
				}
			}
			if n := len(r.Published(func(m Message) bool { return m.Method == "wc_approveSession" })); n != 2 {
				t.Fatalf("%d messages from wc_approveSession", n)
			}
		})
	}
}

func TestRelayFaults(t *testing.T) {
	r := StartRelay(t, RelayOptions{})
	a := connectRaw(t, r, nil)
	b := connectRaw(t, r, nil)
	b.call("irn_subscribe", map[string]string{"topic": "t"})
	r.SetFaults(Faults{
		Drop:      func(m Message) bool { return m.Message == "dropped" },
		Duplicate: func(m Message, to string) bool { return m.Message == "twice" && to == b.id },
		Delay: func(m Message, to string) time.Duration {
			if m.Message == "late" && to == b.id {
				return 200 * time.Millisecond
			}
			return 0
		},
		CloseAfterPublish: func(m Message) bool { return m.Message == "bye" },
	})
	a.publish("t", "dropped")
	a.publish("t", "late")
	a.publish("t", "twice")
	if got := b.wait(2); got[0].Message != "twice" || got[1].Message != "twice" {
		t.Fatalf("got %+v", got)
	}
	if got := b.wait(3); got[2].Message != "late" {
		t.Fatalf("got %+v", got)
	}
	a.publish("t", "bye")
	select {
	case <-a.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the publisher's socket stayed open")
	}
	if n := r.CloseSockets(b.id); n != 1 {
		t.Fatalf("closed %d sockets", n)
	}
	<-b.closed
	if got := len(r.Published(nil)); got != 4 {
		t.Fatalf("%d published", got)
	}
}
