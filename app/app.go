// Package app is the thin layer between the desktop window and the DataShare backend.
//
// App's exported methods are bound to the frontend by Wails (main.go); each one validates its
// input, calls one use case of backend/share, maps the error to a message a person can act on
// and forwards progress as events. App holds no logic of its own: anything longer than a screen
// belongs in backend/.
//
// The window is reached only through two small interfaces, Emitter (events to the frontend) and
// Dialogs (file choosers), so the package is tested without a window, WebKit or cgo. The Wails
// implementations live in wails.go, which is built only with the desktop tags.
//
// Events (name → payload):
//
//	app:state          {state: "starting"|"needs-passphrase"|"ready"|"error", code, message}
//	passphrase:request {purpose: "create"|"unlock"}          answer: SubmitPassphrase / CancelPassphrase
//	approval:request   {id, summary}                        answer: AnswerApproval
//	approval:closed    {id}                                 the request was withdrawn (its job stopped)
//	job:progress       {jobId, kind, name, stage, done, total}  at most ≈10 per second per job
//	job:done           {jobId, kind, name, dataset | result}
//	job:error          {jobId, kind, name, code, message}        code "canceled" when stopped
//	files:dropped      {paths}
//	wallet:state       {status}                             phone approval changed (connected, account, ended)
//	wallet:paired      {status}                             the phone approved the pairing of StartPairing
//	wallet:pairing-error {code, message}                    the pairing ended without a wallet ("expired": make a new code)
//	wallet:request     {id, jobId, summary}                 a transaction waits for approval on the phone
//	wallet:request-closed {id}                              the phone answered, or its job stopped
//
// A bound method that fails returns an *Error: its text is a JSON object {code, message}, and the
// code (one of share.Codes) is what the frontend branches on. The error events carry the same
// two fields.
//
// Events sent before the frontend subscribed are lost, so it pulls State (and, when ready,
// WalletStatus and PhoneRequests) on load.
package app

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"sync"
	"time"

	"github.com/datashare/datashare/backend/api"
	"github.com/datashare/datashare/backend/share"
)

// App states, as the frontend sees them.
const (
	StateStarting        = "starting"
	StateNeedsPassphrase = "needs-passphrase"
	StateReady           = "ready"
	StateError           = "error"
)

// AppState is the payload of app:state and the result of State.
type AppState struct {
	State   string `json:"state"`
	Code    string `json:"code,omitempty"`    // what kind of failure, when State is "error" (share.Codes)
	Message string `json:"message"`           // why, when State is "error"
	Purpose string `json:"purpose,omitempty"` // "create" or "unlock", when State is "needs-passphrase"
}

// Service is what App uses of a *share.Service.
type Service interface {
	Close() error
	Status(ctx context.Context) (share.Status, error)
	List(ctx context.Context) ([]share.Dataset, error)
	Publish(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error)
	Fetch(ctx context.Context, id uint64, outPath string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error)
	ResumeJob(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error)
	DiscardJob(ctx context.Context, jobID string) error
	WalletStatus() share.WalletStatus
	PairWallet(ctx context.Context) (share.WalletPairing, error)
	WaitWallet(ctx context.Context) (share.WalletStatus, error)
	DisconnectWallet(ctx context.Context) error
	Sharing
}

// Opener opens the backend service; share.Open in the app, a fake in tests.
type Opener func(ctx context.Context, cfg share.Config) (Service, error)

// OpenShare is the Opener of the real backend. The profile it opens is also served on its local
// API (backend/api), so the datashare command works with the open window; Close stops both.
func OpenShare(ctx context.Context, cfg share.Config) (Service, error) {
	s, err := share.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	_ = s.StartFulfilment(share.FulfilOptions{Log: slog.Default()}) // answers paid requests while the window is open; fails only read-only
	srv, err := api.Serve(s, api.SocketPath(s.DataDir()), slog.Default())
	if err != nil {
		logClose(s)
		return nil, err
	}
	return &served{Service: s, api: srv}, nil
}

// served is a profile with its local API.
type served struct {
	*share.Service
	api *api.Server
}

