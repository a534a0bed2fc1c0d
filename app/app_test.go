package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// event is one EventsEmit call.
type event struct {
	name string
	data any
}

// recorder is an Emitter that keeps every event and lets tests wait for one.
type recorder struct {
	mu      sync.Mutex
	events  []event
	changed chan struct{}
}

func newRecorder() *recorder { return &recorder{changed: make(chan struct{})} }

func (r *recorder) EventsEmit(ctx context.Context, name string, data ...any) {
	if ctx == nil {
		panic("EventsEmit without the Wails context")
	}
	if len(data) != 1 {
		panic("events carry exactly one payload")
	}
	r.mu.Lock()
	r.events = append(r.events, event{name, data[0]})
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

func (r *recorder) all(name string) []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []any
	for _, e := range r.events {
		if e.name == name {
			out = append(out, e.data)
		}
	}
	return out
}

// wait returns the first event called name for which ok holds, failing the test after a deadline.
func (r *recorder) wait(t *testing.T, name string, ok func(any) bool) any {
	t.Helper()
	return r.waitNth(t, 1, name, ok)
}

// waitNth returns the nth such event.
func (r *recorder) waitNth(t *testing.T, n int, name string, ok func(any) bool) any {
	t.Helper()
	return r.waitNthWithin(t, 5*time.Second, n, name, ok)
}

// waitWithin is wait with a deadline of d (the real backend is slower than the fakes).
func (r *recorder) waitWithin(t *testing.T, d time.Duration, name string, ok func(any) bool) any {
	t.Helper()
	return r.waitNthWithin(t, d, 1, name, ok)
}

func (r *recorder) waitNthWithin(t *testing.T, d time.Duration, n int, name string, ok func(any) bool) any {
	t.Helper()
	deadline := time.After(d)
	for {
		r.mu.Lock()
		seen := 0
		for _, e := range r.events {
			if e.name == name && (ok == nil || ok(e.data)) {
				if seen++; seen == n {
					r.mu.Unlock()
					return e.data
				}
			}
		}
		ch := r.changed
		r.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no %s event came; got %v", name, r.names())
		}
	}
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.name)
	}
	return out
}

func isState(s string) func(any) bool {
	return func(d any) bool { return d.(AppState).State == s }
}

// fakeService is a Service whose use cases are set per test.
type fakeService struct {
	Sharing // nil: these tests share nothing (the browser test runs sharing on the real backend)
	mu      sync.Mutex
	closed  int
	publish func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error)
	fetch   func(ctx context.Context, id uint64, out string, p share.Progress) (share.FetchResult, error)
	resume  func(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error)
	discard func(ctx context.Context, jobID string) error

	wallet     share.WalletStatus
	pair       func(ctx context.Context) (share.WalletPairing, error)
	wait       func(ctx context.Context) (share.WalletStatus, error)
	disconnect func(ctx context.Context) error
}

func (f *fakeService) Close() error {
	f.mu.Lock()
	f.closed++
	f.mu.Unlock()
	return nil
}

func (f *fakeService) closedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

func (f *fakeService) Status(context.Context) (share.Status, error) {
	return share.Status{Network: "local", ChainID: 1337, Balance: "10000000000000000000"}, nil
}

func (f *fakeService) List(context.Context) ([]share.Dataset, error) { return nil, nil }

func (f *fakeService) Publish(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
	return f.publish(ctx, path, opts, p)
}

func (f *fakeService) Fetch(ctx context.Context, id uint64, out string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error) {
	if !opts.Overwrite {
		return share.FetchResult{}, errors.New("the app fetched without replacing the file the save dialog confirmed")
	}
	return f.fetch(ctx, id, out, p)
}

func (f *fakeService) ResumeJob(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error) {
	return f.resume(ctx, jobID, p)
}

func (f *fakeService) DiscardJob(ctx context.Context, jobID string) error {
	return f.discard(ctx, jobID)
}

func (f *fakeService) WalletStatus() share.WalletStatus { return f.wallet }

func (f *fakeService) PairWallet(ctx context.Context) (share.WalletPairing, error) {
	return f.pair(ctx)
}

