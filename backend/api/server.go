package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// Timeouts of the server (variables for tests).
var (
	handshakeTimeout = 10 * time.Second // a peer that does not say hello in time is dropped
	writeTimeout     = 30 * time.Second // a client that stops reading stops its call
	closeGrace       = 10 * time.Second // Close waits this long for cancelled calls to end
	bytesInterval    = 50 * time.Millisecond
)

// Server serves one Service on its socket. Create it with Serve.
type Server struct {
	svc  *share.Service
	path string
	log  *slog.Logger
	ln   *net.UnixListener
	lock *lockFile

	ctx    context.Context // cancelled by Close: every call's context derives from it
	cancel context.CancelFunc
	calls  sync.WaitGroup
	done   chan struct{} // closed when the accept loop returned

	mu    sync.Mutex
	conns map[net.Conn]struct{}

	closeOnce sync.Once
	closeErr  error
}

// Serve serves svc on the Unix socket at socketPath (SocketPath(svc.DataDir())) until Close. It
// returns ErrRunning when another process serves it already; a socket left by a process that
// died is replaced. log may be nil.
//
// For approvals to be asked of the client that made a call, svc must have been opened with
// RouteConfirm and RoutePhoneRequest (see the package documentation).
func Serve(svc *share.Service, socketPath string, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lock, err := acquire(socketPath)
	if err != nil {
		return nil, err
	}
	if err := clearStale(socketPath); err != nil {
		lock.unlock()
		return nil, err
	}
	ln, err := listenSocket(socketPath)
	if err != nil {
		lock.unlock()
		return nil, fmt.Errorf("start the local API on %s: %w", socketPath, err)
	}
	s := &Server{svc: svc, path: socketPath, log: log, ln: ln, lock: lock, done: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.accept()
	log.Info("local API listening", "socket", socketPath, "api", Version)
	return s, nil
}

// acquire takes the server lock of socketPath. When another process holds it, that is a
// running server (ErrRunning), unless it does not answer: then it may be a client that holds
// the lock for an instant while it removes a stale socket, and the lock is tried again for a
// short while.
func acquire(socketPath string) (*lockFile, error) {
	lp := lockPath(socketPath)
	deadline := time.Now().Add(2 * time.Second)
	answered := false
	for {
		lock, ok, err := tryLock(lp)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", lp, err)
		}
		if ok {
			return lock, nil
		}
		if !answered {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			c, _, _, err := handshake(ctx, socketPath)
			cancel()
			if err == nil {
				c.Close()
				return nil, ErrRunning
			}
			var ve *VersionError
			if errors.As(err, &ve) {
				return nil, ErrRunning
			}
			answered = true
		}
		if time.Now().After(deadline) {
			return nil, ErrRunning
		}
		t := time.NewTimer(20 * time.Millisecond)
		<-t.C
	}
}

// Close stops accepting connections, cancels the calls in progress (their clients get a
// canceled error), waits a bounded time for them to end, and removes the socket. It does not
// close the Service.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = s.ln.Close()
		<-s.done
		s.cancel()
		ended := make(chan struct{})
		go func() { s.calls.Wait(); close(ended) }()
		t := time.NewTimer(closeGrace)
		select {
		case <-ended:
			t.Stop()
		case <-t.C:
			s.mu.Lock()
			for c := range s.conns {
				c.Close()
			}
			s.mu.Unlock()
			s.log.Warn("local API: calls did not end in time after being cancelled; their connections were closed")
		}
		if err := os.Remove(s.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.closeErr = errors.Join(s.closeErr, err)
		}
		s.closeErr = errors.Join(s.closeErr, s.lock.unlock())
		if errors.Is(s.closeErr, net.ErrClosed) {
			s.closeErr = nil
		}
	})
	return s.closeErr
}

