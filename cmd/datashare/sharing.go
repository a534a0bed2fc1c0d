package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/datashare/datashare/backend/config"
	"github.com/datashare/datashare/backend/link"
	"github.com/datashare/datashare/backend/share"
)

// The sharing commands: keys register, share, shared, access, update, revoke, link, history.
// Every argument is checked before the profile opens where it can be (IDs, addresses); what
// needs the chain (owner, keys, grants) is checked by the backend before anything is asked.
// Like every command they go through a running DataShare of the profile when there is one
// (open). access, history and link list only read the chain and the index: opened here they
// start no IPFS node and send nothing (openReadOnly); shared reads the names of what was
// shared from IPFS, so it opens the profile fully.

// simpleCmd is a command whose positional arguments go to run.
func simpleCmd(use, short string, run func(ctx context.Context, args []string) error) *cobra.Command {
	name, _, _ := strings.Cut(use, " ")
	return &cobra.Command{
		Use:               use,
		Short:             short,
		Long:              description(commandUsage[name]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return run(cmd.Context(), args) },
	}
}

// parseAddresses checks typed addresses before the profile opens.
func parseAddresses(in []string) error {
	for _, a := range in {
		if _, err := config.ParseAddress(a); err != nil {
			return usageError{err.Error()}
		}
	}
	return nil
}

