//go:build unix

package ipfs_test

import (
	"io"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/ipfs/ipfstest"
)

// BenchmarkAddRead adds 256 MiB streamed from a generator to an embedded
// node and reads it back. MB/s counts the file once for add and read
// together; add-MB/s and read-MB/s are the two halves; peak-RSS-MiB is the
// process's peak resident memory, which stays flat whatever the size.
func BenchmarkAddRead(b *testing.B) {
	const size = 256 << 20
	ctx := b.Context()
	s := ipfstest.NewEmbedded(b)
	b.SetBytes(size)
	var addTime, readTime time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		c, err := s.Add(ctx, stream(uint64(1000+i), size), "bench")
		if err != nil {
			b.Fatal(err)
		}
		added := time.Now()
		r, n, err := s.Open(ctx, c)
		if err != nil {
			b.Fatal(err)
		}
		got, err := io.Copy(io.Discard, r)
		r.Close()
		if err != nil || got != n || n != size {
			b.Fatalf("read %d of %d bytes (want %d): %v", got, n, size, err)
		}
		addTime += added.Sub(start)
		readTime += time.Since(added)
	}
	b.StopTimer()
	mb := float64(size) * float64(b.N) / 1e6
	b.ReportMetric(mb/addTime.Seconds(), "add-MB/s")
	b.ReportMetric(mb/readTime.Seconds(), "read-MB/s")
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		peak := float64(ru.Maxrss) * 1024 // kilobytes on Linux
		if runtime.GOOS == "darwin" {
			peak = float64(ru.Maxrss) // bytes on macOS
		}
		b.ReportMetric(peak/(1<<20), "peak-RSS-MiB")
	}
}
