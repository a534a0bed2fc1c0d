package main

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/datashare/datashare/backend/api"
	"github.com/datashare/datashare/backend/config"
)

// version is the command's version, stamped at build time from git (the Makefile passes
// -ldflags "-X main.version=...").
var version = "dev"

// versionText is what `datashare --version` prints after the name; API is the version of the
// local API of a running profile this command speaks.
func versionText() string {
	return fmt.Sprintf("%s (%s, API v%d)", version, runtime.Version(), api.Version)
}

// rootCmd builds the command tree: every command's flags, help and shell completion.
// Commands write to c's streams; errors come back from Execute for run to print.
func (c *cli) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:     "datashare",
		Short:   "share files securely, with no central server",
		Long:    rootDescription(),
		Version: versionText(),
		Args:    cobra.ArbitraryArgs,
		// The command's own messages, not cobra's "Error:" lines and usage dumps: run prints
		// every error once (fail).
		SilenceErrors:     true,
		SilenceUsage:      true,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unknown command %q (see datashare --help)", args[0])}
			}
			fmt.Fprint(c.stdout, usage)
			return nil
		},
	}
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetVersionTemplate("datashare {{.Version}}\n")
	c.g.register(root.PersistentFlags())
	_ = root.MarkPersistentFlagDirname("data-dir")
	networks := []string{}
	for _, n := range config.Builtin() {
		networks = append(networks, n.Name)
	}
	_ = root.RegisterFlagCompletionFunc("network", fixedCompletions(append(networks, "custom")...))
	_ = root.RegisterFlagCompletionFunc("ipfs", fixedCompletions("auto", "embedded", "daemon"))
	_ = root.RegisterFlagCompletionFunc("ipfs-api", cobra.NoFileCompletions)
	root.SetFlagErrorFunc(flagError)
	root.SetHelpFunc(helpFunc)
	root.SetHelpCommand(c.helpCmd())
	root.AddCommand(c.publishCmd(), c.getCmd(), c.lsCmd(), c.forgetCmd(), c.statusCmd(),
		c.resumeCmd(), c.jobsCmd(), c.keysCmd(), c.walletCmd(), c.serveCmd(), c.manCmd(),
		c.shareCmd(), c.sharedCmd(), c.accessCmd(), c.updateCmd(), c.revokeCmd(), c.linkCmd(), c.historyCmd(), c.filesCmd(),
		c.requestsCmd(), c.grantCmd(), c.declineCmd(), c.policyCmd(), c.operatorCmd())
	root.AddCommand(c.buyCommands()...)
	root.InitDefaultCompletionCmd()
	c.adaptCompletionCmd(root)
	return root
}

// commandName is a command's name as `datashare help` takes it: "keys export"; "" for the
// top level.
func commandName(cmd *cobra.Command) string {
	return strings.TrimPrefix(strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()), " ")
}

// defaultHelp is cobra's help, for the commands without a usage of their own (man).
var defaultHelp = (&cobra.Command{}).HelpFunc()

// helpFunc prints a command's usage (-h, --help, datashare help CMD) on stdout.
func helpFunc(cmd *cobra.Command, args []string) {
	if !cmd.HasParent() {
		fmt.Fprint(cmd.OutOrStdout(), usage)
		return
	}
	if u, ok := usageOf(commandName(cmd)); ok {
		fmt.Fprint(cmd.OutOrStdout(), u)
		return
	}
	defaultHelp(cmd, args)
}

// helpCmd is `datashare help [COMMAND...]`.
func (c *cli) helpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "show the usage of datashare or of one command",
		Args:  cobra.ArbitraryArgs,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			found, _, err := cmd.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range found.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				fmt.Fprint(c.stdout, usage)
				return nil
			}
			found, rest, err := cmd.Root().Find(args)
			if err != nil || !found.HasParent() {
				return usageError{fmt.Sprintf("no command %q to help with (see datashare --help)", strings.Join(args, " "))}
			}
			found.HelpFunc()(found, rest)
			return nil
		},
	}
}