// Close stops the API first, so no call arrives at a closing profile.
func (s *served) Close() error { return errors.Join(s.api.Close(), s.Service.Close()) }

// Options configure an App.
type Options struct {
	Emitter Emitter
	Dialogs Dialogs
	Open    Opener       // nil: OpenShare
	Config  share.Config // profile selection; App sets Passphrase, Confirm, OnWalletChange and OnPhoneRequest
	// OnStartup runs at the end of Startup with the Wails context (main.go registers the OS
	// file-drop handler and quits on SIGTERM there).
	OnStartup func(ctx context.Context)
	// ProgressInterval is the least time between two byte-progress events of a job (≈10/s).
	ProgressInterval time.Duration
	// CloseTimeout bounds how long Shutdown waits for running jobs to stop before closing.
	CloseTimeout time.Duration
}

// App is bound to the frontend. Create it with New.
type App struct {
	opts Options

	stateMu     sync.Mutex // serialises state changes with their events
	mu          sync.Mutex
	ctx         context.Context    // the Wails context: the only one events may be sent with
	life        context.Context    // derived from ctx; cancelled by Shutdown
	stop        context.CancelFunc //
	state       AppState
	svc         Service
	opening     chan struct{} // closed when the last Open returns
	openRunning bool
	closed      bool

	prompts prompts
	jobs    jobs
	pairMu  sync.Mutex  // guards pairing
	pairing *pairingRun // the last StartPairing; nil when none
	phone   phoneRequests
}

// New returns an App that is not started yet.
func New(opts Options) *App {
	if opts.Open == nil {
		opts.Open = OpenShare
	}
	if opts.Emitter == nil {
		opts.Emitter = nopEmitter{}
	}
	if opts.ProgressInterval == 0 {
		opts.ProgressInterval = 100 * time.Millisecond
	}
	if opts.CloseTimeout == 0 {
		opts.CloseTimeout = 15 * time.Second
	}
	a := &App{opts: opts, state: AppState{State: StateStarting}}
	a.jobs.init()
	return a
}

// Startup keeps the Wails context and starts the backend in the background, so the window shows
// at once (saying "Starting…").
func (a *App) Startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	a.life, a.stop = context.WithCancel(ctx)
	a.mu.Unlock()
	a.startOpen()
	if a.opts.OnStartup != nil {
		a.opts.OnStartup(ctx)
	}
}

// DomReady sends the current state again (the page may have loaded after it changed).
func (a *App) DomReady(ctx context.Context) {
	a.emit(EventAppState, a.State())
}

// Shutdown stops running jobs and closes the backend. Closing matters: the embedded chain
// writes its state only on a clean shutdown.
func (a *App) Shutdown(ctx context.Context) {
	a.mu.Lock()
	if a.closed || a.stop == nil {
		a.closed = true
		a.mu.Unlock()
		return
	}
	a.closed = true
	a.stop()
	opening := a.opening
	a.mu.Unlock()

	wait, cancel := context.WithTimeout(context.Background(), a.opts.CloseTimeout)
	defer cancel()
	if opening != nil {
		select {
		case <-opening:
		case <-wait.Done():
		}
	}
	a.jobs.wait(wait.Done())

	a.mu.Lock()
	svc := a.svc
	a.svc = nil
	a.mu.Unlock()
	if svc != nil {
		logClose(svc)
	}
}

// logClose closes a profile; a failure is logged (the local chain writes its state on close,
// and at shutdown no window is left to show it).
func logClose(svc Service) {
	if err := svc.Close(); err != nil {
		log.Printf("DataShare: closing the profile failed (some state may not have been saved): %v", err)
	}
}

