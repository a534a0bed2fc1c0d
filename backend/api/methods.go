package api

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
)

// The calls of the API, one per Profile method (DataDir and Close excepted). To add a use case
// of share.Service to the API:
//
//  1. add its method to Profile and to local (api.go), forwarding to the Service;
//  2. add an entry to handlers below, under the method's name with its first letter in lower
//     case (TestHandlersMatchProfile checks), reading its arguments into a struct of this file;
//  3. add the Client's method at the end of this file: c.call with the same name and struct
//     (paths made absolute with absPath: the server runs in another working directory);
//  4. bump Version (api.go), so that a client does not meet a server without the call;
//  5. test it over a real Service (service_linux_test.go).
//
// Errors need nothing: every error crosses with its share code (see Error).

// handler runs one call on the Service: args reads the call's arguments into a struct.
type handler func(ctx context.Context, s *share.Service, args func(any) error, p share.Progress) (any, error)

type publishArgs struct {
	Path string               `json:"path"`
	Opts share.PublishOptions `json:"opts"`
}

type fetchArgs struct {
	ID      uint64             `json:"id"`
	OutPath string             `json:"outPath"`
	Opts    share.FetchOptions `json:"opts"`
}

type filesArgs struct {
	ID      uint64 `json:"id"`
	Version uint64 `json:"version"`
}

type idArgs struct {
	ID uint64 `json:"id"`
}

type jobArgs struct {
	JobID string `json:"jobId"`
}

type shareArgs struct {
	ID       uint64   `json:"id"`
	Grantees []string `json:"grantees"`
}

type revokeArgs struct {
	ID      uint64 `json:"id"`
	Grantee string `json:"grantee"`
}

type updateArgs struct {
	ID   uint64 `json:"id"`
	Path string `json:"path"`
}

type createLinkArgs struct {
	ID    uint64 `json:"id"`
	Label string `json:"label"`
}

// linkArgs carry a share link: a secret, which the server never logs.
type linkArgs struct {
	ID      uint64             `json:"id,omitempty"`
	Link    string             `json:"link"`
	OutPath string             `json:"outPath,omitempty"`
	Opts    share.FetchOptions `json:"opts"`
}

type requestArgs struct {
	ID   uint64               `json:"id"`
	Opts share.RequestOptions `json:"opts"`
}

type priceArgs struct {
	ID    uint64   `json:"id"`
	Price *big.Int `json:"price"`
}

type answerArgs struct {
	ID        uint64 `json:"id"`
	Requester string `json:"requester"`
}

type policyArgs struct {
	ID    uint64   `json:"id"`
	Mode  string   `json:"mode"`
	Allow []string `json:"allow"`
}

// outcome is a share.JobOutcome on the wire.
type outcome struct {
	Job   share.Dataset `json:"job"`
	Error *wireError    `json:"error,omitempty"`
}

// noResult is the result of a call that returns only an error.
var noResult = struct{}{}

