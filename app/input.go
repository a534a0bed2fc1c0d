package app

import (
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/datashare/datashare/backend/share"
)

// Limits on what a person types.
const (
	maxNameLen        = 200  // characters
	maxDescriptionLen = 4000 // characters
)

// publishInput is Publish's input, checked.
type publishInput struct {
	path, name, description string
	price                   *big.Int // nil: free
}

func checkPublish(path, name, priceEth, description string) (publishInput, error) {
	in := publishInput{path: path, name: strings.TrimSpace(name), description: strings.TrimSpace(description)}
	if err := checkFile(path); err != nil {
		return in, err
	}
	if in.name == "" {
		in.name = filepath.Base(path)
	}
	if n := utf8.RuneCountInString(in.name); n > maxNameLen {
		return in, fmt.Errorf("the name is %d characters long; use at most %d", n, maxNameLen)
	}
	if strings.ContainsFunc(in.name, unicode.IsControl) {
		return in, errors.New("the name cannot contain line breaks or control characters")
	}
	if n := utf8.RuneCountInString(in.description); n > maxDescriptionLen {
		return in, fmt.Errorf("the description is %d characters long; use at most %d", n, maxDescriptionLen)
	}
	price, err := share.ParseEther(priceEth)
	if err != nil {
		return in, fmt.Errorf("price: %w", err)
	}
	if price.Sign() > 0 {
		in.price = price
	}
	return in, nil
}

// checkFile makes sure path names a regular file this user can read.
func checkFile(path string) error {
	if strings.TrimSpace(path) == "" {
		return errors.New("choose a file to publish")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist (was it moved or deleted?)", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s cannot be read: permission denied", path)
	case err != nil:
		return fmt.Errorf("%s cannot be read: %v", path, err)
	case fi.IsDir():
		return fmt.Errorf("%s is a folder; DataShare publishes single files (make an archive of the folder and drop that)", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s cannot be read: permission denied", path)
	}
	return f.Close()
}

// safeFileName turns a dataset name (chosen by a stranger) into a file name to offer in the
// save dialog: no directories, no control characters.
func safeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':':
			return '_'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), ".")
	if utf8.RuneCountInString(name) > maxNameLen {
		name = string([]rune(name)[:maxNameLen])
	}
	if name == "" {
		return "dataset"
	}
	return name
}
