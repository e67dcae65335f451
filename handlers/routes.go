package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"imageconsole/static"
)

// API is the Tencent Cloud API endpoint; it shares the console's address
// and takes the requests that carry X-TC-Action.
type API interface {
	Serve(c echo.Context) error
}

// NewEcho builds the server: middleware and the one route table.
func (h *Handler) NewEcho(api API) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = ErrorHandler
	e.IPExtractor = h.ipExtractor()
	e.Use(middleware.RequestID())
	if h.metrics != nil {
		var actions []string
		if a, ok := api.(interface{ Actions() []string }); ok {
			actions = a.Actions()
		}
		e.Use(h.metrics.Middleware(h.log, actions))
	}
	e.Use(middleware.Recover())
	e.Use(h.securityHeaders)
	e.Use(h.language, h.readFlash)
	if api != nil {
		e.Use(apiFirst(api))
	}
	// Size limit, then session, then CSRF: nothing reads a body before the
	// first two have passed (limits.go).
	gate := &bodyGate{h: h}
	e.Use(gate.limit, gate.session)
	e.Use(sameOrigin)
	e.Use(h.csrf)
	h.Routes(e)
	gate.routes = routeSet(e)
	return e
}

// Routes is the console's route table. Sessions and body limits are not
// set here but by the gate NewEcho puts in front of every route, so serve
// the table only through NewEcho.
func (h *Handler) Routes(e *echo.Echo) {
	e.StaticFS("/static", static.FS)
	e.GET("/healthz", h.Healthz)
	if h.metrics != nil && !h.metricsElsewhere {
		e.GET("/metrics", echo.WrapHandler(h.metrics.Handler(h.metricsToken)))
	}
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/images") })
	e.GET("/signin", h.ShowSignIn)
	e.POST("/signin", h.SignIn)
	e.GET("/signup", h.ShowSignUp)
	e.POST("/signup", h.SignUp)
	e.POST("/signout", h.SignOut)
	e.POST("/lang", h.SelectLanguage)

	// Every other route needs a session; NewEcho's body gate checks it
	// before anything reads the body, and sets each route's body limit
	// (the upload's is large, every other is small).
	g := e.Group("")
	g.POST("/images/import", h.ImportImage)
	g.GET("/images", h.ListImages)
	g.GET("/images/import", h.ShowImport)
	g.GET("/images/:id", h.ShowImage)
	g.GET("/images/:id/status", h.ImageStatus)
	g.POST("/images/:id/edit", h.EditImage)
	g.POST("/images/:id/delete", h.DeleteImage)
	g.POST("/images/:id/share", h.ShareImage)
	g.POST("/images/:id/unshare", h.UnshareImage)
	g.POST("/images/:id/sync", h.SyncImage)

	g.GET("/instances", h.ListInstances)
	g.GET("/instances/new", h.NewInstance)
	g.GET("/instances/quote", h.QuoteInstance)
	g.POST("/instances", h.LaunchInstances)
	g.GET("/instances/:id", h.ShowInstance)
	g.GET("/instances/:id/row", h.InstanceRow)
	g.POST("/instances/:id/images", h.CreateImageFromInstance)
	g.POST("/instances/:id/reset", h.ResetInstance)
	g.POST("/instances/:id/:action", h.InstanceAction)

	g.POST("/region", h.SelectRegion)
	g.GET("/account", h.ShowAccount)
	g.POST("/account/password", h.ChangePassword)
	g.GET("/quotas", h.ShowQuotas)
	g.GET("/operations", h.ListOperations)
	g.GET("/apikeys", h.ListAPIKeys)
	g.POST("/apikeys", h.CreateAPIKey)
	g.POST("/apikeys/:id/disable", h.DisableAPIKey)
	g.POST("/apikeys/:id/enable", h.EnableAPIKey)
	g.POST("/apikeys/:id/delete", h.DeleteAPIKey)
	g.GET("/network/vpcs", h.ListVPCs)
	g.POST("/network/vpcs", h.CreateVPC)
	g.GET("/network/vpcs/:id", h.ShowVPC)
	g.POST("/network/vpcs/:id/subnets", h.CreateSubnet)
	g.POST("/network/vpcs/:id/delete", h.DeleteVPC)
	g.POST("/network/subnets/:id/delete", h.DeleteSubnet)
	g.GET("/network/security-groups", h.ListSecurityGroups)
	g.POST("/network/security-groups", h.CreateSecurityGroup)
	g.GET("/network/security-groups/:id", h.ShowSecurityGroup)
	g.POST("/network/security-groups/:id/policies", h.AddSecurityGroupPolicy)
	g.POST("/network/security-groups/:id/delete", h.DeleteSecurityGroup)
	g.GET("/network/keypairs", h.ListKeyPairs)
	g.POST("/network/keypairs", h.CreateKeyPair)
	g.POST("/network/keypairs/import", h.ImportKeyPair)
	g.GET("/network/keypairs/:id", h.ShowKeyPair)
	g.POST("/network/keypairs/:id/delete", h.DeleteKeyPair)

	// The platform side: providers' listings and the operator's pages. The
	// store refuses every other role, and the console answers 404.
	g.GET("/market/listings", h.ListListings)
	g.GET("/market/listings/new", h.NewListing)
	g.POST("/market/listings", h.CreateListing)
	g.GET("/market/listings/:id/version", h.NewListingVersion)
	g.POST("/market/listings/:id/version", h.CreateListingVersion)
	g.POST("/market/listings/:id/withdraw", h.WithdrawListing)
	g.GET("/operator/reviews", h.ListReviews)
	g.POST("/operator/reviews/:id/approve", h.ApproveListing)
	g.POST("/operator/reviews/:id/reject", h.RejectListing)
	g.GET("/operator/catalog", h.ShowCatalog)
	g.POST("/operator/catalog", h.AddCommonImage)
	g.POST("/operator/catalog/:id/deprecate", h.DeprecateCommonImage)
	g.POST("/operator/catalog/:id/retire", h.RetireCommonImage)
	g.GET("/operator/accounts", h.ListAccounts)
	g.GET("/operator/accounts/:id", h.ShowPlatformAccount)
	g.POST("/operator/accounts/:id/quota", h.SetQuotaOverride)
	g.GET("/operator/audit", h.ListAudit)
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}

