package main

import (
	"context"

	"github.com/ethereum/go-ethereum/common"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
)

// opened is what a command uses of an open profile: the use cases of *share.Service, each
// with a context and an error, so that a command runs the same whether it opened the profile
// itself or talks to the running instance that has it open (the local API).
type opened interface {
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
	DataDir() string
	Close() error
}

// local is a profile this process opened itself.
type local struct{ *share.Service }

func (l local) WalletStatus(context.Context) (share.WalletStatus, error) {
	return l.Service.WalletStatus(), nil
}

func (l local) Account(context.Context) (common.Address, error) { return l.Service.Account(), nil }

func (l local) Network(context.Context) (config.Network, error) { return l.Service.Network(), nil }
