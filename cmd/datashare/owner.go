package main

import (
	"context"
	"fmt"
	"math/big"
	"text/tabwriter"
	"time"

	"github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/datashare/datashare/backend/share"
)

// The owner's side of paid access: requests (the inbox), grant and decline by hand, the answer
// policy of a dataset, and the device key as the account's operator. Paid requests are
// answered by themselves while the profile runs (the desktop app, or datashare serve).

func init() {
	commandUsage["requests"] = `Usage: datashare requests

List the pending access requests to your datasets, from the chain: dataset, requester, amount
paid into escrow, when it was made and when the requester may take the escrow back. While
DataShare runs (the window, or 'datashare serve'), paid requests are answered by themselves;
free ones wait for you, unless the dataset's policy says otherwise (datashare policy). Answer
by hand with 'datashare grant ID ADDRESS' or 'datashare decline ID ADDRESS'.
`
	commandUsage["grant"] = `Usage: datashare grant ID ADDRESS [flags]

Answer the pending request of ADDRESS for dataset ID: it receives the key of the current
version, and what it paid into escrow goes to your withdrawable balance. Only the owner can
answer. To share with someone who did not ask, use 'datashare share ID ADDRESS'.

Flags:
  --yes                approve the transaction without asking
`
	commandUsage["decline"] = `Usage: datashare decline ID ADDRESS [flags]

Decline the pending request of ADDRESS for dataset ID: what it paid into escrow is credited
back to it, and it may ask again ('datashare revoke' bans an account from later versions).

Flags:
  --yes                approve the transaction without asking
`
	commandUsage["policy"] = `Usage: datashare policy ID [flags]
       datashare policy ID --allow ADDRESS...

Show or set which requests for dataset ID are answered by themselves while DataShare runs.
By default paid requests are, and free ones wait for you (anyone could make you pay network
fees by asking). The policy is kept in this profile; nothing is sent to the chain.

Flags:
  --auto               answer every request automatically, free ones too
  --allow              answer paid requests and those of the ADDRESS accounts automatically
  --manual             answer no request automatically, paid ones neither
  --default            back to the default: paid requests automatically, free ones by hand
`
	commandUsage["operator"] = `Usage: datashare operator enable|disable|status [flags]

With a phone wallet, the wallet's account owns your datasets, and requests to them are
answered while DataShare runs by this computer's device key acting for the account: enable
lets it (one transaction, approved on the phone), disable stops it, status shows whether it
may and what it holds to pay network fees, with a payment code (QR, EIP-681) to top it up.
On the local chain with no wallet, the device key is the account and needs no operator.
`
	commandUsage["operator enable"] = `Usage: datashare operator enable [flags]

Let this computer's device key answer requests, grant and revoke for your account while
DataShare runs (setOperator, approved by the account: on the phone).

Flags:
  --yes                approve the transaction without asking
`
	commandUsage["operator disable"] = `Usage: datashare operator disable [flags]

Stop this computer's device key from acting for your account.

Flags:
  --yes                approve the transaction without asking
`
	commandUsage["operator status"] = `Usage: datashare operator status

Show whether this computer's device key answers requests for your account, its balance for
network fees, and a payment code (QR and EIP-681 URI) to top it up from a phone wallet.
`
}

func (c *cli) requestsCmd() *cobra.Command {
	return simpleCmd("requests", "pending access requests to your datasets (your inbox)", c.requests)
}

func (c *cli) requests(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("requests", pos, 0, "no arguments"); err != nil {
		return err
	}
	s, err := c.openReadOnly(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	list, err := s.Inbox(ctx)
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
		fmt.Fprintf(c.stdout, "No pending requests to the datasets of %s.\n", a.Hex())
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tREQUESTER\tPAID\tSINCE\tREFUNDABLE\tANSWER")
	for _, r := range list {
		answer := "automatic"
		switch {
		case r.Answer == "sent":
			answer = "sent"
		case r.Answer != "":
			answer = "failed: " + oneLine(r.Answer)
		case !r.Auto:
			answer = "by you (" + r.Why + ")"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Dataset, oneLine(r.Name), r.Requester, priceText(r.Amount),
			r.Since.Local().Format(time.DateTime), r.RefundableAt.Local().Format(time.DateTime), answer)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Answer by hand: datashare grant ID ADDRESS, or datashare decline ID ADDRESS")
	return nil
}

func (c *cli) grantCmd() *cobra.Command {
	cmd := simpleCmd("grant ID ADDRESS", "answer a pending request: the key goes to ADDRESS, its escrow to you",
		func(ctx context.Context, args []string) error { return c.answer(ctx, "grant", args) })
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) declineCmd() *cobra.Command {
	cmd := simpleCmd("decline ID ADDRESS", "decline a pending request: its escrow goes back to ADDRESS",
		func(ctx context.Context, args []string) error { return c.answer(ctx, "decline", args) })
	c.yesFlag(cmd.Flags())
	return cmd
}

// answer is `datashare grant|decline ID ADDRESS`.
func (c *cli) answer(ctx context.Context, what string, pos []string) (err error) {
	if len(pos) != 2 {
		return usageError{what + " needs a dataset ID and the requester's ADDRESS (0x…)"}
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
	var r share.AnswerResult
	if what == "grant" {
		r, err = s.GrantRequest(ctx, id, pos[1])
	} else {
		r, err = s.DeclineRequest(ctx, id, pos[1])
	}
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, r)
	}
	if r.Answer == "granted" {
		fmt.Fprintf(c.stdout, "Gave the key of version %d of %s to %s", r.Version, oneLine(r.Name), r.Requester)
		if paid(r.Amount) {
			fmt.Fprintf(c.stdout, "; %s goes to your withdrawable balance", priceText(r.Amount))
		}
	} else {
		fmt.Fprintf(c.stdout, "Declined the request of %s for %s", r.Requester, oneLine(r.Name))
		if paid(r.Amount) {
			fmt.Fprintf(c.stdout, "; its %s is credited back to it", priceText(r.Amount))
		}
	}
	fmt.Fprintf(c.stdout, "\n  tx %s\n", r.TxHash)
	return nil
}

func paid(wei string) bool {
	v, ok := new(big.Int).SetString(wei, 10)
	return ok && v.Sign() > 0
}

func (c *cli) policyCmd() *cobra.Command {
	var auto, allow, manual, def bool
	cmd := simpleCmd("policy ID", "which requests for dataset ID are answered by themselves", nil)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return c.policy(cmd.Context(), args, auto, allow, manual, def)
	}
	cmd.Flags().BoolVar(&auto, "auto", false, "answer every request automatically, free ones too")
	cmd.Flags().BoolVar(&allow, "allow", false, "answer paid requests and those of the ADDRESS accounts automatically")
	cmd.Flags().BoolVar(&manual, "manual", false, "answer no request automatically")
	cmd.Flags().BoolVar(&def, "default", false, "paid requests automatically, free ones by hand")
	return cmd
}

