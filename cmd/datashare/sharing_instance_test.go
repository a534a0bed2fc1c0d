package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/datashare/datashare/backend/share"
)

// sibling is another profile (another user) on p's local chain.
func (p *profile) sibling(t *testing.T) *profile {
	t.Helper()
	q := newProfile(t)
	for i, e := range q.env {
		if strings.HasPrefix(e, "DATASHARE_LOCALNET_DIR=") {
			for _, pe := range p.env {
				if strings.HasPrefix(pe, "DATASHARE_LOCALNET_DIR=") {
					q.env[i] = pe
				}
			}
		}
	}
	return q
}

var (
	txHash   = regexp.MustCompile(`0x[0-9a-f]{64}`)
	cidText  = regexp.MustCompile(`\bbaf[a-z2-7]{50,}\b`)
	linkText = regexp.MustCompile(`datashare:[^\s"]+`)
	address  = regexp.MustCompile(`0x[0-9a-fA-F]{40}\b`)
	// The fee estimate and balance of an approval summary follow the chain's state.
	feeLine     = regexp.MustCompile(`(?m)^(\s+fee\s+).*$`)
	balanceLine = regexp.MustCompile(`(?m)^(\s+balance\s+).*$`)
)

// unpriced is r without the fee estimates and balances of its approval summaries.
func unpriced(r result) result {
	m := func(s string) string {
		return balanceLine.ReplaceAllString(feeLine.ReplaceAllString(s, "${1}FEE"), "${1}BALANCE")
	}
	return result{r.code, m(r.stdout), m(r.stderr)}
}

// masked is r with what differs from one run of a write to the next replaced by placeholders:
// fees and balances, transaction hashes, CIDs, share links and their accounts and QR codes,
// and the given strings (dataset ids, accounts, paths), old and new in pairs.
func masked(r result, pairs ...string) result {
	r = unpriced(r)
	m := func(s string) string {
		s = strings.NewReplacer(pairs...).Replace(s)
		s = txHash.ReplaceAllString(s, "TX")
		s = cidText.ReplaceAllString(s, "CID")
		s = linkText.ReplaceAllString(s, "LINK")
		s = address.ReplaceAllString(s, "ADDRESS")
		var out []string
		for _, l := range strings.Split(s, "\n") {
			qr := strings.Trim(l, "█▀▄ ") == ""
			if len(out) > 0 && out[len(out)-1] == "QR" && qr {
				continue // the rest of the code, and the blank lines after it
			}
			if qr && strings.ContainsAny(l, "█▀▄") {
				l = "QR"
			}
			out = append(out, l)
		}
		return strings.Join(out, "\n")
	}
	return result{r.code, m(r.stdout), m(r.stderr)}
}

