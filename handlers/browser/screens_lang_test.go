package browser_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"imageconsole/models/i18n"
)

// TestScreens_BothLanguages: the main pages in Simplified Chinese and in
// English, saved as screenshots (the folder is printed at the end of the
// suite), each checked with axe, for catalogue IDs shown instead of a text
// (a key missing from the catalogue is shown as its ID), and, in Chinese,
// for Chinese text.
func TestScreens_BothLanguages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	pages := []struct{ name, path, ready string }{
		{"images", "/images?region=" + region + "&tab=custom", "image-table"},
		{"image", "/images/" + w.golden + "?region=" + region, "share-panel"},
		{"instances", "/instances?region=" + region, "instance-table"},
		{"launch", "/instances/new?region=" + region + "&image=" + w.golden, "quote"},
		{"network", "/network/vpcs?region=" + region, "create-vpc-form"},
		{"apikeys", "/apikeys?region=" + region, "key-table"},
		{"account", "/account?region=" + region, "account-info"},
	}
	prefixes := catalogueAreas()
	for _, l := range []i18n.Lang{i18n.ZH, i18n.EN} {
		// A tab of its own per language: each has its own time budget.
		p := w.p.e.newTab("alice-" + string(l))
		p.signIn("alice@example.com")
		p.open("/account?region=" + region)
		if p.attr("html", "lang") != string(l) {
			p.chooseAndLoad(`header `+sel("lang-select"), string(l))
		}
		for _, pg := range pages {
			p.open(pg.path)
			p.waitVisible(sel(pg.ready))
			if got := p.attr("html", "lang"); got != string(l) {
				t.Errorf("%s: html lang %q, want %s", pg.name, got, l)
			}
			name := "lang-" + string(l) + "-" + pg.name
			p.checkA11y(name)
			p.shot(name)
			if ids := p.shownIDs(prefixes); len(ids) > 0 {
				t.Errorf("%s (%s) shows catalogue IDs instead of texts: %v", pg.name, l, ids)
			}
			hasChinese := p.eval(`/[\u4e00-\u9fff]/.test(document.body.innerText)`) == true
			if l == i18n.ZH && !hasChinese {
				t.Errorf("%s: no Chinese text in zh-CN", pg.name)
			}
		}
	}
	if dir := screenshotDir(false); dir != "" {
		t.Logf("screenshots in both languages: %s/lang-*.png", dir)
	}
}

// catalogueAreas are the first parts of the catalogue's IDs ("shell",
// "images", …): a dotted word starting with one on a page is an ID the
// catalogue did not have.
func catalogueAreas() []string {
	seen := map[string]bool{}
	for _, id := range i18n.IDs(i18n.EN) {
		seen[strings.SplitN(id, ".", 2)[0]] = true
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// shownIDs returns the dotted catalogue-like words the page shows as text
// or in its accessible labels (code samples and e-mail addresses aside).
func (p *tab) shownIDs(areas []string) []string {
	p.t.Helper()
	a, _ := json.Marshal(areas)
	got, _ := p.eval(`(() => {
		const areas = new Set(` + string(a) + `);
		const texts = [];
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: n =>
			n.parentElement.closest("pre, code, script, style, template") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
		while (walk.nextNode()) { texts.push(walk.currentNode.nodeValue); }
		document.querySelectorAll("[aria-label], [title], [placeholder], [data-confirm]").forEach(el => {
			for (const k of ["aria-label", "title", "placeholder", "data-confirm"]) { if (el.hasAttribute(k)) { texts.push(el.getAttribute(k)); } }
		});
		texts.push(document.title);
		const out = [];
		for (const t of texts) {
			for (const m of t.matchAll(/(^|[^@\w.])([a-z][a-zA-Z0-9-]*(?:\.[a-zA-Z][a-zA-Z0-9-]*)+)/g)) {
				if (areas.has(m[2].split(".")[0])) { out.push(m[2]); }
			}
		}
		return out;
	})()`).([]any)
	out := make([]string, len(got))
	for i, v := range got {
		out[i], _ = v.(string)
	}
	return out
}
