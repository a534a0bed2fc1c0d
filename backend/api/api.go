package api

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
)

// Version is the version of the protocol; bump it on any incompatible change, and when methods
// are added (a client must not find out mid-command that the server lacks its call). Client and
// server of different versions refuse each other with a *VersionError.
//
// v2: the sharing use cases (keys, share, revoke, access, shared, update, history, links).
// v3: paid access (catalog, request, requested, refund, earnings, withdraw, price; the owner's
// inbox, grant, decline, policy, operator) and files (the file list of a folder dataset).
const Version = 3

// Profile is one open profile as a command uses it: *Client (a running instance, over its
// socket) and Local (this process) both satisfy it.
type Profile interface {
	Status(ctx context.Context) (share.Status, error)
	List(ctx context.Context) ([]share.Dataset, error)
	Publish(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error)
	Fetch(ctx context.Context, id uint64, outPath string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error)
	Forget(ctx context.Context, id uint64) (int, error)
	Jobs(ctx context.Context) ([]share.Dataset, error)
	ResumeJob(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error)
	Resume(ctx context.Context, p share.Progress) ([]share.JobOutcome, error)
	DiscardJob(ctx context.Context, jobID string) error
	WalletStatus(ctx context.Context) (share.WalletStatus, error)
	PairWallet(ctx context.Context) (share.WalletPairing, error)
	WaitWallet(ctx context.Context) (share.WalletStatus, error)
	DisconnectWallet(ctx context.Context) error
	Account(ctx context.Context) (common.Address, error)
	Network(ctx context.Context) (config.Network, error)

	// Sharing (backend/share keys.go, sharing.go, update.go, history.go, link.go).
	KeyStatus(ctx context.Context) (share.KeyStatus, error)
	RegisterKey(ctx context.Context) (share.KeyStatus, error)
	Share(ctx context.Context, id uint64, grantees []string) (share.ShareResult, error)
	Revoke(ctx context.Context, id uint64, grantee string) (share.RevokeResult, error)
	Access(ctx context.Context, id uint64) (share.DatasetAccess, error)
	Shared(ctx context.Context) ([]share.Dataset, error)
	Update(ctx context.Context, id uint64, path string, p share.Progress) (share.Dataset, error)
	History(ctx context.Context, id uint64) ([]share.Event, error)
	Files(ctx context.Context, id, version uint64) ([]share.FolderFile, error)
	CreateLink(ctx context.Context, id uint64, label string) (share.Link, error)
	Links(ctx context.Context, id uint64) ([]share.Link, error)
	RevokeLink(ctx context.Context, id uint64, rawLink string) (share.RevokeResult, error)
	FetchLink(ctx context.Context, rawLink, outPath string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error)

	// Paid access, the buyer's side and the money (backend/share catalog.go, request.go,
	// earnings.go).
	Catalog(ctx context.Context, opts share.CatalogOptions) ([]share.CatalogItem, error)
	Request(ctx context.Context, id uint64, opts share.RequestOptions, p share.Progress) (share.RequestResult, error)
	Requested(ctx context.Context) ([]share.RequestInfo, error)
	Refund(ctx context.Context, id uint64) (share.RefundResult, error)
	Earnings(ctx context.Context) (share.Earnings, error)
	Withdraw(ctx context.Context) (share.WithdrawResult, error)
	SetPrice(ctx context.Context, id uint64, price *big.Int) (share.PriceResult, error)

	// Paid access, the owner's side (backend/share inbox.go, policy.go, fulfil_operator.go).
	Inbox(ctx context.Context) ([]share.InboxRequest, error)
	GrantRequest(ctx context.Context, id uint64, requester string) (share.AnswerResult, error)
	DeclineRequest(ctx context.Context, id uint64, requester string) (share.AnswerResult, error)
	Policy(ctx context.Context, id uint64) (share.AnswerPolicy, error)
	SetPolicy(ctx context.Context, id uint64, mode string, allow []string) (share.AnswerPolicy, error)
	OperatorStatus(ctx context.Context) (share.OperatorStatus, error)
	EnableOperator(ctx context.Context) (share.OperatorStatus, error)
	DisableOperator(ctx context.Context) (share.OperatorStatus, error)

	DataDir() string
	// Close ends the use of the profile: Local closes the Service, a Client only its
	// connections (the running instance goes on).
	Close() error
}

// Local is the Profile of a Service this process opened.
func Local(svc *share.Service) Profile { return local{svc} }

type local struct{ s *share.Service }