var handlers = map[string]handler{
	"status": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Status(ctx)
	},
	"list": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.List(ctx)
	},
	"publish": func(ctx context.Context, s *share.Service, args func(any) error, p share.Progress) (any, error) {
		var a publishArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Publish(ctx, a.Path, a.Opts, p)
	},
	"fetch": func(ctx context.Context, s *share.Service, args func(any) error, p share.Progress) (any, error) {
		var a fetchArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Fetch(ctx, a.ID, a.OutPath, a.Opts, p)
	},
	"forget": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a idArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Forget(ctx, a.ID)
	},
	"jobs": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Jobs(ctx)
	},
	"resumeJob": func(ctx context.Context, s *share.Service, args func(any) error, p share.Progress) (any, error) {
		var a jobArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.ResumeJob(ctx, a.JobID, p)
	},
	"resume": func(ctx context.Context, s *share.Service, _ func(any) error, p share.Progress) (any, error) {
		outs, err := s.Resume(ctx, p)
		if err != nil {
			return nil, err
		}
		w := make([]outcome, len(outs))
		for i, o := range outs {
			w[i] = outcome{Job: o.Job, Error: toWire(o.Err)}
		}
		return w, nil
	},
	"discardJob": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a jobArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return noResult, s.DiscardJob(ctx, a.JobID)
	},
	"walletStatus": func(_ context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.WalletStatus(), nil
	},
	"pairWallet": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.PairWallet(ctx)
	},
	"waitWallet": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.WaitWallet(ctx)
	},
	"disconnectWallet": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return noResult, s.DisconnectWallet(ctx)
	},
	"account": func(_ context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Account(), nil
	},
	"network": func(_ context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Network(), nil
	},

	// Sharing.
	"keyStatus": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.KeyStatus(ctx)
	},
	"registerKey": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.RegisterKey(ctx)
	},
	"share": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a shareArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Share(ctx, a.ID, a.Grantees)
	},
	"revoke": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a revokeArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Revoke(ctx, a.ID, a.Grantee)
	},
	"access": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a idArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Access(ctx, a.ID)
	},
	"shared": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Shared(ctx)
	},
	"update": func(ctx context.Context, s *share.Service, args func(any) error, p share.Progress) (any, error) {
		var a updateArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Update(ctx, a.ID, a.Path, p)
	},
	"history": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a idArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.History(ctx, a.ID)
	},
	"files": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a filesArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Files(ctx, a.ID, a.Version)
	},
	"createLink": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a createLinkArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.CreateLink(ctx, a.ID, a.Label)
	},
	"links": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a idArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Links(ctx, a.ID)
	},
	"revokeLink": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a linkArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.RevokeLink(ctx, a.ID, a.Link)
	},
	"fetchLink": func(ctx context.Context, s *share.Service, args func(any) error, p share.Progress) (any, error) {
		var a linkArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.FetchLink(ctx, a.Link, a.OutPath, a.Opts, p)
	},

	// Paid access, the buyer's side and the money.
	"catalog": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a share.CatalogOptions
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Catalog(ctx, a)
	},
	"request": func(ctx context.Context, s *share.Service, args func(any) error, p share.Progress) (any, error) {
		var a requestArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Request(ctx, a.ID, a.Opts, p)
	},
	"requested": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Requested(ctx)
	},
	"refund": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a idArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Refund(ctx, a.ID)
	},
	"earnings": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Earnings(ctx)
	},
	"withdraw": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Withdraw(ctx)
	},
	"setPrice": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a priceArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		if a.Price == nil {
			return nil, &codedError{share.CodeInvalidInput, "the arguments of setPrice have no price"}
		}
		return s.SetPrice(ctx, a.ID, a.Price)
	},

	// Paid access, the owner's side.
	"inbox": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.Inbox(ctx)
	},
	"grantRequest": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a answerArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.GrantRequest(ctx, a.ID, a.Requester)
	},
	"declineRequest": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a answerArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.DeclineRequest(ctx, a.ID, a.Requester)
	},
	"policy": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a idArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.Policy(ctx, a.ID)
	},
	"setPolicy": func(ctx context.Context, s *share.Service, args func(any) error, _ share.Progress) (any, error) {
		var a policyArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return s.SetPolicy(ctx, a.ID, a.Mode, a.Allow)
	},
	"operatorStatus": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.OperatorStatus(ctx)
	},
	"enableOperator": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.EnableOperator(ctx)
	},
	"disableOperator": func(ctx context.Context, s *share.Service, _ func(any) error, _ share.Progress) (any, error) {
		return s.DisableOperator(ctx)
	},
}

// dispatch runs one call on the Service.
func (s *Server) dispatch(ctx context.Context, method string, raw json.RawMessage, p share.Progress) (any, error) {
	h, found := handlers[method]
	if !found {
		return nil, &codedError{share.CodeInvalidInput, fmt.Sprintf("the running DataShare has no call %q", method)}
	}
	args := func(v any) error {
		if len(raw) == 0 {
			return nil
		}
		if err := json.Unmarshal(raw, v); err != nil {
			// err names types and offsets, never the values (which may be a secret: a share link).
			return &codedError{share.CodeInvalidInput, fmt.Sprintf("the arguments of %s could not be read: %v", method, err)}
		}
		return nil
	}
	return h(ctx, s.svc, args, p)
}

// The client's side of each call, in the order of handlers. Path arguments are made absolute
// here: the server runs in another working directory.

func (c *Client) Status(ctx context.Context) (st share.Status, err error) {
	err = c.call(ctx, "status", nil, nil, &st)
	return st, err
}

func (c *Client) List(ctx context.Context) (ds []share.Dataset, err error) {
	err = c.call(ctx, "list", nil, nil, &ds)
	return ds, err
}

