package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/datashare/datashare/backend/archive"
)

func (c *cli) filesCmd() *cobra.Command {
	var version uint64
	cmd := &cobra.Command{
		Use:               "files ID",
		Short:             "the files inside folder dataset ID: path, size, media type, SHA-256",
		Long:              description(commandUsage["files"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.files(cmd.Context(), args, version) },
	}
	cmd.Flags().Uint64Var(&version, "version", 0, "the version to list (default: the newest you hold)")
	return cmd
}

func (c *cli) files(ctx context.Context, pos []string, version uint64) (err error) {
	if err := c.wantArgs("files", pos, 1, "a dataset ID (see datashare ls or datashare shared)"); err != nil {
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
	fs, err := s.Files(ctx, id, version)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, fs)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SIZE\tTYPE\tSHA-256\tPATH")
	var total int64
	for _, f := range fs {
		total += f.Size
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", humanSize(f.Size), f.MediaType, f.SHA256[:16], f.Path)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%d files, %s\n", len(fs), humanSize(total))
	return nil
}

// noteSkipped tells, for a folder about to be published, what it leaves out (symbolic links,
// devices, sockets, pipes), one line each on stderr.
func (c *cli) noteSkipped(ctx context.Context, path string) {
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		return
	}
	plan, err := archive.Scan(ctx, path)
	if err != nil {
		return // Publish reports it
	}
	for _, s := range plan.Skipped {
		fmt.Fprintf(c.stderr, "Leaving out %s: %s\n", filepath.Join(path, filepath.FromSlash(s.Path)), s.Why)
	}
}