// State returns the app's state; the frontend pulls it on load.
func (a *App) State() AppState {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

// Retry starts the backend again after it failed to start (for example after a wrong passphrase).
func (a *App) Retry() error {
	a.mu.Lock()
	st := a.state.State
	a.mu.Unlock()
	if st != StateError || !a.startOpen() {
		return fail(newError(share.CodeInvalidInput, "DataShare is not in an error state; there is nothing to retry"))
	}
	return nil
}

// startOpen runs Open in a goroutine that moves the state to ready or error. It reports false
// when an Open is already running or the app is shutting down.
func (a *App) startOpen() bool {
	return a.reopen(false) == nil
}

// errJobsRunning says why DataShare cannot restart now.
func errJobsRunning(n int) error {
	if n == 1 {
		return newError(share.CodeBusy, "a publish or download is still running: let it finish or cancel it, then try again")
	}
	return newError(share.CodeBusy, fmt.Sprintf("%d publishes or downloads are still running: let them finish or cancel them, then try again", n))
}

// errBusyStarting is reopen's answer while the backend is starting or stopping.
var errBusyStarting = newError(share.CodeBusy, "DataShare is starting or stopping; try again in a moment")

// reopen runs Open in a goroutine, as startOpen; with restart it first closes the open
// service, so settings read at Open take effect. A restart is refused while a publish or
// download runs: closing the service would stop it.
func (a *App) reopen(restart bool) error {
	a.mu.Lock()
	if a.closed || a.life == nil || a.openRunning {
		a.mu.Unlock()
		return errBusyStarting
	}
	var old Service
	if restart {
		if n := a.jobs.count(); n > 0 {
			a.mu.Unlock()
			return errJobsRunning(n)
		}
		old, a.svc = a.svc, nil // from here service() says "still starting"
	}
	a.openRunning = true
	done := make(chan struct{})
	a.opening = done // Shutdown waits for it, so the old service is closed before the process exits
	life := a.life
	cfg := a.opts.Config
	cfg.Passphrase = a.askPassphrase
	// A call of the local API is approved in the terminal that made it; the others here.
	cfg.Confirm = api.RouteConfirm(a.confirm)
	cfg.OnWalletChange = a.walletChanged
	cfg.OnPhoneRequest = api.RoutePhoneRequest(a.phoneRequest)
	a.mu.Unlock()
	a.setState(StateStarting, "")

	go func() {
		defer close(done)
		if old != nil {
			a.stopPairing()
			a.jobs.wait(life.Done()) // a job that took the service just before it was taken away
			logClose(old)
		}
		svc, err := a.opts.Open(life, cfg)
		a.mu.Lock()
		a.openRunning = false
		if err == nil && a.closed { // Shutdown came while opening: close what was opened
			a.mu.Unlock()
			logClose(svc)
			return
		}
		if err == nil {
			a.svc = svc
		}
		a.mu.Unlock()
		if err != nil {
			a.setStateFull(AppState{State: StateError, Code: share.Code(err), Message: startMessage(err)})
			return
		}
		a.setState(StateReady, "")
	}()
	return nil
}

func (a *App) setState(state, message string) {
	a.setStateFull(AppState{State: state, Message: message})
}

func (a *App) setStateFull(s AppState) {
	a.stateMu.Lock() // keeps events in the order of the changes
	defer a.stateMu.Unlock()
	a.mu.Lock()
	a.state = s
	a.mu.Unlock()
	a.emit(EventAppState, s)
}

// service returns the open backend, or an error saying why there is none.
func (a *App) service() (Service, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.svc != nil:
		return a.svc, nil
	case a.closed:
		return nil, newError(share.CodeUnavailable, "DataShare is shutting down")
	case a.state.State == StateError:
		return nil, newError(share.CodeUnavailable, "DataShare could not start: "+a.state.Message)
	default:
		return nil, newError(share.CodeBusy, "DataShare is still starting; try again in a moment")
	}
}

// emit sends an event with the Wails context; before Startup and after Shutdown there is no
// window to send to.
func (a *App) emit(name string, data any) {
	a.mu.Lock()
	ctx, closed := a.ctx, a.closed
	a.mu.Unlock()
	if ctx == nil || closed {
		return
	}
	a.opts.Emitter.EventsEmit(ctx, name, data)
}

// window returns the Wails context, which dialogs need.
func (a *App) window() (context.Context, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx == nil {
		return nil, newError(share.CodeBusy, "the window is not ready yet; try again in a moment")
	}
	return a.ctx, nil
}

// lifetime returns the context that ends at Shutdown.
func (a *App) lifetime() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.life == nil {
		return context.Background()
	}
	return a.life
}
