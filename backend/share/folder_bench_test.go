package share_test

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/chain/devnet"
	"github.com/datashare/datashare/backend/share"
)

// BenchmarkFolder publishes a folder of 2,000 small files and a few large ones
// (DATASHARE_BENCH_FOLDER_MIB in all, default 1024) and fetches it into another profile on the
// same local chain; it reports files/s and MB/s of each, and the peak RSS of the process (both
// profiles and the chain run in it).
//
//	go test -run XXX -bench BenchmarkFolder -benchtime 1x -timeout 30m ./backend/share/
func BenchmarkFolder(b *testing.B) {
	total := int64(1024)
	if v, err := strconv.ParseInt(os.Getenv("DATASHARE_BENCH_FOLDER_MIB"), 10, 64); err == nil && v > 4 {
		total = v
	}
	total <<= 20
	ctx := b.Context()
	chainDir := b.TempDir()
	node, err := devnet.Start(ctx, devnet.Options{DataDir: chainDir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { node.Close() })
	b.Cleanup(share.SetChainDir(chainDir))
	pa, pb := benchProfile(b), benchProfile(b)

	root := makeTree(b, 2000, nil)
	small := dirSize(b, root)
	large := total - small
	const parts = 4
	buf := make([]byte, 8<<20)
	for i := range parts {
		f, err := os.Create(filepath.Join(root, fmt.Sprintf("large%d.bin", i)))
		if err != nil {
			b.Fatal(err)
		}
		for left := large / parts; left > 0; left -= int64(len(buf)) {
			rand.Read(buf)
			f.Write(buf[:min(left, int64(len(buf)))])
		}
		f.Close()
	}
	size := dirSize(b, root)
	nfiles := 2000 + 3 + parts
	if _, err := pb.RegisterKey(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		ds, err := pa.Publish(ctx, root, share.PublishOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		pub := time.Since(start)
		if _, err := pa.Share(ctx, ds.ID, []string{pb.Account().Hex()}); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if _, err := pb.Fetch(ctx, ds.ID, filepath.Join(b.TempDir(), "got"), share.FetchOptions{}, nil); err != nil {
			b.Fatal(err)
		}
		get := time.Since(start)
		b.ReportMetric(float64(nfiles)/pub.Seconds(), "publish-files/s")
		b.ReportMetric(float64(size)/1e6/pub.Seconds(), "publish-MB/s")
		b.ReportMetric(float64(nfiles)/get.Seconds(), "fetch-files/s")
		b.ReportMetric(float64(size)/1e6/get.Seconds(), "fetch-MB/s")
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	b.ReportMetric(float64(size)/(1<<20), "tree-MiB")
}

func benchProfile(b *testing.B) *share.Service {
	a := &approveAll{}
	dir := b.TempDir()
	s, err := share.Open(b.Context(), share.Config{DataDir: dir, Confirm: a.confirm, LocalnetDir: share.LocalnetForTests(),
		NoKeyring: true, Passphrase: pass, Loopback: true, IPFSMode: "embedded"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func dirSize(b testing.TB, root string) int64 {
	var n int64
	filepath.Walk(root, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return nil
	})
	return n
}
