package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// helpCommands is every command and subcommand with its own --help.
var helpCommands = []string{
	"publish", "get", "ls", "forget", "status", "resume", "jobs", "jobs resume", "jobs discard",
	"keys", "keys register", "keys export", "keys import",
	"share", "shared", "access", "update", "revoke", "link", "link list", "link revoke", "history",
	"wallet", "wallet pair", "wallet status", "wallet disconnect", "serve", "completion",
	"requests", "grant", "decline", "policy", "operator", "operator enable", "operator disable", "operator status",
	"catalog", "request", "requested", "refund", "earnings", "withdraw", "price", "files",
}

// TestCommandHelp asks every command for its usage in each way (-h, --help, datashare help
// CMD): the command's own usage on stdout, nothing on stderr, exit 0, and nothing run.
func TestCommandHelp(t *testing.T) {
	for _, cmd := range helpCommands {
		want, ok := usageOf(cmd)
		if !ok || !strings.HasPrefix(want, "Usage: datashare "+cmd) {
			t.Fatalf("usage of %q: %q", cmd, want)
		}
		words := strings.Fields(cmd)
		ways := [][]string{
			append(slices.Clone(words), "--help"),
			append(slices.Clone(words), "-h"),
			append([]string{"help"}, words...),
		}
		if cmd != "keys" && cmd != "wallet" && cmd != "jobs" && cmd != "completion" && cmd != "operator" { // there, x would be the subcommand
			// Flags before the command, and the help flag after other arguments.
			ways = append(ways, append([]string{"--data-dir", t.TempDir()}, append(slices.Clone(words), "x", "--help")...))
		}
		for _, args := range ways {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := run(args, nil, &stdout, &stderr)
				if code != exitOK || stdout.String() != want || stderr.Len() != 0 {
					t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 0 and:\n%s", code, &stdout, &stderr, want)
				}
			})
		}
	}
	// list is ls.
	var stdout bytes.Buffer
	if code := run([]string{"list", "--help"}, nil, &stdout, &bytes.Buffer{}); code != exitOK || !strings.HasPrefix(stdout.String(), "Usage: datashare ls") {
		t.Fatalf("list --help: exit %d, %q", code, &stdout)
	}
}

// TestCommandHelpFlags checks each command's usage against the flags it parses: every flag
// the command accepts is described, and every flag described exists.
func TestCommandHelpFlags(t *testing.T) {
	var g globals
	globalFS := pflag.NewFlagSet("", pflag.ContinueOnError)
	g.register(globalFS)
	root := (&cli{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}).rootCmd()
	described := regexp.MustCompile(`(?m)^  (?:-(\w), )?--([\w-]+)`)
	for _, cmd := range helpCommands {
		if cmd == "keys" || cmd == "wallet" || cmd == "operator" {
			continue // the subcommands parse the flags
		}
		t.Run(cmd, func(t *testing.T) {
			found, rest, err := root.Find(strings.Fields(cmd))
			if err != nil || len(rest) != 0 || commandName(found) != cmd {
				t.Fatalf("find %s = %s %v, %v; want the command", cmd, commandName(found), rest, err)
			}
			u, _ := usageOf(cmd)
			var inUsage, parsed []string
			for _, m := range described.FindAllStringSubmatch(u, -1) {
				if m[1] != "" {
					inUsage = append(inUsage, m[1])
				}
				inUsage = append(inUsage, m[2])
			}
			found.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
				if globalFS.Lookup(f.Name) == nil && f.Name != "help" {
					parsed = append(parsed, f.Name)
					if f.Shorthand != "" {
						parsed = append(parsed, f.Shorthand)
					}
				}
			})
			slices.Sort(inUsage)
			slices.Sort(parsed)
			if !slices.Equal(inUsage, parsed) {
				t.Fatalf("usage describes flags %v; the command parses %v", inUsage, parsed)
			}
		})
	}
}

// TestUsageListsEveryCommand keeps the top-level usage and the commands' usages consistent.
func TestUsageListsEveryCommand(t *testing.T) {
	listed := regexp.MustCompile(`(?m)^  ((?:keys|wallet|jobs|link|operator) [a-z]+|[a-z]+)\b`)
	var inTop []string
	_, commands, _ := strings.Cut(usage, "\nCommands:\n")
	commands, _, _ = strings.Cut(commands, "\n\n")
	for _, m := range listed.FindAllStringSubmatch(commands, -1) {
		inTop = append(inTop, m[1])
	}
	var own []string
	for name := range commandUsage {
		if name != "keys" && name != "wallet" && name != "operator" {
			own = append(own, name)
		}
	}
	slices.Sort(inTop)
	inTop = slices.Compact(inTop) // get ID and get LINK
	slices.Sort(own)
	if !slices.Equal(inTop, own) {
		t.Fatalf("datashare --help lists %v; commands with their own usage: %v", inTop, own)
	}
	for _, name := range own {
		if !slices.Contains(helpCommands, name) {
			t.Errorf("%s is not in helpCommands", name)
		}
	}
}

// TestHelpUnknownCommand: help for a command that does not exist is a usage error.
func TestHelpUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"help", "frobnicate"}, nil, &stdout, &stderr); code != exitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), `no command "frobnicate"`) {
		t.Fatalf("help frobnicate: exit %d, stdout %q, stderr %q", code, &stdout, &stderr)
	}
}
