package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/share"
	"github.com/datashare/datashare/backend/walletconnect"
)

// walletCmd is `datashare wallet pair|status|disconnect`.
func (c *cli) walletCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "wallet pair|status|disconnect",
		Short:             "who approves transactions: this computer or a phone wallet (WalletConnect)",
		Long:              description(commandUsage["wallet"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"wallet needs 'pair', 'status' or 'disconnect'"}
			}
			return usageError{fmt.Sprintf("unknown wallet command %q: use pair, status or disconnect", args[0])}
		},
	}
	for _, sub := range []struct{ name, short string }{
		{"pair", "approve on your phone instead: prints a QR code to scan with a WalletConnect wallet"},
		{"status", "who approves transactions: this computer or which phone wallet"},
		{"disconnect", "approve on this computer again"},
	} {
		var relay, project string
		w := &cobra.Command{
			Use:               sub.name,
			Short:             sub.short,
			Long:              description(commandUsage["wallet "+sub.name]),
			Args:              cobra.ArbitraryArgs,
			ValidArgsFunction: cobra.NoFileCompletions,
			RunE: func(cmd *cobra.Command, args []string) error {
				return c.wallet(cmd.Context(), sub.name, args, relay, project)
			},
		}
		w.Flags().StringVar(&relay, "relay", "", "WalletConnect relay, ws:// or wss:// (saved in the profile)")
		w.Flags().StringVar(&project, "project-id", "", "WalletConnect project ID (saved in the profile)")
		_ = w.RegisterFlagCompletionFunc("relay", cobra.NoFileCompletions)
		_ = w.RegisterFlagCompletionFunc("project-id", cobra.NoFileCompletions)
		cmd.AddCommand(w)
	}
	return cmd
}

// wallet runs `datashare wallet pair|status|disconnect`.
func (c *cli) wallet(ctx context.Context, sub string, pos []string, relay, project string) (err error) {
	if err := c.wantArgs("wallet "+sub, pos, 0, "no arguments"); err != nil {
		return err
	}
	if relay != "" || project != "" {
		if _, _, err := config.CheckWalletConnect(relay, project); err != nil {
			return usageError{err.Error()}
		}
		// A running DataShare read the settings when it started: it would not see new ones.
		if err := c.refuseIfRunning(ctx, "wallet "+sub+" with --relay or --project-id"); err != nil {
			return err
		}
		if err := c.saveWalletSettings(relay, project); err != nil {
			return err
		}
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	switch sub {
	case "status":
		st, err := s.WalletStatus(ctx)
		if err != nil {
			return err
		}
		return c.printWallet(st)
	case "disconnect":
		if err := s.DisconnectWallet(ctx); err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, "Disconnected: transactions are approved on this computer again.")
		return nil
	}
	for {
		p, err := s.PairWallet(ctx)
		if err != nil {
			return err
		}
		q, err := qrcode.New(p.URI, qrcode.Low)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "Scan with your phone wallet (WalletConnect), before %s:\n\n%s\n%s\n\n",
			p.Expiry.Local().Format(time.Kitchen), q.ToSmallString(false), p.URI)
		st, err := s.WaitWallet(ctx)
		if errors.Is(err, walletconnect.ErrExpired) {
			fmt.Fprintln(c.stderr, "The code expired; here is a new one.")
			continue
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Connected to %s.\n", st.WalletName)
		return c.printWallet(st)
	}
}

func (c *cli) printWallet(st share.WalletStatus) error {
	if c.g.json {
		return writeJSON(c.stdout, st)
	}
	if st.Approval == share.ApproveOnPhone {
		fmt.Fprintf(c.stdout, "Approval  on the phone: %s\nAccount   %s (owns what you publish)\nExpires   %s\n",
			oneLine(st.WalletName), st.Account, st.Expiry.Local().Format(time.RFC1123))
	} else {
		fmt.Fprintln(c.stdout, "Approval  on this computer (no phone wallet connected; pair one with 'datashare wallet pair')")
	}
	fmt.Fprintf(c.stdout, "Relay     %s\n", st.RelayURL)
	if st.Unavailable != "" {
		fmt.Fprintf(c.stdout, "Note      %s\n", st.Unavailable)
	}
	return nil
}

// saveWalletSettings records the relay and project ID for this profile.
func (c *cli) saveWalletSettings(relay, project string) error {
	relay, project, err := config.CheckWalletConnect(relay, project)
	if err != nil {
		return usageError{err.Error()}
	}
	dir := c.g.dataDir
	if dir == "" {
		if dir, err = config.DefaultDataDir(); err != nil {
			return err
		}
	}
	if err := config.EnsureDataDir(dir); err != nil {
		return err
	}
	st, err := config.LoadSettings(dir)
	if err != nil {
		return err
	}
	if relay != "" {
		st.WalletConnect.RelayURL = relay
	}
	if project != "" {
		st.WalletConnect.ProjectID = project
	}
	return config.SaveSettings(dir, st)
}
