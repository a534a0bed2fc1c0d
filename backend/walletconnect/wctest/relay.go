// Package wctest has what tests of phone approval need: a local WalletConnect relay (Relay)
// with switches for the faults real relays and networks produce, and the real WalletConnect
// SDK acting as the phone wallet (StartWallet), driven by a Node script in
// backend/walletconnect/testdata/wallet.
//
// Everything listens on and dials 127.0.0.1 only.
package wctest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/datashare/datashare/backend/walletconnect/internal/relayauth"
)

// Message is one message published to the relay.
type Message struct {
	Method      string // irn_publish, irn_batchPublish, wc_proposeSession or wc_approveSession
	From        string // the publisher's client id (did:key)
	Topic       string
	Message     string // the envelope, base64
	Tag         int
	TTL         int64 // seconds
	Prompt      bool
	PublishedAt int64 // unix milliseconds
}

// Faults switch misbehaviours on. A nil func is off. Funcs run with the relay's lock held: keep
// them short and do not call the Relay from them.
type Faults struct {
	// NoImplicitSubscribe: wc_proposeSession and wc_approveSession do not subscribe the caller
	// to the pairing or session topic (the production relay does).
	NoImplicitSubscribe bool
	// Drop: the publish is acknowledged but the message is neither stored nor delivered.
	Drop func(Message) bool
	// Duplicate: the delivery of the message to client to (a did:key) is sent twice.
	Duplicate func(m Message, to string) bool
	// Delay: the delivery of the message to client to waits this long.
	Delay func(m Message, to string) time.Duration
	// CloseAfterPublish: after acknowledging the publish, the relay drops the publisher's
	// socket (as a network failure would).
	CloseAfterPublish func(Message) bool
}

// RelayOptions configures StartRelay.
type RelayOptions struct {
	// ProjectID, when set, must be the connection's projectId (else HTTP 403, as the public
	// relay answers a missing or unknown project ID).
	ProjectID string
}

// Relay is a WalletConnect relay for tests: the JSON-RPC methods of the relay spec (single and
// batch subscribe, unsubscribe, publish and fetch), the SDK's wc_proposeSession and
// wc_approveSession with implicit subscription, and a mailbox per topic that keeps messages for
// their TTL, delivers them to every subscriber when they subscribe, never to the publishing
// client, and once per socket (so a client that reconnects gets them again: it must
// de-duplicate). It checks every connection's JWT (signature, expiry, audience = its URL). It
// listens on 127.0.0.1 only.
type Relay struct {
	url       string
	projectID string
	srv       *http.Server
	ln        net.Listener
	wg        sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	faults    Faults
	conns     map[*conn]struct{}
	mailbox   map[string][]*stored
	subs      map[string]map[*conn]bool
	published []Message
	connects  map[string]int // connections accepted per client id
	delivered int
	acked     int
	rejected  int
	changed   chan struct{}
	nextID    uint64
}

type stored struct {
	Message
	expires   time.Time
	delivered map[*conn]bool
}

type conn struct {
	ws       *websocket.Conn
	clientID string
	ctx      context.Context
	cancel   context.CancelFunc
}

// StartRelay starts a relay on 127.0.0.1 and stops it when the test ends.
func StartRelay(t testing.TB, opts RelayOptions) *Relay {
	t.Helper()
	r, err := NewRelay(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// NewRelay starts a relay on 127.0.0.1; Close stops it.
func NewRelay(opts RelayOptions) (*Relay, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Relay{
		url:       "ws://" + ln.Addr().String(),
		projectID: opts.ProjectID,
		ln:        ln,
		conns:     make(map[*conn]struct{}),
		mailbox:   make(map[string][]*stored),
		subs:      make(map[string]map[*conn]bool),
		connects:  make(map[string]int),
		changed:   make(chan struct{}),
		nextID:    uint64(time.Now().UnixMilli()) * 1000,
	}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		_ = r.srv.Serve(ln)
	}()
	return r, nil
}

// URL is the relay's address, ws://127.0.0.1:<port>; clients use it as the JWT audience too.
func (r *Relay) URL() string { return r.url }

// Close stops the relay and drops every connection.
func (r *Relay) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	for c := range r.conns {
		c.cancel()
	}
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = r.srv.Shutdown(ctx)
	r.wg.Wait()
}

// SetFaults replaces the fault switches.
func (r *Relay) SetFaults(f Faults) {
	r.mu.Lock()
	r.faults = f
	r.mu.Unlock()
}

// CloseSockets drops the sockets of a client ("" for all), as a network failure would, and
// returns how many it dropped.
func (r *Relay) CloseSockets(clientID string) int {
	r.mu.Lock()
	var victims []*conn
	for c := range r.conns {
		if clientID == "" || c.clientID == clientID {
			victims = append(victims, c)
		}
	}
	r.mu.Unlock()
	for _, c := range victims {
		c.ws.CloseNow()
	}
	return len(victims)
}

