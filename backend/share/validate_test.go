package share

import (
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/seal"
)

// TestCheckPublishRejectsBadInput: each bad input to a publish gets its message, and nothing
// else happens (the checks only read).
func TestCheckPublishRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ok.txt")
	os.WriteFile(file, []byte("ok"), 0o644)
	newline := filepath.Join(dir, "two\nlines.txt")
	os.WriteFile(newline, []byte("x"), 0o644)
	fifo := filepath.Join(dir, "pipe")
	tooHigh := new(big.Int).Add(maxPrice, big.NewInt(1))
	for _, c := range []struct {
		why  string
		path string
		opts PublishOptions
		want string
	}{
		{"no path", "", PublishOptions{}, "choose a file to publish"},
		{"missing file", filepath.Join(dir, "gone.txt"), PublishOptions{}, "no such file"},
		{"folder with an unpublishable name", badFolder(t, dir), PublishOptions{}, "control or invisible formatting characters"},
		{"name too long", file, PublishOptions{Name: strings.Repeat("n", 201)}, "at most 200"},
		{"line break in name", file, PublishOptions{Name: "a\nb"}, "control characters"},
		{"escape sequence in name", file, PublishOptions{Name: "a\x1b[2Jb"}, "control characters"},
		{"right-to-left override in name", file, PublishOptions{Name: "invoice\u202Efdp.exe"}, "text-direction overrides"},
		{"invalid UTF-8 in name", file, PublishOptions{Name: "bad\xff"}, "not valid text"},
		{"file name with a line break", newline, PublishOptions{}, "the file's name cannot be the dataset's name"},
		{"description too long", file, PublishOptions{Description: strings.Repeat("d", 70_000)}, "shorten it to at most"},
		{"description escaping past the limit", file, PublishOptions{Description: strings.Repeat("<", MaxDescriptionBytes/6+1)}, "shorten it to at most"},
		{"control character in description", file, PublishOptions{Description: "a\x00b"}, "control characters"},
		{"negative price", file, PublishOptions{Price: big.NewInt(-1)}, "cannot be negative"},
		{"price over the contract's limit", file, PublishOptions{Price: tooHigh}, "too high"},
	} {
		_, err := CheckPublish(c.path, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: CheckPublish = %v; want an error containing %q", c.why, err, c.want)
		}
	}
	if _, err := CheckPublish(filepath.Join(dir, "gone.txt"), PublishOptions{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a missing file does not match ErrNotFound: %v", err)
	}
	if err := mkfifo(fifo); err == nil {
		if _, err := CheckPublishFile(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("CheckPublishFile(fifo) = %v", err)
		}
	}
	got, err := CheckPublish(file, PublishOptions{Name: "  My data  ", Description: " line one\nline two\t "})
	if err != nil || got.Name != "My data" || got.Description != "line one\nline two" {
		t.Fatalf("good input: %+v, %v", got, err)
	}
	if got, err := CheckPublish(file, PublishOptions{}); err != nil || got.Name != "ok.txt" {
		t.Fatalf("default name: %+v, %v", got, err)
	}
}

func TestCheckPrice(t *testing.T) {
	for in, want := range map[string]string{"": "0", "0.5": "500000000000000000", "79228162514.264337593543950335": maxPrice.String()} {
		if wei, err := CheckPrice(in); err != nil || wei.String() != want {
			t.Errorf("CheckPrice(%q) = %v, %v; want %s", in, wei, err, want)
		}
	}
	for in, want := range map[string]string{"-1": "not an amount of ETH", "1e3": "not an amount of ETH", "0.0000000000000000001": "more than 18 decimals", "79228162514.264337593543950336": "too high"} {
		if _, err := CheckPrice(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckPrice(%q) = %v; want an error containing %q", in, err, want)
		}
	}
}

// TestWorstCaseMetadataFits: the longest name and description the checks accept, written with
// the characters JSON escapes most, and the most provider hints ProviderHint keeps, make a
// metadata document every reader accepts, public or private.
func TestWorstCaseMetadataFits(t *testing.T) {
	name := strings.Repeat("<", MaxNameChars)
	desc := strings.Repeat("<", (MaxDescriptionBytes-2)/6)
	desc += strings.Repeat("a", MaxDescriptionBytes-jsonLen(desc))
	if _, err := CheckName(name); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckDescription(desc); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckDescription(desc + "a"); err == nil {
		t.Fatal("a description one byte over the limit passed")
	}
	addrs := make([]string, MaxProviderAddrs+10)
	for i := range addrs {
		addrs[i] = "/ip6/" + strings.Repeat("f", MaxProviderAddrBytes-5)
	}
	addrs = append(addrs, strings.Repeat("x", MaxProviderAddrBytes+1))
	hint := ProviderHint("12D3KooW"+strings.Repeat("A", 44), addrs)
	if len(hint.Addrs) != MaxProviderAddrs {
		t.Fatalf("ProviderHint kept %d addresses", len(hint.Addrs))
	}
	m := Metadata{Format: MetadataFormat, Version: 1, Name: name, Description: desc, Size: maxDatasetSize,
		MediaType: strings.Repeat("&", 255), SHA256: strings.Repeat("f", 64),
		Payload: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", Public: true,
		Created: time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("x", -12*3600)), Providers: []Provider{hint}}
	if err := CheckMetadataFits(m); err != nil {
		t.Fatal(err)
	}
	key, err := seal.NewDatasetKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, public := range []bool{true, false} {
		m.Public = public
		b, err := encodeMetadata(m, key)
		if err != nil {
			t.Fatalf("public %v: %v", public, err)
		}
		if len(b) > maxMetadataRead {
			t.Fatalf("public %v: %d bytes, more than a reader reads", public, len(b))
		}
		if _, err := decodeMetadata(b, key); err != nil {
			t.Fatalf("public %v: a reader rejects it: %v", public, err)
		}
	}
	m.Description += strings.Repeat("a", 20<<10)
	if err := CheckMetadataFits(m); err == nil || !strings.Contains(err.Error(), "shorten its description") {
		t.Fatalf("CheckMetadataFits of an oversized document = %v", err)
	}
}

// badFolder makes, under dir, a folder that cannot be published: a file in it has a control
// character in its name.
func badFolder(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "badnames")
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "a\x1bb.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
