package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// onLocalnet makes p use the local chain in dir (shared with other profiles of the test).
func (p *profile) onLocalnet(dir string) *profile {
	p.env = append(p.env, "DATASHARE_LOCALNET_DIR="+dir) // the last value of a variable wins
	return p
}

// peerRecords lists the IPFS records of the profiles on the local chain in dir.
func peerRecords(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, "ipfs-peers"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".json") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestTwoPeopleOneComputer: two profiles on one computer share one local chain. Alice
// publishes, Bob registers his key, Alice shares with him and runs serve; Bob's get writes the
// same bytes, with nobody telling either IPFS node where the other is. Serve's record of its
// node stays while it runs; after kill -9 it is left behind, and Bob's next get (from his own
// node, which keeps what it fetched) removes it and succeeds (the bound on the dials of such
// records is backend/share's TestLocalPeers).
func TestTwoPeopleOneComputer(t *testing.T) {
	localnet := t.TempDir()
	alice, bob := newProfile(t).onLocalnet(localnet), newProfile(t).onLocalnet(localnet)
	in := randomFile(t, t.TempDir(), "report.bin", 3<<20)
	alice.ok("publish", in, "--yes")
	if r := bob.ok("keys", "register", "--yes"); !strings.Contains(r.stdout, "others can now share datasets with it") {
		t.Fatalf("keys register said: %s", r.stdout)
	}
	bobAccount := bob.status().Account
	alice.ok("share", "1", bobAccount, "--yes")
	if recs := peerRecords(t, localnet); len(recs) != 0 {
		t.Fatalf("records %v with no profile running", recs)
	}

	s := alice.serve(bin)
	if recs := peerRecords(t, localnet); len(recs) != 1 {
		t.Fatalf("records %v while Alice's serve runs; want its one", recs)
	}
	if r := bob.ok("shared"); !strings.Contains(r.stdout, "report.bin") || !strings.Contains(r.stdout, "3.0 MiB") {
		t.Fatalf("Bob's shared does not show the dataset with its size:\n%s", r.stdout)
	}
	out := filepath.Join(t.TempDir(), "got.bin")
	r := bob.ok("get", "1", "-o", out)
	if !strings.Contains(r.stdout, "SHA-256 verified") {
		t.Fatalf("get said: %s", r.stdout)
	}
	sameFile(t, in, out)

	s.cmd.Process.Kill()
	<-s.done
	s.cmd.Wait()
	if recs := peerRecords(t, localnet); len(recs) != 1 {
		t.Fatalf("records %v after kill -9 of serve; want its record left behind", recs)
	}
	start := time.Now()
	bob.ok("get", "1", "-o", filepath.Join(t.TempDir(), "again.bin")) // kept by Bob's node since
	took := time.Since(start)
	if recs := peerRecords(t, localnet); len(recs) != 0 {
		t.Fatalf("records %v after Bob's get; want the dead serve's removed", recs)
	}
	t.Logf("get with a dead profile's record: %v", took)
}