// TestSharingSameThroughServe runs the sharing commands through a running `datashare serve`
// and in this process: reads and refusals on the same state give the same exit codes, output
// and --json; each write is run once each way (on a twin dataset) and gives the same output but
// for transaction hashes, CIDs and links. Two other profiles on the same chain are the people
// shared with.
func TestSharingSameThroughServe(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	s := p.serve(bin, "--log-level", "debug")
	q1, q2 := p.sibling(t), p.sibling(t)

	// Keys: p's registered through serve, q1's in its own process: the same sentence.
	regP := p.ok("keys", "register", "--yes")
	regQ := q1.ok("keys", "register", "--yes")
	pAcc, qAcc := address.FindString(regP.stdout), address.FindString(regQ.stdout)
	if pAcc == "" || qAcc == "" || !strings.Contains(regP.stdout, "Registered the encryption key") {
		t.Fatalf("keys register: %q, %q", regP.stdout, regQ.stdout)
	}
	if a, b := masked(regP), masked(regQ); a != b {
		t.Errorf("keys register through serve %+v\nin its own process %+v", a, b)
	}
	q2Reg := q2.ok("keys", "register", "--yes")
	q2Acc := address.FindString(q2Reg.stdout)

	// Twin datasets 1 and 2 of p (same name, same size), dataset 3 of q1 shared with p.
	d1, d2 := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	for _, d := range []string{d1, d2} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		p.ok("publish", randomFile(t, d, "a.bin", 50_000), "--yes")
	}
	var theirs share.Dataset
	if err := json.Unmarshal([]byte(q1.ok("--json", "publish", randomFile(t, dir, "theirs.bin", 2000), "--yes").stdout), &theirs); err != nil || theirs.ID != 3 {
		t.Fatalf("q1's publish: %+v, %v", theirs, err)
	}
	q1.ok("share", "3", pAcc, "--yes")
	next := randomFile(t, dir, "next.bin", 40_000)

	// The writes, on dataset 1 through serve; later on dataset 2 in this process.
	getDir := map[string]string{"1": filepath.Join(dir, "got-through"), "2": filepath.Join(dir, "got-here")}
	for _, d := range getDir {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writes := func(id string) (rs []result, link string) {
		rs = append(rs, p.run("share", id, qAcc, "--yes"))
		r := p.run("link", id, "--label", "team", "--yes")
		rs = append(rs, r)
		link = strings.TrimSpace(r.stdout)
		rs = append(rs, p.run("get", link, "-o", getDir[id]))
		rs = append(rs, p.run("update", id, next, "--yes"))
		rs = append(rs, p.run("revoke", id, qAcc, "--yes"))
		rs = append(rs, p.run("link", "revoke", id, link, "--yes"))
		return rs, link
	}
	wThrough, link1 := writes("1")
	for i, r := range wThrough {
		if r.code != 0 {
			t.Fatalf("write %d through serve: exit %d\n%s%s", i, r.code, r.stdout, r.stderr)
		}
	}
	if !strings.HasPrefix(link1, "datashare:") {
		t.Fatalf("link printed %q", link1)
	}

	// Reads and refusals, on one state.
	existing := filepath.Join(dir, "exists.bin")
	if err := os.WriteFile(existing, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := [][]string{
		{"shared"}, {"--json", "shared"},
		{"access", "1"}, {"--json", "access", "1"},
		{"history", "1"}, {"--json", "history", "1"},
		{"link", "list", "1"}, {"--json", "link", "list", "1"}, {"link", "list", "2"},
		{"keys", "register", "--yes"}, {"--json", "keys", "register", "--yes"},
		{"share", "3", q2Acc, "--yes"}, {"--json", "share", "3", q2Acc, "--yes"}, // not the owner: exit 6
		{"share", "1", "0x00000000000000000000000000000000000000aa", "--yes"}, // no registered key
		{"share", "999", q2Acc, "--yes"},
		{"share", "1", q2Acc}, // no terminal to approve on, no --yes
		{"revoke", "1", q2Acc, "--yes"},
		{"update", "3", next, "--yes"},
		{"link", "3", "--yes"},
		{"link", "revoke", "3", link1, "--yes"},
		{"history", "999"}, {"--json", "access", "999"}, {"link", "list", "999"},
		{"get", link1, "-o", getDir["1"]}, // a.bin is there
		{"--json", "get", link1, "--version", "9", "-o", filepath.Join(dir, "x")},
		{"get", link1, "--version", "1", "-o", filepath.Join(dir, "v1.bin"), "--force"},
	}
	through := make([]result, len(cases))
	for i, args := range cases {
		through[i] = p.run(args...)
	}
	if r := through[11]; r.code != exitNoAccess || !strings.Contains(r.stderr, "own") {
		t.Errorf("share of another's dataset through serve: exit %d, %q; want %d", r.code, r.stderr, exitNoAccess)
	}
	if r := through[2]; r.code != 0 || !strings.Contains(r.stdout, "revoked") || !strings.Contains(r.stdout, qAcc) {
		t.Errorf("access 1 through serve: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	s.stop()
	for _, m := range []string{"registerKey", "keyStatus", "share", "createLink", "fetchLink", "update", "revoke", "revokeLink", "shared", "access", "history", "links"} {
		if !strings.Contains(s.text()+"\n", `msg="local API call" method=`+m+"\n") {
			t.Errorf("serve did not log a call of %s: the commands did not go through it", m)
		}
	}
	if strings.Contains(s.text(), link1) || strings.Contains(s.text(), link1[strings.LastIndex(link1, "#")+1:]) {
		t.Errorf("the share link is in serve's log:\n%s", s.text())
	}

	for i, args := range cases {
		if local := unpriced(p.run(args...)); local != unpriced(through[i]) {
			t.Errorf("datashare %s\nthrough serve: exit %d\n%s%s\nin this process: exit %d\n%s%s", strings.Join(args, " "),
				through[i].code, through[i].stdout, through[i].stderr, local.code, local.stdout, local.stderr)
		}
	}
	wLocal, _ := writes("2")
	for i := range wThrough {
		a := masked(wThrough[i], "dataset 1", "dataset N", "revoke 1 LINK", "revoke N LINK", "update 1 FILE", "update N FILE", getDir["1"], "DIR")
		b := masked(wLocal[i], "dataset 2", "dataset N", "revoke 2 LINK", "revoke N LINK", "update 2 FILE", "update N FILE", getDir["2"], "DIR")
		if a != b {
			t.Errorf("write %d\nthrough serve: exit %d\n%s%s\nin this process: exit %d\n%s%s", i, a.code, a.stdout, a.stderr, b.code, b.stdout, b.stderr)
		}
	}
	sameFile(t, filepath.Join(getDir["1"], "a.bin"), filepath.Join(d1, "a.bin"))
	sameFile(t, filepath.Join(getDir["2"], "a.bin"), filepath.Join(d2, "a.bin"))
}
