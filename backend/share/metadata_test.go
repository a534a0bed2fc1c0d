package share

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestSafeFileName: names chosen by a dataset's owner become file names that stay in the chosen
// directory, are not hidden, and show what they are.
func TestSafeFileName(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	for _, c := range []struct{ why, in, want string }{
		{"plain name", "report.csv", "report.csv"},
		{"unicode name", "Résumé – 2024.pdf", "Résumé – 2024.pdf"},
		{"parent directories", "../../etc/passwd", "_.._etc_passwd"},
		{"windows separators", `..\..\win.ini`, "_.._win.ini"},
		{"separator inside", "a/b", "a_b"},
		{"dot file in home", "~/.bashrc", "__.bashrc"},
		{"leading dot", ".bashrc", "bashrc"},
		{"leading dots and spaces", "  .hidden  ", "hidden"},
		{"option-like", "-rf", "_rf"},
		{"empty", "", "dataset"},
		{"only spaces", "   ", "dataset"},
		{"dot", ".", "dataset"},
		{"dot dot", "..", "dataset"},
		{"only separators and dots", "/../.", "_.._"},
		{"NUL and escape", "bad\x00name\x1b[31m", "badname[31m"},
		{"line breaks", "two\nlines\r.txt", "twolines.txt"},
		{"C1 control", "a\u0085b", "ab"},
		{"right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"bidi isolate", "a\u2066b\u2069c", "abc"},
		{"zero-width space", "pay\u200Bpal.txt", "paypal.txt"},
		{"zero-width joiner and BOM", "\uFEFFa\u200Db", "ab"},
		{"line separator", "a\u2028b", "ab"},
		{"invalid UTF-8", "bad\xff\xfe.txt", "bad_.txt"},
		{"windows forbidden characters", `a<b>c:d"e|f?g*h`, "a_b_c_d_e_f_g_h"},
		{"trailing dot and space", "name. . ", "name"},
		{"reserved device", "CON", "_CON"},
		{"reserved device with extension", "nul.txt", "_nul.txt"},
		{"reserved COM port", "com1.tar.gz", "_com1.tar.gz"},
		{"not reserved", "console.txt", "console.txt"},
		{"long name keeps its extension", long + ".csv", strings.Repeat("é", 98) + ".csv"},
		{"long name cut on a character boundary", "a" + long, "a" + strings.Repeat("é", 99)},
		{"long extension is not kept", strings.Repeat("x", 190) + "." + strings.Repeat("y", 30), strings.Repeat("x", 190) + "." + strings.Repeat("y", 9)},
	} {
		got := SafeFileName(c.in)
		if got != c.want {
			t.Errorf("%s: SafeFileName(%q) = %q, want %q", c.why, c.in, got, c.want)
		}
		checkSafeFileName(t, c.in, got)
	}
}

// FuzzSafeFileName checks SafeFileName's promises on any input.
func FuzzSafeFileName(f *testing.F) {
	for _, s := range []string{"report.csv", "../../etc/passwd", "~/.bashrc", "a\u202Eb", "\xff", "CON.txt", strings.Repeat("é", 150) + ".csv"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkSafeFileName(t, in, SafeFileName(in))
	})
}

func checkSafeFileName(t *testing.T, in, got string) {
	t.Helper()
	bad := func(why string) { t.Errorf("SafeFileName(%q) = %q: %s", in, got, why) }
	switch {
	case !utf8.ValidString(got):
		bad("not valid UTF-8")
	case got == "" || got == "." || got == "..":
		bad("empty or a directory name")
	case len(got) > MaxFileNameBytes:
		bad("too long")
	case strings.ContainsAny(got, `/\`):
		bad("contains a path separator")
	case strings.ContainsAny(got[:1], ".-~"):
		bad("starts with a dot, a dash or a tilde")
	case strings.ContainsFunc(got, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }):
		bad("contains a control or format character")
	case isReservedName(got):
		bad("is a Windows device name")
	case SafeFileName(got) != got:
		bad("not idempotent: " + SafeFileName(got))
	}
}

// TestDecodeMetadataRejectsImpossibleSize: the size bounds what a fetch reads, so a size no
// dataset can have is refused.
func TestDecodeMetadataRejectsImpossibleSize(t *testing.T) {
	for _, size := range []string{"-1", "1152921504606846976", "9223372036854775807"} {
		doc := `{"format":"datashare/metadata","version":1,"name":"x","size":` + size +
			`,"sha256":"` + strings.Repeat("a", 64) + `","payload":"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"}`
		if _, err := decodeMetadata([]byte(doc), nil); err == nil || !strings.Contains(err.Error(), "impossible size") {
			t.Errorf("size %s: decodeMetadata = %v", size, err)
		}
	}
}
