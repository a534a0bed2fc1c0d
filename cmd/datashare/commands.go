package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/keys"
	"github.com/datashare/datashare/backend/share"
)

func (c *cli) publishCmd() *cobra.Command {
	var o publishFlags
	cmd := &cobra.Command{
		Use:   "publish FILE",
		Short: "encrypt FILE, store it on IPFS and register it on chain",
		Long:  description(commandUsage["publish"]),
		Args:  cobra.ArbitraryArgs,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return nil, cobra.ShellCompDirectiveDefault // a file
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error { return c.publish(cmd.Context(), args, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.name, "name", "", "name others see (default: the file name)")
	f.StringVar(&o.price, "price", "", "price of access in ETH, e.g. 0.01 (default: free)")
	f.BoolVar(&o.public, "public", false, "metadata readable by anyone (the data stays encrypted)")
	f.StringVar(&o.desc, "description", "", "a description")
	c.yesFlag(f)
	for _, name := range []string{"name", "price", "description"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

// publishFlags are publish's own flags.
type publishFlags struct {
	name, price, desc string
	public            bool
}

// yesFlag adds --yes: approve on this computer without asking.
func (c *cli) yesFlag(f *pflag.FlagSet) {
	f.BoolVar(&c.yes, "yes", false, "approve the transaction without asking")
}

func (c *cli) publish(ctx context.Context, pos []string, o publishFlags) (err error) {
	name, price, public, desc := &o.name, &o.price, &o.public, &o.desc
	if err := c.wantArgs("publish", pos, 1, "exactly one FILE"); err != nil {
		return err
	}
	// Bad input fails here, before the profile is opened.
	wei, err := share.CheckPrice(*price)
	if err != nil {
		return usageError{"--price: " + err.Error()}
	}
	if _, err := share.CheckName(*name); err != nil {
		return usageError{"--name: " + err.Error()}
	}
	if _, err := share.CheckDescription(*desc); err != nil {
		return usageError{"--description: " + err.Error()}
	}
	opts, err := share.CheckPublish(pos[0], share.PublishOptions{Name: *name, Price: wei, Public: *public, Description: *desc})
	if err != nil {
		return err
	}
	c.noteSkipped(ctx, pos[0])
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	p := c.progress()
	d, err := s.Publish(ctx, pos[0], opts, p)
	p.finish()
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, d)
	}
	fmt.Fprintf(c.stdout, "Published %s as dataset %d (%s, %s)\n", d.Name, d.ID, humanSize(d.Size), priceText(d.Price))
	fmt.Fprintf(c.stdout, "  metadata %s\n  payload  %s\n  tx       %s\n", d.MetadataCID, d.PayloadCID, d.TxHash)
	crashAfterPublish()
	return nil
}

func (c *cli) getCmd() *cobra.Command {
	var out string
	var o getFlags
	cmd := &cobra.Command{
		Use:               "get ID|LINK -o PATH",
		Short:             "download dataset ID (or a share link's), decrypt and verify it, write it to PATH",
		Long:              description(commandUsage["get"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions, // IDs come from the profile's index: not opened to complete
		RunE:              func(cmd *cobra.Command, args []string) error { return c.get(cmd.Context(), args, out, o) },
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "where to write the file (required; a directory: the file goes in under its name)")
	cmd.Flags().BoolVar(&o.force, "force", false, "replace PATH if it exists (an existing file is kept otherwise)")
	cmd.Flags().Uint64Var(&o.version, "version", 0, "the version to fetch (default: the newest you hold)")
	cmd.Flags().StringArrayVar(&o.only, "only", nil, "for a folder dataset: extract only this path of its file list (a folder: all under it); repeat for more")
	cmd.Flags().BoolVar(&o.wait, "wait", false, "when no computer holding the data is online, wait until one is (default: give up after a minute)")
	return cmd
}

// getFlags are get's own flags besides -o.
type getFlags struct {
	force, wait bool
	version     uint64
	only        []string
}

func (c *cli) get(ctx context.Context, pos []string, output string, o getFlags) (err error) {
	out, force := &output, o.force
	if err := c.wantArgs("get", pos, 1, "a dataset ID (see datashare ls) or a share link"); err != nil {
		return err
	}
	var id uint64
	raw := "" // a share link
	if isLink(pos[0]) || pos[0] == "-" {
		if raw, err = c.readLink(pos[0]); err != nil {
			return err
		}
	} else if id, err = parseID(pos[0]); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"get needs -o PATH: where to write the file"}
	}
	// A file named outright is checked before the profile opens; into a directory, the backend
	// checks once it knows the dataset's name (and again when it writes).
	if fi, err := os.Stat(*out); err == nil && !fi.IsDir() && !force {
		return fmt.Errorf("%s already exists: choose another path or add --force to replace it", *out)
	}
	opts := share.FetchOptions{Overwrite: force, Version: o.version, Wait: o.wait, Only: o.only}
	if raw != "" {
		return c.getLink(ctx, raw, *out, opts)
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	p := c.progress()
	r, err := s.Fetch(ctx, id, *out, opts, p)
	p.finish()
	return c.printFetch(r, err)
}

func (c *cli) forgetCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "forget ID",
		Short:             "stop keeping (and serving) a dataset you fetched; the file you saved stays",
		Long:              description(commandUsage["forget"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.forget(cmd.Context(), args) },
	}
}

func (c *cli) forget(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("forget", pos, 1, "a dataset ID (see datashare ls)"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	n, err := s.Forget(ctx, id)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, map[string]any{"forgotten": id, "pins": n})
	}
	fmt.Fprintf(c.stdout, "Forgot dataset %d: this computer no longer keeps or serves it (%s removed).\n", id, plural(n, "pin", "pins"))
	return nil
}

// parseID reads a dataset ID from the command line.
func parseID(s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, usageError{fmt.Sprintf("%q is not a dataset ID: IDs are whole numbers from 1", s)}
	}
	return id, nil
}