// Published returns the messages published so far that match (nil matches all).
func (r *Relay) Published(match func(Message) bool) []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Message
	for _, m := range r.published {
		if match == nil || match(m) {
			out = append(out, m)
		}
	}
	return out
}

// WaitPublished waits until n messages matching match were published, and returns them.
func (r *Relay) WaitPublished(ctx context.Context, n int, match func(Message) bool) ([]Message, error) {
	for {
		r.mu.Lock()
		ch := r.changed
		r.mu.Unlock()
		if got := r.Published(match); len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return r.Published(match), ctx.Err()
		case <-ch:
		}
	}
}

// Connections is how many connections the relay accepted from a client ("" for all clients).
func (r *Relay) Connections(clientID string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if clientID != "" {
		return r.connects[clientID]
	}
	n := 0
	for _, k := range r.connects {
		n += k
	}
	return n
}

// WaitConnections waits until the relay accepted n connections from a client.
func (r *Relay) WaitConnections(ctx context.Context, clientID string, n int) error {
	for {
		r.mu.Lock()
		ch := r.changed
		r.mu.Unlock()
		if r.Connections(clientID) >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// WaitChange waits for the relay's next event: a connection, a publish, a delivery, an
// acknowledgement, a rejection.
func (r *Relay) WaitChange(ctx context.Context) error {
	r.mu.Lock()
	ch := r.changed
	r.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stats counts deliveries (irn_subscription sent), acknowledgements received, and connection
// attempts rejected (bad JWT, audience or project ID).
type Stats struct{ Delivered, Acked, Rejected int }

// Stats returns the counters.
func (r *Relay) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Stats{Delivered: r.delivered, Acked: r.acked, Rejected: r.rejected}
}

func (r *Relay) broadcastLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// ServeHTTP authenticates and upgrades a connection, then serves it.
func (r *Relay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	reject := func(code int, msg string) {
		r.mu.Lock()
		r.rejected++
		r.broadcastLocked()
		r.mu.Unlock()
		http.Error(w, msg, code)
	}
	if r.projectID != "" && q.Get("projectId") != r.projectID {
		reject(http.StatusForbidden, "invalid project id")
		return
	}
	token := q.Get("auth")
	if token == "" {
		token, _ = strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	}
	claims, err := relayauth.Verify(token, time.Now())
	if err != nil {
		reject(http.StatusUnauthorized, "unauthorized: "+err.Error())
		return
	}
	if strings.TrimSuffix(claims.Aud, "/") != r.url {
		reject(http.StatusUnauthorized, "unauthorized: wrong audience")
		return
	}
	ws, err := websocket.Accept(w, req, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(4 << 20)
	ctx, cancel := context.WithCancel(context.Background())
	c := &conn{ws: ws, clientID: claims.Iss, ctx: ctx, cancel: cancel}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		cancel()
		ws.CloseNow()
		return
	}
	r.conns[c] = struct{}{}
	r.connects[c.clientID]++
	r.broadcastLocked()
	r.wg.Add(1) // under the lock that Close takes before it waits
	r.mu.Unlock()
	defer r.wg.Done()
	r.serve(c)
}

func (r *Relay) serve(c *conn) {
	defer func() {
		c.cancel()
		c.ws.CloseNow()
		r.mu.Lock()
		delete(r.conns, c)
		for _, s := range r.subs {
			delete(s, c)
		}
		r.broadcastLocked()
		r.mu.Unlock()
	}()
	// Ping like the production relay: the SDK drops a connection that stays silent 35 s.
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-c.ctx.Done():
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
				_ = c.ws.Ping(ctx)
				cancel()
			}
		}
	}()
	for {
		_, data, err := c.ws.Read(c.ctx)
		if err != nil {
			return
		}
		r.handle(c, data)
	}
}

type request struct {
	ID     json.RawMessage `json:"id"` // echoed as is: the SDK's ids do not fit a float64
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
}

