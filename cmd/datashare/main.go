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
  publish FILE     encrypt FILE, store it on IPFS and register it on chain
                     --name NAME          name others see (default: the file name)
                     --price ETH          price of access, e.g. 0.01 (default: free)
                     --public             metadata readable by anyone (the data stays encrypted)
                     --description TEXT   a description
                     --yes                approve the transaction without asking
  get ID -o PATH   download dataset ID, decrypt and verify it, write it to PATH
                     (PATH may be a directory; an existing file is kept unless --force)
  ls               list your datasets
  forget ID        stop keeping (and serving) a dataset you fetched; the file you saved stays
  status           network, chain id, contract, IPFS mode and peers, account, balance
  resume           finish publishes interrupted by a crash or a rejection (--yes as above);
                   prints each one's outcome, exits non-zero if one failed
  jobs             list unfinished publishes (job ID, name, stage, status)
  jobs resume ID   finish one unfinished publish (--yes as above)
  jobs discard ID  drop an unfinished publish that never reached the chain, unpinning its data
  keys export FILE write a passphrase-protected backup of your keys (- for stdout)
  keys import FILE restore keys from a backup (--replace to overwrite different keys)
                     --passphrase-file F  read the backup's passphrase from F's first line
  wallet pair      approve on your phone instead: prints a QR code to scan with a
                   WalletConnect wallet (--relay URL, --project-id ID are saved)
  wallet status    who approves transactions: this computer or which phone wallet
  wallet disconnect  approve on this computer again
  serve            keep this profile running without a window (servers, always-on computers):
                   serves its data on IPFS, follows the chain, finishes approved publishes;
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

'datashare --version' prints the version; 'datashare help CMD' a command's usage.

Approving: every write to the chain is approved on this computer — datashare shows the
action, the dataset, the price and the most the network fee can be, and asks y/N — or, once
a phone wallet is paired, on the phone; the wallet's account then owns what you publish.

Keys: kept in the system keyring (Secret Service). Without one, in a passphrase-protected
file: the passphrase is asked on the terminal or read from DATASHARE_PASSPHRASE. Back your
keys up with 'datashare keys export': losing them loses access to everything shared with you.
A backup has its own passphrase, asked on the terminal or read from --passphrase-file or
DATASHARE_BACKUP_PASSPHRASE (never the keys file's).

Exit codes: 0 ok · 1 failure · 2 usage · 3 not found (file or dataset) · 4 rejected or
canceled · 5 chain or IPFS unavailable · 6 no access to the dataset (or not its owner)

Examples:
  datashare publish report.pdf --price 0.01
  datashare ls
  datashare get 3 -o ~/Downloads/
  datashare --json status
`

// globalsHelp ends every command's usage.
const globalsHelp = `
Global flags (before or after the command): --data-dir DIR, --network NAME, --ipfs MODE,
--ipfs-api ADDR, --json, --no-keyring; see 'datashare --help'.
`

// commandUsage is each command's --help, consistent with the list in usage.
var commandUsage = map[string]string{
	"publish": `Usage: datashare publish FILE [flags]

Encrypt FILE on this computer, store it on IPFS and register it on chain. The transaction is
approved on this computer (y/N, or --yes) or on the paired phone wallet.

Flags:
  --name NAME          name others see (default: the file name)
  --price ETH          price of access, e.g. 0.01 (default: free)
  --public             metadata readable by anyone (the data stays encrypted)
  --description TEXT   a description
  --yes                approve the transaction without asking
`,
	"get": `Usage: datashare get ID -o PATH [flags]

Download dataset ID (see 'datashare ls'), decrypt it, verify its SHA-256 and write it to PATH.
PATH may be a directory: the file goes in under its name.

Flags:
  -o, --output PATH    where to write the file (required)
  --force              replace PATH if it exists (an existing file is kept otherwise)
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
	"keys": `Usage: datashare keys export FILE
       datashare keys import FILE [--replace]

Back up or restore this profile's keys; see 'datashare help keys export' and
'datashare help keys import'.
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

// open opens the profile for the command.
func (c *cli) open(ctx context.Context) (opened, error) { return c.openProfile(ctx, false) }

// openReadOnly opens the profile for a command that only reads (ls, status): no IPFS node is
// started and no transaction is sent.
func (c *cli) openReadOnly(ctx context.Context) (opened, error) { return c.openProfile(ctx, true) }

func (c *cli) openProfile(ctx context.Context, readOnly bool) (opened, error) {
	s, err := share.Open(ctx, share.Config{
		DataDir: c.g.dataDir, Network: c.g.network, IPFSMode: c.g.ipfsMode, IPFSAPI: c.g.ipfsAPI,
		NoKeyring:  c.g.noKeyring,
		Passphrase: c.passphrase(),
		Confirm:    c.confirm,
		ReadOnly:   readOnly,
	})
	if err != nil {
		return nil, err
	}
	return local{s}, nil
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