func (f *fakeService) WaitWallet(ctx context.Context) (share.WalletStatus, error) {
	return f.wait(ctx)
}

func (f *fakeService) DisconnectWallet(ctx context.Context) error { return f.disconnect(ctx) }

type fakeDialogs struct {
	open, save  string
	defaultName string
}

func (d *fakeDialogs) OpenFile(context.Context, string) (string, error) { return d.open, nil }
func (d *fakeDialogs) SaveFile(_ context.Context, _, name string) (string, error) {
	d.defaultName = name
	return d.save, nil
}

// harness is a started App over a fake service.
type harness struct {
	app    *App
	ev     *recorder
	svc    *fakeService
	dlg    *fakeDialogs
	cfg    chan share.Config // the Config the App opened the service with
	cancel context.CancelFunc
}

func start(t *testing.T, open Opener) *harness {
	t.Helper()
	return startConfig(t, open, share.Config{})
}

// startConfig is start with a profile selection (a DataDir for the settings).
func startConfig(t *testing.T, open Opener, cfg share.Config) *harness {
	t.Helper()
	h := &harness{ev: newRecorder(), svc: &fakeService{}, dlg: &fakeDialogs{}, cfg: make(chan share.Config, 4)}
	if open == nil {
		open = func(ctx context.Context, cfg share.Config) (Service, error) {
			h.cfg <- cfg
			return h.svc, nil
		}
	}
	h.app = New(Options{Emitter: h.ev, Dialogs: h.dlg, Open: open, Config: cfg, ProgressInterval: time.Hour, CloseTimeout: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.app.Startup(ctx)
	t.Cleanup(func() {
		h.app.Shutdown(ctx)
		cancel()
	})
	return h
}

func (h *harness) ready(t *testing.T) share.Config {
	t.Helper()
	h.ev.wait(t, EventAppState, isState(StateReady))
	select {
	case cfg := <-h.cfg:
		return cfg
	default:
		return share.Config{}
	}
}

func tempFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStartupReportsStartingThenReady(t *testing.T) {
	h := start(t, nil)
	first := h.ev.wait(t, EventAppState, nil).(AppState)
	if first.State != StateStarting {
		t.Fatalf("first state %q, want starting", first.State)
	}
	cfg := h.ready(t)
	if h.app.State().State != StateReady {
		t.Fatalf("State() = %+v", h.app.State())
	}
	if cfg.Confirm == nil || cfg.Passphrase == nil {
		t.Fatal("the service must be opened with the app's Confirm and Passphrase: a nil Confirm approves without asking")
	}
	st, err := h.app.Status()
	if err != nil || st.ChainID != 1337 {
		t.Fatalf("Status() = %+v, %v", st, err)
	}
	ds, err := h.app.ListDatasets()
	if err != nil || ds == nil {
		t.Fatalf("ListDatasets() = %#v, %v; want an empty, non-nil list", ds, err)
	}
}

func TestMethodsBeforeReadySaySo(t *testing.T) {
	release := make(chan struct{})
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return &fakeService{}, nil
	})
	defer close(release)
	_, err := h.app.Status()
	if e := wantCode(t, err, share.CodeBusy); !strings.Contains(e.Message, "still starting") {
		t.Fatalf("Status() before ready: %v", err)
	}
	_, err = h.app.Publish(tempFile(t, "a.txt", "a"), "", "", false, "")
	wantCode(t, err, share.CodeBusy)
}

func TestOpenErrorAndRetry(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	svc := &fakeService{}
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return nil, errors.New("start the local chain: the disk is full")
		}
		return svc, nil
	})
	st := h.ev.wait(t, EventAppState, isState(StateError)).(AppState)
	if st.Message != "start the local chain: the disk is full" {
		t.Fatalf("error message %q", st.Message)
	}
	_, err := h.app.ListDatasets()
	if e := wantCode(t, err, share.CodeUnavailable); !strings.Contains(e.Message, "the disk is full") {
		t.Fatalf("ListDatasets in error state: %v", err)
	}
	if err := h.app.Retry(); err != nil {
		t.Fatal(err)
	}
	h.ev.wait(t, EventAppState, isState(StateReady))
	wantCode(t, h.app.Retry(), share.CodeInvalidInput)
}

