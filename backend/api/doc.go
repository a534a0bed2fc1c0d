// Package api is the local API of a running DataShare profile: the desktop app and
// `datashare serve` serve their open profile on it, and the datashare command talks to it, like
// the ipfs command and its daemon. A profile is opened by one process at a time (its IPFS
// repository and keys are single-owner); any other face of the same profile goes through here.
//
// Most callers need two functions. A process that has the profile open calls Serve with its
// *share.Service; a command that wants the profile calls Dial and, when it gets ErrNotRunning,
// opens the profile itself and wraps it with Local. Both give a Profile, so the code of a
// command is the same either way, and so are its output, errors and exit codes.
//
// # Transport
//
// One Unix domain socket, SocketPath(dataDir) = <dataDir>/api.sock, owner-only: the socket is
// bound in a fresh 0700 directory, made 0600, then renamed into place, so it is never
// connectable by another user, and the server checks the uid of every peer (SO_PEERCRED on
// Linux, LOCAL_PEERCRED on macOS, the peer's process token on Windows). There is no TCP
// listener. A server holds an exclusive lock on <dataDir>/api.lock for as long as it runs:
// a socket file nobody listens on is removed only by whoever gets that lock, so the socket of
// a live server is never removed. Paths longer than a socket address allows (about 108 bytes)
// are reached through the directory's file descriptor on Linux.
//
// # Protocol
//
// Newline-delimited JSON messages, one call per connection. Both sides first send a hello
// {"t":"hello","program":"DataShare","api":Version,...}; a peer of another API version gets a
// *VersionError, anything that is not DataShare a clear error. The client then sends
// {"t":"call","method":...,"args":...}. During the call the server sends progress
// ("stage", "bytes", throttled), approval prompts ("confirm", answered by the client's
// "answer") and "check your phone" notes ("phone"); the call ends with "result" or "error"
// {code, message}. The client's "cancel", or its closing the connection, cancels the call's
// context on the server. See wire.go; the calls are in methods.go, which says how to add one.
//
// # Approval
//
// A transaction started through the API is approved in the terminal that asked for it: the
// serving process opens its Service with
//
//	share.Config{Confirm: api.RouteConfirm(fallback), OnPhoneRequest: api.RoutePhoneRequest(fallback)}
//
// and the server puts each call's client prompt into the call's context; calls that did not
// come through the API use fallback (the desktop app's dialog).
//
// # Errors
//
// An error of a call comes back as an *Error whose share.Code is the server's code and which
// matches (errors.Is) every sentinel error of that code (share.ErrNotFound, os.ErrNotExist,
// context.Canceled, walletconnect.ErrExpired, ...), so the command's exit code and message are
// the same as in-process. A *share.ExistsError survives as one (errors.As), and an error that
// the client's own Confirm returned during the call is wrapped by the call's error.
package api
