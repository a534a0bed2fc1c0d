//go:build linux

package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/approval"
	"github.com/datashare/datashare/backend/share"
)

// Opening a profile, measured through the command: each run is a new process (a cold start of
// the command; the profile exists already). Figures: ms/op is the mean wall time of a run,
// peak-RSS-MiB the largest peak resident memory of a run (from wait4, in a small parent:
// testdata/peakrss says why). Keys are in the
// passphrase file unless a session bus is there (make bench starts one with a Secret Service).
//
// The public-network runs happen inside a network namespace of their own (unshare --net, as
// root), where nothing can leave this computer: "no-network" has only loopback (every dial to
// the internet fails at once), "dropped" adds a default route into a TUN device nobody reads
// (every packet to the internet vanishes, as on a network without internet access: dials and
// DNS lookups hang until their timeouts).
//
//	go test ./cmd/datashare/ -run '^$' -bench 'OpenProfile|Ls1000|Client' -benchtime 5x

// BenchmarkOpenProfile: `status` (read-only: no IPFS node, no transaction) and `jobs` (a full
// open, which starts the embedded IPFS node) on each network.
func BenchmarkOpenProfile(b *testing.B) {
	for _, cmd := range []string{"status", "jobs"} {
		for _, net := range []string{"loopback", "public-no-network", "public-dropped"} {
			b.Run(cmd+"/"+net, func(b *testing.B) {
				p := newBenchProfile(b, net)
				p.run(b, cmd) // first start: keys, local chain, IPFS repository (jobs)
				p.measure(b, cmd)
			})
		}
	}
}

// BenchmarkLs1000 lists 1,000 datasets: they are published first, through the backend in one
// process (1,000 tiny files, each a real IPFS add and a transaction on the local chain), then
// `ls` runs in its own process: "cold" with nothing running (read-only, in the process: the
// local chain starts, the index is brought up to date), "instance" through a `datashare serve`
// of the profile (the command is only a client of its local API). The first cold run, which
// reads all 1,000 datasets from the chain into a new index, is logged on its own.
func BenchmarkLs1000(b *testing.B) {
	const n = 1000
	if ls1000 == nil { // the testing package calls a benchmark more than once: publish once
		// In TestMain's directory (removed when the run ends), not b.TempDir (removed after each call).
		p := newBenchProfileAt(b, filepath.Join(filepath.Dir(bin), "ls1000"), "loopback")
		start := time.Now()
		publishMany(b, p, n)
		b.Logf("published %d datasets in %v", n, time.Since(start).Round(time.Millisecond))
		start = time.Now()
		p.run(b, "ls")
		b.Logf("first ls (the index filled from the chain): %v", time.Since(start).Round(time.Millisecond))
		ls1000 = p
	}
	p := ls1000
	check := func(b *testing.B) {
		out := p.run(b, "--json", "ls")
		if got := strings.Count(out, `"metadataCid"`); got != n {
			b.Fatalf("ls lists %d datasets, want %d", got, n)
		}
	}
	b.Run("cold", func(b *testing.B) {
		check(b)
		p.measure(b, "ls")
	})
	b.Run("instance", func(b *testing.B) {
		defer p.serve(b)()
		check(b)
		p.measure(b, "ls")
	})
}

// BenchmarkClient is the least a command costs: `datashare --version`, which opens nothing.
func BenchmarkClient(b *testing.B) {
	p := newBenchProfile(b, "loopback")
	p.measure(b, "--version")
}

// serve starts `datashare serve` on the profile and waits until it is ready; stop ends it.
func (p *benchProfile) serve(b *testing.B) (stop func()) {
	b.Helper()
	c := p.command("serve")
	stderr, err := c.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Start(); err != nil {
		b.Fatal(err)
	}
	ready := make(chan bool, 1)
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "msg=ready") {
				ready <- true
				for sc.Scan() { // keep the pipe drained
				}
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			c.Wait()
			b.Fatalf("serve ended before it was ready:\n%s", log.String())
		}
	case <-time.After(3 * time.Minute):
		c.Process.Kill()
		c.Wait()
		b.Fatal("serve was not ready within 3 minutes")
	}
	return func() {
		c.Process.Signal(syscall.SIGTERM)
		if err := c.Wait(); err != nil {
			b.Errorf("serve after SIGTERM: %v", err)
		}
	}
}

// ls1000 is BenchmarkLs1000's profile, made on its first call.
var ls1000 *benchProfile

// benchProfile is a data directory used through the command on one network.
type benchProfile struct {
	dir, network string
	env          []string
}

func newBenchProfile(b *testing.B, network string) *benchProfile {
	return newBenchProfileAt(b, b.TempDir(), network)
}