func TestPassphraseIsAskedForAndPassedOn(t *testing.T) {
	const secret = "correct horse battery staple"
	got := make(chan string, 1)
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		p, err := cfg.Passphrase(ctx, "create")
		if err != nil {
			return nil, err
		}
		got <- p
		return &fakeService{}, nil
	})
	req := h.ev.wait(t, EventPassphraseRequest, nil).(PassphraseRequest)
	if req.Purpose != "create" {
		t.Fatalf("purpose %q", req.Purpose)
	}
	if st := h.app.State(); st.State != StateNeedsPassphrase || st.Purpose != "create" {
		t.Fatalf("State() while asking = %+v", st)
	}
	if err := h.app.SubmitPassphrase(""); err == nil {
		t.Fatal("an empty passphrase was accepted")
	}
	if err := h.app.SubmitPassphrase(secret); err != nil {
		t.Fatal(err)
	}
	if p := <-got; p != secret {
		t.Fatalf("backend got %q", p)
	}
	h.ev.wait(t, EventAppState, isState(StateReady))
	if err := h.app.SubmitPassphrase(secret); err == nil {
		t.Fatal("a passphrase nobody asked for was accepted")
	}
	h.ev.mu.Lock()
	all := fmt.Sprintf("%#v", h.ev.events)
	h.ev.mu.Unlock()
	if strings.Contains(all, "horse") {
		t.Fatal("the passphrase appeared in an event")
	}
}

func TestCancelledPassphraseIsAnErrorThatRetryAsksAgain(t *testing.T) {
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		if _, err := cfg.Passphrase(ctx, "unlock"); err != nil {
			return nil, err
		}
		return &fakeService{}, nil
	})
	h.ev.wait(t, EventPassphraseRequest, nil)
	if err := h.app.CancelPassphrase(); err != nil {
		t.Fatal(err)
	}
	st := h.ev.wait(t, EventAppState, isState(StateError)).(AppState)
	if !strings.Contains(st.Message, "passphrase") {
		t.Fatalf("message %q does not say what is missing", st.Message)
	}
	if err := h.app.Retry(); err != nil {
		t.Fatal(err)
	}
	h.ev.waitNth(t, 2, EventPassphraseRequest, nil)
	if err := h.app.SubmitPassphrase("x"); err != nil {
		t.Fatal(err)
	}
	h.ev.wait(t, EventAppState, isState(StateReady))
}

func TestPublishAsksForApprovalWithAmountsAsStrings(t *testing.T) {
	h := start(t, nil)
	cfg := h.ready(t)
	price, _ := new(big.Int).SetString("12345678901234567890123456789", 10) // > 2^53, within the contract's 2^96-1
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		p.Stage(share.StageApprove)
		ok, err := cfg.Confirm(ctx, approval.Summary{Action: "Publish dataset", Dataset: opts.Name, Account: "0xabc", Network: "Local", Price: opts.Price, Fee: big.NewInt(61000 * 1e9), Gas: 61000})
		if err != nil {
			return share.Dataset{}, err
		}
		if !ok {
			return share.Dataset{}, approval.ErrRejected
		}
		return share.Dataset{ID: 7, Name: opts.Name, Price: opts.Price.String(), Status: "published"}, nil
	}
	path := tempFile(t, "report.csv", "a,b\n1,2\n")
	id, err := h.app.Publish(path, "  ", "12345678901.234567890123456789", true, "numbers")
	if err != nil {
		t.Fatal(err)
	}
	req := h.ev.wait(t, EventApprovalRequest, nil).(ApprovalRequest)
	if req.Summary.Price != price.String() || req.Summary.Fee != "61000000000000" || req.Summary.Balance != "0" {
		t.Fatalf("summary amounts %+v", req.Summary)
	}
	if req.Summary.Dataset != "report.csv" {
		t.Fatalf("the name should default to the file name, got %q", req.Summary.Dataset)
	}
	b, _ := json.Marshal(req)
	if !strings.Contains(string(b), `"price":"12345678901234567890123456789"`) {
		t.Fatalf("price must travel as a decimal string: %s", b)
	}
	if got := h.app.PendingApprovals(); len(got) != 1 || got[0].ID != req.ID {
		t.Fatalf("PendingApprovals() = %+v", got)
	}
	if err := h.app.AnswerApproval("approval-999", true); err == nil {
		t.Fatal("an unknown approval was answered")
	}
	if err := h.app.AnswerApproval(req.ID, true); err != nil {
		t.Fatal(err)
	}
	done := h.ev.wait(t, EventJobDone, nil).(JobDone)
	if done.JobID != id || done.Kind != KindPublish || done.Dataset == nil || done.Dataset.ID != 7 {
		t.Fatalf("job:done = %+v", done)
	}
	if err := h.app.AnswerApproval(req.ID, true); err == nil {
		t.Fatal("an approval was answered twice")
	}
}

