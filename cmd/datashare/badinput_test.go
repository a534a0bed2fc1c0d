package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/datashare/datashare/backend/share"
)

var updateBadInput = flag.Bool("update", false, "write docs/bad-input.md from TestBadInputTable")

// What a bad-input row checks stayed the same, besides the files it names (always checked).
const (
	// untouched: the command fails before it opens the profile; every file of the profile
	// directory is byte for byte the same.
	untouched = iota
	// unchanged: the command opens the profile (chain, IPFS, index) and fails; the datasets
	// (datashare --json ls), the keys and the settings are the same.
	unchanged
	// unchangedOnChain: as unchanged, and dataset 1's state on chain (datashare --json history 1:
	// every grant, revocation, request and version) and this profile's share links are the same.
	unchangedOnChain
)

// Share links in the rows: none was ever granted; the secret is 32 zero bytes.
const (
	zeroSecret   = "#" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	noGrantLink  = "datashare://1337/{contract}/1" + zeroSecret
	sepoliaLink  = "datashare://11155111/{contract}/1" + zeroSecret
	someone      = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4" // an account that registered no key
	someoneTypo  = "0x5b38Da6a701c568545dCfcB03FcB875f56beddC4" // its checksum broken by one letter
	noGrantLink2 = "datashare://1337/{contract}/2" + zeroSecret
)