func (c *cli) lsCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "ls",
		Aliases:           []string{"list"},
		Short:             "list your datasets",
		Long:              description(commandUsage["ls"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.ls(cmd.Context(), args) },
	}
}

func (c *cli) ls(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("ls", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	list, err := s.List(ctx)
	if err != nil {
		return err
	}
	if c.g.json {
		if list == nil {
			list = []share.Dataset{}
		}
		return writeJSON(c.stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, "No datasets yet. Publish one with: datashare publish FILE")
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tSIZE\tPRICE\tSTATUS\tMETADATA CID")
	for _, d := range list {
		id := strconv.FormatUint(d.ID, 10)
		if d.ID == 0 {
			id = "-"
		}
		status := d.Status
		if status == "interrupted" {
			status = "interrupted — resume or discard (datashare jobs)"
		}
		if d.Error != "" {
			status += ": " + d.Error
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", id, oneLine(d.Name), humanSize(d.Size), priceText(d.Price), status, d.MetadataCID)
	}
	return w.Flush()
}

func (c *cli) statusCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "status",
		Short:             "network, chain id, contract, IPFS mode and peers, account, balance",
		Long:              description(commandUsage["status"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.status(cmd.Context(), args) },
	}
}

func (c *cli) status(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("status", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	st, err := s.Status(ctx)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, st)
	}
	bal, ok := new(big.Int).SetString(st.Balance, 10)
	if !ok {
		return fmt.Errorf("the chain reported a balance that is not a number (%q)", st.Balance)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Network\t%s (chain id %d)\n", st.NetworkTitle, st.ChainID)
	fmt.Fprintf(w, "RPC\t%s\n", st.RPCURL)
	fmt.Fprintf(w, "Contract\t%s\n", st.Contract)
	fmt.Fprintf(w, "Block\t%d\n", st.Block)
	if st.IPFSStarted {
		fmt.Fprintf(w, "IPFS\t%s, %s (peer %s), repository %s\n", st.IPFSMode, plural(st.IPFSPeers, "peer", "peers"), st.IPFSPeerID, humanSize(st.IPFSRepoSize))
	} else {
		fmt.Fprintf(w, "IPFS\t%s (%s)\n", st.IPFSMode, st.IPFSNote)
	}
	fmt.Fprintf(w, "Account\t%s\n", st.Account)
	fmt.Fprintf(w, "Balance\t%s ETH\n", share.FormatEther(bal))
	fmt.Fprintf(w, "Key\t%s\n", keyText(st.Key))
	fmt.Fprintf(w, "Keys\t%s\n", st.KeysBackend)
	fmt.Fprintf(w, "Data\t%s\n", st.DataDir)
	if st.LegacyChain != "" {
		fmt.Fprintf(w, "Old chain\t%s (this profile's own local chain from an earlier version, not in use: the shared local chain existed already)\n", st.LegacyChain)
	}
	return w.Flush()
}

func (c *cli) keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "keys register|export|import",
		Short:             "back up or restore this profile's keys",
		Long:              description(commandUsage["keys"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			return usageError{"keys needs 'register', 'export FILE' or 'import FILE'"}
		},
	}
	reg := simpleCmd("register", "publish your encryption key, so that others can share with you", c.keysRegister)
	reg.Long = description(commandUsage["keys register"])
	reg.Flags().BoolVar(&c.yes, "yes", false, "approve the transaction without asking")
	cmd.AddCommand(reg)
	for _, sub := range []string{"export", "import"} {
		var passFile string
		var replace bool
		k := &cobra.Command{
			Use:   sub + " FILE",
			Short: map[string]string{"export": "write a passphrase-protected backup of your keys (- for stdout)", "import": "restore keys from a backup"}[sub],
			Long:  description(commandUsage["keys "+sub]),
			Args:  cobra.ArbitraryArgs,
			ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
				if len(args) == 0 {
					return nil, cobra.ShellCompDirectiveDefault
				}
				return nil, cobra.ShellCompDirectiveNoFileComp
			},
			RunE: func(cmd *cobra.Command, args []string) error {
				return c.keys(cmd.Context(), sub, args, passFile, replace)
			},
		}
		k.Flags().StringVar(&passFile, "passphrase-file", "", "read the backup passphrase from the first line of this file")
		if sub == "import" {
			k.Flags().BoolVar(&replace, "replace", false, "overwrite this profile's keys if they differ from the backup's")
		}
		cmd.AddCommand(k)
	}
	return cmd
}