func TestRejectedApprovalIsAJobError(t *testing.T) {
	h := start(t, nil)
	cfg := h.ready(t)
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		ok, err := cfg.Confirm(ctx, approval.Summary{Action: "Publish dataset"})
		if err == nil && !ok {
			err = approval.ErrRejected
		}
		return share.Dataset{}, err
	}
	id, err := h.app.Publish(tempFile(t, "a.bin", "x"), "A", "0", false, "")
	if err != nil {
		t.Fatal(err)
	}
	req := h.ev.wait(t, EventApprovalRequest, nil).(ApprovalRequest)
	if err := h.app.AnswerApproval(req.ID, false); err != nil {
		t.Fatal(err)
	}
	je := h.ev.wait(t, EventJobError, nil).(JobError)
	if je.JobID != id || je.Code != share.CodeRejected || !strings.Contains(je.Message, "rejected") {
		t.Fatalf("job:error = %+v", je)
	}
}

func TestCancelJobWithdrawsItsApproval(t *testing.T) {
	h := start(t, nil)
	cfg := h.ready(t)
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		_, err := cfg.Confirm(ctx, approval.Summary{Action: "Publish dataset"})
		return share.Dataset{}, err
	}
	id, err := h.app.Publish(tempFile(t, "a.bin", "x"), "", "", false, "")
	if err != nil {
		t.Fatal(err)
	}
	req := h.ev.wait(t, EventApprovalRequest, nil).(ApprovalRequest)
	if err := h.app.CancelJob(id); err != nil {
		t.Fatal(err)
	}
	closed := h.ev.wait(t, EventApprovalClosed, nil).(ApprovalClosed)
	if closed.ID != req.ID {
		t.Fatalf("approval:closed for %q, want %q", closed.ID, req.ID)
	}
	je := h.ev.wait(t, EventJobError, nil).(JobError)
	if je.Code != share.CodeCanceled || je.Message != "Canceled." {
		t.Fatalf("job:error = %+v", je)
	}
	wantCode(t, h.app.CancelJob(id), share.CodeNotFound)
	if len(h.app.PendingApprovals()) != 0 {
		t.Fatal("a withdrawn approval is still pending")
	}
}

func TestPublishRejectsBadInput(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	file := tempFile(t, "ok.txt", "ok")
	unreadable := tempFile(t, "secret.txt", "x")
	os.Chmod(unreadable, 0)
	tests := []struct {
		name, path, title, price, want, code string
	}{
		{"no path", "", "", "", "choose a file", share.CodeInvalidInput},
		{"missing", filepath.Join(t.TempDir(), "gone.txt"), "", "", "no such file", share.CodeNotFound},
		{"folder with an unpublishable name", badNameFolder(t), "", "", "control or invisible formatting characters", share.CodeInvalidInput},
		{"negative price", file, "", "-1", "not an amount of ETH", share.CodeInvalidInput},
		{"comma", file, "", "0,5", "not an amount of ETH", share.CodeInvalidInput},
		{"exponent", file, "", "1e-3", "not an amount of ETH", share.CodeInvalidInput},
		{"19 decimals", file, "", "0.0000000000000000001", "more than 18 decimals", share.CodeInvalidInput},
		{"control character in name", file, "a\nb", "", "control characters", share.CodeInvalidInput},
		{"long name", file, strings.Repeat("n", 201), "", "at most 200", share.CodeInvalidInput},
	}
	if os.Getuid() != 0 { // root reads everything
		tests = append(tests, struct{ name, path, title, price, want, code string }{"unreadable", unreadable, "", "", "permission denied", share.CodeInvalidInput})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := h.app.Publish(tc.path, tc.title, tc.price, false, "")
			if e := wantCode(t, err, tc.code); !strings.Contains(e.Message, tc.want) {
				t.Fatalf("Publish() = %q, %v; want an error containing %q", id, err, tc.want)
			}
		})
	}
}

