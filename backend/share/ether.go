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
	wei, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", 18-len(frac)), 10)
	if !ok {
		return nil, fmt.Errorf("%q is not an amount of ETH: write it like 0.01", s)
	}
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

// FormatSize writes a byte count for people: "512 B", "4.8 MiB"; "?" when unknown (negative).
func FormatSize(n int64) string {
	if n < 0 {
		return "?"
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// FormatEtherCeil writes wei as ETH rounded up to at most decimals places: for upper bounds such
// as a maximum fee, which must not be shown smaller than they are.
func FormatEtherCeil(wei *big.Int, decimals int) string {
	if wei == nil || wei.Sign() <= 0 || decimals >= 18 {
		return FormatEther(wei)
	}
	step := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(18-decimals)), nil)
	q, r := new(big.Int).QuoRem(wei, step, new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return FormatEther(q.Mul(q, step))
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
