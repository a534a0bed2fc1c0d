package share

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/datashare/datashare/backend/seal"
)

// fuzzKey is one fixed dataset key, so that a private metadata document found by the fuzzer
// decrypts the same way on every run.
const fuzzKey = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"

func fuzzMetadata() Metadata {
	return Metadata{Format: MetadataFormat, Version: 1, Name: "report.pdf", Size: 3,
		MediaType: "application/pdf", SHA256: strings.Repeat("ab", 32),
		Payload: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy", Created: time.Unix(1700000000, 0).UTC(),
		Providers: []Provider{{PeerID: "12D3KooWexample", Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}}}}
}

// FuzzDecodeMetadata feeds decodeMetadata documents from strangers, public (JSON) and private
// (age-encrypted to the key). Properties: no panic; an accepted document has every field a
// downloader relies on valid; it encodes again to a document that decodes to the same value;
// a rejected document is an error that does not quote the document's secret key.
func FuzzDecodeMetadata(f *testing.F) {
	k, err := seal.ParseDatasetKey(fuzzKey)
	if err != nil {
		f.Fatal(err)
	}
	good := fuzzMetadata()
	pub := good
	pub.Public = true
	b, _ := json.Marshal(pub)
	f.Add(b)
	priv, err := encodeMetadata(good, k)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(priv)
	f.Add([]byte(`{"format":"datashare/metadata","version":2}`))
	f.Add([]byte(`{"format":"datashare/metadata","version":1,"size":-1}`))
	f.Add([]byte("age-encryption.org/v1\n-> X25519 abc\n"))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		m, err := decodeMetadata(doc, k)
		if err != nil {
			if strings.Contains(err.Error(), fuzzKey) {
				t.Fatalf("error quotes the key: %v", err)
			}
			return
		}
		if m.Format != MetadataFormat || m.Version != 1 || m.Size < 0 || len(m.SHA256) != 64 || !isHex(m.SHA256) {
			t.Fatalf("accepted invalid metadata %+v", m)
		}
		if name := SafeFileName(m.Name); name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") {
			t.Fatalf("SafeFileName(%q) = %q", m.Name, name)
		}
		// Round trip: what was accepted encodes to a document that decodes to the same value.
		enc, err := encodeMetadata(m, k)
		if err != nil {
			t.Fatalf("encode accepted metadata: %v", err)
		}
		m2, err := decodeMetadata(enc, k)
		if err != nil {
			t.Fatalf("re-encoded metadata rejected: %v", err)
		}
		j1, _ := json.Marshal(m)
		j2, _ := json.Marshal(m2)
		if !bytes.Equal(j1, j2) {
			t.Fatalf("round trip changed the metadata:\n%s\n%s", j1, j2)
		}
		// A private document is never accepted without its key.
		if bytes.HasPrefix(doc, ageHeader) {
			if _, err := decodeMetadata(doc, nil); err == nil {
				t.Fatal("private metadata decoded without a key")
			}
		}
	})
}

// FuzzParseEther feeds ParseEther amounts typed by people. Properties: no panic; an accepted
// amount is not negative, prints (FormatEther) to an amount that parses to the same wei, and
// stays the same with spaces around it; a rejected one is an error naming the input.
func FuzzParseEther(f *testing.F) {
	for _, s := range []string{"0.01", "1", "0", "", ".5", "5.", "1.000000000000000001", "0.0000000000000000001",
		"-1", "abc", "1e3", "1,000", "1.2.3", ".", " 2 ", "99999999999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		wei, err := ParseEther(s)
		if err != nil {
			if wei != nil {
				t.Fatalf("ParseEther(%q) = %v with error %v", s, wei, err)
			}
			return
		}
		if wei == nil || wei.Sign() < 0 {
			t.Fatalf("ParseEther(%q) = %v", s, wei)
		}
		back, err := ParseEther(FormatEther(wei))
		if err != nil || back.Cmp(wei) != 0 {
			t.Fatalf("ParseEther(FormatEther(%v)) = %v, %v", wei, back, err)
		}
		if spaced, err := ParseEther(" " + s + "\t"); err != nil || spaced.Cmp(wei) != 0 {
			t.Fatalf("ParseEther with spaces around %q = %v, %v", s, spaced, err)
		}
	})
}
