// Command datashare is DataShare without a window: publish files, fetch datasets, list them and
// check the app's status from a terminal or a script. It runs the same backend as the desktop
// app and builds without cgo.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/datashare/datashare/backend/share"
)

// Exit codes, documented in usage.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitNotFound    = 3
	exitRejected    = 4
	exitUnavailable = 5
	exitNoAccess    = 6
)

const usage = `datashare — share files securely, with no central server

Every file is encrypted on this computer, stored on IPFS and registered in an Ethereum
contract that records who owns it, what access costs and who holds its key. With no
setup, DataShare runs its own local chain and IPFS node in its data directory.

Usage:
  datashare [flags] <command> [arguments]

Commands:
  publish PATH     encrypt a file or a folder, store it on IPFS and register it on chain
                     --name NAME          name others see (default: the file name)
                     --price ETH          price of access, e.g. 0.01 (default: free)
                     --public             metadata readable by anyone (the data stays encrypted)
                     --description TEXT   a description
                     --yes                approve the transaction without asking
  get ID -o PATH   download dataset ID, decrypt and verify it, write it to PATH
                     (PATH may be a directory; an existing file is kept unless --force)
                     --version N          a version you hold (default: the newest)
                     --wait               wait for the owner's computer to come online
                     --only PATH          of a folder dataset, only PATH (repeatable)
  get LINK -o PATH open a share link: the same, with no account or registered key
  ls               list your datasets
  share ID ADDRESS...  give the key of dataset ID to accounts (their registered keys)
  shared           list the datasets others shared with you
  access ID        who holds the key of dataset ID, who asked for it, who was revoked
  update ID FILE   publish FILE as the next version, re-granted to every grantee not revoked
  revoke ID ADDRESS    give an account no later version of dataset ID
  link ID          make a share link of dataset ID: prints it and a QR code (--label TEXT)
  link list ID     show the share links you made of dataset ID
  link revoke ID LINK  give a share link no later version of dataset ID
  history ID       every event of dataset ID on chain: versions, grants, requests, revokes
  files ID         the files inside folder dataset ID: path, size, type, SHA-256 (--version N)
  catalog          the public datasets of every owner on the network (--search TEXT)
  request ID       pay for dataset ID's key into escrow, wait for it, download (-o PATH,
                   --no-wait, --yes)
  requested        your pending requests, and when each can be refunded
  refund ID        take back the payment of a request no key answered in time
  earnings         your withdrawable balance and what each of your datasets earned
  withdraw         send your withdrawable balance to your account
  price ID ETH     change the access price of your dataset ID
  requests         pending access requests to your datasets (paid ones are answered by
                   themselves while DataShare runs; free ones wait for you)
  grant ID ADDRESS answer a pending request: the key goes to ADDRESS, its escrow to you
  decline ID ADDRESS   decline a pending request: its escrow goes back to ADDRESS
  policy ID        which requests for dataset ID are answered by themselves:
                     --auto (free ones too), --allow ADDRESS..., --manual, --default
  operator enable  let this computer's device key answer requests for your phone wallet's
                   account (approved on the phone)
  operator disable stop the device key from acting for your account
  operator status  whether it does, its balance, and a code (QR, EIP-681) to top it up
  forget ID        stop keeping (and serving) a dataset you fetched; the file you saved stays
  status           network, chain id, contract, IPFS mode and peers, account, balance
  resume           finish publishes interrupted by a crash or a rejection (--yes as above);
                   prints each one's outcome, exits non-zero if one failed
  jobs             list unfinished publishes (job ID, name, stage, status)
  jobs resume ID   finish one unfinished publish (--yes as above)
  jobs discard ID  drop an unfinished publish that never reached the chain, unpinning its data
  keys register    publish your encryption key, so that others can share with you
  keys export FILE write a passphrase-protected backup of your keys (- for stdout)
  keys import FILE restore keys from a backup (--replace to overwrite different keys)
                     --passphrase-file F  read the backup's passphrase from F's first line
  wallet pair      approve on your phone instead: prints a QR code to scan with a
                   WalletConnect wallet (--relay URL, --project-id ID are saved)
  wallet status    who approves transactions: this computer or which phone wallet
  wallet disconnect  approve on this computer again
  serve            keep this profile running without a window (servers, always-on computers):
                   serves its data on IPFS, follows the chain, finishes approved publishes,
                   answers paid access requests;
                   logs to stderr (--log-level debug|info|warn|error), stops on Ctrl-C or SIGTERM
  completion SHELL print a tab-completion script for bash, zsh, fish or powershell

Flags (before or after the command):
  --data-dir DIR   profile directory (default: $DATASHARE_DATA_DIR or ~/.local/share/datashare);
                   the local chain is shared by every profile, in $DATASHARE_LOCALNET_DIR or
                   ~/.local/share/datashare-localnet
  --network NAME   local (default), sepolia, base-sepolia or custom
  --ipfs MODE      auto (a running IPFS daemon if found, else embedded), embedded or daemon
  --ipfs-api ADDR  IPFS daemon API address, e.g. /ip4/127.0.0.1/tcp/5001
  --json           machine-readable output on stdout
  --no-keyring     keep keys in a passphrase-protected file even if a system keyring exists

While DataShare runs the profile (the desktop app or 'datashare serve'), commands go through
it, on the socket api.sock in the data directory: --ipfs, --ipfs-api and --no-keyring are then
ignored, another --network is refused, and keys import and wallet --relay/--project-id ask
you to stop it first. With nothing running, a command opens the profile itself.

'datashare --version' prints the version; 'datashare help CMD' a command's usage.

Approving: every write to the chain is approved on this computer — datashare shows the
action, the dataset, the price and the most the network fee can be, and asks y/N — or, once
a phone wallet is paired, on the phone; the wallet's account then owns what you publish.

Keys: kept in the system keyring (Secret Service). Without one, in a passphrase-protected
file: the passphrase is asked on the terminal or read from DATASHARE_PASSPHRASE (ls and
status need none: they read only the public part of the keys). Back your
keys up with 'datashare keys export': losing them loses access to everything shared with you.
A backup has its own passphrase, asked on the terminal or read from --passphrase-file or
DATASHARE_BACKUP_PASSPHRASE (never the keys file's).

Exit codes: 0 ok · 1 failure · 2 usage · 3 not found (file or dataset) · 4 rejected or
canceled · 5 chain or IPFS unavailable (or no computer holding the data is online, or a running
DataShare of another version) · 6 no access to the dataset (or not its owner)

Examples:
  datashare publish report.pdf --price 0.01
  datashare ls
  datashare get 3 -o ~/Downloads/
  datashare share 3 0x5B38Da6a701c568545dCfcB03FcB875f56beddC4
  datashare link 3
  datashare --json status
`

