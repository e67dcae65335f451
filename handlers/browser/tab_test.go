package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// tab is one browser tab with its own cookies (a fresh browser context):
// one signed-in person.
type tab struct {
	t    *testing.T
	e    *env
	ctx  context.Context
	name string

	mu       sync.Mutex
	problems []string // uncaught exceptions and CSP violations
}

// tabTimeout bounds everything one tab does in a test. The longest flows
// take about 30 s alone; under -race on two busy cores, with the other
// browser tests running beside them, they have taken over 100 s.
const tabTimeout = 240 * time.Second

// newTab opens a tab at desktop size in the light scheme. name labels its
// screenshots ("alice", "bob").
func (e *env) newTab(name string) *tab {
	t := e.t
	t.Helper()
	bctx := requireBrowser(t)
	ctx, cancelTab := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, tabTimeout)
	p := &tab{t: t, e: e, ctx: ctx, name: name}
	t.Cleanup(func() {
		p.mu.Lock()
		problems := p.problems
		p.mu.Unlock()
		for _, msg := range problems {
			t.Errorf("%s's page reported: %s", name, msg)
		}
		cancelTimeout()
		cancelTab()
	})
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
				p.mu.Lock()
				p.problems = append(p.problems, m.String())
				p.mu.Unlock()
			}
		}
	}()
	p.viewport(desktop, "light")
	return p
}

// Viewports of the screenshots: a laptop and a 375 px wide phone.
type viewport struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1280, 900, 1, false}
	phone   = viewport{"phone", 375, 812, 2, true}
)

// viewport sets the size and the colour scheme ("light" or "dark").
func (p *tab) viewport(v viewport, scheme string) {
	p.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(v.scale)}
	if v.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	p.do("set the viewport", chromedp.EmulateViewport(v.width, v.height, opts...),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme},
					// No transitions: a screenshot never catches colours half-way.
					{Name: "prefers-reduced-motion", Value: "reduce"}}})
			return err
		}))
}

// do runs the steps and stops the test on the first error.
func (p *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.fatalf("%s: %v", what, err)
	}
}

// fatalf stops the test, saying where the tab was and keeping a screenshot.
func (p *tab) fatalf(format string, args ...any) {
	p.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if url, err := chromedp.Run(p.ctx, chromedp.Location()); err == nil {
		msg += "\n  at " + url
	}
	if dir := screenshotDir(true); dir != "" {
		if buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100)); err == nil {
			path := dir + "/FAILED-" + safeName(p.t.Name()) + "-" + p.name + ".png"
			if writeFile(path, buf) == nil {
				msg += "\n  screenshot " + path
			}
		}
	}
	p.t.Fatal(msg)
}

// open loads a path of the console and waits for the page.
func (p *tab) open(path string) {
	p.t.Helper()
	p.do("open "+path, chromedp.Navigate(p.e.url+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// sel is the CSS selector of a data-testid.
func sel(testid string) string { return `[data-testid="` + testid + `"]` }

// click clicks the first visible element the CSS selector matches.
func (p *tab) click(css string) {
	p.t.Helper()
	p.do("click "+css, chromedp.Click(chromedp.CSS(css)))
}

// clickAndLoad clicks and waits for the page that follows to load.
func (p *tab) clickAndLoad(css string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(css)))); err != nil {
		p.fatalf("click %s and wait for the next page: %v", css, err)
	}
}

// fill replaces the text of an input.
func (p *tab) fill(css, value string) {
	p.t.Helper()
	p.do("fill "+css, chromedp.Clear(chromedp.CSS(css)), chromedp.SendKeys(chromedp.CSS(css), value))
}

// choose selects an option and fires change, as a person would.
func (p *tab) choose(css, value string) {
	p.t.Helper()
	ok := p.eval(`(() => { const el = document.querySelector(` + js(css) + `); if (!el) return false;
		el.value = ` + js(value) + `; el.dispatchEvent(new Event("change", {bubbles: true})); return el.value === ` + js(value) + `; })()`)
	if ok != true {
		p.fatalf("choose %q in %s: no such option", value, css)
	}
}

// chooseAndLoad selects an option of an auto-submitting form (the region
// selector) and waits for the page it loads.
func (p *tab) chooseAndLoad(css, value string) {
	p.t.Helper()
	change := chromedp.Evaluate[chromedp.Void](`(() => { const el = document.querySelector(` + js(css) + `);
		el.value = ` + js(value) + `; el.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	if _, err := chromedp.Run(p.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, change)); err != nil {
		p.fatalf("choose %q in %s and wait for the next page: %v", value, css, err)
	}
}

// eval evaluates a JavaScript expression (CDP evaluation is not subject to
// the page's CSP) and returns its JSON value.
func (p *tab) eval(expr string) any {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		p.fatalf("evaluate %.80s: %v", expr, err)
	}
	return v
}

// text is the trimmed text content of the first match, "" if none.
func (p *tab) text(css string) string {
	p.t.Helper()
	s, _ := p.eval(`(document.querySelector(` + js(css) + `)?.textContent ?? "").replace(/\s+/g, " ").trim()`).(string)
	return s
}

// count is the number of elements the selector matches.
func (p *tab) count(css string) int {
	p.t.Helper()
	n, _ := p.eval(`document.querySelectorAll(` + js(css) + `).length`).(float64)
	return int(n)
}

// attr is an attribute of the first match.
func (p *tab) attr(css, name string) string {
	p.t.Helper()
	s, _ := p.eval(`document.querySelector(` + js(css) + `)?.getAttribute(` + js(name) + `) ?? ""`).(string)
	return s
}

// location is the tab's current URL, without the server's address.
func (p *tab) location() string {
	p.t.Helper()
	s, _ := p.eval(`location.pathname + location.search`).(string)
	return s
}

// waitFor polls a JavaScript condition (chromedp's Poll builds a function
// from a string, which the console's CSP rightly forbids).
func (p *tab) waitFor(what, cond string, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err == nil && ok {
			return
		}
		if p.ctx.Err() != nil || time.Now().After(deadline) {
			p.fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitVisible waits until an element is displayed.
func (p *tab) waitVisible(css string) {
	p.t.Helper()
	p.waitFor(css+" to show", `(() => { const el = document.querySelector(`+js(css)+`); return el && el.getClientRects().length > 0; })()`, 10*time.Second)
}

// markPage tags the current document, so a later check can prove that
// the page changed without a reload.
func (p *tab) markPage() { p.eval(`window.__sameDocument = true`) }

func (p *tab) requireSamePage(what string) {
	p.t.Helper()
	if p.eval(`window.__sameDocument === true`) != true {
		p.fatalf("%s: the page reloaded; it should have updated in place", what)
	}
}

// key sends one key press (Escape, Tab, Enter) to the focused element.
func (p *tab) key(k string) {
	p.t.Helper()
	p.do("press "+k, chromedp.KeyEvent(k))
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
