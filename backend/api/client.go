package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// Timeouts of the client (variables for tests).
var (
	helloTimeout = 10 * time.Second // the server must say hello within this
	cancelGrace  = 15 * time.Second // after a cancel, how long the server may take to finish cleanly
)

// ClientOptions are how a client reaches its user during a call.
type ClientOptions struct {
	// Confirm is asked for "approve on this computer" of this client's calls. Nil: the
	// transactions of this client's calls are refused (approval.ErrNoConfirm).
	Confirm share.ConfirmFunc
	// OnPhoneRequest is told when a transaction of this client's calls went to the phone
	// ("check your phone"). It must not block.
	OnPhoneRequest func(ctx context.Context, s approval.Summary)
}

// Client is a Profile served by a running DataShare. Each call is one connection, so calls
// may run concurrently. Create it with Dial.
type Client struct {
	path    string
	opts    ClientOptions
	dataDir string

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

// Dial connects to the DataShare serving the socket at socketPath (SocketPath(dataDir)). It
// returns ErrNotRunning when none does (a socket file left by one that died is removed; the
// data directory is missing, is a file or cannot be searched), a
// *VersionError when the server speaks another API version, and an error saying so when what
// answers is not DataShare.
func Dial(ctx context.Context, socketPath string, opts ClientOptions) (*Client, error) {
	conn, h, _, err := handshake(ctx, socketPath)
	if err != nil {
		return nil, err
	}
	conn.Close()
	return &Client{path: socketPath, opts: opts, dataDir: h.DataDir, conns: map[net.Conn]struct{}{}}, nil
}

// DataDir is the data directory of the running profile.
func (c *Client) DataDir() string { return c.dataDir }

// Close ends this client's calls in progress (the server cancels them) and refuses new ones.
// The running DataShare goes on.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for conn := range c.conns {
		conn.Close()
	}
	return nil
}

// notDataShare is the error for a peer that does not speak the protocol.
func notDataShare(path string, why error) error {
	return &codedError{share.CodeUnavailable, fmt.Sprintf("something that is not DataShare answers on %s (%v): stop the program that listens there, or remove the file if nothing should", path, why)}
}

// handshake connects to socketPath and exchanges hellos.
func handshake(ctx context.Context, path string) (net.Conn, message, *reader, error) {
	conn, err := connect(ctx, path)
	if err != nil {
		return nil, message{}, nil, err
	}
	deadline := time.Now().Add(helloTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetDeadline(deadline)
	fail := func(err error) (net.Conn, message, *reader, error) {
		conn.Close()
		return nil, message{}, nil, err
	}
	if err := encode(conn, hello("")); err != nil && !isClosedByPeer(err) {
		return fail(&codedError{share.CodeUnavailable, fmt.Sprintf("cannot talk to the DataShare on %s: %v", path, unwrapOp(err))})
	}
	r := newReader(conn)
	h, err := r.next()
	switch {
	case errors.Is(err, errGarbage):
		return fail(notDataShare(path, err))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(notDataShare(path, errors.New("it did not answer")))
	case err != nil:
		return fail(notDataShare(path, fmt.Errorf("it closed the connection: %v", unwrapOp(err))))
	case h.T == tError:
		return fail(fromWire(h.Error, nil))
	case h.T != tHello || h.Program != program:
		return fail(notDataShare(path, fmt.Errorf("it sent a %q message", h.T)))
	case h.API != Version:
		return fail(&VersionError{Client: Version, Server: h.API})
	}
	conn.SetDeadline(time.Time{})
	return conn, h, r, nil
}

func isClosedByPeer(err error) bool {
	return errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "broken pipe") || strings.Contains(err.Error(), "connection reset")
}

