package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// manCmd is `datashare man DIR`: writes the manual pages (datashare.1, datashare-publish.1,
// ...) into DIR. Hidden: `make man` runs it.
func (c *cli) manCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "man DIR",
		Short:             "write the manual pages into DIR",
		Hidden:            true,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := c.wantArgs("man", args, 1, "a directory to write the manual pages into"); err != nil {
				return err
			}
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return err
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			header := &doc.GenManHeader{Title: "DATASHARE", Section: "1", Source: "DataShare " + version, Manual: "DataShare Manual"}
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return fmt.Errorf("write the manual pages: %w", err)
			}
			fmt.Fprintf(c.stderr, "Wrote the manual pages into %s.\n", args[0])
			return nil
		},
	}
}
