package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/datashare/datashare/backend/api"
	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/share"
)

// serveCmd is `datashare serve`: the profile open and serving until SIGINT or SIGTERM.
func (c *cli) serveCmd() *cobra.Command {
	var level string
	var every time.Duration
	cmd := &cobra.Command{
		Use:               "serve",
		Short:             "keep this profile running without a window: serve its data, follow the chain",
		Long:              description(commandUsage["serve"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.serve(cmd.Context(), args, level, every)
		},
	}
	cmd.Flags().StringVar(&level, "log-level", "info", "what to log: debug, info, warn or error")
	cmd.Flags().DurationVar(&every, "sync-interval", defaultSyncInterval, "how often the list of datasets is brought up to date with the chain")
	_ = cmd.RegisterFlagCompletionFunc("log-level", fixedCompletions("debug", "info", "warn", "error"))
	_ = cmd.RegisterFlagCompletionFunc("sync-interval", cobra.NoFileCompletions)
	return cmd
}

// defaultSyncInterval is how often serve reads new chain events into the index.
const defaultSyncInterval = 5 * time.Second

// parseLevel reads --log-level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, usageError{fmt.Sprintf("--log-level: %q is not a level: use debug, info, warn or error", s)}
}

// errServeApproves is the answer serve gives a transaction that needs approval and that no
// terminal asked for.
var errServeApproves = &approvalError{errors.New("datashare serve has no terminal to ask for approval on: approve from a terminal, e.g. with datashare jobs resume JOB")}

// serve opens the profile and keeps it open: its IPFS node serves what the profile pins, the
// index follows the chain every interval, and publishes already approved (signed) before a
// stop are finished. It logs to stderr and returns nil when ctx ends (SIGINT, SIGTERM).
func (c *cli) serve(ctx context.Context, pos []string, level string, every time.Duration) (err error) {
	if err := c.wantArgs("serve", pos, 0, "no arguments"); err != nil {
		return err
	}
	lvl, err := parseLevel(level)
	if err != nil {
		return err
	}
	if every <= 0 {
		return usageError{fmt.Sprintf("--sync-interval: %s is not a duration above zero: write it like 5s or 1m", every)}
	}
	dir := c.g.dataDir
	if dir == "" {
		if dir, err = config.DefaultDataDir(); err != nil {
			return err
		}
	}
	log := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: lvl}))
	log.Info("starting", "version", version, "dataDir", dir)
	socket := api.SocketPath(dir)
	// Another DataShare that runs the profile is said so before anything is opened (its
	// repository lock would say it less clearly).
	if err := refuseIfServed(ctx, dir); err != nil {
		return err
	}
	s, err := share.Open(ctx, share.Config{
		DataDir: dir, Network: c.g.network, IPFSMode: c.g.ipfsMode, IPFSAPI: c.g.ipfsAPI,
		NoKeyring:  c.g.noKeyring,
		Passphrase: c.passphrase(),
		// A transaction of a command that came through the local API is approved in that
		// command's terminal; serve's own (finishing approved publishes) are never asked.
		Confirm: api.RouteConfirm(func(ctx context.Context, sum approval.Summary) (bool, error) {
			log.Warn("approval refused: nobody to ask", "action", sum.Action, "dataset", sum.Dataset)
			return false, errServeApproves
		}),
		OnWalletChange: func(w share.WalletStatus) {
			log.Info("wallet changed", "approval", w.Approval, "account", w.Account, "wallet", w.WalletName)
		},
		OnPhoneRequest: api.RoutePhoneRequest(func(_ context.Context, sum approval.Summary) {
			log.Info("sent to the phone for approval", "action", sum.Action, "dataset", sum.Dataset)
		}),
	})
	if err != nil {
		return err
	}
	var srv *api.Server
	defer func() {
		log.Info("stopping")
		if srv != nil { // first: no call may reach a closing profile
			if cerr := srv.Close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("stop the local API: %w", cerr))
			}
		}
		closeService(&err, api.Local(s))
		if err != nil {
			log.Error("stopped with an error", "err", err)
			return
		}
		log.Info("stopped")
	}()
	if srv, err = api.Serve(s, socket, log); err != nil {
		return err
	}
	st, err := s.Status(ctx)
	if err != nil {
		return err
	}
	// Paid requests to the account's datasets are answered while serve runs (and those made
	// while it was stopped); Close stops it.
	if err := s.StartFulfilment(share.FulfilOptions{Log: log}); err != nil {
		return err
	}
	log.Info("ready", "network", st.Network, "chainId", st.ChainID, "contract", st.Contract,
		"account", st.Account, "ipfs", st.IPFSMode, "peer", st.IPFSPeerID, "keys", st.KeysBackend,
		"dataDir", st.DataDir, "socket", socket)

	w := &watcher{s: s, log: log, tried: map[string]bool{}}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		w.sync(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// watcher keeps a served profile current.
type watcher struct {
	s      *share.Service
	log    *slog.Logger
	synced int             // datasets listed at the last sync, -1 after a failure
	tried  map[string]bool // jobs resumed in this run (each once)
}

// sync reads new chain events into the index, then finishes the approved publishes.
func (w *watcher) sync(ctx context.Context) {
	start := time.Now()
	list, err := w.s.List(ctx)
	switch {
	case ctx.Err() != nil:
		return
	case err != nil:
		if w.synced >= 0 { // once per failure, not every interval
			w.log.Warn("sync failed", "err", err)
		}
		w.synced = -1
		return
	case w.synced < 0:
		w.log.Info("sync works again", "datasets", len(list))
	}
	w.synced = len(list)
	w.log.Debug("synced", "datasets", len(list), "took", time.Since(start).Round(time.Millisecond))
	w.resumeApproved(ctx)
}

// resumeApproved finishes the publishes whose transaction was signed (approved) before the
// last stop: their transaction is sent again, or found on chain. A job that still needs an
// approval is left for a terminal (datashare jobs resume): serve never sends a transaction
// nobody approved.
func (w *watcher) resumeApproved(ctx context.Context) {
	jobs, err := w.s.Jobs(ctx)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("list unfinished publishes", "err", err)
		}
		return
	}
	for _, j := range jobs {
		if j.Stage != "signed" || j.Status == "publishing" || w.tried[j.JobID] {
			continue
		}
		w.tried[j.JobID] = true
		w.log.Info("finishing an approved publish", "job", j.JobID, "name", j.Name)
		d, err := w.s.ResumeJob(ctx, j.JobID, nil)
		if err != nil {
			if ctx.Err() == nil {
				w.log.Warn("publish not finished", "job", j.JobID, "name", j.Name, "err", err)
			}
			continue
		}
		w.log.Info("published", "job", j.JobID, "name", d.Name, "dataset", d.ID, "tx", d.TxHash)
	}
}