func (c *cli) keys(ctx context.Context, sub string, pos []string, passFile string, replace bool) (err error) {
	if err := c.wantArgs("keys "+sub, pos, 1, "a FILE (- for standard input/output)"); err != nil {
		return err
	}
	dir := c.g.dataDir
	opts := keys.Options{DataDir: dir, Passphrase: keys.PassphraseFromEnvOrPrompt(c.stdin, c.stderr), NoKeyring: c.g.noKeyring}
	if opts.DataDir == "" {
		if opts.DataDir, err = defaultDataDir(); err != nil {
			return err
		}
	}
	// The backup's own passphrase: never the keys file's (DATASHARE_PASSPHRASE).
	backupPass := func(purpose string) (string, error) {
		return keys.BackupPassphrase(ctx, c.stdin, c.stderr, pos[0], passFile, purpose)
	}
	if sub == "export" {
		if pos[0] != "-" {
			// Before anything is asked: a backup never replaces a file (createOutput checks
			// again, atomically).
			if _, err := os.Lstat(pos[0]); err == nil {
				return fmt.Errorf("%s already exists: choose another file name", pos[0])
			}
		}
		k, err := keys.Open(ctx, opts)
		if err != nil {
			return err
		}
		pass, err := backupPass(keys.PurposeCreate)
		if err != nil {
			return err
		}
		w, closeFn, err := createOutput(pos[0], c.stdout)
		if err != nil {
			return err
		}
		if err := k.Export(w, pass); err != nil {
			closeFn()
			return err
		}
		if err := closeFn(); err != nil {
			return err
		}
		if pos[0] != "-" {
			fmt.Fprintf(c.stderr, "Wrote a backup of %s's keys to %s. Keep it and its passphrase safe.\n", k.DeviceAddress().Hex(), pos[0])
		}
		return nil
	}
	// The running DataShare would go on with the keys it loaded (export only reads them).
	if err := c.refuseIfRunning(ctx, "keys import"); err != nil {
		return err
	}
	r := io.Reader(c.stdin)
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("open backup: %w", err)
		}
		defer f.Close()
		r = f
	}
	pass, err := backupPass(keys.PurposeUnlock)
	if err != nil {
		return err
	}
	k, err := keys.Import(ctx, opts, r, pass, replace)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "Restored the keys of %s into %s.\n", k.DeviceAddress().Hex(), opts.DataDir)
	return nil
}

// approvalError marks a rejected or expired approval.
type approvalError struct{ err error }

func (e *approvalError) Error() string { return e.err.Error() }
func (e *approvalError) Unwrap() error { return e.err }

// approvalTitle is the first line of an approval: its action, and the dataset it concerns (a
// key registration or a withdrawal concerns none).
func approvalTitle(s approval.Summary) string {
	if s.Dataset == "" {
		return s.Action
	}
	return s.Action + ": " + oneLine(s.Dataset)
}

// confirm shows the transaction summary and asks y/N (or approves with --yes).
func (c *cli) confirm(ctx context.Context, s approval.Summary) (bool, error) {
	fmt.Fprintf(c.stderr, "\n%s\n", approvalTitle(s))
	fmt.Fprintf(c.stderr, "  account   %s on %s\n", s.Account, s.Network)
	if s.Price != nil && s.Price.Sign() > 0 {
		fmt.Fprintf(c.stderr, "  pays      %s ETH\n", share.FormatEther(s.Price))
	}
	if s.Note != "" {
		fmt.Fprintf(c.stderr, "  what      %s\n", oneLine(s.Note))
	}
	fmt.Fprintf(c.stderr, "  fee       at most %s ETH (%d gas)\n", share.FormatEtherCeil(s.Fee, 8), s.Gas)
	fmt.Fprintf(c.stderr, "  balance   %s ETH\n", share.FormatEther(s.Balance))
	if c.yes {
		fmt.Fprintln(c.stderr, "  approved (--yes)")
		return true, nil
	}
	if !c.interactive() {
		return false, &approvalError{errors.New("approval needed but there is no terminal to ask on: add --yes to approve on this computer")}
	}
	fmt.Fprint(c.stderr, "Approve on this computer? [y/N] ")
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func createOutput(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, nil, fmt.Errorf("%s already exists: choose another file name", path)
		}
		return nil, nil, err
	}
	return f, func() error {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

func humanSize(n int64) string { return share.FormatSize(n) }

func priceText(wei string) string {
	v, ok := new(big.Int).SetString(wei, 10)
	switch {
	case !ok:
		return "unknown price"
	case v.Sign() == 0:
		return "free"
	}
	return share.FormatEther(v) + " ETH"
}

// oneLine keeps names from strangers on one line of a terminal, without control characters.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}