// globalsHelp ends every command's usage.
const globalsHelp = `
Global flags (before or after the command): --data-dir DIR, --network NAME, --ipfs MODE,
--ipfs-api ADDR, --json, --no-keyring; see 'datashare --help'. While DataShare runs this
profile, the command goes through it and --ipfs, --ipfs-api and --no-keyring are ignored.
`

// commandUsage is each command's --help, consistent with the list in usage.
var commandUsage = map[string]string{
	"publish": `Usage: datashare publish FILE|FOLDER [flags]

Encrypt FILE on this computer, store it on IPFS and register it on chain. The transaction is
approved on this computer (y/N, or --yes) or on the paired phone wallet.

A FOLDER is published whole as one dataset: a tar stream of its files and folders (symbolic
links, devices and sockets are left out; permissions are kept as plain modes), encrypted like
a file, with a list of its files (path, size, media type, SHA-256) that grantees see first
('datashare files ID'). A file that cannot be read stops the publish before anything is sent.

Flags:
  --name NAME          name others see (default: the file name)
  --price ETH          price of access, e.g. 0.01 (default: free)
  --public             metadata readable by anyone (the data stays encrypted)
  --description TEXT   a description
  --yes                approve the transaction without asking
`,
	"get": `Usage: datashare get ID -o PATH [flags]
       datashare get LINK -o PATH [flags]

Download dataset ID (see 'datashare ls' and 'datashare shared'), decrypt it, verify its
SHA-256 and write it to PATH. PATH may be a directory: the file goes in under its name.

A folder dataset (see 'datashare files ID') is recreated under the folder PATH (made if
missing), every file checked against its file list; --only extracts some of it. Paths in the
archive are never trusted: nothing is written outside PATH, links are refused, and an
existing file is replaced only with --force (one identical to the list is kept, so an
interrupted get can simply be run again).

With a share link (datashare://…, from 'datashare link') instead of an ID, the link's key
opens the dataset: no account and no registered key are needed, only a profile on the link's
network. A link is a secret: give - instead to read it from the first line of standard input
(it then stays out of the process list and the shell history).

When no computer holding the data answers (the owner's is off, and no one else keeps it),
get says so and waits for a minute, then exits with code 5; --wait waits until one is online.

Flags:
  -o, --output PATH    where to write the file (required)
  --force              replace PATH if it exists (an existing file is kept otherwise)
  --version N          the version to fetch (default: the newest you hold; a revoked
                       link opens the versions it held)
  --only PATH          for a folder: extract only PATH (a folder: all under it); repeatable
  --wait               keep waiting for a computer that holds the data
`,
	"share": `Usage: datashare share ID ADDRESS... [flags]

Give the key of dataset ID's current version to each account (addresses starting with 0x; a
mixed-case address must have a valid checksum), in one transaction. Each account must have
registered its encryption key on this network ('datashare keys register'); later versions
reach them with 'datashare update'. Only the dataset's owner can share it. A revoked account
can be shared with again this way.

Flags:
  --yes                approve the transaction without asking
`,
	"shared": `Usage: datashare shared

List the datasets others shared with your accounts: ID, name, size, the version you hold and
the owner. Fetch one with 'datashare get ID -o PATH'.
`,
	"access": `Usage: datashare access ID

Show who may read dataset ID, from the chain: the accounts holding its key (and which
version), pending paid requests, and revoked accounts. Share links you made are named.
`,
	"update": `Usage: datashare update ID FILE [flags]

Publish FILE as the next version of dataset ID, with a new key, and give that key to every
grantee that is not revoked (share links included), in one more transaction. Only the owner
can update. A revoked account keeps what it received but gets nothing newer: revoke, then
update, to close a dataset to someone. An update interrupted by a crash finishes with
'datashare resume'.

Flags:
  --yes                approve the transactions without asking
`,
	"revoke": `Usage: datashare revoke ID ADDRESS [flags]

Give the account no later version of dataset ID (a pending request of it is refunded). What
it received already cannot be taken back: run 'datashare update ID FILE' to rotate the key
now. For a share link, use 'datashare link revoke ID LINK'.

Flags:
  --yes                approve the transaction without asking
`,
	"link": `Usage: datashare link ID [flags]
       datashare link list ID
       datashare link revoke ID LINK [flags]

Make a share link of dataset ID: a datashare:// link that opens the dataset for whoever has
it, on any computer with DataShare on this network, with no account or registered key
('datashare get LINK -o PATH'). The link carries a secret key: send it privately. It is an
ordinary grant on chain (one transaction), listed by 'datashare access', and it receives later
versions until revoked. The link goes to standard output, a QR code of it to standard error.
This profile keeps the links it made, sealed with its own key: 'datashare link list ID'.

Flags:
  --label TEXT         your name for the link (up to 100 bytes), shown by access and link list
  --yes                approve the transaction without asking
`,
	"link list": `Usage: datashare link list ID

Show the share links you made of dataset ID on this computer: label, the newest version each
opens, whether it is revoked, and the link itself.
`,
	"link revoke": `Usage: datashare link revoke ID LINK [flags]

Give a share link no later version of dataset ID (LINK as printed by 'datashare link'; - reads
it from standard input). Whoever has the link can still open the versions it opened already:
run 'datashare update ID FILE' to rotate the key now. A link you no longer have is revoked by
its account: 'datashare access ID' shows it, then 'datashare revoke ID ADDRESS'.

Flags:
  --yes                approve the transaction without asking
`,
	"files": `Usage: datashare files ID [--version N] [--json]

The files inside folder dataset ID, from its (encrypted, for a private dataset) file list:
size, media type, the start of the SHA-256 (all of it with --json) and the path. Nothing is
downloaded but the list; 'datashare get ID -o DIR --only PATH' fetches some of them. The
list of a public dataset is readable before you have access to it (see what you would buy).

  --version N          the list of version N (default: the newest you hold a key for, or
                       the newest of a public dataset you hold none for)
`,
	"history": `Usage: datashare history ID

Every event of dataset ID on chain, oldest first, with its time, version, account, amount and
transaction: published, updated (new versions), price changes, requests, grants, declines,
revocations and refunds.
`,
	"ls": `Usage: datashare ls

List your datasets: ID, name, size, price, status and metadata CID ('datashare list' too).
`,
	"forget": `Usage: datashare forget ID

Stop keeping dataset ID, fetched with 'datashare get', on this computer's IPFS node: a
fetched dataset stays pinned (and so served to others) until forgotten. The file you saved is
not touched, nor is anything you published.
`,
	"status": `Usage: datashare status

Show the network, chain id, contract, block, IPFS mode and peers, account, balance, where the
keys are kept and the data directory.
`,
	"resume": `Usage: datashare resume [flags]

Finish publishes interrupted by a crash or a rejection.

Flags:
  --yes                approve the transactions without asking
`,
	"jobs": `Usage: datashare jobs [resume ID | discard ID] [flags]

List unfinished publishes: job ID, name, stage and status ("interrupted", or "failed" with
the reason). See 'datashare help jobs resume' and 'datashare help jobs discard'.
`,
	"jobs resume": `Usage: datashare jobs resume ID [flags]

Finish one unfinished publish (its ID from 'datashare jobs') with the same dataset key; a
publish already on chain is found there, never registered twice.

Flags:
  --yes                approve the transaction without asking
`,
	"jobs discard": `Usage: datashare jobs discard ID

Drop an unfinished publish (its ID from 'datashare jobs') and unpin what it added to IPFS.
A publish whose transaction may be on chain is kept: finish it with 'datashare jobs resume ID'.
`,
	"keys": `Usage: datashare keys register [--yes]
       datashare keys export FILE
       datashare keys import FILE [--replace]

Register your encryption key on chain, or back up or restore this profile's keys; see
'datashare help keys register', 'datashare help keys export' and 'datashare help keys import'.
`,
	"keys register": `Usage: datashare keys register [flags]

Publish this profile's encryption key for your account on this network (one transaction), so
that others can share datasets with you. Nothing is sent when it is registered already. If
the account registered another key (from another computer), registering this one cuts it off
from what was shared with the old key: import the backup that holds it instead
('datashare keys import').

Flags:
  --yes                approve the transaction without asking
`,
	"keys export": `Usage: datashare keys export FILE

Write a passphrase-protected backup of your keys to FILE (- for standard output). The backup
passphrase is asked on the terminal or read from DATASHARE_BACKUP_PASSPHRASE (never the
passphrase of this profile's keys file). An existing FILE is never replaced.

Flags:
  --passphrase-file F  read the backup passphrase from the first line of file F
`,
	"keys import": `Usage: datashare keys import FILE [flags]

Restore keys from a backup written by 'datashare keys export' (- for standard input). The
backup passphrase is asked on the terminal or read from DATASHARE_BACKUP_PASSPHRASE (never the
passphrase of this profile's keys file).

Flags:
  --passphrase-file F  read the backup passphrase from the first line of file F
  --replace            overwrite this profile's keys if they differ from the backup's
`,
	"wallet": `Usage: datashare wallet pair|status|disconnect [flags]

Who approves transactions: this computer or a phone wallet (WalletConnect); see
'datashare help wallet pair', 'datashare help wallet status', 'datashare help wallet disconnect'.
`,
	"wallet pair": `Usage: datashare wallet pair [flags]

Approve on your phone instead: prints a QR code to scan with a WalletConnect wallet and waits
until the wallet connects (a new code when one expires). The wallet's account then owns what
you publish.

Flags:
  --relay URL          WalletConnect relay, ws:// or wss:// (saved in the profile)
  --project-id ID      WalletConnect project ID (saved in the profile)
`,
	"wallet status": `Usage: datashare wallet status [flags]

Show who approves transactions: this computer or which phone wallet, its account and when
the session expires.

Flags:
  --relay URL          WalletConnect relay, ws:// or wss:// (saved in the profile)
  --project-id ID      WalletConnect project ID (saved in the profile)
`,
	"serve": `Usage: datashare serve [flags]

Keep this profile running without a window, until Ctrl-C or SIGTERM: for servers and
always-on computers, or as a systemd user service (build/linux/datashare.service). Its IPFS
node serves what the profile keeps, the list of datasets follows the chain, and a publish
approved before a stop (its transaction signed) is finished. A transaction that still needs
an approval is never sent by serve: approve it from a terminal (datashare jobs resume JOB).
Other commands on this profile go through serve, on the socket api.sock in the data directory
(only your user can connect; no network port), and ask their approvals in their own terminal.
A second serve of the same profile refuses to start.
Paid access requests to the account's datasets are answered by themselves (the key goes to
the buyer, the escrow to you), within a second on the local chain, those made while serve
was stopped too; free ones wait for 'datashare grant' unless 'datashare policy' says
otherwise. When the device key cannot pay the network fee, serve logs a warning with a
payment URI (EIP-681) to top it up; with a phone wallet, run 'datashare operator enable' once.
It logs to standard error, one line per event (text, key=value); it logs no secret. With the
keys in a passphrase-protected file, the passphrase comes from DATASHARE_PASSPHRASE or from a
systemd credential named datashare-passphrase.

Flags:
  --log-level LEVEL    what to log: debug, info (default), warn or error
  --sync-interval D    how often the list of datasets is brought up to date with the
                       chain (default 5s)
`,
	"completion": `Usage: datashare completion bash|zsh|fish|powershell

Print a script that lets the shell complete datashare's commands, flags, file names and
choices (networks, IPFS modes) with the Tab key. Add --no-descriptions for completions
without their one-line descriptions. To load it:

  bash   source <(datashare completion bash)       (every session: write it to
         ~/.local/share/bash-completion/completions/datashare; needs bash-completion)
  zsh    datashare completion zsh > "${fpath[1]}/_datashare"   (then start a new shell;
         compinit must be enabled)
  fish   datashare completion fish > ~/.config/fish/completions/datashare.fish
  powershell  datashare completion powershell | Out-String | Invoke-Expression
`,
	"wallet disconnect": `Usage: datashare wallet disconnect [flags]

End the phone wallet's session: transactions are approved on this computer again.

Flags:
  --relay URL          WalletConnect relay, ws:// or wss:// (saved in the profile)
  --project-id ID      WalletConnect project ID (saved in the profile)
`,
}

