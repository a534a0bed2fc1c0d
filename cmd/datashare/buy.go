package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/datashare/datashare/backend/share"
)

// The commands of paid access, the buyer's side and the money: catalog, request, requested,
// refund, earnings, withdraw, price. Like the sharing commands they go through the running
// DataShare when one runs the profile, else open it here (c.open; c.openReadOnly for those that
// only read the chain and the index); arguments are checked before it opens.

func init() {
	for name, u := range buyUsage {
		commandUsage[name] = u
	}
	stageText[share.StageAwaitKey] = "Paid into escrow; waiting for the owner's app to deliver the key (Ctrl-C stops waiting, the request stays paid)"
}

// buyCommands are the commands of this file, for the root command.
func (c *cli) buyCommands() []*cobra.Command {
	return []*cobra.Command{c.catalogCmd(), c.requestCmd(), c.requestedCmd(), c.refundCmd(), c.earningsCmd(), c.withdrawCmd(), c.priceCmd()}
}

var buyUsage = map[string]string{
	"catalog": `Usage: datashare catalog [flags]

List the public datasets of every owner on this network: ID, name, size, price, versions and
owner, newest first, from the chain (a dataset's description is read from IPFS once; one whose
owner's computer is off is listed when it can be read). Private datasets are never listed.
Buy one with 'datashare request ID -o PATH'.

Flags:
  --search TEXT        only datasets whose name, description or tags contain TEXT
`,
	"request": `Usage: datashare request ID [flags]

Ask for the key of dataset ID's current version, paying its price into the contract's escrow
(one transaction; the approval shows the price, the most the network fee can be and your
balance). The payment goes to the owner only when the owner's app delivers the key; if no key
comes within the contract's refund timeout, 'datashare refund ID' takes it back. Your
encryption key is registered first if it is not (one more transaction). Then request waits
for the key and, with -o, downloads the dataset as 'datashare get' does. A request already
paid is never paid again: running request again (or 'datashare get ID' once the key came)
continues. You may pay for the current version of a dataset you hold an older version of.

Flags:
  -o, --output PATH    where to write the dataset once its key came (a directory: under its name)
  --force              replace PATH if it exists
  --no-wait            return once paid; fetch later with 'datashare get ID -o PATH'
  --yes                approve the transactions without asking
`,
	"requested": `Usage: datashare requested

List your pending requests: the datasets you paid for whose key has not come yet, what you
paid, and when 'datashare refund ID' can take the payment back.
`,
	"refund": `Usage: datashare refund ID [flags]

Take back the payment of your request for dataset ID when no key came within the contract's
refund timeout: it goes straight back to your account. Before then, refund says from when it
is available.

Flags:
  --yes                approve the transaction without asking
`,
	"earnings": `Usage: datashare earnings

Show what the contract holds for your account (the withdrawable balance: sales, and payments
of your requests an owner declined) and, per dataset of yours, the sales and what they earned,
requests waiting for an answer and their escrow, declined and refunded requests.
`,
	"withdraw": `Usage: datashare withdraw [flags]

Send your whole withdrawable balance (see 'datashare earnings') to your account.

Flags:
  --yes                approve the transaction without asking
`,
	"price": `Usage: datashare price ID ETH [flags]

Change the access price of your dataset ID to ETH (e.g. 0.01; 0 for free). Requests paid
before keep what they paid.

Flags:
  --yes                approve the transaction without asking
`,
}

func (c *cli) catalogCmd() *cobra.Command {
	var search string
	cmd := simpleCmd("catalog", "list the public datasets of every owner on the network", nil)
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return c.catalog(cmd.Context(), args, search) }
	cmd.Flags().StringVar(&search, "search", "", "only datasets whose name, description or tags contain TEXT")
	return cmd
}

