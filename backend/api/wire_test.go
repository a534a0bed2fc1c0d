package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect"
)

// TestErrorsKeepCodeAndSentinels: an error that crossed the socket has the server's message
// and code, and matches the sentinels of its code and no others.
func TestErrorsKeepCodeAndSentinels(t *testing.T) {
	sentinels := []error{
		context.Canceled, approval.ErrRejected, walletconnect.ErrExpired, share.ErrBusy, os.ErrExist,
		share.ErrNotFound, os.ErrNotExist, share.ErrInvalidInput, share.ErrNoAccess, share.ErrOnChain,
		walletconnect.ErrRelayUnavailable, context.DeadlineExceeded,
	}
	for _, s := range sentinels {
		orig := fmt.Errorf("publish a.txt: %w", s)
		got := fromWire(toWire(orig), nil)
		if got.Error() != orig.Error() || share.Code(got) != share.Code(orig) {
			t.Errorf("%v came back as %q code %s, want %q code %s", s, got, share.Code(got), orig, share.Code(orig))
		}
		for _, other := range sentinels {
			if want := share.Code(other) == share.Code(s); errors.Is(got, other) != want {
				t.Errorf("errors.Is(remote %v, %v) = %v, want %v", s, other, !want, want)
			}
		}
	}
	internal := fromWire(toWire(errors.New("something odd")), nil)
	if share.Code(internal) != share.CodeInternal || errors.Is(internal, share.ErrNotFound) || errors.Is(internal, errors.New("something odd")) {
		t.Errorf("an internal error matches sentinels or lost its code: %v", share.Code(internal))
	}

	exists := fromWire(toWire(fmt.Errorf("fetch 3: %w", &share.ExistsError{Path: "/tmp/x"})), nil)
	var ee *share.ExistsError
	if !errors.As(exists, &ee) || ee.Path != "/tmp/x" || !errors.Is(exists, os.ErrExist) {
		t.Errorf("an ExistsError came back as %#v", exists)
	}

	type mine struct{ error }
	local := &mine{errors.New("no terminal to ask on")}
	wrapped := fromWire(toWire(fmt.Errorf("publish a: %w", local)), local)
	var m *mine
	if !errors.As(wrapped, &m) || m != local {
		t.Errorf("the client's own confirm error is not in the chain of %v", wrapped)
	}
}

// fakeServer listens at a fresh socket path and runs serve on each connection.
func fakeServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	path := SocketPath(t.TempDir())
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); serve(c) }()
		}
	}()
	return path
}

func TestDialAServerOfAnotherVersion(t *testing.T) {
	for _, v := range []int{Version + 1, Version - 1} {
		path := fakeServer(t, func(c net.Conn) {
			h := hello("/somewhere")
			h.API = v
			encode(c, h)
			newReader(c).next()
		})
		_, err := Dial(t.Context(), path, ClientOptions{})
		var ve *VersionError
		if !errors.As(err, &ve) || ve.Client != Version || ve.Server != v {
			t.Fatalf("Dial to API v%d = %v", v, err)
		}
		word := "newer"
		if v < Version {
			word = "older"
		}
		if !strings.Contains(err.Error(), word) || !strings.Contains(err.Error(), fmt.Sprintf("v%d", v)) {
			t.Errorf("version message %q does not say the server is %s", err, word)
		}
	}
}

func TestDialSomethingElse(t *testing.T) {
	old := helloTimeout
	helloTimeout = 300 * time.Millisecond
	t.Cleanup(func() { helloTimeout = old })
	cases := map[string]func(net.Conn){
		"http": func(c net.Conn) {
			c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
		},
		"json of another program": func(c net.Conn) { c.Write([]byte(`{"t":"hello","program":"other","api":1}` + "\n")) },
		"binary":                  func(c net.Conn) { c.Write([]byte{0, 1, 2, 3, 0xff, '\n'}) },
		"silent": func(c net.Conn) {
			newReader(c).next()
			newReader(c).next()
		},
		"closes at once": func(net.Conn) {},
	}
	for name, serve := range cases {
		t.Run(name, func(t *testing.T) {
			path := fakeServer(t, serve)
			_, err := Dial(t.Context(), path, ClientOptions{})
			if err == nil || !strings.Contains(err.Error(), "not DataShare") || share.Code(err) != share.CodeUnavailable {
				t.Fatalf("Dial = %v (code %s), want a clear 'not DataShare' error", err, share.Code(err))
			}
		})
	}
}

func TestDialNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := Dial(t.Context(), SocketPath(dir), ClientOptions{}); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Dial with no socket = %v", err)
	}
	if _, err := Dial(t.Context(), SocketPath(filepath.Join(dir, "missing")), ClientOptions{}); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Dial into a missing directory = %v", err)
	}
	// A data directory that is a file: no socket can be there.
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Dial(t.Context(), SocketPath(file), ClientOptions{}); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Dial into a data directory that is a file = %v", err)
	}
}

// staleSocket leaves a socket file that nobody listens on, as a process that died does.
func staleSocket(t *testing.T) string {
	t.Helper()
	path := SocketPath(t.TempDir())
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("no stale socket: %v", err)
	}
	return path
}

func TestDialRemovesAStaleSocket(t *testing.T) {
	path := staleSocket(t)
	if _, err := Dial(t.Context(), path, ClientOptions{}); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Dial to a stale socket = %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the stale socket is still there: %v", err)
	}
}

