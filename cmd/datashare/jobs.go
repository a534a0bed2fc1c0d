package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/datashare/datashare/backend/share"
)

// resume continues every unfinished publish and prints one line per job.
func (c *cli) resumeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "resume",
		Short:             "finish publishes interrupted by a crash or a rejection",
		Long:              description(commandUsage["resume"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.resume(cmd.Context(), args) },
	}
	c.yesFlag(cmd.Flags())
	return cmd
}

func (c *cli) resume(ctx context.Context, pos []string) (err error) {
	if err := c.wantArgs("resume", pos, 0, "no arguments (to resume one job: datashare jobs resume ID)"); err != nil {
		return err
	}
	s, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	p := c.progress()
	outcomes, err := s.Resume(ctx, p)
	p.finish()
	if c.g.json {
		if outcomes == nil {
			outcomes = []share.JobOutcome{}
		}
		if werr := writeJSON(c.stdout, outcomes); werr != nil {
			return werr
		}
	} else {
		for _, o := range outcomes {
			if o.Err != nil {
				fmt.Fprintf(c.stdout, "Failed    %s (job %s): %v\n", oneLine(o.Job.Name), o.Job.JobID, o.Err)
			} else {
				fmt.Fprintf(c.stdout, "Published %s as dataset %d\n", oneLine(o.Job.Name), o.Job.ID)
			}
		}
		if err == nil && len(outcomes) == 0 {
			fmt.Fprintln(c.stdout, "Nothing to resume.")
		}
	}
	if err != nil {
		return err
	}
	return outcomesErr(outcomes)
}

// outcomesErr is the error of a resume in which jobs failed: the first failure decides the exit
// code.
func outcomesErr(outcomes []share.JobOutcome) error {
	var first error
	failed := 0
	for _, o := range outcomes {
		if o.Err != nil {
			failed++
			if first == nil {
				first = o.Err
			}
		}
	}
	if first == nil {
		return nil
	}
	return &resumeError{n: failed, of: len(outcomes), first: first}
}

// resumeError reports how many resumed jobs failed (each is printed on its own line).
type resumeError struct {
	n, of int
	first error
}

func (e *resumeError) Error() string {
	return fmt.Sprintf("%d of %d unfinished publishes failed (see above; datashare jobs lists them)", e.n, e.of)
}
func (e *resumeError) Unwrap() error { return e.first }

// jobsCmd is `datashare jobs [list | resume ID | discard ID]`.
func (c *cli) jobsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "jobs",
		Short:             "list unfinished publishes (job ID, name, stage, status)",
		Long:              description(commandUsage["jobs"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.jobs(cmd.Context(), "list", args) },
	}
	list := &cobra.Command{
		Use:               "list",
		Short:             "list unfinished publishes",
		Hidden:            true, // 'datashare jobs' itself
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.jobs(cmd.Context(), "list", args) },
	}
	resume := &cobra.Command{
		Use:               "resume ID",
		Short:             "finish one unfinished publish",
		Long:              description(commandUsage["jobs resume"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.jobs(cmd.Context(), "resume", args) },
	}
	c.yesFlag(resume.Flags())
	discard := &cobra.Command{
		Use:               "discard ID",
		Short:             "drop an unfinished publish that never reached the chain, unpinning its data",
		Long:              description(commandUsage["jobs discard"]),
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(cmd *cobra.Command, args []string) error { return c.jobs(cmd.Context(), "discard", args) },
	}
	cmd.AddCommand(list, resume, discard)
	return cmd
}

// jobs lists unfinished publishes (sub "list"), or discards or resumes one.
func (c *cli) jobs(ctx context.Context, sub string, pos []string) (err error) {
	switch {
	case sub == "list" && len(pos) > 0:
		return usageError{fmt.Sprintf("unknown jobs command %q: use datashare jobs, jobs resume ID or jobs discard ID", pos[0])}
	case sub != "list":
		if err := c.wantArgs("jobs "+sub, pos, 1, "a job ID (see datashare jobs)"); err != nil {
			return err
		}
	}
	open := c.open
	if sub == "list" {
		open = c.openReadOnly // reads the index only: no IPFS node, no key, nothing sent
	}
	s, err := open(ctx)
	if err != nil {
		return err
	}
	defer closeService(&err, s)
	switch sub {
	case "discard":
		if err := s.DiscardJob(ctx, pos[0]); err != nil {
			return err
		}
		if c.g.json {
			return writeJSON(c.stdout, map[string]string{"discarded": pos[0]})
		}
		fmt.Fprintf(c.stdout, "Discarded job %s and unpinned what it added.\n", pos[0])
		return nil
	case "resume":
		p := c.progress()
		d, err := s.ResumeJob(ctx, pos[0], p)
		p.finish()
		if err != nil {
			return err
		}
		if c.g.json {
			return writeJSON(c.stdout, d)
		}
		fmt.Fprintf(c.stdout, "Published %s as dataset %d\n", oneLine(d.Name), d.ID)
		return nil
	}
	list, err := s.Jobs(ctx)
	if err != nil {
		return err
	}
	if c.g.json {
		return writeJSON(c.stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, "No unfinished publishes.")
		return nil
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "JOB\tNAME\tSTAGE\tSTATUS")
	for _, d := range list {
		status := d.Status
		if status == "interrupted" {
			status = "interrupted — resume or discard"
		}
		if d.Error != "" {
			status += ": " + oneLine(d.Error)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", d.JobID, oneLine(d.Name), d.Stage, status)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Resume with: datashare jobs resume JOB (or datashare resume for all); drop with: datashare jobs discard JOB")
	return nil
}
