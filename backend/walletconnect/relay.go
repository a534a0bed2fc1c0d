package walletconnect

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/datashare/datashare/backend/walletconnect/internal/relayauth"
)

// Relay connection parameters. Tests shorten some through relayConfig.
const (
	dialTimeout      = 15 * time.Second
	relayCallTimeout = 15 * time.Second // one relay JSON-RPC call, including waiting for a connection
	connectWait      = 10 * time.Second // how long a call waits for a lost connection to come back
	writeTimeout     = 10 * time.Second
	pingInterval     = 30 * time.Second
	pingTimeout      = 10 * time.Second
	backoffMin       = 500 * time.Millisecond
	backoffMax       = 30 * time.Second
	shortLived       = 5 * time.Second // a connection that dies sooner backs off before redialling
	defaultJWTTTL    = 24 * time.Hour
	readLimit        = 4 << 20
	seenMax          = 4096 // de-duplication memory, in messages
)

type relayConfig struct {
	url       string // ws:// or wss:// without our query parameters; also the JWT audience
	projectID string
	key       ed25519.PrivateKey
	userAgent string
	jwtTTL    time.Duration
	log       *slog.Logger
}

// inbound is a message the relay delivered on a subscribed topic.
type inbound struct {
	topic, message string
	publishedAt    int64
	tag            int
}

// relay is a connection to a WalletConnect relay that survives network failures: it dials on
// first use, re-dials with exponential backoff, re-subscribes every topic after a reconnect,
// renews its JWT before it expires, acknowledges and de-duplicates deliveries, and hands them to
// deliver one at a time, in order, on its own goroutine (so deliver may call the relay).
type relay struct {
	cfg     relayConfig
	host    string // scheme://host, for messages
	deliver func(inbound)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	kick   chan struct{} // wakes the dial loop from its backoff

	mu            sync.Mutex
	started       bool
	closed        bool
	cur           *relayConn
	changed       chan struct{} // closed and replaced when cur or the last failure changes
	lastErr       error         // why the last dial failed or the last connection ended
	permanent     bool          // lastErr will not go away by retrying (refused project ID, bad auth)
	failures      int           // failed dials so far
	everConnected bool
	topics        map[string]string // wanted subscriptions: topic → subscription id ("" until known)
	pending       map[string]chan rpcMessage
	seen          map[[32]byte]struct{}
	seenOrder     [][32]byte
	inbox         []inbound
	inboxReady    chan struct{}
}

type relayConn struct {
	ws       *websocket.Conn
	done     chan struct{} // closed when the connection is gone
	jwtExp   time.Time
	renewing atomic.Bool
	since    time.Time
}

func newRelay(cfg relayConfig, deliver func(inbound)) *relay {
	if cfg.jwtTTL == 0 {
		cfg.jwtTTL = defaultJWTTTL
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &relay{
		cfg:        cfg,
		host:       redactURL(cfg.url),
		deliver:    deliver,
		ctx:        ctx,
		cancel:     cancel,
		kick:       make(chan struct{}, 1),
		changed:    make(chan struct{}),
		topics:     make(map[string]string),
		pending:    make(map[string]chan rpcMessage),
		seen:       make(map[[32]byte]struct{}),
		inboxReady: make(chan struct{}, 1),
	}
}

// redactURL keeps scheme://host of a relay URL: its query may carry credentials.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the configured relay"
	}
	return u.Scheme + "://" + u.Host
}

// start begins connecting (once). Calls start it; a restored session starts it at New.
func (r *relay) start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started || r.closed {
		return
	}
	r.started = true
	r.wg.Add(2)
	go r.run()
	go r.dispatch()
}

// close disconnects and stops every goroutine. Pending calls fail with ErrClosed.
func (r *relay) close() {
	r.mu.Lock()
	r.closed = true
	r.broadcastLocked()
	r.mu.Unlock()
	r.cancel()
	r.wg.Wait()
}

func (r *relay) broadcastLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// clientID is the did:key the relay knows this client by.
func (r *relay) clientID() string {
	return relayauth.DIDKey(r.cfg.key.Public().(ed25519.PublicKey))
}

// ---- connection loop ----

