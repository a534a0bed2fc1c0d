package api

import (
	"context"
	"fmt"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// route is how to reach the user who made a call: the prompts of its client.
type route struct {
	confirm share.ConfirmFunc                             // nil: the client cannot answer prompts
	phone   func(ctx context.Context, s approval.Summary) // never nil
}

type routeKey struct{}

func withRoute(ctx context.Context, r *route) context.Context {
	return context.WithValue(ctx, routeKey{}, r)
}

func routeOf(ctx context.Context) *route {
	r, _ := ctx.Value(routeKey{}).(*route)
	return r
}

// RouteConfirm is the share.Config.Confirm of a process that serves the API: a transaction of a
// call that came through the API is approved by that call's client (in the terminal that typed
// the command); any other by fallback (nil: refused, approval.ErrNoConfirm).
func RouteConfirm(fallback share.ConfirmFunc) share.ConfirmFunc {
	return func(ctx context.Context, s approval.Summary) (bool, error) {
		if r := routeOf(ctx); r != nil {
			if r.confirm == nil {
				return false, fmt.Errorf("the command that asked for this cannot ask for approval: %w", approval.ErrNoConfirm)
			}
			return r.confirm(ctx, s)
		}
		if fallback == nil {
			return false, approval.ErrNoConfirm
		}
		return fallback(ctx, s)
	}
}

// RoutePhoneRequest is the share.Config.OnPhoneRequest of a process that serves the API: "check
// your phone" goes to the client of the call that sent the transaction, else to fallback (may
// be nil).
func RoutePhoneRequest(fallback func(context.Context, approval.Summary)) func(context.Context, approval.Summary) {
	return func(ctx context.Context, s approval.Summary) {
		if r := routeOf(ctx); r != nil {
			r.phone(ctx, s)
			return
		}
		if fallback != nil {
			fallback(ctx, s)
		}
	}
}

// RefuseConfirm is a fallback for RouteConfirm in a process with no one to ask (a headless
// server): it refuses, saying how to approve instead.
func RefuseConfirm(reason string) share.ConfirmFunc {
	return func(context.Context, approval.Summary) (bool, error) {
		return false, fmt.Errorf("%s: %w", reason, approval.ErrNoConfirm)
	}
}