func (c *cli) catalog(ctx context.Context, pos []string, search string) (err error) {
	if err := c.wantArgs("catalog", pos, 0, "no arguments (to search: --search TEXT)"); err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	list, err := s.Catalog(ctx, share.CatalogOptions{Search: search})
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, list)
	}
	if len(list) == 0 {
		n, err := s.Network(ctx)
		if err != nil {
			return err
		}
		if search != "" {
			fmt.Fprintf(c.stdout, "No public dataset on %s matches %q.\n", n.Title, oneLine(search))
		} else {
			fmt.Fprintf(c.stdout, "No public dataset on %s yet.\n", n.Title)
		}
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tSIZE\tPRICE\tVERSIONS\tOWNER\tDESCRIPTION")
	for _, d := range list {
		owner := d.Owner
		if d.Mine {
			owner += " (you)"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, oneLine(d.Name), humanSize(d.Size), priceText(d.Price), d.Version, owner, shorten(oneLine(d.Description), 60))
	}
	return w.Flush()
}

// shorten cuts s to at most n characters, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// requestFlags are request's own flags.
type requestFlags struct {
	out           string
	force, noWait bool
}

func (c *cli) requestCmd() *cobra.Command {
	var o requestFlags
	cmd := simpleCmd("request ID", "pay for the key of dataset ID (escrow), wait for it and download the dataset", nil)
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return c.request(cmd.Context(), args, o) }
	cmd.Flags().StringVarP(&o.out, "output", "o", "", "where to write the dataset once its key came")
	cmd.Flags().BoolVar(&o.force, "force", false, "replace PATH if it exists")
	cmd.Flags().BoolVar(&o.noWait, "no-wait", false, "return once paid; fetch later with datashare get ID -o PATH")
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) request(ctx context.Context, pos []string, o requestFlags) (err error) {
	if err := c.wantArgs("request", pos, 1, "a dataset ID (see datashare catalog)"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	if o.out != "" && o.noWait {
		return usageError{"request: -o and --no-wait do not go together: with --no-wait, fetch later with datashare get ID -o PATH"}
	}
	if fi, err := os.Stat(o.out); o.out != "" && err == nil && !fi.IsDir() && !o.force {
		return fmt.Errorf("%s already exists: choose another path or add --force to replace it", o.out)
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	p := c.progress()
	r, err := s.Request(ctx, id, share.RequestOptions{NoWait: o.noWait, Output: o.out, Fetch: share.FetchOptions{Overwrite: o.force}}, p)
	p.finish()
	if err != nil {
		return c.printFetchErr(err)
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	paid := fmt.Sprintf("Paid %s into escrow for %s", priceText(r.Price), oneLine(r.Name))
	if r.Price == "0" {
		paid = fmt.Sprintf("Asked the owner of %s for its key (it is free)", oneLine(r.Name))
	}
	if !r.Paid {
		paid = fmt.Sprintf("Your request for %s was paid already (%s, %s)", oneLine(r.Name), priceText(r.Price), r.RequestedAt.Local().Format(time.DateTime))
	}
	switch {
	case r.State == share.RequestPending:
		fmt.Fprintf(c.stdout, "%s; waiting for the owner's app to deliver the key.\n", paid)
		fmt.Fprintf(c.stdout, "  fetch it once delivered: datashare get %d -o PATH\n", id)
		fmt.Fprintf(c.stdout, "  no key by %s? take the payment back: datashare refund %d\n", r.RefundableAt.Local().Format(time.DateTime), id)
	case r.Fetched != nil:
		fmt.Fprintf(c.stdout, "%s; the key of version %d came.\n", paid, r.Version)
		fmt.Fprintf(c.stdout, "Wrote %s (%s, SHA-256 verified)\n", r.Fetched.Path, humanSize(r.Fetched.Size))
	default:
		fmt.Fprintf(c.stdout, "%s; the key of version %d came: datashare get %d -o PATH\n", paid, r.Version, id)
	}
	if r.TxHash != "" {
		fmt.Fprintf(c.stdout, "  tx %s\n", r.TxHash)
	}
	return nil
}

// printFetchErr words a fetch's "exists" error as get does.
func (c *cli) printFetchErr(err error) error {
	return c.printFetch(share.FetchResult{}, err)
}

func (c *cli) requestedCmd() *cobra.Command {
	return simpleCmd("requested", "your pending requests, and when each can be refunded", c.requested)
}

func (c *cli) requested(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("requested", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	list, err := s.Requested(ctx)
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
		fmt.Fprintf(c.stdout, "No pending requests of %s.\n", a.Hex())
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tPAID\tOWNER\tREQUESTED\tREFUND")
	for _, r := range list {
		refund := "from " + r.RefundableAt.Local().Format(time.DateTime)
		if r.RefundAvailable {
			refund = fmt.Sprintf("available now: datashare refund %d", r.Dataset)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Dataset, oneLine(r.Name), priceText(r.Amount), r.Owner, r.RequestedAt.Local().Format(time.DateTime), refund)
	}
	return w.Flush()
}

func (c *cli) refundCmd() *cobra.Command {
	cmd := simpleCmd("refund ID", "take back the payment of a request no key answered in time", c.refund)
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) refund(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("refund", pos, 1, "a dataset ID"); err != nil {
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
	r, err := s.Refund(ctx, id)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	fmt.Fprintf(c.stdout, "Refunded %s to %s: the request for dataset %d is closed.\n  tx %s\n", priceText(r.Amount), r.Account, id, r.TxHash)
	return nil
}

func (c *cli) earningsCmd() *cobra.Command {
	return simpleCmd("earnings", "your withdrawable balance and what each of your datasets earned", c.earnings)
}

func (c *cli) earnings(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("earnings", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	e, err := s.Earnings(ctx)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, e)
	}
	fmt.Fprintf(c.stdout, "Withdrawable: %s", etherText(e.Withdrawable))
	if e.Withdrawable != "0" {
		fmt.Fprint(c.stdout, " (datashare withdraw)")
	}
	fmt.Fprintf(c.stdout, "\nEarned by every sale: %s\n", etherText(e.Earned))
	if len(e.Datasets) == 0 {
		fmt.Fprintln(c.stdout, "No one requested a dataset of yours yet.")
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tPRICE\tSALES\tEARNED\tPENDING\tIN ESCROW\tDECLINED\tREFUNDED")
	for _, d := range e.Datasets {
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\t%s\t%d\t%s\t%d\t%d\n", d.Dataset, oneLine(d.Name), priceText(d.Price), d.Sales, etherText(d.Earned),
			d.Pending, etherText(d.Escrow), d.Declined, d.Refunded)
	}
	return w.Flush()
}

// etherText is an amount of wei as "0.25 ETH" ("0 ETH", never "free").
func etherText(wei string) string {
	if wei == "0" {
		return "0 ETH"
	}
	return priceText(wei)
}

func (c *cli) withdrawCmd() *cobra.Command {
	cmd := simpleCmd("withdraw", "send your withdrawable balance to your account", c.withdraw)
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) withdraw(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("withdraw", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	r, err := s.Withdraw(ctx)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	fmt.Fprintf(c.stdout, "Withdrew %s to %s\n  tx %s\n", etherText(r.Amount), r.Account, r.TxHash)
	return nil
}

func (c *cli) priceCmd() *cobra.Command {
	cmd := simpleCmd("price ID ETH", "change the access price of your dataset ID", c.price)
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) price(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("price", pos, 2, "a dataset ID and a price in ETH (e.g. 0.01; 0 for free)"); err != nil {
		return err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	if strings.TrimSpace(pos[1]) == "" {
		return usageError{"price: write the new price in ETH, e.g. 0.01 (0 for free)"}
	}
	wei, err := share.CheckPrice(pos[1])
	if err != nil {
		return usageError{"price: " + err.Error()}
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	r, err := s.SetPrice(ctx, id, wei)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	fmt.Fprintf(c.stdout, "The price of %s is now %s (was %s); %s.\n  tx %s\n", oneLine(r.Name), priceText(r.Price), priceText(r.Old), r.Note, r.TxHash)
	return nil
}
