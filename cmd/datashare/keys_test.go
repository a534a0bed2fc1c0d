package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeysBackupPassphrase: a backup's passphrase is its own — asked for, or given with
// --passphrase-file or DATASHARE_BACKUP_PASSPHRASE — and never the keys file's
// DATASHARE_PASSPHRASE; a refused export writes nothing and a refused import changes nothing.
func TestKeysBackupPassphrase(t *testing.T) {
	p := newProfile(t)
	dir := t.TempDir()
	backup := filepath.Join(dir, "keys.backup")
	writePass := func(name, pass string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(pass+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	weak, good, wrong := writePass("weak", "short"), writePass("good", "a backup passphrase of its own"), writePass("wrong", "not the backup passphrase")
	missing := filepath.Join(dir, "no-such-passphrase-file")

	q := newProfile(t)
	refused := func(name string, p *profile, code int, msg string, args ...string) {
		t.Run(name, func(t *testing.T) {
			r := p.run(args...)
			if r.code != code || !strings.Contains(r.stderr, msg) || !strings.Contains(r.stderr, "backup") {
				t.Fatalf("exit %d, stderr %q; want exit %d and a message about the backup containing %q", r.code, r.stderr, code, msg)
			}
			saysOnce(t, r.stderr)
		})
	}
	refused("export with only the keys-file passphrase", p, exitFailure, "DATASHARE_BACKUP_PASSPHRASE", "keys", "export", backup)
	refused("export with a weak passphrase", p, exitFailure, "too weak", "keys", "export", backup, "--passphrase-file", weak)
	refused("export with a missing passphrase file", p, exitNotFound, "no-such-passphrase-file", "keys", "export", backup, "--passphrase-file", missing)
	refused("export with an empty passphrase file", p, exitFailure, "is empty", "keys", "export", backup, "--passphrase-file", writePass("empty", ""))
	if _, err := os.Stat(backup); err == nil {
		t.Fatal("a refused export wrote the backup")
	}
	r := p.ok("keys", "export", backup, "--passphrase-file", good)
	if !strings.Contains(r.stderr, "Wrote a backup") {
		t.Fatalf("export: %q", r.stderr)
	}
	if _, err := os.Stat(backup); err != nil {
		t.Fatal(err)
	}
	refused("import with only the keys-file passphrase", q, exitFailure, "DATASHARE_BACKUP_PASSPHRASE", "keys", "import", backup)
	if r := q.run("keys", "import", backup, "--passphrase-file", wrong); r.code != exitFailure || !strings.Contains(r.stderr, "wrong passphrase") {
		t.Fatalf("import with a wrong passphrase: exit %d, %q", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(q.dir); len(entries) != 0 {
		t.Fatalf("a refused import left %v in the profile", entries)
	}
	q.env = append(q.env, "DATASHARE_BACKUP_PASSPHRASE=a backup passphrase of its own")
	if r := q.ok("keys", "import", backup); !strings.Contains(r.stderr, "Restored the keys") {
		t.Fatalf("import: %q", r.stderr)
	}
}

// saysOnce fails when a message repeats a prefix ("keys: keys: …", "open keys: keys: …").
func saysOnce(t *testing.T, msg string) {
	t.Helper()
	parts := strings.Split(strings.TrimSpace(strings.TrimPrefix(msg, "datashare: ")), ": ")
	seen := map[string]bool{}
	for _, p := range parts[:max(len(parts)-1, 0)] {
		for _, w := range strings.Fields(p) {
			if seen[w] && len(w) > 3 {
				t.Errorf("%q says %q twice", msg, w)
			}
			seen[w] = true
		}
	}
}