// adaptCompletionCmd gives cobra's `completion` command this command's usage errors.
func (c *cli) adaptCompletionCmd(root *cobra.Command) {
	for _, cmd := range root.Commands() {
		if cmd.Name() != "completion" {
			continue
		}
		cmd.Short = "print a shell completion script: bash, zsh, fish or powershell"
		cmd.Long = description(commandUsage["completion"])
		cmd.Args = func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unknown shell %q: use completion bash, zsh, fish or powershell", args[0])}
			}
			return nil
		}
		cmd.RunE = func(*cobra.Command, []string) error {
			return usageError{"completion needs a shell: bash, zsh, fish or powershell"}
		}
		for _, sh := range cmd.Commands() {
			sh.Args = func(sh *cobra.Command, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Sprintf("completion %s needs no arguments", sh.Name())}
				}
				return nil
			}
		}
	}
}

// fixedCompletions completes a flag's value from a fixed list.
func fixedCompletions(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// flagError turns a flag the command line got wrong into a usage error (exit 2), worded as
// the command always worded it.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	var notDefined *pflag.NotExistError
	var needsValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &notDefined):
		name := notDefined.GetSpecifiedName()
		if s := notDefined.GetSpecifiedShortnames(); s != "" {
			name = s
		}
		msg = "flag provided but not defined: -" + name
	case errors.As(err, &needsValue):
		msg = "flag needs an argument: -" + needsValue.GetSpecifiedName()
	case errors.As(err, &invalid):
		if invalid.GetFlag().Value.Type() == "bool" {
			msg = fmt.Sprintf("invalid value %q for -%s: write true or false, or leave the value out", invalid.GetValue(), invalid.GetFlag().Name)
		} else {
			msg = fmt.Sprintf("invalid value %q for -%s", invalid.GetValue(), invalid.GetFlag().Name)
		}
	}
	if name := commandName(cmd); name != "" {
		msg = name + ": " + msg
	}
	return usageError{msg}
}

// normalizeArgs keeps the command line's long flags written with one dash working (-json,
// -yes, -output PATH: the way datashare always took them) and --h, --o as -h, -o: each
// known flag is rewritten in the form pflag parses. A flag's value is never rewritten.
func normalizeArgs(root *cobra.Command, args []string) []string {
	long := map[string]bool{"help": false, "version": false} // flag name → takes a value
	short := map[string]bool{"h": false}
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{cmd.Flags(), cmd.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				long[f.Name] = f.NoOptDefVal == ""
				if f.Shorthand != "" {
					short[f.Shorthand] = f.NoOptDefVal == ""
				}
			})
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) < 2 || a[0] != '-' {
			out = append(out, a)
			continue
		}
		body := strings.TrimPrefix(a[1:], "-")
		name, _, hasValue := strings.Cut(body, "=")
		takesValue, known := long[name]
		switch {
		case known:
			a = "--" + body
		case len(name) == 1:
			if takesValue, known = short[name]; known {
				a = "-" + body
			}
		}
		out = append(out, a)
		if known && takesValue && !hasValue && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out
}

// description is a usage text without its "Usage:" lines and flag list: the prose of man pages.
func description(u string) string {
	if strings.HasPrefix(u, "Usage:") {
		if _, rest, ok := strings.Cut(u, "\n\n"); ok {
			u = rest
		}
	}
	for _, section := range []string{"\nFlags:\n", "\nCommands:\n"} {
		if before, _, ok := strings.Cut(u, section); ok {
			u = before
		}
	}
	return strings.TrimSpace(u)
}

// rootDescription is the top-level usage without its lists: the prose of the man page.
func rootDescription() string {
	intro, _, _ := strings.Cut(usage, "\nUsage:\n")
	_, intro, _ = strings.Cut(intro, "\n\n") // after the title line
	_, more, _ := strings.Cut(usage, "\nApproving:")
	more, _, _ = strings.Cut(more, "\nExamples:\n")
	return strings.TrimSpace(intro) + "\n\nApproving:" + strings.TrimRight(more, "\n")
}
