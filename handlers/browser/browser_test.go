package browser_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/models"
	"imageconsole/models/storetest"
)

// One browser serves the whole suite (starting Chromium is the slow part);
// every test gets its own tabs, each in a fresh browser context so cookies
// never leak between accounts or tests.
var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
	stopBrowser = func() {}
	profileDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	if imageServer != nil {
		imageServer.Close()
	}
	if profileDir != "" {
		os.RemoveAll(profileDir)
	}
	if dir := screenshotDir(false); dir != "" {
		fmt.Printf("browser tests: screenshots in %s\n", dir)
	}
	os.Exit(code)
}

// chromiumPath finds Debian's Chromium.
func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// requireBrowser returns the shared browser, starting it on first use. A
// missing Chromium skips the test, except in CI (CI=true), where it fails.
func requireBrowser(t *testing.T) context.Context {
	t.Helper()
	if storetest.PostgresURL() != "" {
		t.Skip("the browser suite checks the UI; it runs in the SQLite pass only")
	}
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed (/usr/bin/chromium or chromium on PATH): CI must install it (.ci/run does)")
		}
		t.Skip("Chromium is not installed (apt-get install chromium): skipping the browser tests")
	}
	browserOnce.Do(func() { browserErr = startBrowser(path) })
	if browserErr != nil {
		t.Fatalf("start Chromium: %v", browserErr)
	}
	return browserCtx
}

func startBrowser(path string) error {
	dir, err := os.MkdirTemp("", "console-chromium-")
	if err != nil {
		return err
	}
	profileDir = dir
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		// Tests run as root in CI containers, where Chromium's sandbox cannot
		// start; the pages are our own, on loopback.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	stopBrowser = func() { cancelBrowser(); cancelAlloc() }
	// The first run starts the browser; it must have no deadline, or the
	// deadline would stop the browser with it.
	if err := chromedp.Do(bctx); err != nil {
		return err
	}
	browserCtx = bctx
	return nil
}

// env is one console server: a fresh store, the real route table on a
// loopback httptest server, and background workers.
type env struct {
	t     *testing.T
	store *models.Store
	url   string
}

// taskScale makes background work take a second or three, so progress is
// visible but the suite stays fast.
const taskScale = 0.15

func newEnv(t *testing.T, configure ...func(*models.Store)) *env {
	t.Helper()
	s := storetest.Open(t)
	s.TaskScale = taskScale
	for _, f := range configure {
		f(s)
	}
	key := []byte("browser-test-session-key-0123456")
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{key, key}})
	srv := httptest.NewServer(h.NewEcho(api.New(s)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		(&models.Worker{Store: s, ID: "browser-" + t.Name(), Poll: 50 * time.Millisecond, ImportAllowNetworks: storetest.Loopback}).Run(ctx, 2)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		srv.Close()
	})
	return &env{t: t, store: s, url: srv.URL}
}

// accountID is the UIN of the account with this email.
func (e *env) accountID(email string) string {
	e.t.Helper()
	a, err := e.store.AccountByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("account %s: %v", email, err)
	}
	return a.ID
}

// safeName turns a test name into a file name.
func safeName(s string) string {
	return strings.NewReplacer("/", "-", " ", "_", ":", "").Replace(s)
}
