package api

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
)

// Method names on the wire, one per Profile method.
const (
	mStatus           = "status"
	mList             = "list"
	mPublish          = "publish"
	mFetch            = "fetch"
	mForget           = "forget"
	mJobs             = "jobs"
	mResumeJob        = "resumeJob"
	mResume           = "resume"
	mDiscardJob       = "discardJob"
	mWalletStatus     = "walletStatus"
	mPairWallet       = "pairWallet"
	mWaitWallet       = "waitWallet"
	mDisconnectWallet = "disconnectWallet"
	mAccount          = "account"
	mNetwork          = "network"
)

type publishArgs struct {
	Path string               `json:"path"`
	Opts share.PublishOptions `json:"opts"`
}

type fetchArgs struct {
	ID      uint64             `json:"id"`
	OutPath string             `json:"outPath"`
	Opts    share.FetchOptions `json:"opts"`
}

type idArgs struct {
	ID uint64 `json:"id"`
}

type jobArgs struct {
	JobID string `json:"jobId"`
}

// outcome is a share.JobOutcome on the wire.
type outcome struct {
	Job   share.Dataset `json:"job"`
	Error *wireError    `json:"error,omitempty"`
}

// dispatch runs one call on the Service.
func (s *Server) dispatch(ctx context.Context, method string, raw json.RawMessage, p share.Progress) (any, error) {
	args := func(v any) error {
		if len(raw) == 0 {
			return nil
		}
		if err := json.Unmarshal(raw, v); err != nil {
			return &codedError{share.CodeInvalidInput, fmt.Sprintf("the arguments of %s could not be read: %v", method, err)}
		}
		return nil
	}
	svc := s.svc
	switch method {
	case mStatus:
		return svc.Status(ctx)
	case mList:
		return svc.List(ctx)
	case mPublish:
		var a publishArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return svc.Publish(ctx, a.Path, a.Opts, p)
	case mFetch:
		var a fetchArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return svc.Fetch(ctx, a.ID, a.OutPath, a.Opts, p)
	case mForget:
		var a idArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return svc.Forget(ctx, a.ID)
	case mJobs:
		return svc.Jobs(ctx)
	case mResumeJob:
		var a jobArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return svc.ResumeJob(ctx, a.JobID, p)
	case mResume:
		outs, err := svc.Resume(ctx, p)
		if err != nil {
			return nil, err
		}
		w := make([]outcome, len(outs))
		for i, o := range outs {
			w[i] = outcome{Job: o.Job, Error: toWire(o.Err)}
		}
		return w, nil
	case mDiscardJob:
		var a jobArgs
		if err := args(&a); err != nil {
			return nil, err
		}
		return struct{}{}, svc.DiscardJob(ctx, a.JobID)
	case mWalletStatus:
		return svc.WalletStatus(), nil
	case mPairWallet:
		return svc.PairWallet(ctx)
	case mWaitWallet:
		return svc.WaitWallet(ctx)
	case mDisconnectWallet:
		return struct{}{}, svc.DisconnectWallet(ctx)
	case mAccount:
		return svc.Account(), nil
	case mNetwork:
		return svc.Network(), nil
	}
	return nil, &codedError{share.CodeInvalidInput, fmt.Sprintf("the running DataShare has no call %q", method)}
}

// The client's side of each call. Path arguments are made absolute here: the server runs in
// another working directory.

func (c *Client) Status(ctx context.Context) (st share.Status, err error) {
	err = c.call(ctx, mStatus, nil, nil, &st)
	return st, err
}

func (c *Client) List(ctx context.Context) (ds []share.Dataset, err error) {
	err = c.call(ctx, mList, nil, nil, &ds)
	return ds, err
}

func (c *Client) Publish(ctx context.Context, path string, opts share.PublishOptions, p share.Progress) (d share.Dataset, err error) {
	err = c.call(ctx, mPublish, publishArgs{Path: absPath(path), Opts: opts}, p, &d)
	return d, err
}

func (c *Client) Fetch(ctx context.Context, id uint64, outPath string, opts share.FetchOptions, p share.Progress) (r share.FetchResult, err error) {
	err = c.call(ctx, mFetch, fetchArgs{ID: id, OutPath: absPath(outPath), Opts: opts}, p, &r)
	return r, err
}

func (c *Client) Forget(ctx context.Context, id uint64) (n int, err error) {
	err = c.call(ctx, mForget, idArgs{ID: id}, nil, &n)
	return n, err
}

func (c *Client) Jobs(ctx context.Context) (ds []share.Dataset, err error) {
	err = c.call(ctx, mJobs, nil, nil, &ds)
	return ds, err
}

func (c *Client) ResumeJob(ctx context.Context, jobID string, p share.Progress) (d share.Dataset, err error) {
	err = c.call(ctx, mResumeJob, jobArgs{JobID: jobID}, p, &d)
	return d, err
}

// Resume resumes every unfinished publish; each failed outcome's Err is an *Error as a call's.
func (c *Client) Resume(ctx context.Context, p share.Progress) ([]share.JobOutcome, error) {
	var w []outcome
	local, err := c.callLocal(ctx, mResume, nil, p, &w)
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
	return c.call(ctx, mDiscardJob, jobArgs{JobID: jobID}, nil, nil)
}

func (c *Client) WalletStatus(ctx context.Context) (st share.WalletStatus, err error) {
	err = c.call(ctx, mWalletStatus, nil, nil, &st)
	return st, err
}

func (c *Client) PairWallet(ctx context.Context) (wp share.WalletPairing, err error) {
	err = c.call(ctx, mPairWallet, nil, nil, &wp)
	return wp, err
}

func (c *Client) WaitWallet(ctx context.Context) (st share.WalletStatus, err error) {
	err = c.call(ctx, mWaitWallet, nil, nil, &st)
	return st, err
}

func (c *Client) DisconnectWallet(ctx context.Context) error {
	return c.call(ctx, mDisconnectWallet, nil, nil, nil)
}

func (c *Client) Account(ctx context.Context) (a common.Address, err error) {
	err = c.call(ctx, mAccount, nil, nil, &a)
	return a, err
}

func (c *Client) Network(ctx context.Context) (n config.Network, err error) {
	err = c.call(ctx, mNetwork, nil, nil, &n)
	return n, err
}

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