func (r *relay) run() {
	defer r.wg.Done()
	attempt := 0
	for r.ctx.Err() == nil {
		if attempt > 0 {
			d := backoff(attempt)
			r.mu.Lock()
			if r.permanent {
				d = backoffMax
			}
			r.mu.Unlock()
			t := time.NewTimer(d)
			select {
			case <-r.ctx.Done():
				t.Stop()
				return
			case <-r.kick:
			case <-t.C:
			}
			t.Stop()
		}
		rc, err := r.dial()
		if err != nil {
			if r.ctx.Err() != nil {
				return
			}
			r.fail(err)
			attempt++
			continue
		}
		r.connected(rc)
		r.wg.Add(1)
		go r.resubscribe(rc)
		err = r.serve(rc)
		r.disconnected(rc, err)
		switch {
		case rc.renewing.Load():
			attempt = 0 // a planned reconnect: dial at once
		case time.Since(rc.since) < shortLived:
			attempt++
		default:
			attempt = 0 // redial at once; back off only if that fails
		}
	}
}

func backoff(attempt int) time.Duration {
	d := backoffMin << min(attempt-1, 10)
	d = min(d, backoffMax)
	// ±20 % jitter, so that many clients do not reconnect in step.
	n, err := rand.Int(rand.Reader, big.NewInt(int64(d/5)+1))
	if err == nil {
		d = d - d/10 + time.Duration(n.Int64())
	}
	return d
}

// dial opens a connection with a fresh JWT.
func (r *relay) dial() (*relayConn, error) {
	var nonce [32]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, err
	}
	now := time.Now()
	jwt, err := relayauth.Sign(r.cfg.key, hex.EncodeToString(nonce[:]), r.cfg.url, now, r.cfg.jwtTTL)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("auth", jwt)
	if r.cfg.projectID != "" {
		q.Set("projectId", r.cfg.projectID)
	}
	q.Set("ua", r.cfg.userAgent)
	sep := "?"
	if strings.Contains(r.cfg.url, "?") {
		sep = "&"
	}
	full := r.cfg.url + sep + q.Encode()

	ctx, cancel := context.WithTimeout(r.ctx, dialTimeout)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, full, &websocket.DialOptions{HTTPClient: &http.Client{Timeout: dialTimeout}})
	if err != nil {
		return nil, r.dialError(err, resp, full, jwt)
	}
	ws.SetReadLimit(readLimit)
	exp := time.Unix(now.Unix(), 0).Add(r.cfg.jwtTTL) // the JWT's exp: whole seconds
	return &relayConn{ws: ws, done: make(chan struct{}), jwtExp: exp, since: time.Now()}, nil
}

// relayError is why the relay cannot be used; permanent ones do not go away by retrying.
type relayError struct {
	msg       string
	permanent bool
	err       error
}

func (e *relayError) Error() string { return e.msg }
func (e *relayError) Unwrap() error { return e.err }