// usageOf returns the --help of a command ("keys export"); for an unknown subcommand, its
// command's.
func usageOf(name string) (string, bool) {
	for {
		if u, ok := commandUsage[name]; ok {
			return u + globalsHelp, true
		}
		i := strings.LastIndexByte(name, ' ')
		if i < 0 {
			return "", false
		}
		name = name[:i]
	}
}

// globals are the flags every command accepts.
type globals struct {
	dataDir   string
	network   string
	ipfsMode  string
	ipfsAPI   string
	json      bool
	noKeyring bool
}

func (g *globals) register(fs *pflag.FlagSet) {
	fs.StringVar(&g.dataDir, "data-dir", g.dataDir, "profile directory (default: $DATASHARE_DATA_DIR or ~/.local/share/datashare)")
	fs.StringVar(&g.network, "network", g.network, "network: local (default), sepolia, base-sepolia or custom")
	fs.StringVar(&g.ipfsMode, "ipfs", g.ipfsMode, "IPFS mode: auto (a running daemon if found, else embedded), embedded or daemon")
	fs.StringVar(&g.ipfsAPI, "ipfs-api", g.ipfsAPI, "IPFS daemon API address, e.g. /ip4/127.0.0.1/tcp/5001")
	fs.BoolVar(&g.json, "json", g.json, "machine-readable output on stdout")
	fs.BoolVar(&g.noKeyring, "no-keyring", g.noKeyring, "keep keys in a passphrase-protected file even if a system keyring exists")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	root := c.rootCmd()
	root.SetArgs(normalizeArgs(root, args))
	if err := root.ExecuteContext(ctx); err != nil {
		return fail(stderr, err, c.g.json)
	}
	return exitOK
}

