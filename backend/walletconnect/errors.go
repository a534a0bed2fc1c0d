package walletconnect

import (
	"errors"
	"fmt"
)

// Errors callers branch on, with errors.Is. They are wrapped with details.
var (
	// ErrRejected: the account holder declined on the phone (the session proposal or a request).
	// A *WalletError with a rejection code (4001, 4100, 5000–5003) matches it.
	ErrRejected = errors.New("rejected in the wallet")
	// ErrExpired: the pairing QR or a request expired before the wallet answered; or the
	// wallet answered with error 8000 (request expired).
	ErrExpired = errors.New("expired before the wallet answered")
	// ErrNoSession: no phone wallet is connected (never paired, disconnected, or the session
	// expired or was ended on the phone). Pair again.
	ErrNoSession = errors.New("no phone wallet connected")
	// ErrRelayUnavailable: the WalletConnect relay cannot be used, so phone approval is
	// unavailable. The wrapping error says why (unreachable, project ID refused, timeout).
	ErrRelayUnavailable = errors.New("phone approval is unavailable: the WalletConnect relay cannot be used")
	// ErrBadSignature: the wallet returned a signature that is not the session account's.
	ErrBadSignature = errors.New("the wallet's signature is not from the connected account")
	// ErrClosed: the Client was closed.
	ErrClosed = errors.New("walletconnect client closed")
)

// WalletError is an error answer from the wallet to a request.
type WalletError struct {
	Code    int
	Message string
}

func (e *WalletError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("the wallet answered with error %d", e.Code)
	}
	return fmt.Sprintf("the wallet answered with error %d: %s", e.Code, e.Message)
}

// Is makes rejection codes match ErrRejected and 8000 match ErrExpired.
func (e *WalletError) Is(target error) bool {
	switch target {
	case ErrRejected:
		switch e.Code {
		case 4001, // EIP-1193 user rejected
			4100,                   // EIP-1193 unauthorized: the account or method is not allowed
			5000, 5001, 5002, 5003: // CAIP-25 user rejected (chains, methods, events)
			return true
		}
	case ErrExpired:
		return e.Code == 8000
	}
	return false
}