// keysRegister is `datashare keys register`.
func (c *cli) keysRegister(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("keys register", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	before, err := s.KeyStatus(ctx)
	if err != nil {
		return err
	}
	st := before
	if !before.Registered || !before.Matches {
		if st, err = s.RegisterKey(ctx); err != nil {
			return err
		}
	}
	if c.g.json {
		return writeJSON(c.stdout, st)
	}
	if before.Registered && before.Matches {
		fmt.Fprintf(c.stdout, "The encryption key of %s is registered already: others can share datasets with it.\n", st.Account)
		return nil
	}
	n, err := s.Network(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Registered the encryption key of %s on %s: others can now share datasets with it.\n", st.Account, n.Title)
	return nil
}

func (c *cli) shareCmd() *cobra.Command {
	cmd := simpleCmd("share ID ADDRESS...", "give the key of dataset ID to one or more accounts", c.share)
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) share(ctx context.Context, pos []string) (err error) {
	if len(pos) < 2 {
		return usageError{"share needs a dataset ID and at least one ADDRESS (0x…)"}
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	if err := parseAddresses(pos[1:]); err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	r, err := s.Share(ctx, id, pos[1:])
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	fmt.Fprintf(c.stdout, "Shared version %d of %s with %s\n", r.Version, oneLine(r.Name), strings.Join(r.Grantees, ", "))
	for _, h := range r.TxHashes {
		fmt.Fprintf(c.stdout, "  tx %s\n", h)
	}
	return nil
}

func (c *cli) sharedCmd() *cobra.Command {
	return simpleCmd("shared", "list the datasets others shared with you", c.shared)
}

func (c *cli) shared(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("shared", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	list, err := s.Shared(ctx)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, list)
	}
	if len(list) == 0 {
		a, err := s.Account(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Nothing was shared with %s yet.\n", a.Hex())
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tSIZE\tVERSION\tOWNER")
	for _, d := range list {
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\n", d.ID, oneLine(d.Name), humanSize(d.Size), d.Version, d.Owner)
	}
	return w.Flush()
}

func (c *cli) accessCmd() *cobra.Command {
	return simpleCmd("access ID", "who holds the key of dataset ID, who asked for it, who was revoked", c.access)
}

func (c *cli) access(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("access", pos, 1, "a dataset ID"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	a, err := s.Access(ctx, id)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, a)
	}
	fmt.Fprintf(c.stdout, "Dataset %d, version %d, owner %s\n", a.Dataset, a.Version, a.Owner)
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	row := func(state string, g share.AccessGrantee) {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", state, g.Account, heldText(g), g.Since.Local().Format(time.DateTime), g.Link)
	}
	if len(a.Grantees)+len(a.Requests)+len(a.Revoked) == 0 {
		fmt.Fprintln(c.stdout, "No one else holds its key. Share it with: datashare share ID ADDRESS, or make a link: datashare link ID")
		return nil
	}
	fmt.Fprintln(w, "STATE\tACCOUNT\tHOLDS\tSINCE\tLINK")
	for _, g := range a.Grantees {
		row("granted", g)
	}
	for _, r := range a.Requests {
		fmt.Fprintf(w, "requested\t%s\tpaid %s\t%s\t\n", r.Account, priceText(r.Amount), r.Since.Local().Format(time.DateTime))
	}
	for _, g := range a.Revoked {
		row("revoked", g)
	}
	return w.Flush()
}

func heldText(g share.AccessGrantee) string {
	switch {
	case g.Version == 0:
		return "nothing yet"
	case g.Current:
		return fmt.Sprintf("version %d (current)", g.Version)
	}
	return fmt.Sprintf("version %d", g.Version)
}

func (c *cli) updateCmd() *cobra.Command {
	cmd := simpleCmd("update ID FILE", "publish FILE as the next version of dataset ID, re-granted to its grantees", c.update)
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) == 1 {
			return nil, cobra.ShellCompDirectiveDefault // a file
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) update(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("update", pos, 2, "a dataset ID and a FILE"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	if _, err := share.CheckPublish(pos[1], share.PublishOptions{}); err != nil {
		return err
	}
	c.noteSkipped(ctx, pos[1])
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	p := c.progress()
	d, err := s.Update(ctx, id, pos[1], p)
	p.finish()
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, d)
	}
	fmt.Fprintf(c.stdout, "Published version %d of %s (dataset %d, %s), with a new key given to every grantee not revoked\n",
		d.Version, oneLine(d.Name), d.ID, humanSize(d.Size))
	fmt.Fprintf(c.stdout, "  metadata %s\n  payload  %s\n  tx       %s\n", d.MetadataCID, d.PayloadCID, d.TxHash)
	return nil
}

func (c *cli) revokeCmd() *cobra.Command {
	cmd := simpleCmd("revoke ID ADDRESS", "give an account no later version of dataset ID", c.revoke)
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) revoke(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("revoke", pos, 2, "a dataset ID and an ADDRESS (for a share link: datashare link revoke ID LINK)"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	if strings.HasPrefix(strings.ToLower(pos[1]), "datashare:") {
		return usageError{"that is a share link: revoke it with datashare link revoke ID LINK"}
	}
	if err := parseAddresses(pos[1:]); err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	r, err := s.Revoke(ctx, id, pos[1])
	return c.printRevoke(r, err)
}

func (c *cli) printRevoke(r share.RevokeResult, err error) error {
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	fmt.Fprintln(c.stdout, r.Note)
	if r.Refunded != "" && r.Refunded != "0" {
		fmt.Fprintf(c.stdout, "Its pending payment of %s was refunded.\n", priceText(r.Refunded))
	}
	fmt.Fprintf(c.stdout, "  tx %s\n", r.TxHash)
	return nil
}

func (c *cli) linkCmd() *cobra.Command {
	var label string
	cmd := simpleCmd("link ID", "make a share link of dataset ID (prints it and a QR code)", nil)
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return c.link(cmd.Context(), args, label) }
	cmd.Flags().StringVar(&label, "label", "", "your name for the link, shown by access and link list")
	c.yesFlag(cmd.Flags())
	list := simpleCmd("list ID", "show the share links you made of dataset ID", c.linkList)
	list.Long = description(commandUsage["link list"])
	rev := simpleCmd("revoke ID LINK", "give a share link no later version of dataset ID", c.linkRevoke)
	rev.Long = description(commandUsage["link revoke"])
	rev.Flags().BoolVar(&c.yes, "yes", false, "approve the transaction without asking")
	cmd.AddCommand(list, rev)
	return cmd
}

func (c *cli) link(ctx context.Context, pos []string, label string) (err error) {
	if len(pos) == 0 {
		return usageError{"link needs a dataset ID (or: link list ID, link revoke ID LINK)"}
	}
	if err := c.wantArgs("link", pos, 1, "one dataset ID"); err != nil {
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
	l, err := s.CreateLink(ctx, id, label)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, l)
	}
	q, err := qrcode.New(l.URL, qrcode.Low)
	if err != nil {
		return err
	}
	n, err := s.Network(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "\nShare link of dataset %d (version %d). Whoever has it can open the dataset, here or on any\n"+
		"computer with DataShare on %s: datashare get LINK -o PATH. Send it privately.\n"+
		"Revoke it for later versions with: datashare link revoke %d LINK\n\n%s\n",
		id, l.Version, n.Title, id, q.ToSmallString(false))
	fmt.Fprintln(c.stdout, l.URL)
	return nil
}

func (c *cli) linkList(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("link list", pos, 1, "a dataset ID"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	ls, err := s.Links(ctx, id)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, ls)
	}
	if len(ls) == 0 {
		fmt.Fprintf(c.stdout, "You made no share link of dataset %d on this computer. Make one with: datashare link %d\n", id, id)
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "LABEL\tOPENS\tSTATE\tLINK")
	for _, l := range ls {
		state := "active"
		if l.Revoked {
			state = "revoked"
		}
		opens := fmt.Sprintf("version %d", l.Version)
		if l.Current {
			opens += " (current)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", oneLine(l.Label), opens, state, l.URL)
	}
	return w.Flush()
}

