package seal

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"
)

const chunkSize = 64 << 10

// headerSize is the length of an age header with one X25519 recipient, plus
// the payload nonce. See EnvelopeSize.
const headerSize = 22 + 54 + 44 + 48 + 16

func newKey(t testing.TB) *DatasetKey {
	t.Helper()
	k, err := NewDatasetKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// encryptBytes encrypts plaintext to k in memory.
func encryptBytes(t testing.TB, plaintext []byte, k *DatasetKey) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := Encrypt(&buf, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plaintext); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decryptAll decrypts a whole ciphertext, returning the first error.
func decryptAll(ciphertext []byte, k *DatasetKey) ([]byte, error) {
	r, err := Decrypt(bytes.NewReader(ciphertext), k)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// ciphertextSize is the size of a payload encrypted to one X25519 recipient.
func ciphertextSize(n int) int {
	chunks := (n + chunkSize - 1) / chunkSize
	if chunks == 0 {
		chunks = 1
	}
	return headerSize + n + chunks*16
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"1 byte", 1},
		{"64 KiB - 1", chunkSize - 1},
		{"64 KiB", chunkSize},
		{"64 KiB + 1", chunkSize + 1},
		{"5 MiB", 5 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKey(t)
			plaintext := randomBytes(tc.size)
			want := sha256.Sum256(plaintext)
			path := filepath.Join(t.TempDir(), "payload.age")

			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			w, err := Encrypt(f, k)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(w, bytes.NewReader(plaintext)); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}

			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fi.Size(), int64(ciphertextSize(tc.size)); got != want {
				t.Errorf("ciphertext is %d bytes, want %d", got, want)
			}

			t.Run("seal.Decrypt", func(t *testing.T) {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				r, err := Decrypt(f, k)
				if err != nil {
					t.Fatal(err)
				}
				h := sha256.New()
				if n, err := io.Copy(h, r); err != nil {
					t.Fatal(err)
				} else if n != int64(tc.size) {
					t.Fatalf("decrypted %d bytes, want %d", n, tc.size)
				}
				if !bytes.Equal(h.Sum(nil), want[:]) {
					t.Fatal("decrypted plaintext differs")
				}
			})

			// The payload is a plain age file: age itself, given only the
			// secret key string, can decrypt it.
			t.Run("age.Decrypt", func(t *testing.T) {
				id, err := age.ParseX25519Identity(k.Secret())
				if err != nil {
					t.Fatal(err)
				}
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				r, err := age.Decrypt(f, id)
				if err != nil {
					t.Fatal(err)
				}
				h := sha256.New()
				if _, err := io.Copy(h, r); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(h.Sum(nil), want[:]) {
					t.Fatal("plaintext decrypted by age differs")
				}
			})
		})
	}
}

func TestDecryptWrongKey(t *testing.T) {
	k, other := newKey(t), newKey(t)
	ciphertext := encryptBytes(t, []byte("secret plaintext"), k)
	_, err := Decrypt(bytes.NewReader(ciphertext), other)
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("Decrypt with the wrong key: got %v, want ErrWrongKey", err)
	}
	if errors.Is(err, ErrCorrupt) {
		t.Errorf("wrong key error also matches ErrCorrupt: %v", err)
	}
	var noMatch *age.NoIdentityMatchError
	if !errors.As(err, &noMatch) {
		t.Errorf("wrong key error does not unwrap to *age.NoIdentityMatchError: %v", err)
	}
	t.Logf("error: %v", err)
}