func (c *cli) policy(ctx context.Context, pos []string, auto, allow, manual, def bool) (err error) {
	if len(pos) == 0 {
		return usageError{"policy needs a dataset ID"}
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	mode, set := "", 0
	for _, f := range []struct {
		on   bool
		mode string
	}{{auto, share.PolicyAuto}, {allow, share.PolicyAllow}, {manual, share.PolicyManual}, {def, share.PolicyDefault}} {
		if f.on {
			mode, set = f.mode, set+1
		}
	}
	addrs := pos[1:]
	switch {
	case set > 1:
		return usageError{"policy takes one of --auto, --allow, --manual and --default"}
	case allow && len(addrs) == 0:
		return usageError{"policy --allow needs the ADDRESS of at least one account"}
	case !allow && len(addrs) > 0:
		return usageError{"policy takes accounts only with --allow: policy ID --allow ADDRESS..."}
	}
	if err := parseAddresses(addrs); err != nil {
		return err
	}
	open := c.open // setting the policy writes the profile; showing it only reads
	if set == 0 {
		open = c.openReadOnly
	}
	s, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	var p share.AnswerPolicy
	if set == 0 {
		p, err = s.Policy(ctx, id)
	} else {
		p, err = s.SetPolicy(ctx, id, mode, addrs)
	}
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, p)
	}
	fmt.Fprintf(c.stdout, "Dataset %d (%s): policy %s: %s.\n", p.Dataset, priceText(p.Price), p.Mode, p.Summary)
	for _, a := range p.Allow {
		fmt.Fprintf(c.stdout, "  allowed %s\n", a)
	}
	return nil
}

// operatorCmd is `datashare operator enable|disable|status`.
func (c *cli) operatorCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "operator enable|disable|status",
		Short:             "let this computer's device key answer requests for a phone wallet's account",
		Long:              description(commandUsage["operator"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"operator needs 'enable', 'disable' or 'status'"}
			}
			return usageError{fmt.Sprintf("unknown operator command %q: use enable, disable or status", args[0])}
		},
	}
	for _, sub := range []struct{ name, short string }{
		{"enable", "let this computer's device key answer requests for your account (approved on the phone)"},
		{"disable", "stop this computer's device key from acting for your account"},
		{"status", "whether the device key answers for your account, its balance, a code to top it up"},
	} {
		o := simpleCmd(sub.name, sub.short, func(ctx context.Context, args []string) error { return c.operator(ctx, sub.name, args) })
		o.Long = description(commandUsage["operator "+sub.name])
		if sub.name != "status" {
			c.yesFlag(o.Flags())
		}
		cmd.AddCommand(o)
	}
	return cmd
}

func (c *cli) operator(ctx context.Context, sub string, pos []string) (err error) {
	if err := c.wantArgs("operator "+sub, pos, 0, "no arguments"); err != nil {
		return err
	}
	open := c.open
	if sub == "status" {
		open = c.openReadOnly // reads the chain only
	}
	s, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	var st share.OperatorStatus
	switch sub {
	case "enable":
		st, err = s.EnableOperator(ctx)
	case "disable":
		st, err = s.DisableOperator(ctx)
	default:
		st, err = s.OperatorStatus(ctx)
	}
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, st)
	}
	fmt.Fprintf(c.stdout, "%s.\nDevice key %s holds %s ETH for network fees.\n", capitalize(st.Message), st.Device, share.FormatEther(mustWei(st.Balance)))
	if sub == "status" {
		q, err := qrcode.New(st.TopUpURI, qrcode.Low)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stderr, "\nTop it up from a phone wallet (scan, or open the URI):\n\n%s\n%s\n", q.ToSmallString(false), st.TopUpURI)
	}
	return nil
}

func mustWei(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return new(big.Int)
	}
	return v
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