// dialError explains a failed dial without the URL's query (it holds the JWT).
func (r *relay) dialError(err error, resp *http.Response, full, jwt string) error {
	if resp != nil {
		switch resp.StatusCode {
		case http.StatusForbidden:
			return &relayError{msg: fmt.Sprintf("%s refused the connection (HTTP 403): the WalletConnect project ID is missing or not valid; set a project ID from Reown Cloud in Settings", r.host), permanent: true}
		case http.StatusUnauthorized:
			return &relayError{msg: fmt.Sprintf("%s rejected this app's authentication (HTTP 401)", r.host), permanent: true}
		default:
			if resp.StatusCode != http.StatusSwitchingProtocols {
				return &relayError{msg: fmt.Sprintf("%s answered HTTP %d instead of opening a WebSocket", r.host, resp.StatusCode)}
			}
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	msg = strings.ReplaceAll(msg, full, r.host)
	msg = strings.ReplaceAll(msg, jwt, "…")
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "timed out"
	}
	return &relayError{msg: fmt.Sprintf("cannot reach %s: %s", r.host, msg)}
}

func (r *relay) fail(err error) {
	var re *relayError
	perm := errors.As(err, &re) && re.permanent
	r.mu.Lock()
	r.lastErr, r.permanent = err, perm
	r.failures++
	r.broadcastLocked()
	r.mu.Unlock()
	r.cfg.log.Warn("walletconnect relay connection failed", "error", err.Error())
}

func (r *relay) connected(rc *relayConn) {
	r.mu.Lock()
	r.cur = rc
	r.lastErr, r.permanent = nil, false
	r.everConnected = true
	r.broadcastLocked()
	r.mu.Unlock()
	r.cfg.log.Debug("walletconnect relay connected", "relay", r.host)
}

// disconnected records why a connection ended; permanent close codes (3000–4999: the relay
// refused the project ID or the client) stop fast retries.
func (r *relay) disconnected(rc *relayConn, err error) {
	close(rc.done)
	var why error
	if !rc.renewing.Load() && r.ctx.Err() == nil {
		code := websocket.CloseStatus(err)
		var ce websocket.CloseError
		reason := ""
		if errors.As(err, &ce) {
			reason = ce.Reason
		}
		switch {
		case code >= 3000 && code < 5000:
			why = &relayError{msg: fmt.Sprintf("%s closed the connection (code %d: %s); check the WalletConnect project ID in Settings", r.host, code, reason), permanent: true}
		case code != -1:
			why = &relayError{msg: fmt.Sprintf("%s closed the connection (code %d)", r.host, code)}
		default:
			why = &relayError{msg: fmt.Sprintf("lost the connection to %s", r.host), err: err}
		}
		r.cfg.log.Info("walletconnect relay disconnected", "reason", why.Error())
	}
	r.mu.Lock()
	if r.cur == rc {
		r.cur = nil
	}
	if why != nil {
		var re *relayError
		r.lastErr, r.permanent = why, errors.As(why, &re) && re.permanent
	}
	r.broadcastLocked()
	r.mu.Unlock()
	rc.ws.CloseNow()
}

// serve reads the connection until it ends, pinging the relay and renewing the JWT (by
// reconnecting) before it expires.
func (r *relay) serve(rc *relayConn) error {
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		ping := time.NewTicker(pingInterval)
		defer ping.Stop()
		renewIn := time.Until(rc.jwtExp) - min(time.Hour, r.cfg.jwtTTL/10)
		renew := time.NewTimer(max(renewIn, 0))
		defer renew.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ping.C:
				pctx, pcancel := context.WithTimeout(ctx, pingTimeout)
				err := rc.ws.Ping(pctx)
				pcancel()
				if err != nil && ctx.Err() == nil {
					r.cfg.log.Info("walletconnect relay did not answer a ping; reconnecting")
					rc.ws.CloseNow()
					return
				}
			case <-renew.C:
				rc.renewing.Store(true)
				r.cfg.log.Debug("walletconnect relay: renewing authentication")
				rc.ws.Close(websocket.StatusNormalClosure, "renewing authentication")
				return
			}
		}
	}()
	for {
		typ, data, err := rc.ws.Read(ctx)
		if err != nil {
			return err
		}
		if typ == websocket.MessageText {
			r.handleFrame(ctx, rc, data)
		}
	}
}