func (c *Client) Publish(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (d share.Dataset, err error) {
	err = c.call(ctx, "publish", publishArgs{Path: absPath(path), Opts: opts}, p, &d)
	return d, err
}

func (c *Client) Fetch(ctx context.Context, id uint64, outPath string, opts share.FetchOptions, p share.Progress) (r share.FetchResult, err error) {
	err = c.call(ctx, "fetch", fetchArgs{ID: id, OutPath: absPath(outPath), Opts: opts}, p, &r)
	return r, err
}

func (c *Client) Forget(ctx context.Context, id uint64) (n int, err error) {
	err = c.call(ctx, "forget", idArgs{ID: id}, nil, &n)
	return n, err
}

func (c *Client) Jobs(ctx context.Context) (ds []share.Dataset, err error) {
	err = c.call(ctx, "jobs", nil, nil, &ds)
	return ds, err
}

func (c *Client) ResumeJob(ctx context.Context, jobID string, p share.Progress) (d share.Dataset, err error) {
	err = c.call(ctx, "resumeJob", jobArgs{JobID: jobID}, p, &d)
	return d, err
}

// Resume resumes every unfinished publish; each failed outcome's Err is an *Error as a call's.
func (c *Client) Resume(ctx context.Context, p share.Progress) ([]share.JobOutcome, error) {
	var w []outcome
	local, err := c.callLocal(ctx, "resume", nil, p, &w)
	if err != nil {
		return nil, err
	}
	outs := make([]share.JobOutcome, len(w))
	for i, o := range w {
		outs[i] = share.JobOutcome{Job: o.Job, Err: fromWire(o.Error, local.causing(o.Error))}
	}
	return outs, nil
}

func (c *Client) DiscardJob(ctx context.Context, jobID string) error {
	return c.call(ctx, "discardJob", jobArgs{JobID: jobID}, nil, nil)
}

func (c *Client) WalletStatus(ctx context.Context) (st share.WalletStatus, err error) {
	err = c.call(ctx, "walletStatus", nil, nil, &st)
	return st, err
}

func (c *Client) PairWallet(ctx context.Context) (wp share.WalletPairing, err error) {
	err = c.call(ctx, "pairWallet", nil, nil, &wp)
	return wp, err
}

func (c *Client) WaitWallet(ctx context.Context) (st share.WalletStatus, err error) {
	err = c.call(ctx, "waitWallet", nil, nil, &st)
	return st, err
}

func (c *Client) DisconnectWallet(ctx context.Context) error {
	return c.call(ctx, "disconnectWallet", nil, nil, nil)
}

func (c *Client) Account(ctx context.Context) (a common.Address, err error) {
	err = c.call(ctx, "account", nil, nil, &a)
	return a, err
}

func (c *Client) Network(ctx context.Context) (n config.Network, err error) {
	err = c.call(ctx, "network", nil, nil, &n)
	return n, err
}

func (c *Client) KeyStatus(ctx context.Context) (k share.KeyStatus, err error) {
	err = c.call(ctx, "keyStatus", nil, nil, &k)
	return k, err
}

func (c *Client) RegisterKey(ctx context.Context) (k share.KeyStatus, err error) {
	err = c.call(ctx, "registerKey", nil, nil, &k)
	return k, err
}

func (c *Client) Share(ctx context.Context, id uint64, grantees []string) (r share.ShareResult, err error) {
	err = c.call(ctx, "share", shareArgs{ID: id, Grantees: grantees}, nil, &r)
	return r, err
}

func (c *Client) Revoke(ctx context.Context, id uint64, grantee string) (r share.RevokeResult, err error) {
	err = c.call(ctx, "revoke", revokeArgs{ID: id, Grantee: grantee}, nil, &r)
	return r, err
}

func (c *Client) Access(ctx context.Context, id uint64) (a share.DatasetAccess, err error) {
	err = c.call(ctx, "access", idArgs{ID: id}, nil, &a)
	return a, err
}

func (c *Client) Shared(ctx context.Context) (ds []share.Dataset, err error) {
	err = c.call(ctx, "shared", nil, nil, &ds)
	return ds, err
}

func (c *Client) Update(ctx context.Context, id uint64, path string, p share.Progress) (d share.Dataset, err error) {
	err = c.call(ctx, "update", updateArgs{ID: id, Path: absPath(path)}, p, &d)
	return d, err
}

func (c *Client) History(ctx context.Context, id uint64) (evs []share.Event, err error) {
	err = c.call(ctx, "history", idArgs{ID: id}, nil, &evs)
	return evs, err
}

func (c *Client) Files(ctx context.Context, id, version uint64) (fs []share.FolderFile, err error) {
	err = c.call(ctx, "files", filesArgs{ID: id, Version: version}, nil, &fs)
	return fs, err
}

func (c *Client) CreateLink(ctx context.Context, id uint64, label string) (l share.Link, err error) {
	err = c.call(ctx, "createLink", createLinkArgs{ID: id, Label: label}, nil, &l)
	return l, err
}

func (c *Client) Links(ctx context.Context, id uint64) (ls []share.Link, err error) {
	err = c.call(ctx, "links", idArgs{ID: id}, nil, &ls)
	return ls, err
}

func (c *Client) RevokeLink(ctx context.Context, id uint64, rawLink string) (r share.RevokeResult, err error) {
	err = c.call(ctx, "revokeLink", linkArgs{ID: id, Link: rawLink}, nil, &r)
	return r, err
}

func (c *Client) FetchLink(ctx context.Context, rawLink, outPath string, opts share.FetchOptions, p share.Progress) (r share.FetchResult, err error) {
	err = c.call(ctx, "fetchLink", linkArgs{Link: rawLink, OutPath: absPath(outPath), Opts: opts}, p, &r)
	return r, err
}

func (c *Client) Catalog(ctx context.Context, opts share.CatalogOptions) (l []share.CatalogItem, err error) {
	err = c.call(ctx, "catalog", opts, nil, &l)
	return l, err
}

// Request relays the request's progress (StageAwaitKey while it waits for the key) and asks
// this client's user to approve its transactions.
func (c *Client) Request(ctx context.Context, id uint64, opts share.RequestOptions, p share.Progress) (r share.RequestResult, err error) {
	opts.Output = absPath(opts.Output)
	err = c.call(ctx, "request", requestArgs{ID: id, Opts: opts}, p, &r)
	return r, err
}

func (c *Client) Requested(ctx context.Context) (l []share.RequestInfo, err error) {
	err = c.call(ctx, "requested", nil, nil, &l)
	return l, err
}

func (c *Client) Refund(ctx context.Context, id uint64) (r share.RefundResult, err error) {
	err = c.call(ctx, "refund", idArgs{ID: id}, nil, &r)
	return r, err
}

func (c *Client) Earnings(ctx context.Context) (e share.Earnings, err error) {
	err = c.call(ctx, "earnings", nil, nil, &e)
	return e, err
}

func (c *Client) Withdraw(ctx context.Context) (r share.WithdrawResult, err error) {
	err = c.call(ctx, "withdraw", nil, nil, &r)
	return r, err
}

func (c *Client) SetPrice(ctx context.Context, id uint64, price *big.Int) (r share.PriceResult, err error) {
	err = c.call(ctx, "setPrice", priceArgs{ID: id, Price: price}, nil, &r)
	return r, err
}

func (c *Client) Inbox(ctx context.Context) (l []share.InboxRequest, err error) {
	err = c.call(ctx, "inbox", nil, nil, &l)
	return l, err
}

func (c *Client) GrantRequest(ctx context.Context, id uint64, requester string) (r share.AnswerResult, err error) {
	err = c.call(ctx, "grantRequest", answerArgs{ID: id, Requester: requester}, nil, &r)
	return r, err
}

func (c *Client) DeclineRequest(ctx context.Context, id uint64, requester string) (r share.AnswerResult, err error) {
	err = c.call(ctx, "declineRequest", answerArgs{ID: id, Requester: requester}, nil, &r)
	return r, err
}

func (c *Client) Policy(ctx context.Context, id uint64) (p share.AnswerPolicy, err error) {
	err = c.call(ctx, "policy", idArgs{ID: id}, nil, &p)
	return p, err
}

func (c *Client) SetPolicy(ctx context.Context, id uint64, mode string, allow []string) (p share.AnswerPolicy, err error) {
	err = c.call(ctx, "setPolicy", policyArgs{ID: id, Mode: mode, Allow: allow}, nil, &p)
	return p, err
}

func (c *Client) OperatorStatus(ctx context.Context) (st share.OperatorStatus, err error) {
	err = c.call(ctx, "operatorStatus", nil, nil, &st)
	return st, err
}

func (c *Client) EnableOperator(ctx context.Context) (st share.OperatorStatus, err error) {
	err = c.call(ctx, "enableOperator", nil, nil, &st)
	return st, err
}

func (c *Client) DisableOperator(ctx context.Context) (st share.OperatorStatus, err error) {
	err = c.call(ctx, "disableOperator", nil, nil, &st)
	return st, err
}

var _ Profile = (*Client)(nil)

// absPath makes a path absolute; "" stays "" (the server says what is missing).
func absPath(p string) string {
	if p == "" {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}
