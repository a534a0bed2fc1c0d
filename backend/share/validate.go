package share

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/datashare/datashare/backend/seal"
)

// The one set of rules for what a person types or chooses when publishing. The CLI and the app
// check their input with these functions before anything starts, and Publish checks again.

// Limits on what a person types.
const (
	// MaxNameChars bounds a dataset's name, in characters.
	MaxNameChars = 200
	// MaxDescriptionBytes bounds a description as its metadata stores it (JSON-escaped UTF-8:
	// most characters take 1 to 4 bytes, a few such as < > & take 6), so that the metadata
	// document, with every other field at its largest, stays within seal.MaxMetadataSize and
	// every reader accepts it.
	MaxDescriptionBytes = seal.MaxMetadataSize - metadataReserve
	// MaxProviderAddrs and MaxProviderAddrBytes bound the provider hints a metadata document
	// carries (see ProviderHint).
	MaxProviderAddrs     = 32
	MaxProviderAddrBytes = 256

	// metadataReserve is the room left for every field but the description: a name of
	// MaxNameChars (at most 6 bytes each, escaped), the hashes, CIDs, media type and time (under
	// 1 KiB) and one provider with MaxProviderAddrs addresses of MaxProviderAddrBytes (8.5 KiB).
	metadataReserve = 16 << 10
)

// CheckName checks a dataset's name and returns it without surrounding spaces. An empty name
// is returned as is (Publish then uses the file's name).
func CheckName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case !utf8.ValidString(name):
		return name, invalid("the name is not valid text (UTF-8)")
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || isLineOrBidi(r) }):
		return name, invalid("the name cannot contain line breaks, control characters or text-direction overrides")
	}
	if n := utf8.RuneCountInString(name); n > MaxNameChars {
		return name, invalidf("the name is %d characters long; use at most %d", n, MaxNameChars)
	}
	return name, nil
}

// CheckDescription checks a description and returns it without surrounding spaces. Line
// breaks and tabs are allowed; other control characters and text-direction overrides are not.
func CheckDescription(desc string) (string, error) {
	desc = strings.TrimSpace(desc)
	switch {
	case !utf8.ValidString(desc):
		return desc, invalid("the description is not valid text (UTF-8)")
	case strings.ContainsFunc(desc, func(r rune) bool {
		return (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') || (isLineOrBidi(r) && r != '\u2028' && r != '\u2029')
	}):
		return desc, invalid("the description cannot contain control characters or text-direction overrides")
	}
	if n := jsonLen(desc); n > MaxDescriptionBytes {
		return desc, invalidf("the description takes %d bytes once stored; shorten it to at most %d (about %d KiB of plain text)", n, MaxDescriptionBytes, MaxDescriptionBytes>>10)
	}
	return desc, nil
}

// isLineOrBidi reports line and paragraph separators and the characters that override the
// direction of the text around them (which can make "txt.exe" look like "exe.txt").
func isLineOrBidi(r rune) bool {
	switch {
	case r == '\u2028', r == '\u2029', r == '\u061c', r == '\u200e', r == '\u200f':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// CheckPrice parses an access price typed in ETH ("" is free) and checks the contract accepts it.
func CheckPrice(text string) (*big.Int, error) {
	wei, err := ParseEther(text)
	if err != nil {
		return nil, invalid(err.Error())
	}
	if err := CheckPriceWei(wei); err != nil {
		return nil, err
	}
	return wei, nil
}

// CheckPriceWei checks a price in wei (nil is free).
func CheckPriceWei(wei *big.Int) error {
	switch {
	case wei == nil:
		return nil
	case wei.Sign() < 0:
		return invalid("the price cannot be negative")
	case wei.Cmp(maxPrice) > 0:
		return invalidf("the price is too high: at most %s ETH", FormatEther(maxPrice))
	}
	return nil
}

// CheckPublishFile checks that path names a regular file this user can read. A missing file
// matches ErrNotFound.
func CheckPublishFile(path string) (os.FileInfo, error) {
	if strings.TrimSpace(path) == "" {
		return nil, invalid("choose a file to publish")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, notFound(fmt.Sprintf("%s: no such file (was it moved or deleted?)", path))
	case errors.Is(err, os.ErrPermission):
		return nil, invalidf("%s: permission denied", path)
	case err != nil:
		return nil, fmt.Errorf("%s cannot be read: %w", path, err)
	case fi.IsDir():
		return checkPublishFolder(path, fi)
	case !fi.Mode().IsRegular():
		return nil, invalidf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return nil, invalidf("%s: permission denied (the file is not readable)", path)
		}
		return nil, fmt.Errorf("%s cannot be read: %w", path, err)
	}
	f.Close()
	return fi, nil
}

// CheckPublish checks everything a publish is given: the file, the name (default: the file's
// name), the description and the price. It returns the options as Publish should use them.
func CheckPublish(path string, opts PublishOptions) (PublishOptions, error) {
	if _, err := CheckPublishFile(path); err != nil {
		return opts, err
	}
	return checkPublishOptions(path, opts)
}

// checkPublishOptions is CheckPublish without the file check, for a caller that checked the file.
func checkPublishOptions(path string, opts PublishOptions) (PublishOptions, error) {
	var err error
	if opts.Name, err = CheckName(opts.Name); err != nil {
		return opts, err
	}
	if opts.Name == "" {
		if opts.Name, err = CheckName(filepath.Base(path)); err != nil {
			return opts, fmt.Errorf("the file's name cannot be the dataset's name (%w): give one", err)
		}
	}
	if opts.Description, err = CheckDescription(opts.Description); err != nil {
		return opts, err
	}
	if err := CheckPriceWei(opts.Price); err != nil {
		return opts, err
	}
	return opts, nil
}

// ProviderHint is the provider entry of a metadata document for this node: at most
// MaxProviderAddrs addresses, none longer than MaxProviderAddrBytes.
func ProviderHint(peerID string, addrs []string) Provider {
	p := Provider{PeerID: peerID}
	for _, a := range addrs {
		if len(a) <= MaxProviderAddrBytes && len(p.Addrs) < MaxProviderAddrs {
			p.Addrs = append(p.Addrs, a)
		}
	}
	return p
}

// CheckMetadataFits checks that m, as stored, stays within the size every reader accepts.
func CheckMetadataFits(m Metadata) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if len(b) > seal.MaxMetadataSize {
		return invalidf("the metadata of %s would take %d bytes, more than the %d readers accept: shorten its description", m.Name, len(b), seal.MaxMetadataSize)
	}
	return nil
}

// jsonLen is the length of s as a JSON string.
func jsonLen(s string) int {
	b, _ := json.Marshal(s)
	return len(b)
}

// invalidInput is a sentence about what the user typed or chose; it matches ErrInvalidInput.
type invalidInput string

func (e invalidInput) Error() string        { return string(e) }
func (e invalidInput) Is(target error) bool { return target == ErrInvalidInput }

func invalid(msg string) error { return invalidInput(msg) }

func invalidf(format string, a ...any) error { return invalidInput(fmt.Sprintf(format, a...)) }
