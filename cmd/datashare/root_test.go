package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestNormalizeArgs: long flags with one dash and one-letter flags with two are rewritten
// for pflag; values, positional arguments and everything after -- are left alone.
func TestNormalizeArgs(t *testing.T) {
	root := (&cli{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}).rootCmd()
	for _, c := range []struct{ in, want string }{
		{"-json ls", "--json ls"},
		{"--json ls", "--json ls"},
		{"get 1 -output x", "get 1 --output x"},
		{"get 1 --o x", "get 1 -o x"},
		{"get 1 -o=x", "get 1 -o=x"},
		{"get 1 -output=-json", "get 1 --output=-json"},
		{"publish f --name -json --yes", "publish f --name -json --yes"},          // a value is never rewritten
		{"publish f -price -1 -yes", "publish f --price -1 --yes"},                // nor a negative number given as one
		{"publish f -help", "publish f --help"},                                   // -help and --h as the flag package took them
		{"publish f --h", "publish f -h"},                                         //
		{"publish -bogus", "publish -bogus"},                                      // unknown: pflag reports it
		{"keys export - -passphrase-file p", "keys export - --passphrase-file p"}, // - is an argument
		{"publish -- -json", "publish -- -json"},
		{"-data-dir -json status", "--data-dir -json status"},
	} {
		got := strings.Join(normalizeArgs(root, strings.Fields(c.in)), " ")
		if got != c.want {
			t.Errorf("normalizeArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// runIn runs the command in this process (for what never opens a profile).
func runIn(args ...string) result {
	var stdout, stderr bytes.Buffer
	code := run(args, nil, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// TestFlagsAnywhere: global flags before or after the command, one dash or two, and --json
// errors on stderr.
func TestFlagsAnywhere(t *testing.T) {
	for _, args := range [][]string{
		{"-json", "get", "0", "-o", "x"},
		{"get", "0", "-json", "-o", "x"},
		{"get", "0", "--output=x", "--json"},
		{"--json", "get", "-o", "x", "0"},
	} {
		r := runIn(args...)
		var e struct {
			Error    string
			ExitCode int
		}
		if err := json.Unmarshal([]byte(r.stderr), &e); err != nil || r.code != exitUsage || e.ExitCode != exitUsage ||
			!strings.Contains(e.Error, `"0" is not a dataset ID`) || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q (%v)", args, r.code, r.stdout, r.stderr, err)
		}
	}
	// A bool flag given a value that is not one.
	if r := runIn("ls", "--json=maybe"); r.code != exitUsage || !strings.Contains(r.stderr, `invalid value "maybe" for -json`) {
		t.Errorf("ls --json=maybe: exit %d, %q", r.code, r.stderr)
	}
	// A flag of another command.
	if r := runIn("ls", "--force"); r.code != exitUsage || !strings.Contains(r.stderr, "ls: flag provided but not defined: -force") {
		t.Errorf("ls --force: exit %d, %q", r.code, r.stderr)
	}
}

// TestVersion: --version names the build, the Go release and the API version, on stdout.
func TestVersion(t *testing.T) {
	r := runIn("--version")
	if r.code != exitOK || r.stderr != "" || !regexp.MustCompile(`^datashare \S+ \(go[0-9][^,]*, API v[0-9]+\)\n$`).MatchString(r.stdout) {
		t.Fatalf("--version: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "datashare "+version+" ") {
		t.Fatalf("--version %q does not show the version %q", r.stdout, version)
	}
}

// TestCompletion: each shell's script, and the completions the command answers itself: files
// for publish, none for dataset IDs, the networks for --network.
func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "__start_datashare", "zsh": "#compdef datashare", "fish": "complete -c datashare",
		"powershell": "Register-ArgumentCompleter",
	} {
		r := runIn("completion", shell)
		if r.code != exitOK || !strings.Contains(r.stdout, want) || r.stderr != "" {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes without %q", shell, r.code, r.stderr, len(r.stdout), want)
		}
	}
	// cobra's protocol: candidates one a line, then ":DIRECTIVE" (0 default = files, 4 no files).
	complete := func(args ...string) (candidates []string, directive string) {
		t.Helper()
		r := runIn(append([]string{"__complete"}, args...)...)
		if r.code != exitOK {
			t.Fatalf("__complete %v: exit %d, %q", args, r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		for _, l := range lines[:len(lines)-1] {
			name, _, _ := strings.Cut(l, "\t")
			candidates = append(candidates, name)
		}
		return candidates, lines[len(lines)-1]
	}
	if _, d := complete("publish", ""); d != ":0" {
		t.Errorf("publish completes with directive %s, want files (:0)", d)
	}
	if _, d := complete("get", ""); d != ":4" {
		t.Errorf("get ID completes with directive %s, want no files (:4)", d)
	}
	if c, _ := complete("--network", ""); !slices.Contains(c, "local") || !slices.Contains(c, "sepolia") || !slices.Contains(c, "custom") {
		t.Errorf("--network completes to %v", c)
	}
	if c, _ := complete("jobs", ""); !slices.Contains(c, "resume") || !slices.Contains(c, "discard") || slices.Contains(c, "list") {
		t.Errorf("jobs completes to %v", c)
	}
	if c, _ := complete(""); !slices.Contains(c, "publish") || slices.Contains(c, "man") {
		t.Errorf("commands complete to %v", c)
	}
}

// TestManPages: `datashare man DIR` writes one page per command, with the command's own
// description and flags; hidden commands have none.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	r := runIn("man", dir)
	if r.code != exitOK {
		t.Fatalf("man: exit %d, %q", r.code, r.stderr)
	}
	page := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pub := page("datashare-publish.1")
	for _, want := range []string{`.TH "DATASHARE"`, "register it on chain", "--price", "--data-dir"} {
		if !strings.Contains(pub, want) {
			t.Errorf("datashare-publish.1 lacks %q", want)
		}
	}
	if top := page("datashare.1"); !strings.Contains(top, "datashare-publish(1)") || !strings.Contains(top, "Exit codes") {
		t.Errorf("datashare.1 does not list publish or the exit codes")
	}
	page("datashare-keys-export.1")
	if _, err := os.Stat(filepath.Join(dir, "datashare-man.1")); err == nil {
		t.Error("a page for the hidden man command")
	}
	if r := runIn("man"); r.code != exitUsage || !strings.Contains(r.stderr, "man needs a directory") {
		t.Errorf("man without a directory: exit %d, %q", r.code, r.stderr)
	}
}
