// Package i18n is the one message catalogue of imageconsole: every text a
// user sees or reads, on a console page or in an API error, comes from it
// in Simplified Chinese and English.
//
// The texts live in locales/<area>.<lang>.toml (one pair of files per area
// of the product, so that each file stays small) and are loaded with
// go-i18n, which also picks plural forms. TestCatalogue fails when a key is
// missing in either language, when a key used in the code is missing, or
// when the two languages disagree on a text's {{.Placeholders}}.
//
// A message is addressed by its ID; template data comes as key/value pairs:
//
//	i18n.T(ctx, "images.count", "Count", n)   // the language of the request
//	i18n.ZH.T("err.image.notFound", "ID", id)  // a language named outright
package i18n

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a language the catalogue speaks.
type Lang string

// The languages. English is the fallback of a request that names none.
const (
	EN Lang = "en"
	ZH Lang = "zh-CN"
)

// Langs lists the languages in the order the language switch shows them.
var Langs = []Lang{ZH, EN}

// Default is the language of a request that names no language we speak.
const Default = EN

//go:embed locales/*.toml
var locales embed.FS

// catalogue is the loaded bundle plus, per language, a fast path for the
// texts without placeholders (most of a page's labels): a map read instead
// of a template execution.
type catalogue struct {
	bundle     *goi18n.Bundle
	localizers map[Lang]*goi18n.Localizer
	plain      map[Lang]map[string]string
	ids        map[Lang]map[string]bool
	// plural marks the texts with plural forms: only those take "Count"
	// as the plural count (a plain text may still print {{.Count}}).
	plural map[Lang]map[string]bool
}

var (
	loadOnce sync.Once
	cat      *catalogue
	// missing counts lookups of unknown IDs; tests assert it stays 0.
	missing atomic.Int64
	// missingIDs names them, for the test's message.
	missingIDs sync.Map
)

func load() *catalogue {
	loadOnce.Do(func() {
		c, err := loadFS(locales)
		if err != nil {
			panic("i18n: " + err.Error())
		}
		cat = c
	})
	return cat
}

func loadFS(fsys fs.FS) (*catalogue, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalogue{bundle: b, localizers: map[Lang]*goi18n.Localizer{},
		plain: map[Lang]map[string]string{}, ids: map[Lang]map[string]bool{}, plural: map[Lang]map[string]bool{}}
	for _, l := range Langs {
		c.plain[l] = map[string]string{}
		c.ids[l] = map[string]bool{}
		c.plural[l] = map[string]bool{}
	}
	files, err := fs.Glob(fsys, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		mf, err := b.LoadMessageFileFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		l, ok := langOfTag(mf.Tag)
		if !ok {
			return nil, fmt.Errorf("%s: language %s is not one of %v", f, mf.Tag, Langs)
		}
		for _, m := range mf.Messages {
			if c.ids[l][m.ID] {
				return nil, fmt.Errorf("%s: %s is defined twice", path.Base(f), m.ID)
			}
			c.ids[l][m.ID] = true
			isPlural := m.One != "" || m.Few != "" || m.Many != "" || m.Two != "" || m.Zero != ""
			c.plural[l][m.ID] = isPlural
			if !isPlural && !strings.Contains(m.Other, "{{") {
				c.plain[l][m.ID] = m.Other
			}
		}
	}
	for _, l := range Langs {
		c.localizers[l] = goi18n.NewLocalizer(b, string(l))
	}
	return c, nil
}

func langOfTag(t language.Tag) (Lang, bool) {
	for _, l := range Langs {
		if t == language.Make(string(l)) {
			return l, true
		}
	}
	return "", false
}

// T returns the text of id in l, with the placeholders filled from kv
// (key, value, key, value, …). A "Count" key also picks the plural form.
// An unknown ID returns the ID itself (and is counted: see Missing).
func (l Lang) T(id string, kv ...any) string {
	c := load()
	if len(kv) == 0 {
		if s, ok := c.plain[l][id]; ok {
			return s
		}
	}
	if !c.ids[l][id] {
		missing.Add(1)
		missingIDs.Store(string(l)+":"+id, true)
		return id
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(kv) > 0 {
		data := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			data[k] = kv[i+1]
			if k == "Count" && c.plural[l][id] {
				cfg.PluralCount = kv[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := c.localizers[l].Localize(cfg)
	if err != nil {
		missing.Add(1)
		missingIDs.Store(string(l)+":"+id+" ("+err.Error()+")", true)
		return id
	}
	return s
}

// Has reports whether id is in the catalogue in every language.
func Has(id string) bool {
	c := load()
	for _, l := range Langs {
		if !c.ids[l][id] {
			return false
		}
	}
	return true
}

// Missing returns how many lookups of unknown IDs the process made; a test
// that renders pages asserts it did not grow.
func Missing() int64 { return missing.Load() }

// MissingIDs names the unknown IDs looked up so far ("lang:id"), sorted.
func MissingIDs() []string {
	var out []string
	missingIDs.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	sort.Strings(out)
	return out
}

// IDs returns every ID of l, sorted.
func IDs(l Lang) []string {
	c := load()
	out := make([]string, 0, len(c.ids[l]))
	for id := range c.ids[l] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// placeholders returns the {{.Names}} each text of l uses, by ID, sorted.
func placeholders(l Lang) (map[string][]string, error) {
	c := load()
	raw := map[string]string{}
	files, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		mf, err := c.bundle.LoadMessageFileFS(locales, f)
		if err != nil {
			return nil, err
		}
		if lt, _ := langOfTag(mf.Tag); lt != l {
			continue
		}
		for _, m := range mf.Messages {
			raw[m.ID] = m.Zero + " " + m.One + " " + m.Two + " " + m.Few + " " + m.Many + " " + m.Other
		}
	}
	out := map[string][]string{}
	for id, text := range raw {
		if _, err := template.New(id).Parse(text); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		seen := map[string]bool{}
		for _, part := range strings.Split(text, "{{")[1:] {
			end := strings.Index(part, "}}")
			if end < 0 {
				continue
			}
			for _, f := range strings.Fields(part[:end]) {
				if strings.HasPrefix(f, ".") && len(f) > 1 {
					seen[f[1:]] = true
				}
			}
		}
		names := make([]string, 0, len(seen))
		for k := range seen {
			names = append(names, k)
		}
		sort.Strings(names)
		out[id] = names
	}
	return out, nil
}

type ctxKey struct{}

// WithLang returns ctx carrying the language of the request.
func WithLang(ctx context.Context, l Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the request's language, Default when none was set.
func FromContext(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return Default
}

// T is Lang.T in the language ctx carries: the form templates use.
func T(ctx context.Context, id string, kv ...any) string {
	return FromContext(ctx).T(id, kv...)
}