func newBenchProfileAt(b *testing.B, dir, network string) *benchProfile {
	p := &benchProfile{dir: dir, network: network, env: append(os.Environ(),
		"DATASHARE_DATA_DIR="+dir,
		"DATASHARE_LOCALNET_DIR="+filepath.Join(dir, "localnet"), // a local chain of its own, never the user's
		"DATASHARE_PASSPHRASE=correct horse battery staple",
		"IPFS_PATH="+filepath.Join(dir, "no-daemon"), // no daemon of the user's
	)}
	if network == "loopback" {
		p.env = append(p.env, "DATASHARE_IPFS_NETWORK=loopback")
	} else if err := exec.Command("unshare", "--net", "true").Run(); err != nil {
		b.Skipf("the public network is measured only inside a network namespace of its own (unshare --net, as root): %v", err)
	}
	return p
}

// netnsSetup prepares a new network namespace for the command that follows ("$0" "$@").
var netnsSetup = map[string]string{
	"public-no-network": `ip link set lo up && exec "$0" "$@"`,
	"public-dropped": `ip link set lo up && ip tuntap add dev bh0 mode tun && ip link set bh0 up &&
		ip addr add 192.0.2.1/24 dev bh0 && ip route add default dev bh0 && exec "$0" "$@"`,
}

func (p *benchProfile) command(args ...string) *exec.Cmd {
	flags := []string{"--ipfs", "embedded"}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		flags = append(flags, "--no-keyring")
	}
	argv := append([]string{bin}, append(flags, args...)...)
	if setup, ok := netnsSetup[p.network]; ok {
		argv = append([]string{"unshare", "--net", "sh", "-c", setup}, argv...)
	}
	c := exec.Command(argv[0], argv[1:]...)
	c.Env = p.env
	return c
}

func (p *benchProfile) run(b *testing.B, args ...string) string {
	b.Helper()
	c := p.command(args...)
	var stderr strings.Builder
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		b.Fatalf("datashare %v on %s: %v\n%s%s", args, p.network, err, out, stderr.String())
	}
	return string(out)
}

// measure runs the command b.N times and reports the mean wall time and the largest peak RSS
// (through peakrss: see testdata/peakrss).
func (p *benchProfile) measure(b *testing.B, args ...string) {
	wrap := peakRSSTool(b)
	out := filepath.Join(b.TempDir(), "peak")
	var total time.Duration
	var peak int64
	b.ResetTimer()
	for range b.N {
		c := p.command(args...)
		c.Args = append([]string{wrap, out}, c.Args...)
		c.Path = wrap
		start := time.Now()
		stdout, err := c.CombinedOutput()
		total += time.Since(start)
		if err != nil {
			b.Fatalf("datashare %v on %s: %v\n%s", args, p.network, err, stdout)
		}
		kib, err := os.ReadFile(out)
		if err != nil {
			b.Fatal(err)
		}
		n, err := strconv.ParseInt(string(kib), 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, n)
	}
	b.StopTimer()
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/op")
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
}

// peakRSSTool builds testdata/peakrss once, next to the command under test.
func peakRSSTool(b *testing.B) string {
	peakRSSOnce.Do(func() {
		peakRSSPath = filepath.Join(filepath.Dir(bin), "peakrss")
		build := exec.Command("go", "build", "-o", peakRSSPath, "./testdata/peakrss")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			peakRSSErr = fmt.Errorf("build testdata/peakrss: %v\n%s", err, out)
		}
	})
	if peakRSSErr != nil {
		b.Fatal(peakRSSErr)
	}
	return peakRSSPath
}

var (
	peakRSSOnce sync.Once
	peakRSSPath string
	peakRSSErr  error
)

// publishMany publishes n tiny files to the profile through the backend, in one process.
func publishMany(b testing.TB, p *benchProfile, n int) {
	ctx := context.Background()
	s, err := share.Open(ctx, share.Config{
		DataDir: p.dir, LocalnetDir: filepath.Join(p.dir, "localnet"), IPFSMode: "embedded", Loopback: true, NoKeyring: os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "",
		Passphrase: func(context.Context, string) (string, error) { return "correct horse battery staple", nil },
		Confirm:    func(context.Context, approval.Summary) (bool, error) { return true, nil },
	})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}()
	src := b.TempDir()
	for i := range n {
		path := filepath.Join(src, fmt.Sprintf("file-%04d.txt", i))
		if err := os.WriteFile(path, []byte(fmt.Sprintf("dataset %d\n", i)), 0o600); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Publish(ctx, path, share.PublishOptions{}, nil); err != nil {
			b.Fatalf("publish %d: %v", i, err)
		}
	}
}