// badInputs are the bad inputs of docs/bad-input.md, one a line: the name, the arguments
// ({dir} is a scratch directory holding good.bin and existing.bin; the profile has dataset 1),
// the exit code, a part of the message, and what is checked to be the same afterwards.
var badInputs = []struct {
	name  string
	args  string
	code  int
	msg   string
	check int
}{
	{"file does not exist", "publish {dir}/nope.bin --yes", exitNotFound, "no such file", untouched},
	{"a folder with a file that cannot be published", "publish {dir}/badnames --yes", exitFailure, "control or invisible formatting characters", untouched},
	{"no file", "publish", exitUsage, "needs exactly one FILE", untouched},
	{"two files", "publish {dir}/good.bin {dir}/existing.bin --yes", exitUsage, "needs exactly one FILE", untouched},
	{"price not a number", "publish {dir}/good.bin --price abc --yes", exitUsage, "not an amount of ETH", untouched},
	{"negative price", "publish {dir}/good.bin --price -1 --yes", exitUsage, "not an amount of ETH", untouched},
	{"price with an exponent", "publish {dir}/good.bin --price 1e3 --yes", exitUsage, "not an amount of ETH", untouched},
	{"price with too many decimals", "publish {dir}/good.bin --price 0.0000000000000000001 --yes", exitUsage, "more than 18 decimals", untouched},
	{"price too high", "publish {dir}/good.bin --price 1000000000000000000000000000000 --yes", exitUsage, "price is too high", untouched},
	{"unknown flag", "publish {dir}/good.bin --bogus", exitUsage, "flag provided but not defined: -bogus", untouched},
	{"flag without its value", "publish {dir}/good.bin --name", exitUsage, "flag needs an argument: -name", untouched},
	{"dataset ID 0", "get 0 -o {dir}/out", exitUsage, "not a dataset ID", untouched},
	{"dataset ID not a number", "get x -o {dir}/out", exitUsage, "not a dataset ID", untouched},
	{"dataset that does not exist", "get 999 -o {dir}/out", exitNotFound, "dataset 999 does not exist", unchanged},
	{"no output path", "get 1", exitUsage, "needs -o PATH", untouched},
	{"output file exists", "get 1 -o {dir}/existing.bin", exitFailure, "already exists", untouched},
	{"output directory does not exist", "get 1 -o {dir}/no/such/dir/x", exitNotFound, "no such directory", unchanged},
	{"two dataset IDs", "get 1 2 -o {dir}/out", exitUsage, "needs a dataset ID", untouched},
	{"unknown command", "frobnicate", exitUsage, `unknown command "frobnicate"`, untouched},
	{"help for an unknown command", "help frobnicate", exitUsage, `no command "frobnicate"`, untouched},
	{"ls with an argument", "ls extra", exitUsage, "ls needs no arguments", untouched},
	{"status with an argument", "status extra", exitUsage, "status needs no arguments", untouched},
	{"resume with an argument", "resume extra", exitUsage, "resume needs no arguments", untouched},
	{"unknown network", "--network mainnet status", exitFailure, `unknown network "mainnet"`, untouched},
	{"unknown IPFS mode", "--ipfs bogus status", exitFailure, `unknown IPFS mode "bogus"`, unchanged},
	{"IPFS API address not an address", "--ipfs daemon --ipfs-api notamultiaddr status", exitFailure, "not a multiaddr or http(s) URL", unchanged},
	{"data directory is a file", "--data-dir {dir}/good.bin status", exitFailure, "not a directory", untouched},
	{"keys without a subcommand", "keys", exitUsage, "keys needs 'register', 'export FILE' or 'import FILE'", untouched},
	{"unknown keys subcommand", "keys frob", exitUsage, "keys needs 'register', 'export FILE' or 'import FILE'", untouched},
	{"keys import without a file", "keys import", exitUsage, "keys import needs a FILE", untouched},
	{"backup file does not exist", "keys import {dir}/nope.backup", exitNotFound, "no such file", untouched},
	{"backup would replace a file", "keys export {dir}/existing.bin", exitFailure, "already exists", untouched},
	{"output directory holds a file of the dataset's name", "get 1 -o {dir}", exitFailure, "good.bin already exists: choose another path or add --force", unchanged},
	{"output directory (with a slash) holds that file", "get 1 -o {dir}/", exitFailure, "good.bin already exists: choose another path or add --force", unchanged},
	{"name with a text-direction override", "publish {dir}/good.bin --name report\u202egnp.exe --yes", exitUsage, "text-direction overrides", untouched},
	{"name with a control character", "publish {dir}/good.bin --name a\x07b --yes", exitUsage, "control characters", untouched},
	{"name too long", "publish {dir}/good.bin --name " + strings.Repeat("n", 201) + " --yes", exitUsage, "use at most 200", untouched},
	{"description too long", "publish {dir}/good.bin --description " + strings.Repeat("d", 50000) + " --yes", exitUsage, "shorten it to at most", untouched},
	{"forget without a dataset ID", "forget", exitUsage, "forget needs a dataset ID", untouched},
	{"forget a dataset ID that is not a number", "forget x", exitUsage, "not a dataset ID", untouched},
	{"forget what this profile published (it never fetched it)", "forget 1", exitNotFound, "dataset 1 was not fetched on this computer", unchanged},
	{"jobs with an unknown subcommand", "jobs frob", exitUsage, `unknown jobs command "frob"`, untouched},
	{"jobs discard without a job ID", "jobs discard", exitUsage, "jobs discard needs a job ID", untouched},
	{"discard a job that does not exist", "jobs discard 0123456789abcdef", exitNotFound, `there is no publish job "0123456789abcdef"`, unchanged},
	{"resume a job that does not exist", "jobs resume 0123456789abcdef --yes", exitNotFound, `there is no publish job "0123456789abcdef"`, unchanged},
	{"backup without its own passphrase (only the keys file's is set)", "keys export {dir}/new.backup", exitFailure, "a passphrase is required for the backup file", untouched},
	{"backup passphrase file does not exist", "keys export {dir}/new.backup --passphrase-file {dir}/nope.txt", exitNotFound, "read the passphrase for the backup file", untouched},
	{"keys export with --replace", "keys export {dir}/new.backup --replace", exitUsage, "flag provided but not defined: -replace", untouched},
	{"wallet without a subcommand", "wallet", exitUsage, "wallet needs 'pair', 'status' or 'disconnect'", untouched},
	{"unknown wallet subcommand", "wallet frob", exitUsage, `unknown wallet command "frob"`, untouched},
	{"relay not a WebSocket URL", "wallet pair --relay http://127.0.0.1:9", exitUsage, "ws:// or wss://", untouched},
	{"project ID without its value", "wallet pair --project-id", exitUsage, "flag needs an argument: -project-id", untouched},
	{"serve with an argument", "serve extra", exitUsage, "serve needs no arguments", untouched},
	{"serve with an unknown log level", "serve --log-level loud", exitUsage, `"loud" is not a level: use debug, info, warn or error`, untouched},
	{"serve with a sync interval of zero", "serve --sync-interval 0s", exitUsage, "not a duration above zero", untouched},
	{"completion for an unknown shell", "completion tcsh", exitUsage, `unknown shell "tcsh"`, untouched},
	// Sharing, links, versions.
	{"keys register with an argument", "keys register extra", exitUsage, "keys register needs no arguments", untouched},
	{"share without an address", "share 1", exitUsage, "share needs a dataset ID and at least one ADDRESS", untouched},
	{"share with dataset ID 0", "share 0 " + someone, exitUsage, "not a dataset ID", untouched},
	{"share with an address too short", "share 1 0x5B38Da6a", exitUsage, "must be 0x followed by 40 hex digits", untouched},
	{"share with an address without 0x", "share 1 5B38Da6a701c568545dCfcB03FcB875f56beddC4", exitUsage, "it must start with 0x", untouched},
	{"share with a mis-checksummed address", "share 1 " + someoneTypo, exitUsage, "has a wrong checksum (EIP-55): check for a typo", untouched},
	{"share with oneself", "share 1 {account} --yes", exitFailure, "owns dataset 1 and holds its key already", unchangedOnChain},
	{"share with an account that has no key", "share 1 " + someone + " --yes", exitFailure, "has no DataShare encryption key on Local (this computer): ask them to open DataShare once on this network (datashare keys register)", unchangedOnChain},
	{"share a dataset that does not exist", "share 999 " + someone + " --yes", exitNotFound, "dataset 999 does not exist", unchangedOnChain},
	{"shared with an argument", "shared extra", exitUsage, "shared needs no arguments", untouched},
	{"access without a dataset ID", "access", exitUsage, "access needs a dataset ID", untouched},
	{"access of a dataset that does not exist", "access 999", exitNotFound, "dataset 999 does not exist", unchanged},
	{"history of a dataset ID that is not a number", "history x", exitUsage, "not a dataset ID", untouched},
	{"history of a dataset that does not exist", "history 999", exitNotFound, "dataset 999 does not exist", unchanged},
	{"update without a file", "update 1", exitUsage, "update needs a dataset ID and a FILE", untouched},
	{"update with a file that does not exist", "update 1 {dir}/nope.bin --yes", exitNotFound, "no such file", untouched},
	{"update a dataset that does not exist", "update 999 {dir}/good.bin --yes", exitNotFound, "dataset 999 does not exist", unchangedOnChain},
	{"revoke without an address", "revoke 1", exitUsage, "revoke needs a dataset ID and an ADDRESS", untouched},
	{"revoke with a share link", "revoke 1 " + noGrantLink, exitUsage, "that is a share link: revoke it with datashare link revoke ID LINK", untouched},
	{"revoke an account that has no access", "revoke 1 " + someone + " --yes", exitFailure, "has no access to dataset 1 and no pending request: there is nothing to revoke", unchangedOnChain},
	{"revoke the owner", "revoke 1 {account} --yes", exitFailure, "an owner's access cannot be revoked", unchangedOnChain},
	{"link without a dataset ID", "link", exitUsage, "link needs a dataset ID", untouched},
	{"link of two datasets", "link 1 2", exitUsage, "link needs one dataset ID", untouched},
	{"link of a dataset that does not exist", "link 999 --yes", exitNotFound, "dataset 999 does not exist", unchangedOnChain},
	{"link label with a control character", "link 1 --label a\x07b --yes", exitFailure, "without control characters", unchangedOnChain},
	{"link list without a dataset ID", "link list", exitUsage, "link list needs a dataset ID", untouched},
	{"link revoke without the link", "link revoke 1", exitUsage, "link revoke needs a dataset ID and the LINK", untouched},
	{"link revoke of something not a link", "link revoke 1 https://example.org/x --yes", exitUsage, "is not a DataShare link: a link starts with datashare://", untouched},
	{"link revoke of a link cut short", "link revoke 1 " + noGrantLink[:len(noGrantLink)-5] + " --yes", exitUsage, "is damaged or cut short: copy the whole link again", untouched},
	{"link revoke of a link never granted", "link revoke 1 " + noGrantLink + " --yes", exitFailure, "this link opens nothing of dataset 1", unchangedOnChain},
	{"link revoke with another dataset's link", "link revoke 1 " + noGrantLink2 + " --yes", exitFailure, "this link is for dataset 2, not dataset 1", unchangedOnChain},
	{"get with a malformed link", "get datashare://1337/0x1234/1" + zeroSecret + " -o {dir}/out", exitUsage, "is not a contract address", untouched},
	{"get with a link without its secret", "get datashare://1337/{contract}/1 -o {dir}/out", exitUsage, "has no secret (the part after #)", untouched},
	{"get with a link of another network", "get " + sepoliaLink + " -o {dir}/out", exitFailure, "this link is for a dataset on Sepolia testnet (chain id 11155111), but this profile uses Local (this computer)", unchanged},
	{"get with a link never granted", "get " + noGrantLink + " -o {dir}/out", exitNoAccess, "this link has no access to dataset 1: its grant is not on Local (this computer)", unchanged},
	{"get a version that does not exist", "get 1 --version 5 -o {dir}/out", exitNotFound, "dataset 1 has no version 5: its newest is version 1", unchanged},
	{"get a version that is not a number", "get 1 --version x -o {dir}/out", exitUsage, `invalid value "x" for -version`, untouched},
	// The owner's side of access requests.
	{"requests with an argument", "requests extra", exitUsage, "requests needs no arguments", untouched},
	{"grant without an address", "grant 1", exitUsage, "grant needs a dataset ID and the requester's ADDRESS", untouched},
	{"grant with dataset ID 0", "grant 0 " + someone, exitUsage, "not a dataset ID", untouched},
	{"grant with a mis-checksummed address", "grant 1 " + someoneTypo, exitUsage, "has a wrong checksum (EIP-55): check for a typo", untouched},
	{"grant to an account that asked nothing", "grant 1 " + someone + " --yes", exitFailure, "has no pending request for dataset 1", unchangedOnChain},
	{"grant for a dataset that does not exist", "grant 999 " + someone + " --yes", exitNotFound, "dataset 999 does not exist", unchangedOnChain},
	{"decline without an address", "decline 1", exitUsage, "decline needs a dataset ID and the requester's ADDRESS", untouched},
	{"decline an account that asked nothing", "decline 1 " + someone + " --yes", exitFailure, "has no pending request for dataset 1", unchangedOnChain},
	{"policy without a dataset ID", "policy", exitUsage, "policy needs a dataset ID", untouched},
	{"policy with two modes", "policy 1 --auto --manual", exitUsage, "policy takes one of --auto, --allow, --manual and --default", untouched},
	{"policy --allow without an account", "policy 1 --allow", exitUsage, "policy --allow needs the ADDRESS of at least one account", untouched},
	{"policy with an account but no --allow", "policy 1 " + someone, exitUsage, "policy takes accounts only with --allow", untouched},
	{"policy --allow with a mis-checksummed address", "policy 1 --allow " + someoneTypo, exitUsage, "has a wrong checksum (EIP-55)", untouched},
	{"policy --allow of the owner", "policy 1 --allow {account}", exitFailure, "owns dataset 1: it never asks for access", unchanged},
	{"policy of a dataset that does not exist", "policy 999 --auto", exitNotFound, "dataset 999 does not exist", unchanged},
	{"operator without a subcommand", "operator", exitUsage, "operator needs 'enable', 'disable' or 'status'", untouched},
	{"unknown operator subcommand", "operator frob", exitUsage, `unknown operator command "frob"`, untouched},
	{"operator status with an argument", "operator status extra", exitUsage, "operator status needs no arguments", untouched},
	{"operator enable with no phone wallet", "operator enable --yes", exitFailure, "no operator is needed", unchangedOnChain},
	// Paid access: catalog, request, refund, earnings, withdraw, price.
	{"catalog with an argument", "catalog extra", exitUsage, "catalog needs no arguments", untouched},
	{"request without a dataset ID", "request", exitUsage, "request needs a dataset ID", untouched},
	{"request with dataset ID 0", "request 0 --yes", exitUsage, "not a dataset ID", untouched},
	{"request with -o and --no-wait", "request 1 -o {dir}/out --no-wait --yes", exitUsage, "-o and --no-wait do not go together", untouched},
	{"request into an existing file", "request 1 -o {dir}/existing.bin --yes", exitFailure, "already exists: choose another path or add --force", untouched},
	{"request a dataset that does not exist", "request 999 --yes", exitNotFound, "dataset 999 does not exist", unchangedOnChain},
	{"request your own dataset", "request 1 --yes", exitFailure, "dataset 1 is yours", unchangedOnChain},
	{"requested with an argument", "requested extra", exitUsage, "requested needs no arguments", untouched},
	{"refund without a dataset ID", "refund", exitUsage, "refund needs a dataset ID", untouched},
	{"refund of a dataset that does not exist", "refund 999 --yes", exitNotFound, "dataset 999 does not exist", unchangedOnChain},
	{"refund with no request of yours", "refund 1 --yes", exitFailure, "has no pending request for dataset 1: there is nothing to refund", unchangedOnChain},
	{"earnings with an argument", "earnings extra", exitUsage, "earnings needs no arguments", untouched},
	{"withdraw with nothing to withdraw", "withdraw --yes", exitFailure, "has nothing to withdraw", unchangedOnChain},
	{"price without a price", "price 1", exitUsage, "price needs a dataset ID and a price in ETH", untouched},
	{"price not a number", "price 1 abc --yes", exitUsage, `"abc" is not an amount of ETH`, untouched},
	{"negative price", "price 1 --yes -- -1", exitUsage, `"-1" is not an amount of ETH`, untouched},
	{"price with too many decimals", "price 1 0.0000000000000000001 --yes", exitUsage, "more than 18 decimals", untouched},
	{"price above the contract's limit", "price 1 1000000000000000000000000000000 --yes", exitUsage, "the price is too high", untouched},
	{"price of a dataset that does not exist", "price 999 1 --yes", exitNotFound, "dataset 999 does not exist", unchangedOnChain},
	{"price the same as now", "price 1 0 --yes", exitFailure, "the price of dataset 1 is free already", unchangedOnChain},
}