func TestPublishPassesPriceInWei(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	got := make(chan share.PublishOptions, 4)
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		got <- opts
		return share.Dataset{}, nil
	}
	file := tempFile(t, "ok.txt", "ok")
	for price, want := range map[string]string{"": "<nil>", "0": "<nil>", "0.000000000000000001": "1", "1.5": "1500000000000000000", ".25": "250000000000000000"} {
		if _, err := h.app.Publish(file, "n", price, false, ""); err != nil {
			t.Fatalf("price %q: %v", price, err)
		}
		if o := <-got; o.Price.String() != want {
			t.Fatalf("price %q became %s wei, want %s", price, o.Price, want)
		}
	}
}

func TestProgressIsThrottledButStagesAndTheEndArrive(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		p.Stage(share.StageEncrypt)
		for i := int64(1); i <= 1000; i++ {
			p.Bytes(i*1000, -1) // total unknown: only the throttle and the flush decide
		}
		p.Stage(share.StageMetadata)
		p.Stage(share.StageApprove)
		p.Stage(share.StageConfirm)
		p.Bytes(5, 10)
		p.Bytes(6, 10)
		return share.Dataset{ID: 1}, nil
	}
	if _, err := h.app.Publish(tempFile(t, "f", "x"), "", "", false, ""); err != nil {
		t.Fatal(err)
	}
	h.ev.wait(t, EventJobDone, nil)
	var stages []string
	evs := h.ev.all(EventJobProgress)
	for _, e := range evs {
		jp := e.(JobProgress)
		if len(stages) == 0 || stages[len(stages)-1] != jp.Stage {
			stages = append(stages, jp.Stage)
		}
	}
	if strings.Join(stages, ",") != "encrypt,metadata,approve,confirm" {
		t.Fatalf("stages %v", stages)
	}
	if len(evs) > 8 {
		t.Fatalf("%d progress events for 1000 byte updates within one interval", len(evs))
	}
	last := evs[len(evs)-1].(JobProgress)
	if last.Done != 6 || last.Total != 10 {
		t.Fatalf("the last byte count was not flushed: %+v", last)
	}
}

func TestDownload(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	got := make(chan string, 1)
	h.svc.fetch = func(ctx context.Context, id uint64, out string, p share.Progress) (share.FetchResult, error) {
		got <- out
		return share.FetchResult{Path: out, Name: "x", Size: 3}, nil
	}

	h.dlg.save = ""
	id, err := h.app.Download(3, "../../etc/passwd")
	if err != nil || id != "" {
		t.Fatalf("closing the dialog: Download() = %q, %v; want no job", id, err)
	}
	if h.dlg.defaultName != "_.._etc_passwd" {
		t.Fatalf("default file name %q", h.dlg.defaultName)
	}

	h.dlg.save = "/tmp/out.csv"
	id, err = h.app.Download(3, "data.csv")
	if err != nil || id == "" {
		t.Fatalf("Download() = %q, %v", id, err)
	}
	if out := <-got; out != "/tmp/out.csv" {
		t.Fatalf("fetched to %q", out)
	}
	done := h.ev.wait(t, EventJobDone, nil).(JobDone)
	if done.Kind != KindFetch || done.Result == nil || done.Result.Size != 3 || done.Name != "data.csv" {
		t.Fatalf("job:done = %+v", done)
	}
	_, err = h.app.Download(0, "x")
	wantCode(t, err, share.CodeNotFound)
}

func TestPickFile(t *testing.T) {
	h := start(t, nil)
	h.dlg.open = "/home/me/a.txt"
	if p, err := h.app.PickFile(); err != nil || p != "/home/me/a.txt" {
		t.Fatalf("PickFile() = %q, %v", p, err)
	}
}

