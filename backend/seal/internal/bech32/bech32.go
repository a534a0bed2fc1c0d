// Package bech32 implements the Bech32 encoding specified in BIP-173.
//
// It exists because age encodes its X25519 keys as Bech32 strings ("age1..."
// and "AGE-SECRET-KEY-1...") but keeps its own implementation internal, while
// seal needs to convert between those strings and the raw 32-byte keys that
// are registered on chain.
//
// Only the original Bech32 checksum is implemented (not Bech32m, BIP-350),
// since that is what age uses. The BIP-173 limit of 90 characters is enforced.
package bech32

import (
	"errors"
	"fmt"
	"strings"
)

// MaxLength is the maximum length of a Bech32 string, per BIP-173.
const MaxLength = 90

const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// charsetRev maps an ASCII byte to its 5-bit value, or -1.
var charsetRev = func() (rev [128]int8) {
	for i := range rev {
		rev[i] = -1
	}
	for i, c := range []byte(charset) {
		rev[c] = int8(i)
	}
	return rev
}()

var generator = [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}

func polymod(chk uint32, values []byte) uint32 {
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i, g := range generator {
			if (top>>i)&1 == 1 {
				chk ^= g
			}
		}
	}
	return chk
}

// hrpExpand returns the HRP expansion of a lowercase hrp, per BIP-173.
func hrpExpand(hrp string) []byte {
	out := make([]byte, 0, 2*len(hrp)+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

func checksum(hrp string, data []byte) [6]byte {
	chk := polymod(1, hrpExpand(hrp))
	chk = polymod(chk, data)
	chk = polymod(chk, make([]byte, 6)) ^ 1
	var out [6]byte
	for i := range out {
		out[i] = byte(chk>>(5*(5-i))) & 31
	}
	return out
}

func validHRP(hrp string) error {
	if len(hrp) < 1 || len(hrp) > 83 {
		return fmt.Errorf("human-readable part length %d is out of range [1, 83]", len(hrp))
	}
	for i := 0; i < len(hrp); i++ {
		if c := hrp[i]; c < 33 || c > 126 {
			return fmt.Errorf("invalid character in human-readable part at position %d", i)
		}
	}
	return nil
}

// Encode returns the Bech32 encoding of data with the human-readable part hrp.
//
// The result is always lowercase, as required by BIP-173; hrp may be given in
// either case, but not mixed. Callers that need the uppercase form (like age
// secret keys) can apply strings.ToUpper to the result.
func Encode(hrp string, data []byte) (string, error) {
	if err := validHRP(hrp); err != nil {
		return "", err
	}
	lower := strings.ToLower(hrp)
	if hrp != lower && hrp != strings.ToUpper(hrp) {
		return "", errors.New("mixed-case human-readable part")
	}
	values := convertBits(data, 8, 5)
	if n := len(lower) + 1 + len(values) + 6; n > MaxLength {
		return "", fmt.Errorf("encoding would be %d characters, more than %d", n, MaxLength)
	}
	var b strings.Builder
	b.Grow(len(lower) + 1 + len(values) + 6)
	b.WriteString(lower)
	b.WriteByte('1')
	for _, v := range values {
		b.WriteByte(charset[v])
	}
	for _, v := range checksum(lower, values) {
		b.WriteByte(charset[v])
	}
	return b.String(), nil
}

// Decode parses a Bech32 string, verifies its checksum, and returns its
// human-readable part (always lowercase) and its data converted to bytes.
//
// The string must be entirely lowercase or entirely uppercase. The data must
// use at most 4 bits of zero padding, as produced by Encode.
//
// Error messages never include the input, which might be a secret key.
func Decode(s string) (hrp string, data []byte, err error) {
	if len(s) > MaxLength {
		return "", nil, fmt.Errorf("string is %d characters, more than %d", len(s), MaxLength)
	}
	var hasLower, hasUpper bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c > 126 {
			return "", nil, fmt.Errorf("invalid character at position %d", i)
		}
		hasLower = hasLower || ('a' <= c && c <= 'z')
		hasUpper = hasUpper || ('A' <= c && c <= 'Z')
	}
	if hasLower && hasUpper {
		return "", nil, errors.New("mixed-case string")
	}
	s = strings.ToLower(s)

	pos := strings.LastIndexByte(s, '1')
	if pos < 0 {
		return "", nil, errors.New("missing separator '1'")
	}
	if pos == 0 {
		return "", nil, errors.New("empty human-readable part")
	}
	if len(s)-pos-1 < 6 {
		return "", nil, errors.New("data part is shorter than the 6-character checksum")
	}
	hrp = s[:pos]
	if err := validHRP(hrp); err != nil {
		return "", nil, err
	}

	values := make([]byte, 0, len(s)-pos-1)
	for i := pos + 1; i < len(s); i++ {
		v := charsetRev[s[i]] // s[i] < 127 was checked above
		if v < 0 {
			return "", nil, fmt.Errorf("invalid data character at position %d", i)
		}
		values = append(values, byte(v))
	}
	if polymod(polymod(1, hrpExpand(hrp)), values) != 1 {
		return "", nil, errors.New("invalid checksum")
	}

	data, err = convertBitsStrict(values[:len(values)-6], 5, 8)
	if err != nil {
		return "", nil, err
	}
	return hrp, data, nil
}

// convertBits regroups data from frombits-bit to tobits-bit values, padding
// the last group with zero bits.
func convertBits(data []byte, frombits, tobits uint) []byte {
	var out []byte
	var acc uint32
	var bits uint
	maxv := uint32(1)<<tobits - 1
	for _, v := range data {
		acc = acc<<frombits | uint32(v)
		bits += frombits
		for bits >= tobits {
			bits -= tobits
			out = append(out, byte(acc>>bits&maxv))
		}
	}
	if bits > 0 {
		out = append(out, byte(acc<<(tobits-bits)&maxv))
	}
	return out
}

// convertBitsStrict is like convertBits, but it rejects input values that
// don't fit in frombits, and it rejects padding that is not zero or that is
// frombits or more long.
func convertBitsStrict(data []byte, frombits, tobits uint) ([]byte, error) {
	var out []byte
	var acc uint32
	var bits uint
	maxv := uint32(1)<<tobits - 1
	for _, v := range data {
		if uint32(v)>>frombits != 0 {
			return nil, errors.New("invalid data value")
		}
		acc = acc<<frombits | uint32(v)
		bits += frombits
		for bits >= tobits {
			bits -= tobits
			out = append(out, byte(acc>>bits&maxv))
		}
	}
	if bits >= frombits {
		return nil, errors.New("too much padding")
	}
	if acc<<(tobits-bits)&maxv != 0 {
		return nil, errors.New("non-zero padding")
	}
	return out, nil
}