// apiFirst sends Tencent Cloud API requests (POST or GET "/" with
// X-TC-Action, or whatever else the API says it takes: signature v1 sends
// its parameters in the query or a form body) to the API before the
// console's middleware sees them.
func apiFirst(api API) echo.MiddlewareFunc {
	takes := func(r *http.Request) bool { return r.Header.Get("X-TC-Action") != "" }
	if t, ok := api.(interface{ Takes(r *http.Request) bool }); ok {
		takes = t.Takes
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.URL.Path == "/" && (r.Method == http.MethodPost || r.Method == http.MethodGet) && takes(r) {
				return api.Serve(c)
			}
			return next(c)
		}
	}
}

// securityHeaders sets the headers every HTML response carries; the CSP
// allows no inline script. Vary: HX-Request because the same URL answers
// with a fragment or a full page.
func (h *Handler) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		hd := c.Response().Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Add("Vary", "HX-Request")
		if h.secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// ipExtractor trusts X-Forwarded-For only from the configured proxies;
// Echo's own defaults would trust loopback and private networks.
func (h *Handler) ipExtractor() echo.IPExtractor {
	if len(h.proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range h.proxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// sameOrigin refuses a state-changing request whose Origin names another
// site. The CSRF check (csrf.go) refuses Sec-Fetch-Site: cross-site and checks
// tokens; this closes the gap of clients that send Origin but no fetch
// metadata. The API's signed requests never reach it (apiFirst).
func sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		origin := r.Header.Get(echo.HeaderOrigin)
		if origin == "" {
			return next(c)
		}
		u, err := url.Parse(origin)
		if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) {
			return echo.NewHTTPError(http.StatusForbidden, "cross-origin request refused")
		}
		return next(c)
	}
}
