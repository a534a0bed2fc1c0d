package config

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// FuzzParseAddress feeds ParseAddress addresses typed or pasted by people. Properties: no
// panic; an accepted address is 0x and 40 hex digits, its EIP-55 form (Hex) and its all-lower
// and all-upper forms parse to the same address; a mixed-case input is accepted only with a
// valid checksum; a rejected one is an error that names the input.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
		"0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
		"5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x", "0x123", " 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed ",
		"0xzzaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			if !strings.Contains(err.Error(), "address") && !strings.Contains(err.Error(), "checksum") {
				t.Fatalf("error %q does not say what is wrong", err)
			}
			return
		}
		trimmed := strings.TrimSpace(s)
		if len(trimmed) != 42 || !common.IsHexAddress(trimmed) {
			t.Fatalf("accepted %q", s)
		}
		if body := trimmed[2:]; body != strings.ToLower(body) && body != strings.ToUpper(body) && trimmed[2:] != a.Hex()[2:] {
			t.Fatalf("accepted %q with a wrong checksum (want %s)", s, a.Hex())
		}
		for _, form := range []string{a.Hex(), strings.ToLower(a.Hex()), "0x" + strings.ToUpper(a.Hex()[2:])} {
			if b, err := ParseAddress(form); err != nil || b != a {
				t.Fatalf("%q parsed to %s, but %q gives %s, %v", s, a, form, b, err)
			}
		}
	})
}