func (s *Server) accept() {
	defer close(s.done)
	for {
		c, err := s.ln.AcceptUnix()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			s.log.Error("local API: accept failed", "err", err)
			t := time.NewTimer(100 * time.Millisecond) // e.g. out of file descriptors: do not spin
			<-t.C
			continue
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.calls.Add(1)
		go func() {
			defer s.calls.Done()
			s.serveConn(c)
			c.Close()
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// serveConn runs one connection: the peer check, the handshake, one call.
func (s *Server) serveConn(c *net.UnixConn) {
	if err := checkPeer(c); err != nil {
		s.log.Warn("local API: connection refused", "err", err)
		c.SetWriteDeadline(time.Now().Add(time.Second))
		encode(c, message{T: tError, Error: toWire(errForeignPeer)})
		return
	}
	c.SetDeadline(time.Now().Add(handshakeTimeout))
	if err := encode(c, hello(s.svc.DataDir())); err != nil {
		return
	}
	r := newReader(c)
	h, err := r.next()
	if err != nil && !errors.Is(err, errGarbage) {
		return // gone, or silent until the deadline
	}
	if err != nil || h.T != tHello || h.Program != program {
		encode(c, message{T: tError, Error: &wireError{Code: share.CodeInvalidInput, Message: "this is the local API of DataShare: connect with the datashare command"}})
		return
	}
	if h.API != Version {
		encode(c, message{T: tError, Error: toWire(&VersionError{Client: h.API, Server: Version})})
		return
	}
	m, err := r.next()
	if err != nil || m.T != tCall {
		return
	}
	c.SetDeadline(time.Time{})

	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	k := &call{conn: c, cancel: cancel, pending: map[uint64]chan message{}}
	rt := &route{phone: k.phone}
	if m.Confirm {
		rt.confirm = k.confirm
	}
	ctx = withRoute(ctx, rt)
	go k.read(r)

	s.log.Debug("local API call", "method", m.Method)
	result, err := s.dispatch(ctx, m.Method, m.Args, k.progress())
	k.progress().flush()
	if err != nil {
		s.log.Debug("local API call failed", "method", m.Method, "code", share.Code(err))
		k.send(message{T: tError, Error: toWire(err)})
		return
	}
	b, err := json.Marshal(result)
	if err != nil {
		k.send(message{T: tError, Error: toWire(err)})
		return
	}
	k.send(message{T: tResult, Result: b})
}

// call is the server side of one call: it writes messages and routes the client's answers.
type call struct {
	conn   net.Conn
	cancel context.CancelFunc

	wmu  sync.Mutex // one message at a time
	prog *progressOut

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan message
}

// send writes a message; a client that does not read it in time loses its call.
func (k *call) send(m message) error {
	k.wmu.Lock()
	defer k.wmu.Unlock()
	k.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	err := encode(k.conn, m)
	if err != nil {
		k.cancel()
	}
	return err
}

// read handles the client's messages until the connection ends; its end cancels the call.
func (k *call) read(r *reader) {
	defer k.cancel()
	for {
		m, err := r.next()
		if err != nil {
			return
		}
		switch m.T {
		case tCancel:
			k.cancel()
		case tAnswer:
			k.mu.Lock()
			ch := k.pending[m.ID]
			delete(k.pending, m.ID)
			k.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		default:
			return // not part of the protocol: drop the call
		}
	}
}

// confirm asks the client to approve (RouteConfirm calls it).
func (k *call) confirm(ctx context.Context, s approval.Summary) (bool, error) {
	ch := make(chan message, 1)
	k.mu.Lock()
	k.nextID++
	id := k.nextID
	k.pending[id] = ch
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		delete(k.pending, id)
		k.mu.Unlock()
	}()
	if err := k.send(message{T: tConfirm, ID: id, Summary: &s}); err != nil {
		return false, fmt.Errorf("ask for approval: the command that asked for it is gone: %w", context.Canceled)
	}
	select {
	case a := <-ch:
		if a.Error != nil {
			return false, fromWire(a.Error, nil)
		}
		return a.OK, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// phone tells the client a transaction went to the phone (RoutePhoneRequest calls it).
func (k *call) phone(_ context.Context, s approval.Summary) {
	k.send(message{T: tPhone, Summary: &s})
}

func (k *call) progress() *progressOut {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.prog == nil {
		k.prog = &progressOut{k: k}
	}
	return k.prog
}

// progressOut sends share.Progress to the client: every stage, and byte counts at most every
// bytesInterval (the last one always arrives before the next stage or the end).
type progressOut struct {
	k *call

	mu          sync.Mutex
	last        time.Time
	pending     bool
	done, total int64
}

func (p *progressOut) Stage(st share.Stage) {
	p.flush()
	p.k.send(message{T: tStage, Stage: string(st)})
}

func (p *progressOut) Bytes(done, total int64) {
	p.mu.Lock()
	p.done, p.total = done, total
	if time.Since(p.last) < bytesInterval && done != total {
		p.pending = true
		p.mu.Unlock()
		return
	}
	p.pending = false
	p.last = time.Now()
	p.mu.Unlock()
	p.k.send(message{T: tBytes, Done: done, Total: total})
}

func (p *progressOut) flush() {
	p.mu.Lock()
	if !p.pending {
		p.mu.Unlock()
		return
	}
	p.pending = false
	p.last = time.Now()
	done, total := p.done, p.total
	p.mu.Unlock()
	p.k.send(message{T: tBytes, Done: done, Total: total})
}