func TestDecryptCorrupt(t *testing.T) {
	k := newKey(t)
	// Two full chunks and a short one.
	plaintext := randomBytes(2*chunkSize + 100)
	ciphertext := encryptBytes(t, plaintext, k)
	firstChunk := headerSize
	lastChunk := headerSize + 2*(chunkSize+16)

	flip := func(i int) []byte {
		c := bytes.Clone(ciphertext)
		c[i] ^= 0x01
		return c
	}
	for _, tc := range []struct {
		name       string
		ciphertext []byte
	}{
		{"flipped byte in header line", flip(3)},
		{"flipped byte in header MAC", flip(headerSize - 20)},
		{"flipped byte in nonce", flip(headerSize - 1)},
		{"flipped byte in first chunk", flip(firstChunk + 10)},
		{"flipped byte in first chunk tag", flip(firstChunk + chunkSize + 15)},
		{"flipped byte in last chunk", flip(lastChunk + 10)},
		{"flipped last byte", flip(len(ciphertext) - 1)},
		{"truncated by one byte", ciphertext[:len(ciphertext)-1]},
		{"truncated at a chunk boundary", ciphertext[:lastChunk]},
		{"truncated to the header", ciphertext[:headerSize]},
		{"truncated in the header", ciphertext[:100]},
		{"empty", nil},
		{"trailing byte", append(bytes.Clone(ciphertext), 0)},
		{"chunks swapped", swapChunks(ciphertext)},
		{"not age", []byte("this is not an age file\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := decryptAll(tc.ciphertext, k)
			if err == nil {
				t.Fatalf("decrypted %d bytes without error", len(out))
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
			if errors.Is(err, ErrWrongKey) {
				t.Errorf("corrupt error also matches ErrWrongKey: %v", err)
			}
			t.Logf("error: %v", err)
		})
	}
}

func swapChunks(ciphertext []byte) []byte {
	c := bytes.Clone(ciphertext)
	a := c[headerSize : headerSize+chunkSize+16]
	b := c[headerSize+chunkSize+16 : headerSize+2*(chunkSize+16)]
	tmp := bytes.Clone(a)
	copy(a, b)
	copy(b, tmp)
	return c
}

// TestDecryptEveryFlip checks that no single-bit change anywhere in a payload
// goes unnoticed. Changes to the recipient stanza are indistinguishable from
// a wrong key; everything else must be reported as corruption.
func TestDecryptEveryFlip(t *testing.T) {
	k := newKey(t)
	ciphertext := encryptBytes(t, []byte("a short payload of a single chunk"), k)
	stanzaStart := 22
	stanzaEnd := 22 + 54 + 44
	for i := range ciphertext {
		for _, bit := range []byte{0x01, 0x80} {
			c := bytes.Clone(ciphertext)
			c[i] ^= bit
			_, err := decryptAll(c, k)
			switch {
			case err == nil:
				t.Fatalf("flipping bit %#x of byte %d went undetected", bit, i)
			case errors.Is(err, ErrCorrupt):
			case errors.Is(err, ErrWrongKey) && i >= stanzaStart && i < stanzaEnd:
			default:
				t.Fatalf("flipping bit %#x of byte %d: unexpected error %v", bit, i, err)
			}
		}
	}
}

type failingReader struct {
	r   io.Reader
	n   int // bytes to return before failing
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

func TestDecryptSourceError(t *testing.T) {
	k := newKey(t)
	ciphertext := encryptBytes(t, randomBytes(3*chunkSize), k)
	errNetwork := errors.New("network is down")
	for _, at := range []int{0, 50, headerSize + 10, headerSize + chunkSize + 100} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			src := &failingReader{r: bytes.NewReader(ciphertext), n: at, err: errNetwork}
			var err error
			if r, err2 := Decrypt(src, k); err2 != nil {
				err = err2
			} else {
				_, err = io.ReadAll(r)
			}
			if !errors.Is(err, errNetwork) {
				t.Fatalf("got %v, want the source error", err)
			}
			if errors.Is(err, ErrCorrupt) || errors.Is(err, ErrWrongKey) {
				t.Errorf("source error reported as a sentinel: %v", err)
			}
		})
	}
}

