package testreal

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// recorder stands in for a test: it records how Need ended it.
type recorder struct {
	fatal, skip []string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = append(r.fatal, fmt.Sprintf(format, args...))
}
func (r *recorder) Skipf(format string, args ...any) {
	r.skip = append(r.skip, fmt.Sprintf(format, args...))
}

func TestNeed(t *testing.T) {
	missing := errors.New("exec: \"frob\": executable file not found in $PATH")
	for _, c := range []struct {
		ci         string
		err        error
		fail, skip bool
	}{
		{"true", missing, true, false},
		{"1", missing, true, false},
		{"TRUE", missing, true, false},
		{"", missing, false, true},
		{"false", missing, false, true},
		{"0", missing, false, true},
		{"yes-please", missing, false, true}, // not a boolean: not CI
		{"true", nil, false, false},
		{"", nil, false, false},
	} {
		t.Run(fmt.Sprintf("CI=%q,err=%v", c.ci, c.err != nil), func(t *testing.T) {
			t.Setenv("CI", c.ci)
			var r recorder
			Need(&r, "frob (Debian package frob)", c.err)
			if (len(r.fatal) == 1) != c.fail || (len(r.skip) == 1) != c.skip || len(r.fatal)+len(r.skip) > 1 {
				t.Fatalf("fatal %q, skip %q; want fail %v, skip %v", r.fatal, r.skip, c.fail, c.skip)
			}
			for _, msg := range append(r.fatal, r.skip...) {
				if !strings.Contains(msg, "frob (Debian package frob)") || !strings.Contains(msg, missing.Error()) {
					t.Fatalf("message %q does not name the part and the error", msg)
				}
			}
		})
	}
}

func TestInCIUnset(t *testing.T) {
	t.Setenv("CI", "")
	if InCI() {
		t.Fatal("InCI with CI empty")
	}
}

func TestNeedCommand(t *testing.T) {
	t.Setenv("CI", "true")
	var r recorder
	if p := NeedCommand(&r, "sh", "Debian package dash"); p == "" || len(r.fatal)+len(r.skip) != 0 {
		t.Fatalf("sh: path %q, fatal %q, skip %q", p, r.fatal, r.skip)
	}
	NeedCommand(&r, "datashare-no-such-program", "nowhere")
	if len(r.fatal) != 1 || !strings.Contains(r.fatal[0], "datashare-no-such-program (nowhere)") {
		t.Fatalf("missing program under CI: fatal %q, skip %q", r.fatal, r.skip)
	}
}
