package i18n

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCatalogue fails on a key missing in either language, on texts whose
// placeholders differ between the languages, and on a key the code asks
// for that the catalogue lacks.
func TestCatalogue(t *testing.T) {
	en, zh := IDs(EN), IDs(ZH)
	if len(en) == 0 {
		t.Fatal("the catalogue is empty")
	}
	inZH := map[string]bool{}
	for _, id := range zh {
		inZH[id] = true
	}
	inEN := map[string]bool{}
	for _, id := range en {
		inEN[id] = true
		if !inZH[id] {
			t.Errorf("%s has no Simplified Chinese text", id)
		}
	}
	for _, id := range zh {
		if !inEN[id] {
			t.Errorf("%s has no English text", id)
		}
	}
	pe, err := placeholders(EN)
	if err != nil {
		t.Fatalf("en: %v", err)
	}
	pz, err := placeholders(ZH)
	if err != nil {
		t.Fatalf("zh-CN: %v", err)
	}
	for _, id := range en {
		if inZH[id] && !reflect.DeepEqual(pe[id], pz[id]) {
			t.Errorf("%s: placeholders differ: en %v, zh-CN %v", id, pe[id], pz[id])
		}
	}
}

// usedID finds the catalogue IDs the code passes to T, E, FieldE and the
// other lookups: a string literal with a dot and no space as one of the
// first three arguments.
var usedID = regexp.MustCompile(`\b(?:T|E|FieldE|Tf|Text|msg)\(\s*(?:[\w.]+(?:\([^()]*\))?\s*,\s*){0,2}"([a-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+)"`)

func TestCatalogue_EveryUsedKeyExists(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", ".tools", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		// This package's own doc comments and tests name example keys.
		if filepath.Base(filepath.Dir(p)) == "i18n" || strings.HasSuffix(p, "_templ.go") || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".templ")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range usedID.FindAllStringSubmatch(string(b), -1) {
			n++
			if !Has(m[1]) {
				t.Errorf("%s uses %q, which the catalogue lacks in at least one language", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("found no catalogue key in the code: the pattern is broken")
	}
}

func TestT(t *testing.T) {
	before := Missing()
	if got := EN.T("err.internal"); got != "An internal error occurred." {
		t.Errorf("EN: %q", got)
	}
	if got := ZH.T("err.internal"); !strings.Contains(got, "内部错误") {
		t.Errorf("ZH: %q", got)
	}
	if got := T(WithLang(context.Background(), ZH), "lang.switch"); got != "语言" {
		t.Errorf("ctx ZH: %q", got)
	}
	if got := T(context.Background(), "lang.switch"); got != "Language" {
		t.Errorf("no language in ctx: %q, want the default (English)", got)
	}
	if Missing() != before {
		t.Error("a known key counted as missing")
	}
	if got := EN.T("no.such.key"); got != "no.such.key" || Missing() != before+1 {
		t.Errorf("unknown key: %q, missing %d", got, Missing()-before)
	}
}

func TestLanguageChoice(t *testing.T) {
	for _, c := range []struct {
		header string
		want   Lang
	}{
		{"", EN},
		{"zh-CN,zh;q=0.9,en;q=0.8", ZH},
		{"zh", ZH},
		{"zh-Hans-CN", ZH},
		{"en-US,en;q=0.9", EN},
		{"fr-FR", EN},
		{"fr-FR, zh-TW;q=0.5", ZH},
		{";;;garbage", EN},
	} {
		if got := FromAcceptLanguage(c.header); got != c.want {
			t.Errorf("Accept-Language %q: %s, want %s", c.header, got, c.want)
		}
	}
	for _, c := range []struct {
		tag  string
		want Lang
		ok   bool
	}{{"zh-CN", ZH, true}, {"en-US", EN, true}, {"en", EN, true}, {"zh", ZH, true}, {"xx-!!", "", false}, {"", "", false}} {
		got, ok := Parse(c.tag)
		if got != c.want || ok != c.ok {
			t.Errorf("Parse(%q) = %s %v, want %s %v", c.tag, got, ok, c.want, c.ok)
		}
	}
}

func TestFormats(t *testing.T) {
	at := time.Date(2026, 11, 30, 15, 4, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{EN.Time(at), "30 Nov 2026, 15:04"},
		{ZH.Time(at), "2026年11月30日 15:04"},
		{EN.Date(at), "30 Nov 2026"},
		{ZH.Date(at), "2026年11月30日"},
		{EN.Money(0.12), "¥0.1200"},
		{ZH.Money(0.12), "0.1200元"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}
