package app

import (
	"context"
	"strings"

	"github.com/datashare/datashare/backend/share"
)

// Emitter sends an event to the frontend (runtime.EventsEmit in the desktop build). ctx is the
// context Wails passed to Startup.
type Emitter interface {
	EventsEmit(ctx context.Context, name string, data ...any)
}

// Dialogs asks the user for a path. An empty path with a nil error means the user cancelled.
type Dialogs interface {
	OpenFile(ctx context.Context, title string) (string, error)
	SaveFile(ctx context.Context, title, defaultName string) (string, error)
}

// Event names.
const (
	EventAppState          = "app:state"
	EventPassphraseRequest = "passphrase:request"
	EventApprovalRequest   = "approval:request"
	EventApprovalClosed    = "approval:closed"
	EventJobProgress       = "job:progress"
	EventJobDone           = "job:done"
	EventJobError          = "job:error"
	EventFilesDropped      = "files:dropped"
	EventWalletState       = "wallet:state"
	EventWalletPaired      = "wallet:paired"
	EventPairingError      = "wallet:pairing-error"
	EventPhoneRequest      = "wallet:request"
	EventPhoneClosed       = "wallet:request-closed"
)

// PassphraseRequest is the payload of passphrase:request.
type PassphraseRequest struct {
	Purpose string `json:"purpose"` // "create" or "unlock"
}

// ApprovalRequest is the payload of approval:request.
type ApprovalRequest struct {
	ID      string          `json:"id"`
	Summary ApprovalSummary `json:"summary"`
}

// ApprovalSummary is approval.Summary with amounts as decimal strings of wei (JSON numbers lose
// precision in JavaScript).
type ApprovalSummary struct {
	Action  string `json:"action"`
	Dataset string `json:"dataset"`
	Account string `json:"account"`
	Network string `json:"network"`
	Price   string `json:"price"`   // wei
	Fee     string `json:"fee"`     // the most the network fee can be, wei
	Gas     uint64 `json:"gas"`     //
	Balance string `json:"balance"` // wei
	Note    string `json:"note"`    // e.g. the access price a publish sets
}

// ApprovalClosed is the payload of approval:closed.
type ApprovalClosed struct {
	ID string `json:"id"`
}

// JobProgress is the payload of job:progress. Total is -1 when unknown.
type JobProgress struct {
	JobID string `json:"jobId"`
	Kind  string `json:"kind"` // "publish", "update" (a new version) or "fetch"
	Name  string `json:"name"`
	Stage string `json:"stage"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
}

// JobDone is the payload of job:done: Dataset for a publish, Result for a fetch.
type JobDone struct {
	JobID   string             `json:"jobId"`
	Kind    string             `json:"kind"`
	Name    string             `json:"name"`
	Dataset *share.Dataset     `json:"dataset,omitempty"`
	Result  *share.FetchResult `json:"result,omitempty"`
}

// JobError is the payload of job:error. Code is share.CodeCanceled when the job was stopped.
type JobError struct {
	JobID   string `json:"jobId"`
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Code    string `json:"code"` // one of share.Codes
	Message string `json:"message"`
}

// FilesDropped is the payload of files:dropped.
type FilesDropped struct {
	Paths []string `json:"paths"`
}

// HandleFileDrop receives files dropped on the window from the OS and passes them to the
// frontend, which asks what to do with them.
func (a *App) HandleFileDrop(x, y int, paths []string) {
	var clean []string
	for _, p := range paths {
		if p = strings.TrimSpace(p); p != "" {
			clean = append(clean, p)
		}
	}
	if len(clean) == 0 {
		return
	}
	a.emit(EventFilesDropped, FilesDropped{Paths: clean})
}

type nopEmitter struct{}

func (nopEmitter) EventsEmit(context.Context, string, ...any) {}