func TestHandleFileDrop(t *testing.T) {
	h := start(t, nil)
	h.app.HandleFileDrop(10, 20, []string{"/tmp/a.csv", " ", "/tmp/b.csv"})
	got := h.ev.wait(t, EventFilesDropped, nil).(FilesDropped)
	if strings.Join(got.Paths, "|") != "/tmp/a.csv|/tmp/b.csv" {
		t.Fatalf("files:dropped %v", got.Paths)
	}
}

func TestShutdownCancelsJobsThenClosesOnce(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	stopped := make(chan struct{})
	h.svc.publish = func(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
		p.Stage(share.StageEncrypt)
		<-ctx.Done()
		if h.svc.closedCount() != 0 {
			t.Error("the service was closed while a job was still running")
		}
		close(stopped)
		return share.Dataset{}, ctx.Err()
	}
	if _, err := h.app.Publish(tempFile(t, "f", "x"), "", "", false, ""); err != nil {
		t.Fatal(err)
	}
	h.ev.wait(t, EventJobProgress, nil)
	h.app.Shutdown(context.Background())
	<-stopped
	h.app.Shutdown(context.Background())
	if n := h.svc.closedCount(); n != 1 {
		t.Fatalf("Close called %d times", n)
	}
	_, err := h.app.ListDatasets()
	wantCode(t, err, share.CodeUnavailable)
}

func TestShutdownWhileStartingClosesWhatOpened(t *testing.T) {
	svc := &fakeService{}
	opening := make(chan struct{})
	release := make(chan struct{})
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		close(opening)
		<-release // an Open that does not watch ctx
		return svc, nil
	})
	<-opening
	go close(release) // before or after Shutdown starts waiting: either way it must close once
	h.app.Shutdown(context.Background())
	if svc.closedCount() != 1 {
		t.Fatal("a service that finished opening during Shutdown was not closed")
	}
}

// TestSafeFileName: the save dialog offers the backend's safe file name.
func TestSafeFileName(t *testing.T) {
	h := start(t, nil)
	h.ready(t)
	for in, want := range map[string]string{
		"report.csv":           "report.csv",
		"":                     "dataset",
		"..":                   "dataset",
		"a/b\\c:d":             "a_b_c_d",
		"tab\there\x00":        "tabhere",
		"  .hidden  ":          "hidden",
		"invoice\u202Efdp.exe": "invoicefdp.exe",
		"<img src=x>.html":     "_img src=x_.html",
	} {
		h.dlg.save = ""
		if _, err := h.app.Download(3, in); err != nil {
			t.Fatal(err)
		}
		if h.dlg.defaultName != want || want != share.SafeFileName(in) {
			t.Errorf("Download(%q) offered %q, want %q", in, h.dlg.defaultName, want)
		}
	}
}

func TestShutdownGivesUpOnAStuckOpenAndJob(t *testing.T) {
	stuck := make(chan struct{})
	defer close(stuck)
	ev := newRecorder()
	a := New(Options{Emitter: ev, CloseTimeout: 50 * time.Millisecond, Open: func(ctx context.Context, cfg share.Config) (Service, error) {
		<-stuck // ignores ctx
		return nil, errors.New("never")
	}})
	a.Startup(context.Background())
	a.jobs.start(context.Background()) // a job that never finishes
	done := make(chan struct{})
	go func() { a.Shutdown(context.Background()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown waited past its timeout")
	}
}

func TestRetryStartsOneOpenAtATime(t *testing.T) {
	var mu sync.Mutex
	opens := 0
	release := make(chan struct{})
	h := start(t, func(ctx context.Context, cfg share.Config) (Service, error) {
		mu.Lock()
		opens++
		n := opens
		mu.Unlock()
		if n == 1 {
			return nil, errors.New("first start fails")
		}
		<-release
		return &fakeService{}, nil
	})
	h.ev.wait(t, EventAppState, isState(StateError))
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- h.app.Retry() }()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		}
	}
	close(release)
	h.ev.wait(t, EventAppState, isState(StateReady))
	mu.Lock()
	defer mu.Unlock()
	if ok != 1 || opens != 2 {
		t.Fatalf("%d retries accepted, %d opens; want 1 and 2", ok, opens)
	}
}
