package keys

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// MinPassphraseLength is the least number of characters of a new passphrase
// (keys file or backup).
const MinPassphraseLength = 8

// CheckPassphrase returns an error wrapping ErrWeakPassphrase, with advice,
// if p is not acceptable as a new passphrase: shorter than
// MinPassphraseLength characters, only blanks, or one character repeated.
func CheckPassphrase(p string) error {
	n := utf8.RuneCountInString(p)
	_, first := utf8.DecodeRuneInString(p)
	switch {
	case strings.TrimSpace(p) == "":
		return fmt.Errorf("%w: the passphrase is empty; use at least %d characters, a few random words are best", ErrWeakPassphrase, MinPassphraseLength)
	case n < MinPassphraseLength:
		return fmt.Errorf("%w: %d characters is too short; use at least %d, a few random words are best", ErrWeakPassphrase, n, MinPassphraseLength)
	case strings.Count(p, p[:first]) == n:
		return fmt.Errorf("%w: one character repeated; a few random words are best", ErrWeakPassphrase)
	}
	return nil
}

// PassphraseFromEnvOrPrompt returns an [Options.Passphrase] for a command
// line program: the value of DATASHARE_PASSPHRASE if set, otherwise a
// passphrase typed without echo on the terminal in, with prompts written to
// out. For PurposeCreate it asks twice, and again (up to three times) when
// the two differ or the passphrase is too weak. If in is not a terminal, it
// returns an error wrapping ErrPassphraseRequired.
func PassphraseFromEnvOrPrompt(in *os.File, out io.Writer) func(ctx context.Context, purpose string) (string, error) {
	return func(ctx context.Context, purpose string) (string, error) {
		if p := os.Getenv(EnvPassphrase); p != "" {
			return p, nil
		}
		if in == nil || !term.IsTerminal(int(in.Fd())) {
			return "", fmt.Errorf("%w: no terminal to ask on; set %s", ErrPassphraseRequired, EnvPassphrase)
		}
		if purpose != PurposeCreate {
			return readPassword(ctx, in, out, "Passphrase of the DataShare keys file: ")
		}
		fmt.Fprintln(out, "There is no system keyring: DataShare keeps its keys in a file protected by a passphrase.")
		fmt.Fprintln(out, "Without the passphrase (or a backup) the keys cannot be recovered.")
		for range 3 {
			p, err := readPassword(ctx, in, out, "New passphrase: ")
			if err != nil {
				return "", err
			}
			if err := CheckPassphrase(p); err != nil {
				fmt.Fprintf(out, "%v.\n", err)
				continue
			}
			again, err := readPassword(ctx, in, out, "Repeat the passphrase: ")
			if err != nil {
				return "", err
			}
			if again != p {
				fmt.Fprintln(out, "The passphrases differ.")
				continue
			}
			return p, nil
		}
		return "", errors.New("no passphrase chosen")
	}
}

// readPassword reads a line from the terminal in without echo. When ctx ends
// first it restores the terminal and returns; the read is abandoned.
func readPassword(ctx context.Context, in *os.File, out io.Writer, prompt string) (string, error) {
	fd := int(in.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	fmt.Fprint(out, prompt)
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		fmt.Fprintln(out)
		if r.err != nil {
			return "", fmt.Errorf("read passphrase: %w", r.err)
		}
		return string(r.b), nil
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(out)
		return "", ctx.Err()
	}
}