func (r *Relay) handle(c *conn, data []byte) {
	var req request
	if err := json.Unmarshal(data, &req); err != nil {
		return
	}
	if req.Method == "" { // an answer: the acknowledgement of a delivery
		if string(req.Result) == "true" {
			r.mu.Lock()
			r.acked++
			r.broadcastLocked()
			r.mu.Unlock()
		}
		return
	}
	var closeAfter bool
	result, err := func() (any, error) {
		switch req.Method {
		case "irn_subscribe":
			var p struct{ Topic string }
			if err := json.Unmarshal(req.Params, &p); err != nil || p.Topic == "" {
				return nil, errInvalidParams
			}
			return r.subscribe(c, p.Topic), nil
		case "irn_batchSubscribe":
			var p struct{ Topics []string }
			if err := json.Unmarshal(req.Params, &p); err != nil {
				return nil, errInvalidParams
			}
			ids := make([]string, 0, len(p.Topics))
			for _, t := range p.Topics {
				ids = append(ids, r.subscribe(c, t))
			}
			return ids, nil
		case "irn_unsubscribe":
			var p struct{ Topic, ID string }
			if err := json.Unmarshal(req.Params, &p); err != nil {
				return nil, errInvalidParams
			}
			r.unsubscribe(c, p.Topic)
			return true, nil
		case "irn_batchUnsubscribe":
			var p struct{ Subscriptions []struct{ Topic, ID string } }
			if err := json.Unmarshal(req.Params, &p); err != nil {
				return nil, errInvalidParams
			}
			for _, s := range p.Subscriptions {
				r.unsubscribe(c, s.Topic)
			}
			return true, nil
		case "irn_publish":
			m, err := parsePublish(req.Params)
			if err != nil {
				return nil, err
			}
			m.Method = req.Method
			closeAfter = r.publish(c, m)
			return true, nil
		case "irn_batchPublish":
			var p struct{ Messages []json.RawMessage }
			if err := json.Unmarshal(req.Params, &p); err != nil {
				return nil, errInvalidParams
			}
			for _, raw := range p.Messages {
				m, err := parsePublish(raw)
				if err != nil {
					return nil, err
				}
				m.Method = req.Method
				closeAfter = r.publish(c, m) || closeAfter
			}
			return true, nil
		case "irn_fetchMessages":
			var p struct{ Topic string }
			if err := json.Unmarshal(req.Params, &p); err != nil {
				return nil, errInvalidParams
			}
			return map[string]any{"messages": r.fetch(c, []string{p.Topic}), "hasMore": false}, nil
		case "irn_batchFetchMessages":
			var p struct{ Topics []string }
			if err := json.Unmarshal(req.Params, &p); err != nil {
				return nil, errInvalidParams
			}
			return map[string]any{"messages": r.fetch(c, p.Topics), "hasMore": false}, nil
		case "wc_proposeSession":
			var p struct {
				PairingTopic    string `json:"pairingTopic"`
				SessionProposal string `json:"sessionProposal"`
				TTL             int64  `json:"ttl"`
				Tag             *int   `json:"tag"`
			}
			if err := json.Unmarshal(req.Params, &p); err != nil || p.PairingTopic == "" || p.SessionProposal == "" {
				return nil, errInvalidParams
			}
			if r.implicit() {
				r.subscribe(c, p.PairingTopic)
			}
			closeAfter = r.publish(c, Message{Method: req.Method, Topic: p.PairingTopic, Message: p.SessionProposal, Tag: orDefault(p.Tag, 1100), TTL: max(p.TTL, 300), Prompt: true})
			return true, nil
		case "wc_approveSession":
			var p struct {
				SessionTopic             string `json:"sessionTopic"`
				PairingTopic             string `json:"pairingTopic"`
				SessionProposalResponse  string `json:"sessionProposalResponse"`
				SessionSettlementRequest string `json:"sessionSettlementRequest"`
			}
			if err := json.Unmarshal(req.Params, &p); err != nil || p.SessionTopic == "" || p.PairingTopic == "" {
				return nil, errInvalidParams
			}
			if r.implicit() {
				r.subscribe(c, p.SessionTopic)
			}
			closeAfter = r.publish(c, Message{Method: req.Method, Topic: p.PairingTopic, Message: p.SessionProposalResponse, Tag: 1101, TTL: 300})
			closeAfter = r.publish(c, Message{Method: req.Method, Topic: p.SessionTopic, Message: p.SessionSettlementRequest, Tag: 1102, TTL: 300}) || closeAfter
			return true, nil
		default:
			return nil, &rpcErr{Code: -32601, Message: "method not found: " + req.Method}
		}
	}()
	resp := map[string]any{"id": req.ID, "jsonrpc": "2.0"}
	if err != nil {
		var re *rpcErr
		if !errors.As(err, &re) {
			re = &rpcErr{Code: -32602, Message: err.Error()}
		}
		resp["error"] = re
	} else {
		resp["result"] = result
	}
	r.write(c, resp)
	if closeAfter {
		c.ws.CloseNow()
	}
}

type rpcErr struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcErr) Error() string { return e.Message }

var errInvalidParams = &rpcErr{Code: -32602, Message: "invalid params"}

func orDefault(p *int, d int) int {
	if p == nil {
		return d
	}
	return *p
}

