// Package api is the Tencent Cloud API 3.0 endpoint (service cvm, version
// 2017-03-12): it checks the request, verifies its TC3-HMAC-SHA256 signature
// against the account's API keys, decodes the parameters into the official
// SDK's request struct and dispatches to one small function per action,
// which calls the same store methods as the console.
package api

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
)

// Version is the only API version served.
const Version = "2017-03-12"

// Service is the signing scope's service name of the cvm actions.
const Service = "cvm"

// products are the services whose actions this endpoint serves: a TC3 scope
// naming one of them reaches only its actions.
var products = map[string]bool{Service: true, VPCService: true}

// MaxBody is the largest request body accepted.
const MaxBody = 1 << 20

// API serves the endpoint. It has no mutable state: a disabled or deleted
// key is refused at its next request.
type API struct {
	store *models.Store
	// Now is the clock signatures are checked against; tests inject one.
	Now     func() time.Time
	actions map[string]action
}

// New builds the endpoint on the store.
func New(store *models.Store) *API {
	a := &API{store: store, Now: store.Now}
	a.actions = map[string]action{}
	for _, group := range []map[string]action{a.regionActions(), a.instanceTypeActions(), a.imageActions(), a.instanceActions(),
		a.keyPairActions(), a.vpcActions()} {
		maps.Copy(a.actions, group)
	}
	return a
}

// Actions lists the names of every action in the dispatch table, sorted.
func (a *API) Actions() []string {
	return slices.Sorted(maps.Keys(a.actions))
}

// call is one request on its way through an action.
type call struct {
	ctx    context.Context
	actor  models.Actor
	region models.Region // zero for DescribeRegions without X-TC-Region
	action string
	r      *http.Request
	body   []byte
	params url.Values // a v1 request's parameters, nil for TC3
}

// ActionKey is the echo.Context key under which Serve leaves the action a
// request named, from X-TC-Action or a v1 request's Action parameter.
const ActionKey = "api.action"

// envelope is what a request says about itself: from the X-TC-* headers of
// a TC3-HMAC-SHA256 request, or from the common parameters of a v1 one.
type envelope struct {
	action, version, region, lang string
	// params are a v1 request's parameters (query or form body), nil for TC3.
	params url.Values
}

// Serve answers one API request. Every answer, error or not, is HTTP 200
// with the JSON envelope: any other status makes the SDK lose the code.
func (a *API) Serve(c echo.Context) (err error) {
	reqID := uuid.NewString()
	r := c.Request()
	env := envelope{action: r.Header.Get("X-TC-Action"), lang: r.Header.Get("X-TC-Language")}
	c.Response().Header().Set(echo.HeaderXRequestID, reqID)
	defer func() {
		if p := recover(); p != nil {
			c.Logger().Errorf("api: panic in %q (request %s): %v\n%s", env.action, reqID, p, debug.Stack())
			err = writeError(c, reqID, env.lang, errors.New("panic"))
		}
	}()
	out, err := a.serve(c, reqID, &env)
	c.Set(ActionKey, env.action) // for the metrics: a v1 request has no X-TC-Action
	if err != nil {
		if models.ErrorCode(err) == models.CodeInternal {
			c.Logger().Errorf("api: %q (request %s): %v", env.action, reqID, err)
		}
		return writeError(c, reqID, env.lang, err)
	}
	return writeResult(c, reqID, env.lang, out)
}