func (c *cli) linkRevoke(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("link revoke", pos, 2, "a dataset ID and the LINK (- reads it from standard input)"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	raw, err := c.readLink(pos[1])
	if err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	r, err := s.RevokeLink(ctx, id, raw)
	return c.printRevoke(r, err)
}

// linkArg is a link given on the command line, or with "-" read from the first line of
// standard input (so that it stays out of the process list and the shell history).
func (c *cli) linkArg(arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	if c.stdin == nil {
		return "", usageError{"no standard input to read the link from"}
	}
	line, err := bufio.NewReader(io.LimitReader(c.stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the link from standard input: %w", err)
	}
	if strings.TrimSpace(line) == "" {
		return "", usageError{"standard input holds no link: write the link on its first line"}
	}
	return line, nil
}

// readLink is a link argument (see linkArg), checked before the profile opens.
func (c *cli) readLink(arg string) (string, error) {
	raw, err := c.linkArg(arg)
	if err != nil {
		return "", err
	}
	if _, err := link.Parse(raw); err != nil {
		return "", usageError{err.Error()}
	}
	return raw, nil
}

// isLink tells a share link from a dataset ID on the command line.
func isLink(arg string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(arg)), "datashare:")
}

func (c *cli) historyCmd() *cobra.Command {
	return simpleCmd("history ID", "every event of dataset ID on chain, with times and transactions", c.history)
}

func (c *cli) history(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("history", pos, 1, "a dataset ID"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	evs, err := s.History(ctx, id)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, evs)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TIME\tEVENT\tVERSION\tACCOUNT\tAMOUNT\tTX")
	for _, e := range evs {
		v := ""
		if e.Version > 0 {
			v = strconv.FormatUint(e.Version, 10)
		}
		who := e.Account
		if e.Link != "" {
			who += " (" + e.Link + ")"
		}
		amount := ""
		if e.Amount != "" && e.Amount != "0" {
			amount = priceText(e.Amount)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.Local().Format(time.DateTime), e.Kind, v, who, amount, e.TxHash)
	}
	return w.Flush()
}

// getLink is `datashare get LINK -o PATH`.
func (c *cli) getLink(ctx context.Context, raw, out string, opts share.FetchOptions) (err error) {
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	p := c.progress()
	r, err := s.FetchLink(ctx, raw, out, opts, p)
	p.finish()
	return c.printFetch(r, err)
}

// printFetch reports a fetch: the file written, or why not.
func (c *cli) printFetch(r share.FetchResult, err error) error {
	var exists *share.ExistsError
	if errors.As(err, &exists) {
		return fmt.Errorf("%s already exists: choose another path or add --force to replace it", exists.Path)
	}
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	if r.Files > 0 || r.Kept > 0 {
		noun := "files"
		if r.Files == 1 {
			noun = "file"
		}
		fmt.Fprintf(c.stdout, "Wrote %d %s (%s) under %s, each SHA-256 verified", r.Files, noun, humanSize(r.Size), r.Path)
		if r.Kept > 0 {
			fmt.Fprintf(c.stdout, "; %d already there, identical, kept", r.Kept)
		}
		fmt.Fprintln(c.stdout)
		return nil
	}
	fmt.Fprintf(c.stdout, "Wrote %s (%s, SHA-256 verified)\n", r.Path, humanSize(r.Size))
	return nil
}

// keyText is the status line of the account's encryption key.
func keyText(k share.KeyStatus) string {
	switch {
	case k.Registered && k.Matches:
		return "registered (others can share with this account)"
	case k.Message != "":
		return k.Message
	case !k.Registered:
		return "not registered: others cannot share with this account yet (datashare keys register)"
	}
	return "registered, but not this profile's key"
}
