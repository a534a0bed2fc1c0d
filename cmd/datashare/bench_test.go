package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/share"
)

// deterministic is a fast, incompressible byte stream (SHA-256 in counter mode).
type deterministic struct {
	ctr uint64
	buf []byte
}

func (d *deterministic) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(d.buf) == 0 {
			var b [8]byte
			for i := range b {
				b[i] = byte(d.ctr >> (8 * i))
			}
			d.ctr++
			h := sha256.Sum256(b[:])
			d.buf = h[:]
		}
		c := copy(p[n:], d.buf)
		d.buf, n = d.buf[c:], n+c
	}
	return n, nil
}

// runMeasured runs the command and returns its wall time and its peak resident memory.
func runMeasured(b *testing.B, p *profile, args ...string) (time.Duration, int64, string) {
	b.Helper()
	flags := []string{"--ipfs", "embedded"}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		flags = append(flags, "--no-keyring") // unlocking the passphrase file costs 256 MiB of scrypt
	}
	c := exec.Command(bin, append(flags, args...)...)
	c.Env = p.env
	start := time.Now()
	out, err := c.Output()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("datashare %v: %v\n%s", args, err, out)
	}
	ru := c.ProcessState.SysUsage().(*syscall.Rusage)
	return d, ru.Maxrss * 1024, string(out) // Linux reports KiB
}

// BenchmarkPublishFetch1GiB publishes and fetches 1 GiB through the command, each in its own
// process, and reports throughput and each process's peak RSS (the target: under 300 MiB,
// memory flat whatever the file size). Run it with `make bench`, which provides a Secret
// Service as a desktop has; without a session bus the keys live in the passphrase file, whose
// unlocking (scrypt, age's default work factor) alone takes 256 MiB.
func BenchmarkPublishFetch1GiB(b *testing.B) {
	const size = 1 << 30
	p := &profile{t: nil, dir: b.TempDir()}
	p.env = append(os.Environ(), "DATASHARE_DATA_DIR="+p.dir, "DATASHARE_LOCALNET_DIR="+b.TempDir(), "DATASHARE_PASSPHRASE=correct horse battery staple",
		"DATASHARE_IPFS_NETWORK=loopback", "IPFS_PATH="+filepath.Join(p.dir, "no-daemon"))
	src := filepath.Join(b.TempDir(), "1gib.bin")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyN(f, &deterministic{}, size); err != nil {
		b.Fatal(err)
	}
	f.Close()
	_, _, st := runMeasured(b, p, "status") // first start: chain genesis and contract deployment
	for _, l := range strings.Split(st, "\n") {
		if strings.HasPrefix(l, "Keys") {
			fmt.Println(l)
		}
	}

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pubTime, pubRSS, out := runMeasured(b, p, "--json", "publish", src, "--name", fmt.Sprintf("bench %d", i), "--yes")
		var d share.Dataset
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			b.Fatal(err)
		}
		dst := filepath.Join(b.TempDir(), "out.bin")
		getTime, getRSS, _ := runMeasured(b, p, "get", fmt.Sprint(d.ID), "-o", dst)
		fi, err := os.Stat(dst)
		if err != nil || fi.Size() != size {
			b.Fatalf("fetched file: %v, %v", fi, err)
		}
		os.Remove(dst)
		mb := float64(size) / 1e6
		b.ReportMetric(mb/pubTime.Seconds(), "publish-MB/s")
		b.ReportMetric(mb/getTime.Seconds(), "fetch-MB/s")
		b.ReportMetric(float64(pubRSS)/(1<<20), "publish-peak-RSS-MiB")
		b.ReportMetric(float64(getRSS)/(1<<20), "fetch-peak-RSS-MiB")
		fmt.Printf("1 GiB publish: %.1f s, %.0f MB/s, peak RSS %.0f MiB; fetch: %.1f s, %.0f MB/s, peak RSS %.0f MiB\n",
			pubTime.Seconds(), mb/pubTime.Seconds(), float64(pubRSS)/(1<<20),
			getTime.Seconds(), mb/getTime.Seconds(), float64(getRSS)/(1<<20))
	}
}
