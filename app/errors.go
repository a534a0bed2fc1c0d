package app

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// Error is how a bound method fails. Wails v2 sends Error() to the frontend, whose promise then
// rejects with an Error carrying this text: a JSON object {"code","message"} that
// frontend/src/lib/api.ts decodes into an ApiError. Code is one of share.Codes, for the
// frontend to branch on; Message is a sentence for people. Job, pairing and start failures
// carry the same two fields in their events.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	b, err := json.Marshal(e)
	if err != nil { // cannot happen: two strings
		return `{"code":"internal","message":"DataShare could not describe an error."}`
	}
	return string(b)
}

// ErrorCode makes share.Code return e's code.
func (e *Error) ErrorCode() string { return e.Code }

// fail is the error a bound method returns for err: its code and the message a person reads.
func fail(err error) error {
	if err == nil {
		return nil
	}
	return failWith(err, message(err))
}

// failWith is fail with a message of the caller's.
func failWith(err error, msg string) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{Code: share.Code(err), Message: msg}
}

// appError is an error of this layer with its code (Error() is the plain message, so it can be
// wrapped; fail turns it into an *Error at the boundary).
type appError struct{ code, msg string }

func (e *appError) Error() string     { return e.msg }
func (e *appError) ErrorCode() string { return e.code }

func newError(code, msg string) error { return &appError{code: code, msg: msg} }

// invalid marks an error about what the user typed or chose as invalid_input, unless it says
// more already (a missing file is not_found).
func invalid(err error) error {
	if err == nil || share.Code(err) != share.CodeInternal {
		return err
	}
	return &appError{code: share.CodeInvalidInput, msg: err.Error()}
}

// message turns an error into what the user reads. Backend errors are already sentences.
func message(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "Canceled."
	case errors.Is(err, context.DeadlineExceeded):
		return "This took too long and was stopped. Check your connection and try again."
	case errors.Is(err, approval.ErrRejected):
		return "You rejected the transaction, so nothing was written to the chain."
	case errors.Is(err, approval.ErrExpired):
		return "Your phone did not answer in time, so nothing was written to the chain. Try again and approve it in your wallet app."
	}
	return err.Error()
}

// startMessage explains why the backend did not start.
func startMessage(err error) string {
	if errors.Is(err, errPassphraseCanceled) {
		return "DataShare needs your passphrase to unlock your keys. Choose Try again to enter it."
	}
	return message(err)
}
