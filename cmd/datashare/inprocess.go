package main

import (
	"context"

	"github.com/datashare/datashare/backend/api"
	"github.com/datashare/datashare/backend/share"
)

// withService opens the profile in this process, runs f and closes it: for the commands that
// are not on the local API yet, which need the profile to themselves (refused while the
// desktop app or datashare serve runs it).
func (c *cli) withService(ctx context.Context, what string, f func(*share.Service) error) (err error) {
	if err := c.refuseIfRunning(ctx, what); err != nil {
		return err
	}
	s, err := share.Open(ctx, c.shareConfig(false))
	if err != nil {
		return err
	}
	defer closeService(&err, api.Local(s))
	return f(s)
}
