package browser_test

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/chromedp/chromedp"
)

// Screenshots go to CONSOLE_SCREENSHOTS, or to a temporary directory whose
// name the suite prints at the end, for a person to look at.
var (
	shotsOnce sync.Once
	shotsDir  string
	shotsMu   sync.Mutex
	shotsUsed bool
)

// screenshotDir returns the folder, creating it when create is set; without
// create it returns "" until a screenshot was taken.
func screenshotDir(create bool) string {
	shotsMu.Lock()
	defer shotsMu.Unlock()
	if !create {
		if !shotsUsed {
			return ""
		}
		return shotsDir
	}
	shotsOnce.Do(func() {
		dir := os.Getenv("CONSOLE_SCREENSHOTS")
		if dir == "" {
			dir, _ = os.MkdirTemp("", "console-screenshots-")
		}
		if err := os.MkdirAll(dir, 0o755); err == nil {
			shotsDir = dir
		}
	})
	shotsUsed = shotsDir != ""
	return shotsDir
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }

// shot saves a full-page screenshot of the tab as it is, as name.png.
func (p *tab) shot(name string) {
	p.t.Helper()
	dir := screenshotDir(true)
	if dir == "" {
		p.t.Log("no screenshot folder")
		return
	}
	buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.fatalf("screenshot %s: %v", name, err)
	}
	if err := writeFile(filepath.Join(dir, name+".png"), buf); err != nil {
		p.t.Fatalf("save screenshot: %v", err)
	}
}

// shotView saves what the viewport shows (a dialog, an open menu) as
// name.png.
func (p *tab) shotView(name string) {
	p.t.Helper()
	dir := screenshotDir(true)
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.fatalf("screenshot %s: %v", name, err)
	}
	if err := writeFile(filepath.Join(dir, name+".png"), buf); err != nil {
		p.t.Fatalf("save screenshot: %v", err)
	}
}

// tour takes the page just loaded at desktop size in the light scheme
// through the variants people see: it runs the accessibility check (the
// contrast rule again in the dark scheme) and saves name-desktop-light.png,
// name-phone-light.png and name-desktop-dark.png. It ends at desktop size,
// light. It reloads after switching the scheme: Chromium does not always
// repaint inherited colours when the emulated scheme changes.
func (p *tab) tour(name string) {
	p.t.Helper()
	p.checkA11y(name + " (light)")
	p.shot(name + "-desktop-light")
	p.viewport(phone, "light")
	p.shot(name + "-phone-light")
	p.viewport(desktop, "dark")
	p.do("reload", chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("body")))
	p.axe(name+" (dark)", axeContrast)
	p.shot(name + "-desktop-dark")
	p.viewport(desktop, "light")
}

// glance is a shorter tour for a page made of the same parts as one that
// had the full tour: the accessibility check and a desktop screenshot.
func (p *tab) glance(name string) {
	p.t.Helper()
	p.checkA11y(name + " (light)")
	p.shot(name + "-desktop-light")
}
