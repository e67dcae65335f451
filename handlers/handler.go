// Package handlers is the web console: routes, sessions, and one file per
// resource that parses input, calls one store method and renders a view.
package handlers

import (
	"crypto/sha256"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"imageconsole/models"
)

// Config is what the console needs from the command line.
type Config struct {
	// SessionKeys are the gorilla/securecookie hash and block keys.
	SessionKeys [][]byte
	// Secure marks cookies Secure and gives them the __Host- prefix (the
	// console is served over TLS).
	Secure bool
	// Metrics, if set, counts requests and serves /metrics.
	Metrics *Metrics
	// MetricsToken, if set, is the bearer token /metrics requires.
	MetricsToken string
	// MetricsElsewhere keeps /metrics off the console's address: the
	// command serves it on a listener of its own.
	MetricsElsewhere bool
	// Log receives one structured line per request; nil logs nothing.
	Log *slog.Logger
	// TrustedProxies are the networks whose X-Forwarded-For is believed;
	// with none, the client address is the connection's peer, so a spoofed
	// header cannot dodge sign-in throttling.
	TrustedProxies []*net.IPNet
}

// Handler holds the console's dependencies; it has no mutable state.
type Handler struct {
	store   *models.Store
	cookies *sessions.CookieStore
	secure  bool
	now     func() time.Time
	metrics *Metrics
	log     *slog.Logger
	// metricsToken and metricsElsewhere are Config's.
	metricsToken     string
	metricsElsewhere bool
	proxies          []*net.IPNet
	names            cookieNames
	// csrfKey signs CSRF tokens (csrf.go); devices signs the known-device
	// cookie, which outlives sessions (device.go).
	csrfKey []byte
	devices []securecookie.Codec
}

// deviceLifetime is how long a browser stays a known device of an account
// after signing in on it.
const deviceLifetime = 365 * 24 * time.Hour

// New builds the console handler.
func New(store *models.Store, cfg Config) *Handler {
	cs := sessions.NewCookieStore(cfg.SessionKeys...)
	// Every option is set explicitly: the library's defaults changed between
	// releases, and a silent change here would weaken the cookie.
	cs.Options = &sessions.Options{
		Path:        "/",
		Domain:      "",
		MaxAge:      int(store.SessionLifetime / time.Second),
		Secure:      cfg.Secure,
		HttpOnly:    true,
		SameSite:    http.SameSiteLaxMode,
		Partitioned: false,
	}
	cs.MaxAge(cs.Options.MaxAge)
	devices := securecookie.CodecsFromPairs(cfg.SessionKeys...)
	for _, d := range devices {
		d.(*securecookie.SecureCookie).MaxAge(int(deviceLifetime / time.Second))
	}
	csrfKey := sha256.Sum256(append([]byte("imageconsole/csrf/"), cfg.SessionKeys[0]...))
	return &Handler{store: store, cookies: cs, secure: cfg.Secure, now: store.Now, metrics: cfg.Metrics, log: cfg.Log,
		proxies: cfg.TrustedProxies, names: namesFor(cfg.Secure), csrfKey: csrfKey[:], devices: devices,
		metricsToken: cfg.MetricsToken, metricsElsewhere: cfg.MetricsElsewhere}
}