func (l local) Status(ctx context.Context) (share.Status, error)  { return l.s.Status(ctx) }
func (l local) List(ctx context.Context) ([]share.Dataset, error) { return l.s.List(ctx) }
func (l local) Publish(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (share.Dataset, error) {
	return l.s.Publish(ctx, path, opts, p)
}
func (l local) Fetch(ctx context.Context, id uint64, outPath string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error) {
	return l.s.Fetch(ctx, id, outPath, opts, p)
}
func (l local) Forget(ctx context.Context, id uint64) (int, error) { return l.s.Forget(ctx, id) }
func (l local) Jobs(ctx context.Context) ([]share.Dataset, error)  { return l.s.Jobs(ctx) }
func (l local) DiscardJob(ctx context.Context, jobID string) error { return l.s.DiscardJob(ctx, jobID) }
func (l local) ResumeJob(ctx context.Context, jobID string, p share.Progress) (share.Dataset, error) {
	return l.s.ResumeJob(ctx, jobID, p)
}
func (l local) Resume(ctx context.Context, p share.Progress) ([]share.JobOutcome, error) {
	return l.s.Resume(ctx, p)
}
func (l local) WalletStatus(context.Context) (share.WalletStatus, error) {
	return l.s.WalletStatus(), nil
}
func (l local) PairWallet(ctx context.Context) (share.WalletPairing, error) {
	return l.s.PairWallet(ctx)
}
func (l local) WaitWallet(ctx context.Context) (share.WalletStatus, error) {
	return l.s.WaitWallet(ctx)
}
func (l local) DisconnectWallet(ctx context.Context) error { return l.s.DisconnectWallet(ctx) }
func (l local) Account(context.Context) (common.Address, error) {
	return l.s.Account(), nil
}
func (l local) Network(context.Context) (config.Network, error)        { return l.s.Network(), nil }
func (l local) KeyStatus(ctx context.Context) (share.KeyStatus, error) { return l.s.KeyStatus(ctx) }
func (l local) RegisterKey(ctx context.Context) (share.KeyStatus, error) {
	return l.s.RegisterKey(ctx)
}
func (l local) Share(ctx context.Context, id uint64, grantees []string) (share.ShareResult, error) {
	return l.s.Share(ctx, id, grantees)
}
func (l local) Revoke(ctx context.Context, id uint64, grantee string) (share.RevokeResult, error) {
	return l.s.Revoke(ctx, id, grantee)
}
func (l local) Access(ctx context.Context, id uint64) (share.DatasetAccess, error) {
	return l.s.Access(ctx, id)
}
func (l local) Shared(ctx context.Context) ([]share.Dataset, error) { return l.s.Shared(ctx) }
func (l local) Update(ctx context.Context, id uint64, path string, p share.Progress) (share.Dataset, error) {
	return l.s.Update(ctx, id, path, p)
}
func (l local) History(ctx context.Context, id uint64) ([]share.Event, error) {
	return l.s.History(ctx, id)
}
func (l local) Files(ctx context.Context, id, version uint64) ([]share.FolderFile, error) {
	return l.s.Files(ctx, id, version)
}
func (l local) CreateLink(ctx context.Context, id uint64, label string) (share.Link, error) {
	return l.s.CreateLink(ctx, id, label)
}
func (l local) Links(ctx context.Context, id uint64) ([]share.Link, error) { return l.s.Links(ctx, id) }
func (l local) RevokeLink(ctx context.Context, id uint64, rawLink string) (share.RevokeResult, error) {
	return l.s.RevokeLink(ctx, id, rawLink)
}
func (l local) FetchLink(ctx context.Context, rawLink, outPath string, opts share.FetchOptions, p share.Progress) (share.FetchResult, error) {
	return l.s.FetchLink(ctx, rawLink, outPath, opts, p)
}
func (l local) Catalog(ctx context.Context, opts share.CatalogOptions) ([]share.CatalogItem, error) {
	return l.s.Catalog(ctx, opts)
}
func (l local) Request(ctx context.Context, id uint64, opts share.RequestOptions, p share.Progress) (share.RequestResult, error) {
	return l.s.Request(ctx, id, opts, p)
}
func (l local) Requested(ctx context.Context) ([]share.RequestInfo, error) { return l.s.Requested(ctx) }
func (l local) Refund(ctx context.Context, id uint64) (share.RefundResult, error) {
	return l.s.Refund(ctx, id)
}
func (l local) Earnings(ctx context.Context) (share.Earnings, error)       { return l.s.Earnings(ctx) }
func (l local) Withdraw(ctx context.Context) (share.WithdrawResult, error) { return l.s.Withdraw(ctx) }
func (l local) SetPrice(ctx context.Context, id uint64, price *big.Int) (share.PriceResult, error) {
	return l.s.SetPrice(ctx, id, price)
}
func (l local) Inbox(ctx context.Context) ([]share.InboxRequest, error) { return l.s.Inbox(ctx) }
func (l local) GrantRequest(ctx context.Context, id uint64, requester string) (share.AnswerResult, error) {
	return l.s.GrantRequest(ctx, id, requester)
}
func (l local) DeclineRequest(ctx context.Context, id uint64, requester string) (share.AnswerResult, error) {
	return l.s.DeclineRequest(ctx, id, requester)
}
func (l local) Policy(ctx context.Context, id uint64) (share.AnswerPolicy, error) {
	return l.s.Policy(ctx, id)
}
func (l local) SetPolicy(ctx context.Context, id uint64, mode string, allow []string) (share.AnswerPolicy, error) {
	return l.s.SetPolicy(ctx, id, mode, allow)
}
func (l local) OperatorStatus(ctx context.Context) (share.OperatorStatus, error) {
	return l.s.OperatorStatus(ctx)
}
func (l local) EnableOperator(ctx context.Context) (share.OperatorStatus, error) {
	return l.s.EnableOperator(ctx)
}
func (l local) DisableOperator(ctx context.Context) (share.OperatorStatus, error) {
	return l.s.DisableOperator(ctx)
}
func (l local) DataDir() string { return l.s.DataDir() }
func (l local) Close() error    { return l.s.Close() }

// codedError is a sentinel error of this package with its share code.
type codedError struct{ code, msg string }

func (e *codedError) Error() string     { return e.msg }
func (e *codedError) ErrorCode() string { return e.code }

var (
	// ErrNotRunning: no DataShare process serves the profile (a socket file left by one that
	// died was removed). Open the profile in this process instead.
	ErrNotRunning error = &codedError{share.CodeUnavailable, "no DataShare is running for this profile"}
	// ErrRunning: another process already serves this profile.
	ErrRunning error = &codedError{share.CodeBusy, "another DataShare process already has this profile open (the desktop app or 'datashare serve'): quit it first, or use the one that runs"}
	// errForeignPeer is what a peer of another user is told.
	errForeignPeer error = &codedError{share.CodeInvalidInput, "this DataShare belongs to another user of this computer and answers only that user"}
	// errClosed: the Client was closed.
	errClosed error = &codedError{share.CodeCanceled, "the connection to the running DataShare was closed"}
)

// VersionError says a client and a server speak different API versions.
type VersionError struct{ Client, Server int }

func (e *VersionError) Error() string {
	if e.Server > e.Client {
		return fmt.Sprintf("the running DataShare (API v%d) is newer than this command (v%d): update this command to the same version, or quit the running DataShare", e.Server, e.Client)
	}
	return fmt.Sprintf("the running DataShare (API v%d) is older than this command (v%d): quit it and start the same version as this command", e.Server, e.Client)
}

// ErrorCode is unavailable: the running instance cannot be used by this command.
func (e *VersionError) ErrorCode() string { return share.CodeUnavailable }

// Error is the error of a call that failed in the running instance: its share code, and the
// message as the server wrote it.
type Error struct {
	Code    string
	Message string
	// Path is the file that exists, for code exists from Fetch (*share.ExistsError).
	Path string
	// causes: the *share.ExistsError rebuilt from Path, and an error the client's own Confirm
	// returned during the call.
	causes []error
}

func (e *Error) Error() string { return e.Message }

// ErrorCode makes share.Code return the server's code.
func (e *Error) ErrorCode() string { return e.Code }

// Is matches every error of the same code: errors.Is(err, share.ErrNotFound) and
// errors.Is(err, os.ErrNotExist) hold for a not_found error, as they did in the server.
func (e *Error) Is(target error) bool {
	if e.Code == "" || e.Code == share.CodeInternal {
		return false
	}
	if _, ok := target.(*Error); ok {
		return false
	}
	return share.Code(target) == e.Code
}

// Unwrap returns the errors rebuilt on this side (see Error).
func (e *Error) Unwrap() []error { return e.causes }

// wireError is an error as it travels.
type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Path    string `json:"path,omitempty"`
}

func toWire(err error) *wireError {
	if err == nil {
		return nil
	}
	w := &wireError{Code: share.Code(err), Message: err.Error()}
	var exists *share.ExistsError
	if errors.As(err, &exists) {
		w.Path = exists.Path
	}
	return w
}

// fromWire rebuilds an error; local, when not nil, is an error of this side that caused it.
func fromWire(w *wireError, local error) error {
	if w == nil {
		return nil
	}
	e := &Error{Code: w.Code, Message: w.Message, Path: w.Path}
	if e.Code == "" {
		e.Code = share.CodeInternal
	}
	if e.Message == "" {
		e.Message = "the running DataShare reported an error without a message"
	}
	if w.Code == share.CodeExists && w.Path != "" {
		e.causes = append(e.causes, &share.ExistsError{Path: w.Path})
	}
	if local != nil {
		e.causes = append(e.causes, local)
	}
	return e
}