// serve runs the checks in the order the cloud does, then the action. A v1
// request is authenticated first: until its signature is checked, all that
// describes it is client text in its parameters.
func (a *API) serve(c echo.Context, reqID string, env *envelope) (any, error) {
	r := c.Request()
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var accountID string
	var signed tc3.Verified
	if isV1(r) {
		if env.params, err = v1Params(r, body); err != nil {
			return nil, err
		}
		env.action, env.version, env.region = env.params.Get("Action"), env.params.Get("Version"), env.params.Get("Region")
		if l := env.params.Get("Language"); l != "" {
			env.lang = l
		}
		if accountID, signed, err = a.authenticateV1(r, env.params); err != nil {
			return nil, err
		}
	} else {
		env.version, env.region = r.Header.Get("X-TC-Version"), r.Header.Get("X-TC-Region")
	}
	if v := env.version; v != Version {
		return nil, fail(codeNoSuchVersion, v, "err.api.noSuchVersion", "Version", quote(v), "Want", Version)
	}
	region, ok := models.LookupRegion(env.region)
	if env.region != "" && !ok {
		return nil, fail(models.CodeInvalidRegionNotFound, env.region, "err.api.regionNotFound", "Region", quote(env.region))
	}
	if env.params == nil {
		if accountID, signed, err = a.authenticate(r, body); err != nil {
			return nil, err
		}
	}
	name := env.action
	act, ok := a.actions[name]
	// A scope naming one of our products routes within it; any other scope
	// (the Node.js SDK names the first label of its endpoint, "127" for
	// 127.0.0.1) and v1, which names none, reach every action.
	if ok && products[signed.Service] && act.productName() != signed.Service {
		ok = false
	}
	if !ok {
		return nil, fail(codeInvalidAction, name, "err.api.noSuchAction", "Action", quote(name))
	}
	if act.regional && env.region == "" {
		if env.params != nil {
			return nil, fail(models.CodeMissingParameter, "Region", "err.api.regionParamMissing", "Action", name)
		}
		return nil, fail(models.CodeMissingParameter, "X-TC-Region", "err.api.regionHeaderMissing", "Action", name)
	}
	// A signature is bound to the address that first used it: X-TC-Action
	// is not signed, so a captured request could otherwise be re-sent from
	// elsewhere, as it was or as another action, until it expires.
	if err := a.store.UseSignature(r.Context(), models.SignatureUse{SecretID: signed.SecretID,
		Signature: hex.EncodeToString(signed.Signature), Action: name, Client: c.RealIP(), ExpiresAt: signed.Expires()}); err != nil {
		return nil, err
	}
	if r.Method == http.MethodGet || env.params != nil {
		body = nil // a GET's body is not signed, so it is never read; a v1 body is params
	}
	return act.run(&call{ctx: r.Context(), region: region, action: name, r: r, body: body, params: env.params,
		actor: models.Actor{AccountID: accountID, Via: models.ViaAPI, RequestID: reqID}})
}

// readBody reads at most MaxBody bytes.
func readBody(r *http.Request) ([]byte, error) {
	tooLarge := fail(codeRequestSize, "", "err.api.bodyTooLarge", "Max", MaxBody)
	if r.ContentLength > MaxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, fail(models.CodeInvalidParameter, "", "err.api.bodyUnreadable")
	}
	if len(body) > MaxBody {
		return nil, tooLarge
	}
	return body, nil
}

// authenticate verifies the TC3 signature with the account's enabled keys
// and returns the account.
func (a *API) authenticate(r *http.Request, body []byte) (string, tc3.Verified, error) {
	signed := body
	if r.Method == http.MethodGet {
		signed = nil
	}
	return a.verify(r, func(lookup func(string) (string, bool)) (tc3.Verified, error) {
		// "": the scope's service is checked against the action's product.
		return tc3.Check(r, signed, "", a.Now(), lookup)
	})
}

// verify runs check with a lookup of the store's keys, which are read at
// every request, and returns the key's account.
func (a *API) verify(r *http.Request, check func(lookup func(secretID string) (string, bool)) (tc3.Verified, error)) (string, tc3.Verified, error) {
	var key models.APIKeyAuth
	var lookupErr error
	lookup := func(secretID string) (string, bool) {
		k, ok, err := a.store.LookupAPIKey(r.Context(), secretID)
		if err != nil {
			lookupErr = err
			return "", false
		}
		key = k
		return k.SecretKey, ok
	}
	v, err := check(lookup)
	if lookupErr != nil {
		return "", v, lookupErr
	}
	if err != nil {
		return "", v, err
	}
	if err := a.store.TouchAPIKey(r.Context(), key); err != nil {
		return "", v, err
	}
	return key.AccountID, v, nil
}
