//go:build !unix

package share

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs here") }