// ---- JSON-RPC ----

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// rpcMessage is a JSON-RPC request or response, to or from the relay or the peer.
type rpcMessage struct {
	ID      json.RawMessage `json:"id,omitempty"`
	JSONRPC string          `json:"jsonrpc"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// idKey normalises a JSON-RPC id (a number, or a number in a string) for lookups.
func idKey(raw json.RawMessage) string { return strings.Trim(string(raw), `"`) }

var lastRPCID atomic.Uint64

// newRPCID returns a unique JSON-RPC id that survives a round trip through a float64 (the
// JavaScript side parses ids as numbers): milliseconds × 1000 + random(1000), increasing.
func newRPCID() uint64 {
	var b [2]byte
	_, _ = rand.Read(b[:])
	id := uint64(time.Now().UnixMilli())*1000 + uint64(binary.BigEndian.Uint16(b[:]))%1000
	for {
		last := lastRPCID.Load()
		if id <= last {
			id = last + 1
		}
		if lastRPCID.CompareAndSwap(last, id) {
			return id
		}
	}
}

func (r *relay) handleFrame(ctx context.Context, rc *relayConn, data []byte) {
	var m rpcMessage
	if err := json.Unmarshal(data, &m); err != nil {
		r.cfg.log.Warn("walletconnect relay sent a malformed frame", "error", err.Error())
		return
	}
	if m.Method == "" {
		r.mu.Lock()
		ch := r.pending[idKey(m.ID)]
		delete(r.pending, idKey(m.ID))
		r.mu.Unlock()
		if ch != nil {
			ch <- m
		}
		return
	}
	if !strings.HasSuffix(m.Method, "_subscription") {
		r.reply(ctx, rc, m.ID, nil, &rpcError{Code: -32601, Message: "method not found"})
		return
	}
	var p struct {
		ID   string `json:"id"`
		Data struct {
			Topic       string `json:"topic"`
			Message     string `json:"message"`
			PublishedAt int64  `json:"publishedAt"`
			Tag         int    `json:"tag"`
		} `json:"data"`
	}
	if err := json.Unmarshal(m.Params, &p); err != nil {
		r.reply(ctx, rc, m.ID, nil, &rpcError{Code: -32602, Message: "invalid params"})
		return
	}
	// Acknowledge first, always: an unacknowledged message is delivered again.
	r.reply(ctx, rc, m.ID, true, nil)
	in := inbound{topic: p.Data.Topic, message: p.Data.Message, publishedAt: p.Data.PublishedAt, tag: p.Data.Tag}
	if in.message == "" || !r.firstTime(in) {
		return
	}
	r.mu.Lock()
	r.inbox = append(r.inbox, in)
	r.mu.Unlock()
	select {
	case r.inboxReady <- struct{}{}:
	default:
	}
}

// firstTime reports whether this message was not delivered before (the relay may redeliver,
// notably on every new connection).
func (r *relay) firstTime(in inbound) bool {
	h := sha256.Sum256([]byte(in.topic + "\x00" + in.message))
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[h]; ok {
		return false
	}
	r.seen[h] = struct{}{}
	r.seenOrder = append(r.seenOrder, h)
	if len(r.seenOrder) > seenMax {
		delete(r.seen, r.seenOrder[0])
		r.seenOrder = r.seenOrder[1:]
	}
	return true
}

func (r *relay) reply(ctx context.Context, rc *relayConn, id json.RawMessage, result any, rerr *rpcError) {
	resp := map[string]any{"id": id, "jsonrpc": "2.0"}
	if rerr != nil {
		resp["error"] = rerr
	} else {
		resp["result"] = result
	}
	b, _ := json.Marshal(resp)
	wctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	if err := rc.ws.Write(wctx, websocket.MessageText, b); err != nil && ctx.Err() == nil {
		rc.ws.CloseNow() // the read loop notices and reconnects
	}
}

// dispatch hands delivered messages to deliver, one at a time and in order.
func (r *relay) dispatch() {
	defer r.wg.Done()
	for {
		select {
		case <-r.ctx.Done():
			return
		case <-r.inboxReady:
		}
		for {
			r.mu.Lock()
			if len(r.inbox) == 0 || r.ctx.Err() != nil {
				r.mu.Unlock()
				break
			}
			in := r.inbox[0]
			r.inbox = r.inbox[1:]
			r.mu.Unlock()
			r.deliver(in)
		}
	}
}

// call sends one JSON-RPC request and decodes its result. It waits for a connection, resends
// on the next connection when the current one is lost before the answer, and gives up after
// relayCallTimeout or when ctx ends. Failures to use the relay match ErrRelayUnavailable.
func (r *relay) call(ctx context.Context, method string, params, result any) error {
	r.start()
	cctx, cancel := context.WithTimeout(ctx, relayCallTimeout)
	defer cancel()
	id := newRPCID()
	body, err := json.Marshal(map[string]any{"id": id, "jsonrpc": "2.0", "method": method, "params": params})
	if err != nil {
		return err
	}
	key := strconv.FormatUint(id, 10)
	since := time.Now()
	for {
		rc, err := r.waitConn(cctx, since)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("%s: %w", method, ctx.Err())
			}
			return err
		}
		ch := make(chan rpcMessage, 1)
		r.mu.Lock()
		r.pending[key] = ch
		r.mu.Unlock()
		wctx, wcancel := context.WithTimeout(cctx, writeTimeout)
		werr := rc.ws.Write(wctx, websocket.MessageText, body)
		wcancel()
		if werr == nil {
			select {
			case m := <-ch:
				if m.Error != nil {
					return fmt.Errorf("%w: %s refused %s: %s (code %d)", ErrRelayUnavailable, r.host, method, m.Error.Message, m.Error.Code)
				}
				if result != nil {
					if err := json.Unmarshal(m.Result, result); err != nil {
						return fmt.Errorf("%w: %s answered %s with %s", ErrRelayUnavailable, r.host, method, truncate(string(m.Result), 80))
					}
				}
				return nil
			case <-rc.done: // lost before the answer: send again on the next connection
			case <-cctx.Done():
			}
		} else if cctx.Err() == nil {
			rc.ws.CloseNow()
		}
		r.mu.Lock()
		delete(r.pending, key)
		r.mu.Unlock()
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", method, ctx.Err())
		}
		if cctx.Err() != nil {
			return fmt.Errorf("%w: %s did not answer %s within %s", ErrRelayUnavailable, r.host, method, relayCallTimeout)
		}
	}
}

