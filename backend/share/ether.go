package share

import (
	"fmt"
	"math/big"
	"strings"
)

var weiPerEther = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// ParseEther parses an amount of ether written by a person ("0.05", "1", "1.5e-3" is refused)
// into wei. At most 18 decimals; no sign, no exponent, no thousands separators.
func ParseEther(s string) (*big.Int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return new(big.Int), nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return nil, fmt.Errorf("%q is not an amount of ETH: write it like 0.01", s)
	}
	if whole == "" {
		whole = "0"
	}
	if !digits(whole) || (frac != "" && !digits(frac)) || strings.Count(s, ".") > 1 {
		return nil, fmt.Errorf("%q is not an amount of ETH: write it like 0.01", s)
	}
	if len(frac) > 18 {
		return nil, fmt.Errorf("%q has more than 18 decimals (1 wei is 0.000000000000000001 ETH)", s)
	}
	wei, _ := new(big.Int).SetString(whole+frac+strings.Repeat("0", 18-len(frac)), 10)
	return wei, nil
}

// FormatEther writes wei as ETH with no trailing zeros ("0.05", "12", "0.000000000000000001").
func FormatEther(wei *big.Int) string {
	if wei == nil {
		return "0"
	}
	sign := ""
	if wei.Sign() < 0 {
		sign, wei = "-", new(big.Int).Neg(wei)
	}
	q, r := new(big.Int).QuoRem(wei, weiPerEther, new(big.Int))
	if r.Sign() == 0 {
		return sign + q.String()
	}
	frac := strings.TrimRight(fmt.Sprintf("%018s", r.String()), "0")
	return sign + q.String() + "." + frac
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
