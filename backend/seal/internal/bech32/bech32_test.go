package bech32

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	"filippo.io/age"
)

// Test vectors from BIP-173, "Test vectors".
var validBIP173 = []string{
	"A12UEL5L",
	"a12uel5l",
	"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
	"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
	"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
	"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
	"?1ezyfcl",
}

var invalidBIP173 = []struct {
	s, reason string
}{
	{"\x201nwldj5", "HRP character out of range"},
	{"\x7f1axkwrx", "HRP character out of range"},
	{"\x801eym55h", "HRP character out of range"},
	{"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "overall max length exceeded"},
	{"pzry9x0s0muk", "no separator character"},
	{"1pzry9x0s0muk", "empty HRP"},
	{"x1b4n0q5v", "invalid data character"},
	{"li1dgmt3", "too short checksum"},
	{"de1lg7wt\xff", "invalid character in checksum"},
	{"A1G7SGD8", "checksum calculated with uppercase form of HRP"},
	{"10a06t8", "empty HRP"},
	{"1qzzfhee", "empty HRP"},
}

func TestBIP173Valid(t *testing.T) {
	for _, s := range validBIP173 {
		t.Run(s, func(t *testing.T) {
			hrp, data, err := Decode(s)
			if err != nil {
				t.Fatalf("Decode(%q) failed: %v", s, err)
			}
			if want := strings.ToLower(s[:strings.LastIndexByte(s, '1')]); hrp != want {
				t.Errorf("Decode(%q) hrp = %q, want %q", s, hrp, want)
			}
			got, err := Encode(hrp, data)
			if err != nil {
				t.Fatalf("Encode(%q, %x) failed: %v", hrp, data, err)
			}
			if got != strings.ToLower(s) {
				t.Errorf("Encode(Decode(%q)) = %q", s, got)
			}
		})
	}
}

func TestBIP173Invalid(t *testing.T) {
	for _, tc := range invalidBIP173 {
		t.Run(tc.reason, func(t *testing.T) {
			if hrp, data, err := Decode(tc.s); err == nil {
				t.Errorf("Decode(%q) = %q, %x; want error (%s)", tc.s, hrp, data, tc.reason)
			}
		})
	}
}

func TestInvalidOther(t *testing.T) {
	valid, err := Encode("age", bytes.Repeat([]byte{0xaa}, 32))
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{
		"mixed case":   valid[:10] + strings.ToUpper(valid[10:]),
		"changed char": valid[:10] + "q" + valid[11:],
		"truncated":    valid[:len(valid)-1],
		"extended":     valid + "q",
		"empty":        "",
		"only sep":     "1",
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := Decode(s); err == nil {
				t.Errorf("Decode(%q) succeeded, want error", s)
			}
		})
	}
}

// withChecksum returns the Bech32 string for hrp and 5-bit values, with a
// valid checksum, bypassing the 8-to-5 bit conversion of Encode.
func withChecksum(hrp string, values []byte) string {
	s := hrp + "1"
	for _, v := range values {
		s += string(charset[v])
	}
	for _, v := range checksum(hrp, values) {
		s += string(charset[v])
	}
	return s
}

func TestPadding(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []byte
		ok     bool
	}{
		{"5 bits: a whole group of padding", []byte{0}, false},
		{"15 bits: 7 bits of padding", []byte{0, 0, 0}, false},
		{"10 bits: non-zero padding", []byte{0, 1}, false},
		{"10 bits: zero padding", []byte{0, 0}, true},
		{"20 bits: zero padding", []byte{31, 31, 31, 16}, true},
		{"20 bits: non-zero padding", []byte{31, 31, 31, 17}, false},
		{"40 bits: no padding", []byte{31, 31, 31, 31, 31, 31, 31, 31}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := withChecksum("a", tc.values)
			_, _, err := Decode(s)
			if tc.ok && err != nil {
				t.Errorf("Decode(%q) failed: %v", s, err)
			}
			if !tc.ok && err == nil {
				t.Errorf("Decode(%q) succeeded, want error", s)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		hrp  string
		data []byte
	}{
		"empty hrp":      {"", nil},
		"mixed case hrp": {"Age", nil},
		"space in hrp":   {"a b", nil},
		"non-ASCII hrp":  {"\u00e4", nil},
		"too long":       {"a", make([]byte, 52)},
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := Encode(tc.hrp, tc.data); err == nil {
				t.Errorf("Encode(%q, %x) = %q, want error", tc.hrp, tc.data, s)
			}
		})
	}
}

func TestRoundTripLengths(t *testing.T) {
	for n := 0; n <= 50; n++ {
		data := make([]byte, n)
		rand.Read(data)
		s, err := Encode("a", data)
		if err != nil {
			t.Fatalf("Encode of %d bytes: %v", n, err)
		}
		hrp, got, err := Decode(s)
		if err != nil {
			t.Fatalf("Decode of %d bytes: %v", n, err)
		}
		if hrp != "a" || !bytes.Equal(got, data) {
			t.Fatalf("round trip of %d bytes: got %q %x, want %x", n, hrp, got, data)
		}
		if _, got, err := Decode(strings.ToUpper(s)); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("uppercase round trip of %d bytes: %x, %v", n, got, err)
		}
	}
}

// TestAge checks that the encoding matches age's own for X25519 keys.
func TestAge(t *testing.T) {
	for range 100 {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}

		recipient := id.Recipient().String()
		hrp, pub, err := Decode(recipient)
		if err != nil {
			t.Fatalf("Decode(%q): %v", recipient, err)
		}
		if hrp != "age" || len(pub) != 32 {
			t.Fatalf("Decode(%q) = %q, %d bytes", recipient, hrp, len(pub))
		}
		if s, err := Encode("age", pub); err != nil || s != recipient {
			t.Fatalf("Encode(\"age\", pub) = %q, %v; want %q", s, err, recipient)
		}

		secret := id.String()
		hrp, scalar, err := Decode(secret)
		if err != nil {
			t.Fatalf("Decode of secret key: %v", err)
		}
		if hrp != "age-secret-key-" || len(scalar) != 32 {
			t.Fatalf("Decode of secret key = %q, %d bytes", hrp, len(scalar))
		}
		s, err := Encode("AGE-SECRET-KEY-", scalar)
		if err != nil || strings.ToUpper(s) != secret {
			t.Fatalf("Encode of secret key does not match age's (err: %v)", err)
		}
		id2, err := age.ParseX25519Identity(strings.ToUpper(s))
		if err != nil {
			t.Fatalf("age can't parse our secret key encoding: %v", err)
		}
		if id2.Recipient().String() != recipient {
			t.Fatalf("our secret key encoding parses to a different key")
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range validBIP173 {
		f.Add(s)
	}
	for _, tc := range invalidBIP173 {
		f.Add(tc.s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hrp, data, err := Decode(s)
		if err != nil {
			return
		}
		got, err := Encode(hrp, data)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)) failed: %v", s, err)
		}
		if got != strings.ToLower(s) {
			t.Fatalf("Encode(Decode(%q)) = %q", s, got)
		}
	})
}
