package share

import (
	"strings"
	"testing"

	"github.com/datashare/datashare/backend/index"
)

// A journal whose price cannot be read refuses to sign instead of publishing at price 0.
func TestJobPriceRefusesAnUnreadablePrice(t *testing.T) {
	for _, price := range []string{"", "abc", "-1", "1e18", "79228162514264337593543950336"} {
		j := &index.Job{ID: "0123456789abcdef", Name: "report.pdf", Price: price}
		if v, err := jobPrice(j); err == nil {
			t.Errorf("price %q read as %s, want an error", price, v)
		} else if !strings.Contains(err.Error(), "datashare jobs discard 0123456789abcdef") {
			t.Errorf("price %q: %v: the message should say how to get out", price, err)
		}
	}
	for price, want := range map[string]string{"0": "0", "10000000000000000": "0.01"} {
		v, err := jobPrice(&index.Job{Price: price})
		if err != nil || FormatEther(v) != want {
			t.Errorf("price %q: %v, %v; want %s ETH", price, v, err, want)
		}
	}
}
