package share_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/share"
)

// BenchmarkRequestDelivered measures a paid request on the local chain from the buyer's side:
// from Request (pay into escrow, approved) until it returns with the key delivered. The owner
// answers as soon as it sees the request (polling every 10 ms), with the grant path, standing
// in for the owner's automatic fulfilment. Reports the median and p95 of request → key
// delivered, and of grant mined → buyer returned (what waiting adds).
//
//	go test ./backend/share/ -run '^$' -bench RequestDelivered -benchtime 20x
func BenchmarkRequestDelivered(b *testing.B) {
	b.StopTimer() // the setup is not measured
	ctx := b.Context()
	chainDir := b.TempDir()
	node, err := devnet.Start(ctx, devnet.Options{DataDir: chainDir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { node.Close() })
	open := func() *share.Service {
		s, err := share.Open(ctx, share.Config{DataDir: b.TempDir(), LocalnetDir: chainDir, NoKeyring: true, Passphrase: pass,
			Loopback: true, IPFSMode: "embedded", Confirm: (&approveAll{}).confirm})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	a, buyer := open(), open()
	path := filepath.Join(b.TempDir(), "data.bin")
	if err := os.WriteFile(path, []byte("a small dataset"), 0o644); err != nil {
		b.Fatal(err)
	}
	if _, err := buyer.RegisterKey(ctx); err != nil {
		b.Fatal(err)
	}
	price := ether("0.001")
	var total, lag []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d, err := a.Publish(ctx, path, share.PublishOptions{Price: price}, nil)
		if err != nil {
			b.Fatal(err)
		}
		granted := make(chan time.Time, 1)
		go func() {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for range tick.C {
				acc, err := a.Access(ctx, d.ID)
				if err == nil && len(acc.Requests) == 1 {
					if _, err := a.Share(ctx, d.ID, []string{buyer.Account().Hex()}); err != nil {
						b.Error(err)
					}
					granted <- time.Now()
					return
				}
			}
		}()
		b.StartTimer()
		start := time.Now()
		if _, err := buyer.Request(ctx, d.ID, share.RequestOptions{}, nil); err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		b.StopTimer()
		total = append(total, end.Sub(start))
		lag = append(lag, end.Sub(<-granted))
	}
	b.ReportMetric(quantile(total, 0.5).Seconds()*1000, "ms-median")
	b.ReportMetric(quantile(total, 0.95).Seconds()*1000, "ms-p95")
	b.ReportMetric(quantile(lag, 0.5).Seconds()*1000, "ms-after-grant-median")
	b.ReportMetric(quantile(lag, 0.95).Seconds()*1000, "ms-after-grant-p95")
}

func quantile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
