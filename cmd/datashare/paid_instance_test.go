package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// dateTime is a time as the commands print it.
	dateTime = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d( UTC)?`)
	// untilText is how long until a time, which runs on between two runs of a command.
	untilText = regexp.MustCompile(`\(in (\d+h)?(\d+m)?\d+(\.\d+)?s\)`)
)

// untilMasked is unpriced(r) with the time until a refund masked.
func untilMasked(r result) result {
	r = unpriced(r)
	return result{r.code, untilText.ReplaceAllString(r.stdout, "(in DURATION)"), untilText.ReplaceAllString(r.stderr, "(in DURATION)")}
}

// TestPaidSameThroughServe runs the paid-access commands through the owner's running
// `datashare serve` and in this process: reads and refusals on the same state give the same
// exit codes, output and --json; each write (price, policy, request --no-wait) is run once each
// way on a twin dataset and gives the same output but for transaction hashes and times. Another
// profile on the same chain is the other side: it sells two datasets to the owner and asks for
// one of the owner's, which waits in the owner's inbox (its policy is manual).
func TestPaidSameThroughServe(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	p.ok("keys", "register", "--yes") // before serve, so that the request through it does not register it
	s := p.serve(bin, "--log-level", "debug")
	q := p.sibling(t)

	// Twin datasets 1 and 2 of p, twins 3 and 4 of q; all public at 0.5 ETH.
	d1, d2 := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	for _, d := range []string{d1, d2} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		p.ok("publish", randomFile(t, d, "a.bin", 20_000), "--price", "0.5", "--public", "--description", "rain in 2025", "--yes")
	}
	for _, d := range []string{"three", "four"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
		q.ok("publish", randomFile(t, filepath.Join(dir, d), "theirs.bin", 2000), "--price", "0.5", "--public", "--yes")
	}
	qAcc := address.FindString(q.ok("keys", "register", "--yes").stdout)
	if qAcc == "" {
		t.Fatal("q's account not printed by keys register")
	}

	writes := func(mine, theirs string) []result {
		return []result{
			p.run("price", mine, "0.2", "--yes"),
			p.run("policy", mine, "--manual"),
			p.run("request", theirs, "--no-wait", "--yes"),
		}
	}
	wThrough := writes("1", "3")
	for i, r := range wThrough {
		if r.code != 0 {
			t.Fatalf("write %d through serve: exit %d\n%s%s", i, r.code, r.stdout, r.stderr)
		}
	}
	if !strings.Contains(wThrough[2].stdout, "Paid 0.5 ETH into escrow") {
		t.Fatalf("request through serve: %s", wThrough[2].stdout)
	}
	q.ok("request", "1", "--no-wait", "--yes") // waits for p: dataset 1's policy is manual

	nobody := "0x00000000000000000000000000000000000000aa"
	cases := [][]string{
		// The catalog waits a bounded time for q's offline node each run: two cases only (its
		// --json is compared in backend/api).
		{"catalog", "--search", "rain"}, {"catalog", "--search", "nothing like it"},
		{"requested"}, {"--json", "requested"},
		{"requests"}, {"--json", "requests"},
		{"earnings"}, {"--json", "earnings"},
		{"policy", "1"}, {"--json", "policy", "2"},
		{"operator", "status"}, {"--json", "operator", "status"},
		{"request", "3", "--no-wait", "--yes"}, // paid already: found, not paid again
		{"price", "3", "0.1", "--yes"},         // not the owner: exit 6
		{"--json", "price", "3", "0.1", "--yes"},
		{"price", "1", "0.2", "--yes"}, // the price already
		{"request", "1", "--no-wait", "--yes"},
		{"request", "999", "--no-wait", "--yes"},
		{"refund", "3", "--yes"}, // before the timeout
		{"withdraw", "--yes"},    // nothing to withdraw
		{"grant", "1", nobody, "--yes"},
		{"decline", "2", qAcc, "--yes"},
		{"policy", "999"},
		{"grant", "1", qAcc}, // no terminal to approve on, no --yes
	}
	through := make([]result, len(cases))
	for i, args := range cases {
		through[i] = p.run(args...)
	}
	if r := through[13]; r.code != exitNoAccess || !strings.Contains(r.stderr, "only its owner can change the price") {
		t.Errorf("price of another's dataset through serve: exit %d, %q; want %d", r.code, r.stderr, exitNoAccess)
	}
	if r := through[0]; r.code != 0 || strings.Count(r.stdout, "a.bin") != 2 || !strings.Contains(r.stdout, "(you)") {
		t.Errorf("catalog through serve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := through[1]; r.code != 0 || !strings.Contains(r.stdout, "No public dataset on Local") {
		t.Errorf("catalog matching nothing through serve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := through[4]; r.code != 0 || !strings.Contains(r.stdout, qAcc) || !strings.Contains(r.stdout, "by you") {
		t.Errorf("requests through serve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := through[2]; r.code != 0 || !strings.Contains(r.stdout, qAcc) || !strings.Contains(r.stdout, "0.5 ETH") {
		t.Errorf("requested through serve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	s.stop()
	for _, m := range []string{"catalog", "request", "requested", "refund", "earnings", "withdraw", "setPrice", "inbox", "grantRequest", "declineRequest", "policy", "setPolicy", "operatorStatus"} {
		if !strings.Contains(s.text()+"\n", `msg="local API call" method=`+m+"\n") {
			t.Errorf("serve did not log a call of %s: the commands did not go through it", m)
		}
	}

	for i, args := range cases {
		if local := untilMasked(p.run(args...)); local != untilMasked(through[i]) {
			t.Errorf("datashare %s\nthrough serve: exit %d\n%s%s\nin this process: exit %d\n%s%s", strings.Join(args, " "),
				through[i].code, through[i].stdout, through[i].stderr, local.code, local.stdout, local.stderr)
		}
	}
	wLocal := writes("2", "4")
	unTimed := func(r result) result {
		return result{r.code, dateTime.ReplaceAllString(r.stdout, "TIME"), dateTime.ReplaceAllString(r.stderr, "TIME")}
	}
	for i := range wThrough {
		a := unTimed(masked(wThrough[i], "Dataset 1", "Dataset N", "dataset 1", "dataset N", "dataset 3", "dataset N", " 3 ", " N ", " 3\n", " N\n", "refund 3)", "refund N)"))
		b := unTimed(masked(wLocal[i], "Dataset 2", "Dataset N", "dataset 2", "dataset N", "dataset 4", "dataset N", " 4 ", " N ", " 4\n", " N\n", "refund 4)", "refund N)"))
		if a != b {
			t.Errorf("write %d\nthrough serve: exit %d\n%s%s\nin this process: exit %d\n%s%s", i, a.code, a.stdout, a.stderr, b.code, b.stdout, b.stderr)
		}
	}
}