func TestNilKey(t *testing.T) {
	if _, err := Encrypt(io.Discard, nil); err == nil {
		t.Error("Encrypt with nil key succeeded")
	}
	if _, err := Decrypt(bytes.NewReader(nil), nil); err == nil {
		t.Error("Decrypt with nil key succeeded")
	}
	if _, err := SealKey(nil, PublicKeyBytes(newKey(t).id)); err == nil {
		t.Error("SealKey with nil key succeeded")
	}
	if _, err := OpenKey(nil, nil); err == nil {
		t.Error("OpenKey with nil identity succeeded")
	}
	if _, err := EncryptMetadata(nil, nil); err == nil {
		t.Error("EncryptMetadata with nil key succeeded")
	}
	if _, err := DecryptMetadata(nil, nil); err == nil {
		t.Error("DecryptMetadata with nil key succeeded")
	}
}

var secretKeyRE = regexp.MustCompile(`(?i)AGE-SECRET-KEY-1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{8}`)

// secretParts returns substrings that must never appear in output: the
// secret key in both cases, and its data part on its own.
func secretParts(k *DatasetKey) []string {
	s := k.Secret()
	data := strings.TrimPrefix(s, "AGE-SECRET-KEY-1")
	return []string{s, strings.ToLower(s), data, strings.ToLower(data)}
}

func assertNoSecret(t *testing.T, what, out string, k *DatasetKey) {
	t.Helper()
	for _, p := range secretParts(k) {
		if strings.Contains(out, p) {
			t.Errorf("%s reveals the secret key: %q", what, out)
			return
		}
	}
	if secretKeyRE.MatchString(out) {
		t.Errorf("%s contains a secret key: %q", what, out)
	}
}

func TestDatasetKeyStringHidesSecret(t *testing.T) {
	k := newKey(t)
	if !strings.HasPrefix(k.Secret(), "AGE-SECRET-KEY-1") {
		t.Fatalf("Secret() is not an age secret key")
	}
	want := "seal.DatasetKey(" + k.Recipient().String() + ")"
	if got := k.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
		assertNoSecret(t, "Sprintf("+verb+", k)", fmt.Sprintf(verb, k), k)
		assertNoSecret(t, "Sprintf("+verb+", *k)", fmt.Sprintf(verb, *k), k)
		assertNoSecret(t, "Sprintf("+verb+", struct)", fmt.Sprintf(verb, struct{ K *DatasetKey }{k}), k)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("msg", "key", k)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("msg", "key", k)
	assertNoSecret(t, "slog", buf.String(), k)
	j, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "json.Marshal", string(j), k)
	if s := (*DatasetKey)(nil).String(); s != "seal.DatasetKey(nil)" {
		t.Errorf("nil String() = %q", s)
	}
}

func TestParseDatasetKey(t *testing.T) {
	k := newKey(t)
	k2, err := ParseDatasetKey(k.Secret())
	if err != nil {
		t.Fatal(err)
	}
	if k2.Secret() != k.Secret() || k2.Recipient().String() != k.Recipient().String() {
		t.Fatal("ParseDatasetKey(k.Secret()) returned a different key")
	}

	for name, s := range map[string]string{
		"empty":             "",
		"trailing newline":  k.Secret() + "\n",
		"leading space":     " " + k.Secret(),
		"lowercase":         strings.ToLower(k.Secret()),
		"truncated":         k.Secret()[:len(k.Secret())-1],
		"changed character": k.Secret()[:30] + flipChar(k.Secret()[30]) + k.Secret()[31:],
		"recipient":         k.Recipient().String(),
		"other secret":      "hunter2secret1pqzry9x8gf2tvdw0s3jn54khce6mua7l",
		"invalid character": k.Secret()[:40] + "B" + k.Secret()[41:],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseDatasetKey(s)
			if err == nil {
				t.Fatal("ParseDatasetKey succeeded")
			}
			msg := err.Error()
			assertNoSecret(t, "error", msg, k)
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error quotes the input: %q", msg)
			}
		})
	}
}

func flipChar(c byte) string {
	if c == 'Q' {
		return "P"
	}
	return "Q"
}