// TestDialKeepsASocketWhoseServerHoldsTheLock: a socket that refuses connections is kept while
// a server holds the lock (it may be starting); Dial says so after a bounded wait.
func TestDialKeepsASocketWhoseServerHoldsTheLock(t *testing.T) {
	path := staleSocket(t)
	lock, ok, err := tryLock(lockPath(path))
	if err != nil || !ok {
		t.Fatalf("tryLock = %v, %v", ok, err)
	}
	defer lock.unlock()
	_, err = Dial(t.Context(), path, ClientOptions{})
	if err == nil || errors.Is(err, ErrNotRunning) || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("Dial while the lock is held = %v", err)
	}
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the socket of a lock holder was removed: %v", err)
	}
}

func TestDialFileThatIsNotASocket(t *testing.T) {
	path := SocketPath(t.TempDir())
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Dial(t.Context(), path, ClientOptions{})
	if err == nil || errors.Is(err, ErrNotRunning) {
		t.Fatalf("Dial to a regular file = %v", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "mine" {
		t.Fatalf("the file was touched: %q, %v", b, err)
	}
}

func TestRouteConfirm(t *testing.T) {
	var fell int
	fallback := func(context.Context, approval.Summary) (bool, error) { fell++; return true, nil }
	confirm := RouteConfirm(fallback)
	if ok, err := confirm(t.Context(), approval.Summary{}); !ok || err != nil || fell != 1 {
		t.Fatalf("outside the API: %v %v, fallback asked %d times", ok, err, fell)
	}
	var asked int
	ctx := withRoute(t.Context(), &route{confirm: func(context.Context, approval.Summary) (bool, error) { asked++; return false, nil }, phone: func(context.Context, approval.Summary) {}})
	if ok, err := confirm(ctx, approval.Summary{}); ok || err != nil || asked != 1 || fell != 1 {
		t.Fatalf("through the API: %v %v, client asked %d, fallback %d", ok, err, asked, fell)
	}
	noPrompt := withRoute(t.Context(), &route{phone: func(context.Context, approval.Summary) {}})
	if ok, err := confirm(noPrompt, approval.Summary{}); ok || !errors.Is(err, approval.ErrNoConfirm) || fell != 1 {
		t.Fatalf("a client without a prompt: %v %v, fallback %d", ok, err, fell)
	}
	if ok, err := RouteConfirm(nil)(t.Context(), approval.Summary{}); ok || !errors.Is(err, approval.ErrNoConfirm) {
		t.Fatalf("no fallback: %v %v", ok, err)
	}

	var phoned, fellPhone int
	phone := RoutePhoneRequest(func(context.Context, approval.Summary) { fellPhone++ })
	phone(t.Context(), approval.Summary{})
	phone(withRoute(t.Context(), &route{phone: func(context.Context, approval.Summary) { phoned++ }}), approval.Summary{})
	if phoned != 1 || fellPhone != 1 {
		t.Fatalf("phone requests: client %d, fallback %d", phoned, fellPhone)
	}
}

// TestProgressThrottlesBytesButKeepsTheLast: byte counts are sent at most every interval, and
// the last one always before the next stage.
func TestProgressThrottlesBytesButKeepsTheLast(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	k := &call{conn: a, cancel: func() {}, pending: map[uint64]chan message{}}
	got := make(chan []message)
	go func() {
		var ms []message
		r := newReader(b)
		for {
			m, err := r.next()
			if err != nil {
				got <- ms
				return
			}
			ms = append(ms, m)
		}
	}()
	p := k.progress()
	p.Stage(share.StageEncrypt)
	for i := int64(1); i <= 1000; i++ {
		p.Bytes(i, 2000)
	}
	p.Stage(share.StageMetadata)
	a.Close()
	ms := <-got
	if len(ms) < 3 || len(ms) > 100 || ms[0].Stage != "encrypt" || ms[len(ms)-1].Stage != "metadata" {
		t.Fatalf("%d messages: %+v", len(ms), ms)
	}
	if last := ms[len(ms)-2]; last.T != tBytes || last.Done != 1000 {
		t.Fatalf("the last byte count before the next stage is %+v", last)
	}
}

// TestHandlersMatchProfile: every method of Profile (but DataDir and Close) has a handler in
// the server under its name with a lower-case first letter, and every handler is a method of
// Profile (see the list of steps in methods.go for adding one).
func TestHandlersMatchProfile(t *testing.T) {
	pt := reflect.TypeFor[Profile]()
	want := map[string]bool{}
	for i := range pt.NumMethod() {
		name := pt.Method(i).Name
		if name == "DataDir" || name == "Close" {
			continue
		}
		wire := strings.ToLower(name[:1]) + name[1:]
		want[wire] = true
		if handlers[wire] == nil {
			t.Errorf("Profile.%s has no handler %q in the server (methods.go)", name, wire)
		}
	}
	for wire := range handlers {
		if !want[wire] {
			t.Errorf("the handler %q is no method of Profile", wire)
		}
	}
}

// TestFetchOptionsCross: every field of share.FetchOptions reaches the server (Version, Wait,
// Overwrite), for a fetch by id and by link.
func TestFetchOptionsCross(t *testing.T) {
	opts := share.FetchOptions{Overwrite: true, Version: 3, Wait: true}
	for _, in := range []any{fetchArgs{ID: 7, OutPath: "/x", Opts: opts}, linkArgs{Link: "datashare://1/0x/7#s", OutPath: "/x", Opts: opts}} {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		out := reflect.New(reflect.TypeOf(in))
		if err := json.Unmarshal(b, out.Interface()); err != nil {
			t.Fatal(err)
		}
		if got := out.Elem().Interface(); !reflect.DeepEqual(got, in) {
			t.Errorf("%T crossed as %+v, sent %+v", in, got, in)
		}
	}
}