// connect dials the socket; a socket file with nobody listening is removed under the server
// lock (so never one a live server holds) and reported as ErrNotRunning.
func connect(ctx context.Context, path string) (net.Conn, error) {
	if _, err := os.Lstat(path); err != nil {
		// No socket, or none this user can reach: the data directory is missing, is a file, or
		// cannot be searched. Nothing runs for this user there; opening the profile says why.
		return nil, ErrNotRunning
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		conn, err := dialSocket(ctx, path)
		switch {
		case err == nil:
			return conn, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case isNoSocket(err):
			return nil, ErrNotRunning
		case isDenied(err):
			return nil, &codedError{share.CodeUnavailable, fmt.Sprintf("cannot connect to %s: permission denied (the socket belongs to another user: use your own data directory)", path)}
		case !isRefused(err):
			return nil, &codedError{share.CodeUnavailable, fmt.Sprintf("cannot reach the running DataShare: %v", err)}
		}
		// Refused: nobody listens. Remove the socket if no server holds the lock.
		lock, ok, lerr := tryLock(lockPath(path))
		if lerr != nil {
			return nil, fmt.Errorf("check whether DataShare runs: lock %s: %w", lockPath(path), lerr)
		}
		if ok {
			cerr := clearStale(path)
			lock.unlock()
			if cerr != nil {
				return nil, cerr
			}
			return nil, ErrNotRunning
		}
		// A server holds the lock but does not accept yet: it is starting (or just replaced
		// the socket). Try again for a moment.
		if time.Now().After(deadline) {
			return nil, &codedError{share.CodeUnavailable, fmt.Sprintf("a DataShare process holds this profile but does not answer on %s: wait until it has started, or quit it", path)}
		}
		t := time.NewTimer(50 * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// confirmErrors are the errors this client's Confirm returned during one call.
type confirmErrors struct {
	mu   sync.Mutex
	errs []error
}

func (l *confirmErrors) add(err error) {
	l.mu.Lock()
	l.errs = append(l.errs, err)
	l.mu.Unlock()
}

// causing returns the error of this side that w reports (its message is part of w's), if any.
func (l *confirmErrors) causing(w *wireError) error {
	if w == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.errs {
		if strings.Contains(w.Message, e.Error()) {
			return e
		}
	}
	return nil
}

func (c *Client) call(ctx context.Context, method string, args any, p share.Progress, result any) error {
	_, err := c.callLocal(ctx, method, args, p, result)
	return err
}

// callLocal makes one call: it sends it, relays progress and prompts until the result, and
// returns, with the error, the errors its Confirm returned.
func (c *Client) callLocal(ctx context.Context, method string, args any, p share.Progress, result any) (*confirmErrors, error) {
	local := &confirmErrors{}
	if p == nil {
		p = share.NoProgress{}
	}
	var raw json.RawMessage
	if args != nil {
		b, err := json.Marshal(args)
		if err != nil {
			return local, err
		}
		raw = b
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return local, errClosed
	}
	conn, _, r, err := handshake(ctx, c.path)
	if err != nil {
		return local, err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		conn.Close()
		return local, errClosed
	}
	c.conns[conn] = struct{}{}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.conns, conn)
		c.mu.Unlock()
		conn.Close()
	}()

	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wmu sync.Mutex
	send := func(m message) error {
		wmu.Lock()
		defer wmu.Unlock()
		return encode(conn, m)
	}
	if err := send(message{T: tCall, Method: method, Args: raw, Confirm: c.opts.Confirm != nil}); err != nil {
		return local, lost(err)
	}

	msgs := make(chan message)
	readErr := make(chan error, 1)
	go func() {
		for {
			m, err := r.next()
			if err != nil {
				readErr <- err
				return
			}
			select {
			case msgs <- m:
			case <-callCtx.Done():
				return
			}
		}
	}()

	ctxDone := ctx.Done()
	var grace <-chan time.Time
	for {
		select {
		case <-ctxDone:
			// Ask the server to stop and wait for it to finish cleanly, as in-process.
			ctxDone = nil
			send(message{T: tCancel})
			t := time.NewTimer(cancelGrace)
			defer t.Stop()
			grace = t.C
		case <-grace:
			return local, ctx.Err()
		case err := <-readErr:
			if ctx.Err() != nil {
				return local, ctx.Err()
			}
			c.mu.Lock()
			closed := c.closed
			c.mu.Unlock()
			if closed {
				return local, errClosed
			}
			return local, lost(err)
		case m := <-msgs:
			switch m.T {
			case tStage:
				p.Stage(share.Stage(m.Stage))
			case tBytes:
				p.Bytes(m.Done, m.Total)
			case tConfirm:
				go c.answer(callCtx, m, send, local)
			case tPhone:
				if c.opts.OnPhoneRequest != nil && m.Summary != nil {
					c.opts.OnPhoneRequest(callCtx, *m.Summary)
				}
			case tResult:
				if result == nil || len(m.Result) == 0 {
					return local, nil
				}
				if err := json.Unmarshal(m.Result, result); err != nil {
					return local, &codedError{share.CodeInternal, fmt.Sprintf("the running DataShare sent a result this command cannot read: %v", err)}
				}
				return local, nil
			case tError:
				return local, fromWire(m.Error, local.causing(m.Error))
			default:
				return local, notDataShare(c.path, fmt.Errorf("it sent a %q message during a call", m.T))
			}
		}
	}
}

// answer asks this client's user to approve and sends the answer.
func (c *Client) answer(ctx context.Context, m message, send func(message) error, local *confirmErrors) {
	a := message{T: tAnswer, ID: m.ID}
	switch {
	case m.Summary == nil:
		a.Error = &wireError{Code: share.CodeInvalidInput, Message: "the approval request came without its summary"}
	case c.opts.Confirm == nil:
		a.Error = toWire(approval.ErrNoConfirm)
	default:
		ok, err := c.opts.Confirm(ctx, *m.Summary)
		if err != nil {
			local.add(err)
			a.Error = toWire(err)
		}
		a.OK = ok
	}
	send(a)
}

// lost is the error of a call whose connection broke.
func lost(err error) error {
	why := unwrapOp(err)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		why = errors.New("the connection was closed")
	}
	return &codedError{share.CodeUnavailable, fmt.Sprintf("the running DataShare stopped answering (%v): check whether it still runs, then try again", why)}
}