// waitConn returns the current connection, waiting for one. It fails fast when the relay
// refused us for good, or when a dial made while waiting failed and the relay was never reached
// (a first contact that fails is reported at once); otherwise it waits up to connectWait.
func (r *relay) waitConn(ctx context.Context, since time.Time) (*relayConn, error) {
	r.mu.Lock()
	failures, down := r.failures, r.cur == nil
	r.mu.Unlock()
	if down {
		select {
		case r.kick <- struct{}{}: // skip a backoff wait: someone needs the relay now
		default:
		}
	}
	for {
		r.mu.Lock()
		rc, closed, lastErr, perm, ever, fails, ch := r.cur, r.closed, r.lastErr, r.permanent, r.everConnected, r.failures, r.changed
		r.mu.Unlock()
		switch {
		case closed:
			return nil, ErrClosed
		case rc != nil:
			return rc, nil
		case lastErr != nil && (perm || (!ever && fails > failures) || time.Since(since) > connectWait):
			return nil, fmt.Errorf("%w: %w", ErrRelayUnavailable, lastErr)
		}
		wait := time.NewTimer(max(connectWait-time.Since(since), 0) + 10*time.Millisecond)
		select {
		case <-ctx.Done():
			wait.Stop()
			if lastErr != nil {
				return nil, fmt.Errorf("%w: %w", ErrRelayUnavailable, lastErr)
			}
			return nil, fmt.Errorf("%w: timed out connecting to %s", ErrRelayUnavailable, r.host)
		case <-ch:
		case <-wait.C:
		}
		wait.Stop()
	}
}

// ---- relay methods ----

// subscribe subscribes to topic now and after every reconnect.
func (r *relay) subscribe(ctx context.Context, topic string) error {
	r.mu.Lock()
	if _, ok := r.topics[topic]; !ok {
		r.topics[topic] = ""
	}
	r.mu.Unlock()
	var id string
	if err := r.call(ctx, "irn_subscribe", map[string]string{"topic": topic}, &id); err != nil {
		return err
	}
	r.mu.Lock()
	if _, ok := r.topics[topic]; ok {
		r.topics[topic] = id
	}
	r.mu.Unlock()
	return nil
}

// watch adds topics to subscribe to on the next (re)connection, without a call now.
func (r *relay) watch(topics ...string) {
	r.mu.Lock()
	for _, t := range topics {
		if _, ok := r.topics[t]; !ok {
			r.topics[t] = ""
		}
	}
	r.mu.Unlock()
}

// unsubscribe stops the subscription; a relay that cannot be reached is not an error (the
// next connection does not subscribe the topic).
func (r *relay) unsubscribe(ctx context.Context, topic string) error {
	r.mu.Lock()
	id, ok := r.topics[topic]
	delete(r.topics, topic)
	connected := r.cur != nil
	r.mu.Unlock()
	if !ok || !connected {
		return nil
	}
	if id == "" {
		id = subscriptionID(topic, r.clientID())
	}
	var done bool
	return r.call(ctx, "irn_unsubscribe", map[string]string{"topic": topic, "id": id}, &done)
}

// subscriptionID is the id the relay gives a client's subscription to a topic, as the SDK
// computes it: hex(sha256(topic + client id)).
func subscriptionID(topic, clientID string) string {
	h := sha256.Sum256([]byte(topic + clientID))
	return hex.EncodeToString(h[:])
}

// resubscribe subscribes every wanted topic on a new connection; if that fails the connection
// is dropped so that the next one tries again.
func (r *relay) resubscribe(rc *relayConn) {
	defer r.wg.Done()
	r.mu.Lock()
	topics := make([]string, 0, len(r.topics))
	for t := range r.topics {
		topics = append(topics, t)
	}
	r.mu.Unlock()
	if len(topics) == 0 {
		return
	}
	var ids []string
	if err := r.call(r.ctx, "irn_batchSubscribe", map[string][]string{"topics": topics}, &ids); err != nil {
		if r.ctx.Err() == nil {
			r.cfg.log.Warn("walletconnect relay: re-subscribing failed; reconnecting", "error", err.Error())
			rc.ws.CloseNow()
		}
		return
	}
	r.mu.Lock()
	for i, t := range topics {
		if _, ok := r.topics[t]; ok && i < len(ids) {
			r.topics[t] = ids[i]
		}
	}
	r.mu.Unlock()
}

// publish sends an encrypted message to a topic.
func (r *relay) publish(ctx context.Context, topic, message string, ttl time.Duration, tag int, prompt bool) error {
	var ok bool
	params := map[string]any{
		"topic":   topic,
		"message": message,
		"ttl":     int64(ttl / time.Second),
		"tag":     tag,
		"prompt":  prompt,
	}
	if err := r.call(ctx, "irn_publish", params, &ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s did not accept the message", ErrRelayUnavailable, r.host)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