// fail prints err for people (or as JSON) and returns its exit code.
func fail(stderr io.Writer, err error, asJSON bool) int {
	code := exitCode(err)
	if asJSON {
		writeJSON(stderr, map[string]any{"error": err.Error(), "exitCode": code})
	} else {
		fmt.Fprintf(stderr, "datashare: %v\n", err)
		if code == exitUsage {
			fmt.Fprintln(stderr, "Run 'datashare --help' for usage.")
		}
	}
	return code
}

func exitCode(err error) int {
	var ue usageError
	var ae *approvalError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ae):
		return exitRejected
	}
	// The same codes the desktop app branches on (share.Code).
	switch share.Code(err) {
	case share.CodeCanceled, share.CodeRejected, share.CodeExpired:
		return exitRejected
	case share.CodeNoAccess, share.CodeNoKey, share.CodeNotOwner:
		return exitNoAccess
	case share.CodeNotFound:
		return exitNotFound
	case share.CodeUnavailable, share.CodeRelayUnavailable:
		return exitUnavailable
	}
	return exitFailure
}

// cli runs one command.
type cli struct {
	g      globals
	stdin  *os.File
	stdout io.Writer
	stderr io.Writer
	yes    bool
}

// interactive reports whether the user can answer prompts.
func (c *cli) interactive() bool {
	return c.stdin != nil && term.IsTerminal(int(c.stdin.Fd()))
}

func (c *cli) wantArgs(name string, got []string, n int, what string) error {
	if len(got) != n {
		return usageError{fmt.Sprintf("%s needs %s", name, what)}
	}
	return nil
}

// plural formats a count with its noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// closeService closes the profile a command opened. A failed close is reported (the local
// chain writes its state on close: losing that must not pass in silence): it becomes the
// command's error, or is added to it.
func closeService(err *error, s opened) {
	if cerr := s.Close(); cerr != nil {
		*err = errors.Join(*err, fmt.Errorf("close the profile (some state may not have been saved): %w", cerr))
	}
}
