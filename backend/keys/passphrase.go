package keys

import (
	"context"
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

// EnvBackupPassphrase is the environment variable that holds the passphrase of a key backup
// (export and import), for scripts. It is never taken for the keys file's passphrase
// ([EnvPassphrase]), nor that one for a backup's.
const EnvBackupPassphrase = "DATASHARE_BACKUP_PASSPHRASE"

// PassphraseFromEnvOrPrompt returns an [Options.Passphrase] for a command
// line program: the value of DATASHARE_PASSPHRASE if set, otherwise a
// passphrase typed without echo on the terminal in, with prompts written to
// out that name this profile's keys file. For PurposeCreate it asks twice,
// and again (up to three times) when the two differ or the passphrase is too
// weak. If in is not a terminal, it returns an error wrapping
// ErrPassphraseRequired.
func PassphraseFromEnvOrPrompt(in *os.File, out io.Writer) func(ctx context.Context, purpose string) (string, error) {
	return func(ctx context.Context, purpose string) (string, error) {
		if p := os.Getenv(EnvPassphrase); p != "" {
			return p, nil
		}
		if purpose == PurposeCreate && isTerminal(in) {
			fmt.Fprintln(out, "There is no system keyring: DataShare keeps its keys in a file protected by a passphrase.")
			fmt.Fprintln(out, "Without the passphrase (or a backup) the keys cannot be recovered.")
		}
		return ask(ctx, in, out, "this profile's keys file", purpose, "set "+EnvPassphrase)
	}
}

// BackupPassphrase returns the passphrase of the key backup file name (shown in prompts; "-"
// is standard input or output) for purpose PurposeCreate (export) or PurposeUnlock (import):
// the first line of passFile when it is not empty, else the value of DATASHARE_BACKUP_PASSPHRASE,
// else typed without echo on the terminal in (twice, and checked, for PurposeCreate). It never
// takes the keys file's passphrase (DATASHARE_PASSPHRASE). A new passphrase from a file or the
// environment is checked with CheckPassphrase too.
func BackupPassphrase(ctx context.Context, in *os.File, out io.Writer, name, passFile, purpose string) (string, error) {
	what := "the backup file " + name
	if name == "-" {
		what = map[bool]string{true: "the backup on standard output", false: "the backup on standard input"}[purpose == PurposeCreate]
	}
	var p string
	switch {
	case passFile != "":
		b, err := os.ReadFile(passFile)
		if err != nil {
			return "", fmt.Errorf("read the passphrase for %s: %w", what, err)
		}
		p, _, _ = strings.Cut(string(b), "\n")
		p = strings.TrimSuffix(p, "\r")
		if p == "" {
			return "", fmt.Errorf("%w for %s: the file %s is empty", ErrPassphraseRequired, what, passFile)
		}
	case os.Getenv(EnvBackupPassphrase) != "":
		p = os.Getenv(EnvBackupPassphrase)
	default:
		return ask(ctx, in, out, what, purpose, "set "+EnvBackupPassphrase+" or use --passphrase-file")
	}
	if purpose == PurposeCreate {
		if err := CheckPassphrase(p); err != nil {
			return "", fmt.Errorf("the passphrase for %s: %w", what, err)
		}
	}
	return p, nil
}

func isTerminal(in *os.File) bool { return in != nil && term.IsTerminal(int(in.Fd())) }

// ask reads the passphrase of what on the terminal in: once for PurposeUnlock; for
// PurposeCreate twice, and again (up to three times) when the two differ or it is too weak.
// Without a terminal it fails with ErrPassphraseRequired and the advice orElse.
func ask(ctx context.Context, in *os.File, out io.Writer, what, purpose, orElse string) (string, error) {
	if !isTerminal(in) {
		return "", fmt.Errorf("%w for %s: there is no terminal to ask on; %s", ErrPassphraseRequired, what, orElse)
	}
	if purpose != PurposeCreate {
		return readPassword(ctx, in, out, "Passphrase of "+what+": ")
	}
	for range 3 {
		p, err := readPassword(ctx, in, out, "New passphrase for "+what+": ")
		if err != nil {
			return "", err
		}
		if err := CheckPassphrase(p); err != nil {
			fmt.Fprintf(out, "%v.\n", err)
			continue
		}
		again, err := readPassword(ctx, in, out, "Repeat the passphrase for "+what+": ")
		if err != nil {
			return "", err
		}
		if again != p {
			fmt.Fprintln(out, "The passphrases differ.")
			continue
		}
		return p, nil
	}
	return "", fmt.Errorf("no passphrase chosen for %s", what)
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
