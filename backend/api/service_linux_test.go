package api

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// fixture is one real profile (local chain, IPFS on loopback) served on its socket.
type fixture struct {
	svc      *share.Service
	srv      *Server
	sock     string
	fallback *counter // the serving process's own prompt
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) confirm(context.Context, approval.Summary) (bool, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return true, nil
}

func (c *counter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func openFixture(t *testing.T) *fixture { return openFixtureOn(t, t.TempDir(), nil) }

// openFixtureOn opens the fixture's profile on the local chain in localnet, its server logging
// to log (nil: nowhere).
func openFixtureOn(t *testing.T, localnet string, log *slog.Logger) *fixture {
	t.Helper()
	f := &fixture{fallback: &counter{}}
	dir := t.TempDir()
	svc, err := share.Open(t.Context(), share.Config{
		DataDir: dir, LocalnetDir: localnet, NoKeyring: true, Loopback: true, IPFSMode: "embedded",
		Passphrase: func(context.Context, string) (string, error) { return "correct horse battery staple", nil },
		Confirm:    RouteConfirm(f.fallback.confirm),
		RelayURL:   "ws://127.0.0.1:9", // nothing listens: phone pairing fails without leaving this computer
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	f.svc = svc
	f.sock = SocketPath(dir)
	f.srv, err = Serve(svc, f.sock, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.srv.Close() })
	return f
}

func (f *fixture) dial(t *testing.T, opts ClientOptions) *Client {
	t.Helper()
	c, err := Dial(t.Context(), f.sock, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func approve(context.Context, approval.Summary) (bool, error) { return true, nil }

// recorder is a share.Progress that keeps what it was told.
type recorder struct {
	mu     sync.Mutex
	stages []share.Stage
	bytes  int
	last   int64
	first  chan struct{} // closed at the first byte count
	once   sync.Once
}

func newRecorder() *recorder { return &recorder{first: make(chan struct{})} }

func (r *recorder) Stage(s share.Stage) {
	r.mu.Lock()
	r.stages = append(r.stages, s)
	r.mu.Unlock()
}

func (r *recorder) Bytes(done, total int64) {
	r.mu.Lock()
	r.bytes++
	r.last = done
	r.mu.Unlock()
	r.once.Do(func() { close(r.first) })
}

func writeFile(t *testing.T, name string, size int) (string, []byte) {
	t.Helper()
	b := make([]byte, size)
	rand.Read(b)
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// sameJSON fails unless a and b encode to the same JSON.
func sameJSON(t *testing.T, what string, a, b any) {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("%s differs:\n in-process %s\n over API   %s", what, ja, jb)
	}
}

// sameError fails unless the two errors have the same code and message.
func sameError(t *testing.T, what string, local, remote error) {
	t.Helper()
	if local == nil || remote == nil || local.Error() != remote.Error() || share.Code(local) != share.Code(remote) {
		t.Errorf("%s: in-process %v (%s), over API %v (%s)", what, local, share.Code(local), remote, share.Code(remote))
	}
}

// TestOverARealService runs every Profile method through the socket against a real profile,
// and the streams, cancellation, concurrency and locking around them. One profile serves all
// subtests (it takes seconds to open).
func TestOverARealService(t *testing.T) {
	f := openFixture(t)
	loc := Local(f.svc)

	t.Run("every method, as in-process", func(t *testing.T) {
		var asked []approval.Summary
		var mu sync.Mutex
		c := f.dial(t, ClientOptions{Confirm: func(_ context.Context, s approval.Summary) (bool, error) {
			mu.Lock()
			asked = append(asked, s)
			mu.Unlock()
			return true, nil
		}})
		ctx := t.Context()
		if c.DataDir() != f.svc.DataDir() {
			t.Errorf("DataDir %q, want %q", c.DataDir(), f.svc.DataDir())
		}
		st, err := c.Status(ctx)
		if err != nil || st.DataDir != f.svc.DataDir() || st.Account == "" || st.Contract == "" {
			t.Fatalf("Status = %+v, %v", st, err)
		}
		acc, err := c.Account(ctx)
		if lacc, _ := loc.Account(ctx); err != nil || acc != lacc {
			t.Errorf("Account = %v, %v; in-process %v", acc, err, lacc)
		}
		n, err := c.Network(ctx)
		ln, _ := loc.Network(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "Network", ln, n)
		ws, err := c.WalletStatus(ctx)
		lws, _ := loc.WalletStatus(ctx)
		if err != nil || ws.Approval != share.ApproveOnComputer {
			t.Fatalf("WalletStatus = %+v, %v", ws, err)
		}
		sameJSON(t, "WalletStatus", lws, ws)

		path, data := writeFile(t, "table.csv", 300<<10)
		prog := newRecorder()
		d, err := c.Publish(ctx, path, share.PublishOptions{Description: "over the API"}, prog)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID == 0 || d.Status != "published" || d.Name != "table.csv" {
			t.Fatalf("Publish = %+v", d)
		}
		if len(asked) != 1 || asked[0].Action != "Publish dataset" || asked[0].Fee == nil || asked[0].Fee.Sign() <= 0 {
			t.Fatalf("the client was asked %+v", asked)
		}
		if f.fallback.count() != 0 {
			t.Fatalf("the serving process's own prompt was asked %d times for a call of the API", f.fallback.count())
		}
		if !hasStages(prog.stages, share.StageEncrypt, share.StageMetadata, share.StageApprove, share.StageConfirm) || prog.bytes == 0 || prog.last != int64(len(data)) {
			t.Fatalf("progress: stages %v, %d byte counts, last %d of %d", prog.stages, prog.bytes, prog.last, len(data))
		}

		list, err := c.List(ctx)
		llist, _ := loc.List(ctx)
		if err != nil || len(list) != len(llist) || len(list) == 0 {
			t.Fatalf("List = %d, %v; in-process %d", len(list), err, len(llist))
		}
		sameJSON(t, "List", llist, list)

		out := filepath.Join(t.TempDir(), "got.csv")
		fprog := newRecorder()
		r, err := c.Fetch(ctx, d.ID, out, share.FetchOptions{}, fprog)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(out); !bytes.Equal(got, data) || r.Path != out || r.SHA256 != d.SHA256 {
			t.Fatalf("Fetch = %+v, %d bytes written", r, len(got))
		}
		if !hasStages(fprog.stages, share.StageLocate, share.StageDecrypt) {
			t.Errorf("fetch stages %v", fprog.stages)
		}
		// An existing file: the same typed error as in-process.
		_, rerr := c.Fetch(ctx, d.ID, out, share.FetchOptions{}, nil)
		_, lerr := loc.Fetch(ctx, d.ID, out, share.FetchOptions{}, nil)
		sameError(t, "Fetch onto an existing file", lerr, rerr)
		if share.Code(rerr) != share.CodeExists || !errors.Is(rerr, os.ErrExist) {
			t.Errorf("Fetch onto an existing file: %v (%s)", rerr, share.Code(rerr))
		}
		var ee *share.ExistsError
		if !errors.As(rerr, &ee) || ee.Path != out {
			t.Errorf("Fetch onto an existing file: %#v is no *share.ExistsError for %s", rerr, out)
		}

		// Forget of a dataset this profile published (it keeps those pins): not found, as in-process.
		_, rerr = c.Forget(ctx, d.ID)
		_, lerr = loc.Forget(ctx, d.ID)
		sameError(t, "Forget of an own dataset", lerr, rerr)
		if !errors.Is(rerr, share.ErrNotFound) {
			t.Errorf("Forget: %v does not match share.ErrNotFound", rerr)
		}
		jobs, err := c.Jobs(ctx)
		ljobs, _ := loc.Jobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "Jobs", ljobs, jobs)
		outs, err := c.Resume(ctx, nil)
		if err != nil || len(outs) != 0 {
			t.Fatalf("Resume with nothing to resume = %+v, %v", outs, err)
		}

		// Errors: the same code and message as in-process, and the same sentinels.
		_, rerr = c.ResumeJob(ctx, "nope", nil)
		_, lerr = loc.ResumeJob(ctx, "nope", nil)
		sameError(t, "ResumeJob of an unknown job", lerr, rerr)
		if !errors.Is(rerr, share.ErrNotFound) {
			t.Errorf("ResumeJob of an unknown job: %v does not match share.ErrNotFound", rerr)
		}
		sameError(t, "DiscardJob of an unknown job", loc.DiscardJob(ctx, "nope"), c.DiscardJob(ctx, "nope"))
		_, rerr = c.Fetch(ctx, 9999, filepath.Join(t.TempDir(), "x"), share.FetchOptions{}, nil)
		_, lerr = loc.Fetch(ctx, 9999, filepath.Join(t.TempDir(), "x"), share.FetchOptions{}, nil)
		if share.Code(rerr) != share.Code(lerr) || rerr == nil {
			t.Errorf("Fetch of an unknown dataset: in-process %v (%s), over API %v (%s)", lerr, share.Code(lerr), rerr, share.Code(rerr))
		}
		_, rerr = c.Publish(ctx, filepath.Join(t.TempDir(), "missing.bin"), share.PublishOptions{}, nil)
		if !errors.Is(rerr, os.ErrNotExist) || share.Code(rerr) != share.CodeNotFound {
			t.Errorf("Publish of a missing file = %v (%s)", rerr, share.Code(rerr))
		}
		_, rerr = c.PairWallet(ctx)
		_, lerr = loc.PairWallet(ctx)
		if rerr == nil || share.Code(rerr) != share.Code(lerr) {
			t.Errorf("PairWallet with no relay: in-process %v (%s), over API %v (%s)", lerr, share.Code(lerr), rerr, share.Code(rerr))
		}
		_, rerr = c.WaitWallet(ctx)
		_, lerr = loc.WaitWallet(ctx)
		sameError(t, "WaitWallet with no pairing", lerr, rerr)
		if err := c.DisconnectWallet(ctx); err != nil {
			t.Errorf("DisconnectWallet with no wallet = %v", err)
		}
	})

	t.Run("rejected on the client, resumed, discarded", func(t *testing.T) {
		answer := make(chan bool, 1)
		c := f.dial(t, ClientOptions{Confirm: func(context.Context, approval.Summary) (bool, error) { return <-answer, nil }})
		ctx := t.Context()
		path, _ := writeFile(t, "rejected.bin", 10<<10)
		answer <- false
		_, err := c.Publish(ctx, path, share.PublishOptions{}, nil)
		if !errors.Is(err, approval.ErrRejected) || share.Code(err) != share.CodeRejected {
			t.Fatalf("a publish rejected on the client = %v (%s)", err, share.Code(err))
		}
		job := findJob(t, c, "rejected.bin")
		answer <- true
		d, err := c.ResumeJob(ctx, job.JobID, nil)
		if err != nil || d.Status != "published" || d.ID == 0 {
			t.Fatalf("ResumeJob after approving = %+v, %v", d, err)
		}

		path2, _ := writeFile(t, "dropped.bin", 1<<10)
		answer <- false
		if _, err := c.Publish(ctx, path2, share.PublishOptions{}, nil); !errors.Is(err, approval.ErrRejected) {
			t.Fatal(err)
		}
		if err := c.DiscardJob(ctx, findJob(t, c, "dropped.bin").JobID); err != nil {
			t.Fatalf("DiscardJob = %v", err)
		}

		// The client's own refusal (an error of its prompt) survives as itself.
		type noTerminal struct{ error }
		mine := &noTerminal{errors.New("approval needed but there is no terminal to ask on")}
		c2 := f.dial(t, ClientOptions{Confirm: func(context.Context, approval.Summary) (bool, error) { return false, mine }})
		path3, _ := writeFile(t, "noterm.bin", 1<<10)
		_, err = c2.Publish(ctx, path3, share.PublishOptions{}, nil)
		var got *noTerminal
		if !errors.As(err, &got) || got != mine || !strings.Contains(err.Error(), mine.Error()) {
			t.Fatalf("the prompt's own error came back as %#v", err)
		}
		outs, err := c2.Resume(ctx, nil)
		if err != nil || len(outs) == 0 {
			t.Fatalf("Resume = %+v, %v", outs, err)
		}
		for _, o := range outs {
			if o.Err == nil || !errors.As(o.Err, &got) {
				t.Fatalf("a resumed job refused by the prompt: %+v", o)
			}
		}
		if err := c.DiscardJob(ctx, findJob(t, c, "noterm.bin").JobID); err != nil {
			t.Fatal(err)
		}
		if f.fallback.count() != 0 {
			t.Fatalf("the serving process's prompt was asked %d times", f.fallback.count())
		}
	})

	t.Run("cancel at the prompt stops the call in the server", func(t *testing.T) {
		for _, how := range []string{"context", "close"} {
			ctx, cancel := context.WithCancel(t.Context())
			var c *Client
			c = f.dial(t, ClientOptions{Confirm: func(pctx context.Context, _ approval.Summary) (bool, error) {
				if how == "context" {
					cancel()
				} else {
					c.Close()
				}
				<-pctx.Done()
				return false, pctx.Err()
			}})
			path, _ := writeFile(t, "cancel-"+how+".bin", 10<<10)
			_, err := c.Publish(ctx, path, share.PublishOptions{}, nil)
			cancel()
			if how == "context" && (!errors.Is(err, context.Canceled) || share.Code(err) != share.CodeCanceled) {
				t.Fatalf("Publish canceled by its context = %v (%s)", err, share.Code(err))
			}
			if how == "close" && share.Code(err) != share.CodeCanceled {
				t.Fatalf("Publish of a closed client = %v (%s)", err, share.Code(err))
			}
			// The server's job stops: it is no longer running, and can be discarded.
			waitJob(t, f.svc, "cancel-"+how+".bin", func(d share.Dataset) bool { return d.Status != "publishing" })
			if err := f.svc.DiscardJob(t.Context(), findJob(t, Local(f.svc), "cancel-"+how+".bin").JobID); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("two calls at once", func(t *testing.T) {
		var entered sync.WaitGroup
		entered.Add(2)
		both := make(chan struct{})
		go func() { entered.Wait(); close(both) }()
		confirm := func(ctx context.Context, _ approval.Summary) (bool, error) {
			entered.Done()
			select { // neither approves until both wait for approval: they run at once
			case <-both:
				return true, nil
			case <-ctx.Done():
				return false, ctx.Err()
			}
		}
		c := f.dial(t, ClientOptions{Confirm: confirm})
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		defer cancel()
		errs := make(chan error, 2)
		for _, name := range []string{"one.bin", "two.bin"} {
			path, _ := writeFile(t, name, 20<<10)
			go func() {
				_, err := c.Publish(ctx, path, share.PublishOptions{}, nil)
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("a second server of the profile is refused and the live socket kept", func(t *testing.T) {
		if _, err := Serve(f.svc, f.sock, nil); !errors.Is(err, ErrRunning) || share.Code(err) != share.CodeBusy {
			t.Fatalf("second Serve = %v", err)
		}
		fi, err := os.Lstat(f.sock)
		if err != nil || fi.Mode()&os.ModeSocket == 0 {
			t.Fatalf("the live socket: %v", err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("the socket's mode is %v, want 0600", fi.Mode().Perm())
		}
		if _, err := f.dial(t, ClientOptions{}).Status(t.Context()); err != nil {
			t.Fatalf("after a refused second Serve: %v", err)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(f.sock), tempPrefix+"*")); len(leftovers) != 0 {
			t.Errorf("bind directories left: %v", leftovers)
		}
	})

	t.Run("a client of another version is told so", func(t *testing.T) {
		conn, err := net.Dial("unix", f.sock)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		h := hello("")
		h.API = Version + 1
		encode(conn, h)
		r := newReader(conn)
		srv, err := r.next()
		if err != nil || srv.T != tHello || srv.API != Version {
			t.Fatalf("the server's hello = %+v, %v", srv, err)
		}
		m, err := r.next()
		if err != nil || m.T != tError || !strings.Contains(m.Error.Message, "older than this command") {
			t.Fatalf("a client of API v%d got %+v, %v", Version+1, m, err)
		}
	})

	t.Run("garbage gets an answer, not a crash", func(t *testing.T) {
		conn, err := net.Dial("unix", f.sock)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
		r := newReader(conn)
		if m, err := r.next(); err != nil || m.T != tHello {
			t.Fatalf("first message %+v, %v", m, err)
		}
		m, err := r.next()
		if err != nil || m.T != tError || !strings.Contains(m.Error.Message, "local API of DataShare") {
			t.Fatalf("after garbage: %+v, %v", m, err)
		}
		if _, err := f.dial(t, ClientOptions{}).Status(t.Context()); err != nil {
			t.Fatalf("after garbage the server no longer answers: %v", err)
		}
	})

	t.Run("no TCP listener; a long data directory path", func(t *testing.T) {
		before := tcpListeners(t)
		long := t.TempDir()
		for len(long) < 150 {
			long = filepath.Join(long, "a-rather-long-directory-name")
		}
		if err := os.MkdirAll(long, 0o700); err != nil {
			t.Fatal(err)
		}
		sock := SocketPath(long)
		srv, err := Serve(f.svc, sock, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Dial(t.Context(), sock, ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Status(t.Context()); err != nil {
			t.Fatal(err)
		}
		if after := tcpListeners(t); !sameSet(before, after) {
			t.Errorf("TCP listeners of this process before Serve %v, after %v", before, after)
		}
		if fi, err := os.Lstat(sock); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("the socket at a long path: %v, %v", fi, err)
		}
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(sock); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Close left the socket: %v", err)
		}
		if _, err := Dial(t.Context(), sock, ClientOptions{}); !errors.Is(err, ErrNotRunning) {
			t.Errorf("Dial after Close = %v", err)
		}
	})

	t.Run("a peer of another user is refused", func(t *testing.T) {
		// The profile's directory is the owner's alone: another user cannot even see a socket
		// there, so for it nothing runs.
		if got := asNobody(t, f.sock); got != ErrNotRunning.Error() {
			t.Errorf("a peer of another user at the profile's socket got %q", got)
		}
		// By the file system: the socket is 0600, in a directory all can enter.
		dir := t.TempDir()
		for _, d := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		sock := SocketPath(dir)
		srv, err := Serve(f.svc, sock, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		if got := asNobody(t, sock); !strings.Contains(got, "permission denied") {
			t.Errorf("a peer of another user at a 0600 socket got %q", got)
		}
		// By the peer check: a socket made connectable for all.
		if err := os.Chmod(sock, 0o666); err != nil {
			t.Fatal(err)
		}
		if got := asNobody(t, sock); !strings.Contains(got, "belongs to another user") {
			t.Errorf("a peer of another user got %q", got)
		}
		if _, err := f.dialPath(t, sock).Status(t.Context()); err != nil {
			t.Fatalf("the owner after a refused peer: %v", err)
		}
	})

	t.Run("a server that dies leaves a socket the next one replaces", func(t *testing.T) {
		sock := staleSocket(t)
		srv, err := Serve(f.svc, sock, nil)
		if err != nil {
			t.Fatalf("Serve over a stale socket = %v", err)
		}
		defer srv.Close()
		if _, err := f.dialPath(t, sock).Status(t.Context()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Close cancels calls in progress", func(t *testing.T) {
		sock := SocketPath(t.TempDir())
		srv, err := Serve(f.svc, sock, nil)
		if err != nil {
			t.Fatal(err)
		}
		waiting := make(chan struct{})
		c, err := Dial(t.Context(), sock, ClientOptions{Confirm: func(ctx context.Context, _ approval.Summary) (bool, error) {
			close(waiting)
			<-ctx.Done()
			return false, ctx.Err()
		}})
		if err != nil {
			t.Fatal(err)
		}
		path, _ := writeFile(t, "closing.bin", 1<<10)
		errc := make(chan error, 1)
		go func() { _, err := c.Publish(t.Context(), path, share.PublishOptions{}, nil); errc <- err }()
		<-waiting
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; share.Code(err) != share.CodeCanceled {
			t.Fatalf("a call when its server closed = %v (%s)", err, share.Code(err))
		}
		waitJob(t, f.svc, "closing.bin", func(d share.Dataset) bool { return d.Status != "publishing" })
		f.svc.DiscardJob(t.Context(), findJob(t, Local(f.svc), "closing.bin").JobID)
	})
}

func (f *fixture) dialPath(t *testing.T, sock string) *Client {
	t.Helper()
	c, err := Dial(t.Context(), sock, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func hasStages(got []share.Stage, want ...share.Stage) bool {
	i := 0
	for _, s := range got {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	return i == len(want)
}

func findJob(t *testing.T, p Profile, name string) share.Dataset {
	t.Helper()
	jobs, err := p.Jobs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %s in %+v", name, jobs)
	return share.Dataset{}
}

// waitJob polls the server's jobs (bounded) until the job called name satisfies ok.
func waitJob(t *testing.T, svc *share.Service, name string, ok func(share.Dataset) bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		jobs, err := svc.Jobs(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Name == name && ok(j) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s never got there: %+v", name, jobs)
		}
		tm := time.NewTimer(20 * time.Millisecond)
		<-tm.C
	}
}

// tcpListeners are the inodes of the TCP sockets in LISTEN state that this process holds.
func tcpListeners(t *testing.T) map[string]bool {
	t.Helper()
	mine := map[string]bool{}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		l, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			mine[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	out := map[string]bool{}
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Scan() // header
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) > 9 && f[3] == "0A" && mine[f[9]] {
				out[fmt.Sprintf("%s %s", table, f[1])] = true
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("this process holds no TCP listener at all, yet its profile runs a local chain and IPFS on loopback: the check cannot see them")
	}
	return out
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