// passphrase gives the keys file's passphrase: from a systemd credential named
// datashare-passphrase when the command runs in a unit that loads one (LoadCredential=,
// LoadCredentialEncrypted=), else from DATASHARE_PASSPHRASE or the terminal.
func (c *cli) passphrase() func(ctx context.Context, purpose string) (string, error) {
	fallback := keys.PassphraseFromEnvOrPrompt(c.stdin, c.stderr)
	return func(ctx context.Context, purpose string) (string, error) {
		if p, ok, err := credentialPassphrase(); ok || err != nil {
			return p, err
		}
		return fallback(ctx, purpose)
	}
}

// credentialName is the systemd credential serve reads the keys file's passphrase from.
const credentialName = "datashare-passphrase"

// credentialPassphrase reads the passphrase credential, when the unit loaded one (ok).
func credentialPassphrase() (p string, ok bool, err error) {
	dir := os.Getenv("CREDENTIALS_DIRECTORY")
	if dir == "" {
		return "", false, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, credentialName))
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", true, fmt.Errorf("read the credential %s: %w", credentialName, err)
	}
	p, _, _ = strings.Cut(string(b), "\n")
	if p = strings.TrimSuffix(p, "\r"); p == "" {
		return "", true, fmt.Errorf("the credential %s is empty: it should hold the passphrase of this profile's keys file", credentialName)
	}
	return p, true, nil
}

// refuseIfServed fails with api.ErrRunning when a DataShare serves the profile in dir already.
func refuseIfServed(ctx context.Context, dir string) error {
	cl, err := dialProfile(ctx, dir, api.ClientOptions{})
	var ve *api.VersionError
	switch {
	case err == nil:
		cl.Close()
		return api.ErrRunning
	case errors.As(err, &ve):
		return api.ErrRunning
	case errors.Is(err, api.ErrNotRunning):
		return nil
	}
	return err
}
