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
	"fmt"
	"io"
	"maps"
	"net/http"
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

// Service is the signing scope's service name.
const Service = "cvm"

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
}

// Serve answers one API request. Every answer, error or not, is HTTP 200
// with the JSON envelope: any other status makes the SDK lose the code.
func (a *API) Serve(c echo.Context) (err error) {
	reqID := uuid.NewString()
	lang := c.Request().Header.Get("X-TC-Language")
	c.Response().Header().Set(echo.HeaderXRequestID, reqID)
	defer func() {
		if p := recover(); p != nil {
			c.Logger().Errorf("api: panic in %q (request %s): %v\n%s", c.Request().Header.Get("X-TC-Action"), reqID, p, debug.Stack())
			err = writeError(c, reqID, lang, errors.New("panic"))
		}
	}()
	out, err := a.serve(c, reqID)
	if err != nil {
		if models.ErrorCode(err) == models.CodeInternal {
			c.Logger().Errorf("api: %q (request %s): %v", c.Request().Header.Get("X-TC-Action"), reqID, err)
		}
		return writeError(c, reqID, lang, err)
	}
	return writeResult(c, reqID, lang, out)
}

// serve runs the checks in the order the cloud does, then the action.
func (a *API) serve(c echo.Context, reqID string) (any, error) {
	r := c.Request()
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if v := r.Header.Get("X-TC-Version"); v != Version {
		return nil, fail(codeNoSuchVersion, v,
			fmt.Sprintf("The API version %s does not exist; use %s.", quote(v), Version),
			fmt.Sprintf("接口版本 %s 不存在，请使用 %s。", quote(v), Version))
	}
	regionID := r.Header.Get("X-TC-Region")
	region, ok := models.LookupRegion(regionID)
	if regionID != "" && !ok {
		return nil, fail(models.CodeInvalidRegionNotFound, regionID,
			fmt.Sprintf("The region %s does not exist.", quote(regionID)), fmt.Sprintf("地域 %s 不存在。", quote(regionID)))
	}
	name := r.Header.Get("X-TC-Action")
	// The product (cvm or vpc) the action belongs to is the service its
	// signature is scoped to; an unknown action is checked as cvm's.
	accountID, signed, err := a.authenticate(r, body, a.actions[name].scope())
	if err != nil {
		return nil, err
	}
	act, ok := a.actions[name]
	if !ok {
		return nil, fail(codeInvalidAction, name,
			fmt.Sprintf("The action %s does not exist.", quote(name)), fmt.Sprintf("接口 %s 不存在。", quote(name)))
	}
	if act.regional && regionID == "" {
		return nil, fail(models.CodeMissingParameter, "X-TC-Region",
			name+" needs a region: set the X-TC-Region header.", name+" 需要地域参数：请设置 X-TC-Region 头部。")
	}
	// A signature is bound to the address that first used it: X-TC-Action
	// is not signed, so a captured request could otherwise be re-sent from
	// elsewhere, as it was or as another action, until it expires.
	if err := a.store.UseSignature(r.Context(), models.SignatureUse{SecretID: signed.SecretID,
		Signature: hex.EncodeToString(signed.Signature), Action: name, Client: c.RealIP(), ExpiresAt: signed.Expires()}); err != nil {
		return nil, err
	}
	if r.Method == http.MethodGet {
		body = nil // a GET's body is not signed, so it is never read
	}
	return act.run(&call{ctx: r.Context(), region: region, action: name, r: r, body: body,
		actor: models.Actor{AccountID: accountID, Via: models.ViaAPI, RequestID: reqID}})
}

// readBody reads at most MaxBody bytes.
func readBody(r *http.Request) ([]byte, error) {
	tooLarge := fail(codeRequestSize, "", fmt.Sprintf("The request body is larger than %d bytes.", MaxBody),
		fmt.Sprintf("请求包超过 %d 字节的限制。", MaxBody))
	if r.ContentLength > MaxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return nil, fail(models.CodeInvalidParameter, "", "The request body could not be read.", "无法读取请求包。")
	}
	if len(body) > MaxBody {
		return nil, tooLarge
	}
	return body, nil
}

// authenticate verifies the signature with the account's enabled keys and
// returns the account. Keys are read from the store at every request.
func (a *API) authenticate(r *http.Request, body []byte, service string) (string, tc3.Verified, error) {
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
	signed := body
	if r.Method == http.MethodGet {
		signed = nil
	}
	v, err := tc3.Check(r, signed, service, a.Now(), lookup)
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
