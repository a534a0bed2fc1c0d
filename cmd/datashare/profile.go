package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/datashare/datashare/backend/api"
	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
)

// opened is what a command uses of an open profile: the running DataShare that has it open
// (the desktop app or datashare serve, through its local API), or the profile opened in this
// process. A command runs the same either way: the same output, errors and exit codes.
type opened = api.Profile

// open gives the command its profile. When a DataShare runs it (its socket answers), the
// command goes through it: no second lock on the IPFS repository, no second chain, no
// passphrase asked; --ipfs, --ipfs-api and --no-keyring are then the running one's business.
// Otherwise (a socket left by a DataShare that died is removed) the profile is opened here.
func (c *cli) open(ctx context.Context) (opened, error) { return c.openProfile(ctx, false) }

// openReadOnly is open for a command that only reads the chain and the index (ls, status,
// access, history, link list): opened in this process, no IPFS node is started and no
// transaction is sent.
func (c *cli) openReadOnly(ctx context.Context) (opened, error) { return c.openProfile(ctx, true) }

func (c *cli) openProfile(ctx context.Context, readOnly bool) (opened, error) {
	p, err := c.dial(ctx)
	if p != nil || err != nil {
		return p, err
	}
	s, err := share.Open(ctx, c.shareConfig(readOnly))
	if err != nil {
		return nil, err
	}
	return api.Local(s), nil
}

// dial connects to the DataShare that runs the profile: nil, nil when none does.
func (c *cli) dial(ctx context.Context) (opened, error) {
	dir, err := c.dataDir()
	if err != nil {
		return nil, err
	}
	cl, err := dialProfile(ctx, dir, api.ClientOptions{Confirm: c.confirm, OnPhoneRequest: c.phoneRequest})
	switch {
	case errors.Is(err, api.ErrNotRunning):
		return nil, nil
	case err != nil:
		return nil, err
	}
	if c.g.network != "" {
		n, err := cl.Network(ctx)
		if err != nil {
			cl.Close()
			return nil, err
		}
		if n.Name != c.g.network {
			cl.Close()
			return nil, &cmdError{share.CodeInvalidInput, fmt.Sprintf("DataShare runs this profile on %s (the desktop app or datashare serve): leave out --network %s, or stop it first to use another network", n.Title, c.g.network)}
		}
	}
	return cl, nil
}

// refuseIfRunning fails when a DataShare runs the profile: what must have the profile to
// itself (restoring keys, saving wallet settings) cannot be done beside it.
func (c *cli) refuseIfRunning(ctx context.Context, what string) error {
	dir, err := c.dataDir()
	if err != nil {
		return err
	}
	cl, err := dialProfile(ctx, dir, api.ClientOptions{})
	switch {
	case errors.Is(err, api.ErrNotRunning):
		return nil
	case err != nil:
		return err
	}
	cl.Close()
	return &cmdError{share.CodeBusy, fmt.Sprintf("%s needs the profile to itself, and DataShare runs it (the desktop app or datashare serve): stop it first, then run this command again", what)}
}

// dialProfile dials the socket of the profile in dir. Where no socket can be (dir is missing,
// is a file, or cannot be searched), nothing runs: api.ErrNotRunning, and opening the profile
// here says what is wrong with dir.
func dialProfile(ctx context.Context, dir string, opts api.ClientOptions) (*api.Client, error) {
	return api.Dial(ctx, api.SocketPath(dir), opts)
}

// dataDir is the profile's directory: --data-dir, else the default.
func (c *cli) dataDir() (string, error) {
	if c.g.dataDir != "" {
		return c.g.dataDir, nil
	}
	return config.DefaultDataDir()
}

// phoneRequest says that a transaction waits for approval on the phone.
func (c *cli) phoneRequest(_ context.Context, s approval.Summary) {
	fmt.Fprintf(c.stderr, "\n%s\n  sent to your phone wallet: approve or reject it there\n", approvalTitle(s))
}

// cmdError is an error of this command with its share code.
type cmdError struct{ code, msg string }

func (e *cmdError) Error() string     { return e.msg }
func (e *cmdError) ErrorCode() string { return e.code }

// shareConfig is the configuration of the profile opened in this process.
func (c *cli) shareConfig(readOnly bool) share.Config {
	return share.Config{
		ReadOnly: readOnly,
		DataDir:  c.g.dataDir, Network: c.g.network, IPFSMode: c.g.ipfsMode, IPFSAPI: c.g.ipfsAPI,
		NoKeyring:      c.g.noKeyring,
		Passphrase:     c.passphrase(),
		Confirm:        c.confirm,
		OnPhoneRequest: c.phoneRequest,
	}
}