var exitNames = map[int]string{
	exitOK: "ok", exitFailure: "failure", exitUsage: "usage", exitNotFound: "not found",
	exitRejected: "rejected", exitUnavailable: "unavailable", exitNoAccess: "no access",
}

var checkText = map[int]string{
	untouched:        "every file of the profile, byte for byte",
	unchanged:        "datasets (`ls`), keys, settings",
	unchangedOnChain: "datasets (`ls`), keys, settings; dataset 1's history on chain and links",
}

// TestBadInputTable runs every row of badInputs against one profile: the exit code, the
// message (on stderr, one line, no stack trace, nothing on stdout), and that nothing changed:
// the scratch directory (inputs and outputs) and the profile as the row says. It writes
// docs/bad-input.md with -update and fails when the committed one is out of date.
func TestBadInputTable(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	good := randomFile(t, dir, "good.bin", 1000)
	badFolder(t, dir)
	p.ok("publish", good, "--yes")
	randomFile(t, dir, "existing.bin", 10)
	datasets := p.ok("--json", "ls").stdout
	var st share.Status
	if err := json.Unmarshal([]byte(p.ok("--json", "status").stdout), &st); err != nil {
		t.Fatal(err)
	}
	onChain := func() string {
		return p.ok("--json", "history", "1").stdout + p.ok("--json", "link", "list", "1").stdout
	}
	chainState := onChain()
	fill := strings.NewReplacer("{dir}", dir, "{account}", st.Account, "{contract}", st.Contract)
	replacer := strings.NewReplacer(dir, "DIR", p.dir, "PROFILE", st.Account, "ACCOUNT", st.Contract, "CONTRACT")

	var doc bytes.Buffer
	doc.WriteString(badInputHeader)
	ran := 0
	for _, row := range badInputs {
		args := strings.Fields(fill.Replace(row.args))
		var seen string
		t.Run(row.name, func(t *testing.T) {
			ran++
			scratch, profileFiles := snapshot(t, dir), snapshot(t, p.dir)
			r := p.run(args...)
			if r.code != row.code || !strings.Contains(r.stderr, row.msg) {
				t.Fatalf("datashare %s: exit %d, stderr %q; want exit %d and a message containing %q", row.args, r.code, r.stderr, row.code, row.msg)
			}
			if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
				t.Fatalf("stack trace in the message: %s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("output on stdout: %q", r.stdout)
			}
			for _, line := range strings.Split(r.stderr, "\n") {
				if strings.HasPrefix(line, "datashare: ") {
					seen = line
					break
				}
			}
			if seen == "" || !strings.Contains(seen, row.msg) {
				t.Errorf("the message %q is not on the line starting 'datashare: ' (%q)", row.msg, r.stderr)
			}
			if diff := snapshotDiff(scratch, snapshot(t, dir)); diff != "" {
				t.Errorf("files named on the command line changed: %s", diff)
			}
			switch row.check {
			case untouched:
				if diff := snapshotDiff(profileFiles, snapshot(t, p.dir)); diff != "" {
					t.Errorf("the profile changed: %s", diff)
				}
			case unchanged, unchangedOnChain:
				after := snapshot(t, p.dir)
				for _, f := range []string{"keys.json", "keys.age", "settings.json"} {
					if profileFiles[f] != after[f] {
						t.Errorf("%s changed", f)
					}
				}
				if got := p.ok("--json", "ls").stdout; got != datasets {
					t.Errorf("the datasets changed:\n%s\nwere:\n%s", got, datasets)
				}
				if row.check == unchangedOnChain {
					if got := onChain(); got != chainState {
						t.Errorf("dataset 1 changed on chain:\n%s\nwas:\n%s", got, chainState)
					}
				}
			}
		})
		fmt.Fprintf(&doc, "| %s: `datashare %s` | `%s` | %d (%s) | %s |\n", row.name,
			visible(replacer.Replace(strings.Join(args, " "))), strings.ReplaceAll(visible(replacer.Replace(seen)), "|", `\|`),
			row.code, exitNames[row.code], checkText[row.check])
	}
	if ran != len(badInputs) || t.Failed() {
		return // the doc is written and checked from a full, passing run
	}
	const path = "../../docs/bad-input.md"
	if *updateBadInput {
		if err := os.WriteFile(path, doc.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if have, err := os.ReadFile(path); err != nil || !bytes.Equal(have, doc.Bytes()) {
		t.Errorf("docs/bad-input.md does not match badInputs (%v): run 'make bad-input' and commit the result", err)
	}
}

const badInputHeader = `# Bad input

What the command does with each bad input: the message (on stderr; with --json, the same as
{"error": ..., "exitCode": ...}), the exit code, and what was checked to have stayed the same. On
every row the files named on the command line (inputs, outputs, an existing file) are unchanged
and no file was created. DIR is any directory, PROFILE the data directory.

Generated by TestBadInputTable (cmd/datashare/badinput_test.go) with ` + "`make bad-input`" + `;
` + "`make test`" + ` fails when it is out of date. To add a row, add one line to badInputs.

| input | what the user sees | exit code | nothing changed (checked) |
|---|---|---|---|
`

// visible writes what a reader cannot see (control and format characters) as \uXXXX, and
// shortens runs of one character longer than 20 (a 50,000-character description).
func visible(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		j := i
		for j < len(rs) && rs[j] == r {
			j++
		}
		if j-i > 20 {
			fmt.Fprintf(&b, "%c… (%d×)", r, j-i)
			i = j - 1
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// snapshot maps every file under dir (relative path) to its size and SHA-256; directories map
// to "dir".
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			out[rel] = "dir"
			return nil
		}
		if !d.Type().IsRegular() {
			out[rel] = d.Type().String()
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[rel] = fmt.Sprintf("%d bytes %s", len(b), hex.EncodeToString(sum[:8]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// snapshotDiff describes what differs between two snapshots, or is "".
func snapshotDiff(before, after map[string]string) string {
	var d []string
	for f, v := range before {
		if w, ok := after[f]; !ok {
			d = append(d, f+" removed")
		} else if v != w {
			d = append(d, f+" changed")
		}
	}
	for f := range after {
		if _, ok := before[f]; !ok {
			d = append(d, f+" created")
		}
	}
	return strings.Join(d, ", ")
}
