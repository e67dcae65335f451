package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// TestRules_BothFaces drives every image rule once through the console and
// once through the SDK and gets the same code from both: the rules live in
// models, and neither face decides one of its own. Each refusal writes
// nothing but its line in the operation log, which carries the code.
func TestRules_BothFaces(t *testing.T) {
	e := newEnv(t)
	e.store.Limits.DailyOps = 100
	e.store.Limits.Shares = 1
	owner := e.user(t, "owner@example.com")
	recipient := e.user(t, "recipient@example.com")
	third := e.user(t, "third@example.com")
	c := e.client(t, owner, opts{region: gz})
	ins := e.run(t, c, e.commonImage(t, "Ubuntu", models.ArchX86), 1)
	golden := e.createImage(t, c, ins[0], "golden")
	share := cvm.NewModifyImageSharePermissionRequest()
	share.ImageId, share.AccountIds, share.Permission = common.StringPtr(golden), common.StringPtrs([]string{recipient.id}), common.StringPtr("SHARE")
	if _, err := c.ModifyImageSharePermission(share); err != nil {
		t.Fatal(err)
	}
	// Left CREATING: its task is not run.
	busy, err := e.store.CreateImage(context.Background(), models.Actor{AccountID: owner.id, Via: models.ViaAPI}, ins[0],
		models.ImageInput{Region: gz, Name: "busy"})
	if err != nil {
		t.Fatal(err)
	}

	// Each face of each account: the SDK client and a signed-in browser.
	sdk := map[string]*cvm.Client{owner.id: c, recipient.id: e.client(t, recipient, opts{region: gz})}
	browser := map[string]*consoleClient{owner.id: e.console(t, "owner@example.com"), recipient.id: e.console(t, "recipient@example.com")}
	type request struct {
		actor    string
		image    string
		accounts []string // share
		dests    []string // sync
		name     *string  // modify
	}
	tests := []struct {
		name   string
		action string // share, sync, modify or delete
		req    request
		code   string
	}{
		{"R3/ErrUnknownRegion", "sync", request{actor: owner.id, image: golden, dests: []string{"mars-1"}}, models.CodeInvalidRegionNotFound},
		{"R3/ErrUnavailableRegion", "sync", request{actor: owner.id, image: golden, dests: []string{"na-ashburn"}}, models.CodeInvalidRegionUnavailable},
		{"R3/ErrNonSyncRegion", "sync", request{actor: owner.id, image: golden, dests: []string{"ap-chengdu"}}, models.CodeInvalidRegionUnavailable},
		{"R3/ErrSameRegion", "sync", request{actor: owner.id, image: golden, dests: []string{gz}}, models.CodeUnsupportedRegion},
		{"R3/ErrNotNormal", "sync", request{actor: owner.id, image: busy, dests: []string{"ap-beijing"}}, models.CodeInvalidImageIDState},
		{"R3/ErrNotOwner", "sync", request{actor: recipient.id, image: golden, dests: []string{"ap-beijing"}}, models.CodeNotBelongToAccount},
		{"R3/ErrNoDestination", "sync", request{actor: owner.id, image: golden}, models.CodeMissingParameter},
		{"R4/ErrNoAccounts", "share", request{actor: owner.id, image: golden}, models.CodeMissingParameter},
		{"R4/ErrLimit", "share", request{actor: owner.id, image: golden, accounts: []string{third.id}}, models.CodeOverQuota},
		{"R4/ErrSelf", "share", request{actor: owner.id, image: golden, accounts: []string{owner.id}}, models.CodeAccountIsYourself},
		{"R4/ErrDuplicate", "share", request{actor: owner.id, image: golden, accounts: []string{recipient.id}}, models.CodeAccountAlreadyExists},
		{"R4/ErrAccountNotFound", "share", request{actor: owner.id, image: golden, accounts: []string{"100000000009"}}, models.CodeAccountNotFound},
		{"R4/ErrNotOwner", "share", request{actor: recipient.id, image: golden, accounts: []string{third.id}}, models.CodeNotBelongToAccount},
		{"R4/ErrNotNormal", "share", request{actor: owner.id, image: busy, accounts: []string{third.id}}, models.CodeInvalidImageIDState},
		{"R5/ErrModifyShared", "modify", request{actor: recipient.id, image: golden, name: common.StringPtr("mine")}, models.CodeSharedImageModify},
		{"R6/ErrDeleteShared", "delete", request{actor: owner.id, image: golden}, models.CodeInvalidImageIDInShared},
		{"R6/ErrDeleteBusy", "delete", request{actor: owner.id, image: busy}, models.CodeInvalidImageIDState},
		{"R5/ErrRecipientDeletes", "delete", request{actor: recipient.id, image: golden}, models.CodeImageIsShared},
	}
	viaSDK := func(action string, r request) error {
		cl := sdk[r.actor]
		switch action {
		case "share":
			req := cvm.NewModifyImageSharePermissionRequest()
			req.ImageId, req.AccountIds, req.Permission = common.StringPtr(r.image), common.StringPtrs(r.accounts), common.StringPtr("SHARE")
			return errOf(cl.ModifyImageSharePermission(req))
		case "sync":
			req := cvm.NewSyncImagesRequest()
			req.ImageIds, req.DestinationRegions = common.StringPtrs([]string{r.image}), common.StringPtrs(r.dests)
			return errOf(cl.SyncImages(req))
		case "modify":
			req := cvm.NewModifyImageAttributeRequest()
			req.ImageId, req.ImageName = common.StringPtr(r.image), r.name
			return errOf(cl.ModifyImageAttribute(req))
		}
		req := cvm.NewDeleteImagesRequest()
		req.ImageIds = common.StringPtrs([]string{r.image})
		return errOf(cl.DeleteImages(req))
	}
	viaConsole := func(t *testing.T, action string, r request) string {
		form := url.Values{}
		switch action {
		case "share":
			form.Set("accounts", strings.Join(r.accounts, " "))
		case "sync":
			form["destination"] = r.dests
		case "modify":
			action = "edit"
			form.Set("name", *r.name)
		}
		res, ok := browser[r.actor].refused(t, browser[r.actor].post(t, "/images/"+r.image+"/"+action+"?region="+gz, form))
		if !ok {
			t.Fatalf("console: status %d, want 303 back to the form", res.StatusCode)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(res.body))
		if code := doc.Find(`[data-testid="alert-code"]`).First().Text(); code != "" {
			return code
		}
		return doc.Find(`.field-error[data-code]`).First().AttrOr("data-code", "")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, face := range []string{"console", "api"} {
				before := e.written(t)
				var got string
				if face == "api" {
					got = sdkCode(t, viaSDK(tt.action, tt.req))
				} else {
					got = viaConsole(t, tt.action, tt.req)
				}
				if got != tt.code {
					t.Errorf("%s: code %q, want %q", face, got, tt.code)
				}
				if after := e.written(t); after != before {
					t.Errorf("%s: the refusal wrote: %s → %s", face, before, after)
				}
				var last models.Operation
				e.store.DB().Order("id DESC").First(&last)
				if last.Result != tt.code || last.Via != map[string]string{"console": models.ViaConsole, "api": models.ViaAPI}[face] {
					t.Errorf("%s: last operation logged %s via %s, want the refusal %s", face, last.Result, last.Via, tt.code)
				}
			}
		})
	}
}
