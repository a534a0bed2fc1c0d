package share

import (
	"math/big"
	"testing"
)

func TestEther(t *testing.T) {
	for _, c := range []struct{ in, wei, back string }{
		{"0", "0", "0"},
		{"", "0", "0"},
		{"1", "1000000000000000000", "1"},
		{"0.05", "50000000000000000", "0.05"},
		{".5", "500000000000000000", "0.5"},
		{"12.", "12000000000000000000", "12"},
		{"0.000000000000000001", "1", "0.000000000000000001"},
		{"79228162514.264337593543950335", "79228162514264337593543950335", "79228162514.264337593543950335"},
	} {
		w, err := ParseEther(c.in)
		if err != nil || w.String() != c.wei {
			t.Errorf("ParseEther(%q) = %v, %v; want %s", c.in, w, err, c.wei)
			continue
		}
		if got := FormatEther(w); got != c.back {
			t.Errorf("FormatEther(%s) = %q, want %q", w, got, c.back)
		}
	}
	for _, bad := range []string{"-1", "1e18", "0.0000000000000000001", "1,5", "1.2.3", "abc", "0x10", "."} {
		if w, err := ParseEther(bad); err == nil {
			t.Errorf("ParseEther(%q) = %s, want an error", bad, w)
		}
	}
	if got := FormatEther(big.NewInt(-1500000000000000000)); got != "-1.5" {
		t.Errorf("FormatEther(-1.5 ETH) = %q", got)
	}
}

func TestFormatEtherCeil(t *testing.T) {
	for _, c := range []struct {
		wei  int64
		want string
	}{{130478250074559, "0.00013048"}, {1, "0.00000001"}, {100000000000, "0.0000001"}, {0, "0"}, {1e18, "1"}} {
		if got := FormatEtherCeil(big.NewInt(c.wei), 8); got != c.want {
			t.Errorf("FormatEtherCeil(%d, 8) = %q, want %q", c.wei, got, c.want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{-1: "?", 0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 5 << 20: "5.0 MiB", 1 << 30: "1.0 GiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