func parsePublish(raw json.RawMessage) (Message, error) {
	var p struct {
		Topic   string `json:"topic"`
		Message string `json:"message"`
		TTL     int64  `json:"ttl"`
		Tag     int    `json:"tag"`
		Prompt  bool   `json:"prompt"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Topic == "" || p.Message == "" || p.TTL <= 0 {
		return Message{}, errInvalidParams
	}
	return Message{Topic: p.Topic, Message: p.Message, TTL: p.TTL, Tag: p.Tag, Prompt: p.Prompt}, nil
}

func (r *Relay) implicit() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.faults.NoImplicitSubscribe
}

// subscriptionID is what the relay names a client's subscription: hex(sha256(topic+client)).
func subscriptionID(topic, clientID string) string {
	h := sha256.Sum256([]byte(topic + clientID))
	return hex.EncodeToString(h[:])
}

// subscribe subscribes c and delivers the topic's mailbox to it.
func (r *Relay) subscribe(c *conn, topic string) string {
	r.mu.Lock()
	if r.subs[topic] == nil {
		r.subs[topic] = make(map[*conn]bool)
	}
	r.subs[topic][c] = true
	pending := r.liveLocked(topic)
	r.mu.Unlock()
	for _, st := range pending {
		r.deliver(c, st)
	}
	return subscriptionID(topic, c.clientID)
}

func (r *Relay) unsubscribe(c *conn, topic string) {
	r.mu.Lock()
	delete(r.subs[topic], c)
	r.mu.Unlock()
}

// liveLocked drops the topic's expired messages and returns the rest.
func (r *Relay) liveLocked(topic string) []*stored {
	now := time.Now()
	live := r.mailbox[topic][:0]
	for _, st := range r.mailbox[topic] {
		if now.Before(st.expires) {
			live = append(live, st)
		}
	}
	r.mailbox[topic] = live
	return append([]*stored(nil), live...)
}

// publish stores and delivers a message; it reports whether the publisher's socket must be
// dropped after the answer.
func (r *Relay) publish(c *conn, m Message) bool {
	m.From = c.clientID
	m.PublishedAt = time.Now().UnixMilli()
	r.mu.Lock()
	r.published = append(r.published, m)
	r.broadcastLocked()
	f := r.faults
	closeAfter := f.CloseAfterPublish != nil && f.CloseAfterPublish(m)
	if f.Drop != nil && f.Drop(m) {
		r.mu.Unlock()
		return closeAfter
	}
	st := &stored{Message: m, expires: time.Now().Add(time.Duration(m.TTL) * time.Second), delivered: make(map[*conn]bool)}
	r.mailbox[m.Topic] = append(r.mailbox[m.Topic], st)
	var targets []*conn
	for s := range r.subs[m.Topic] {
		targets = append(targets, s)
	}
	r.mu.Unlock()
	for _, s := range targets {
		r.deliver(s, st)
	}
	return closeAfter
}

// fetch returns the topics' messages not yet delivered to c, and counts them as delivered.
func (r *Relay) fetch(c *conn, topics []string) []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []map[string]any{}
	for _, t := range topics {
		for _, st := range r.liveLocked(t) {
			if st.delivered[c] || st.From == c.clientID {
				continue
			}
			st.delivered[c] = true
			out = append(out, map[string]any{"topic": st.Topic, "message": st.Message.Message, "publishedAt": st.PublishedAt, "tag": st.Tag})
		}
	}
	return out
}

// deliver sends a stored message to a subscriber once (per socket), never to its publisher.
func (r *Relay) deliver(c *conn, st *stored) {
	r.mu.Lock()
	if st.delivered[c] || st.From == c.clientID || c.ctx.Err() != nil {
		r.mu.Unlock()
		return
	}
	st.delivered[c] = true
	f := r.faults
	times := 1
	if f.Duplicate != nil && f.Duplicate(st.Message, c.clientID) {
		times = 2
	}
	var delay time.Duration
	if f.Delay != nil {
		delay = f.Delay(st.Message, c.clientID)
	}
	ids := make([]uint64, times)
	for i := range ids {
		r.nextID++
		ids[i] = r.nextID
	}
	r.mu.Unlock()
	send := func() {
		for _, id := range ids {
			r.write(c, map[string]any{
				"id":      id,
				"jsonrpc": "2.0",
				"method":  "irn_subscription",
				"params": map[string]any{
					"id": subscriptionID(st.Topic, c.clientID),
					"data": map[string]any{
						"topic":       st.Topic,
						"message":     st.Message.Message,
						"publishedAt": st.PublishedAt,
						"tag":         st.Tag,
						"attestation": nil,
					},
				},
			})
			r.mu.Lock()
			r.delivered++
			r.broadcastLocked()
			r.mu.Unlock()
		}
	}
	if delay > 0 {
		time.AfterFunc(delay, send)
		return
	}
	send()
}

func (r *Relay) write(c *conn, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		c.ws.CloseNow()
	}
}
