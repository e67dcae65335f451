package browser_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"imageconsole/models"
	"imageconsole/models/imagefmt"
)

// Set-up that is not the flow under test goes straight through the store,
// the same use cases the console calls.

var (
	imageServerOnce sync.Once
	imageServer     *httptest.Server
)

// imageURL serves a small, valid qcow2 disk (and a 404 next to it) for
// imports, from one loopback server shared by the suite.
func imageURL(name string) string {
	imageServerOnce.Do(func() {
		disk := imagefmt.BuildQCOW2(20 << 30)
		mux := http.NewServeMux()
		mux.HandleFunc("/images/golden.qcow2", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(disk)
		})
		imageServer = httptest.NewServer(mux)
	})
	return imageServer.URL + "/images/" + name
}

func console(accountID string) models.Actor {
	return models.Actor{AccountID: accountID, Via: models.ViaConsole, RequestID: "browser-test"}
}

// mustImport imports a qcow2 image for the account and waits until the
// workers are done with it (NORMAL, or IMPORTFAILED for a bad file).
func (e *env) mustImport(accountID, region, name, file string) string {
	e.t.Helper()
	ctx := context.Background()
	id, err := e.store.ImportImage(ctx, console(accountID), models.ImportInput{
		ImageInput: models.ImageInput{Region: region, Name: name, Description: "Imported by the browser tests."},
		OsType:     "Ubuntu", OsVersion: "22.04", Arch: models.ImportArchX86, URL: imageURL(file), License: models.LicenseTencentCloud})
	if err != nil {
		e.t.Fatalf("import %s: %v", name, err)
	}
	e.waitImage(accountID, region, id, func(img *models.Image) bool { return !img.Busy() })
	return id
}

// waitImage waits until the image satisfies done.
func (e *env) waitImage(accountID, region, id string, done func(*models.Image) bool) *models.Image {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		img, err := e.store.Image(context.Background(), accountID, region, id)
		if err != nil {
			e.t.Fatalf("image %s: %v", id, err)
		}
		if done(img) {
			return img
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("image %s is still %s", id, img.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// commonImage is the ID of the first common image matching the search.
func (e *env) commonImage(accountID, region, search string) string {
	e.t.Helper()
	page, err := e.store.ListImages(context.Background(), accountID, models.ImageQuery{Region: region, Tab: models.TabCommon, Search: search, Arch: models.ArchX86, Size: 1})
	if err != nil || len(page.Rows) == 0 {
		e.t.Fatalf("no common image like %q in %s: %v", search, region, err)
	}
	return page.Rows[0].ID
}

// mustLaunch starts count instances and returns their IDs.
func (e *env) mustLaunch(accountID, region, imageID, name string, count int) []string {
	e.t.Helper()
	r, _ := models.LookupRegion(region)
	ids, err := e.store.RunInstances(context.Background(), console(accountID), models.LaunchInput{
		Region: region, Zone: r.Zones[0], InstanceType: "S5.MEDIUM4", ImageID: imageID, Name: name, Count: count})
	if err != nil {
		e.t.Fatalf("launch %s: %v", name, err)
	}
	return ids
}

// mustShare shares an image of the owner with the accounts.
func (e *env) mustShare(ownerID, region, imageID string, with ...string) {
	e.t.Helper()
	if err := e.store.ShareImage(context.Background(), console(ownerID), region, imageID, with); err != nil {
		e.t.Fatalf("share %s: %v", imageID, err)
	}
}

// waitInstance waits until the instance is in the state.
func (e *env) waitInstance(accountID, id, state string) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		in, err := e.store.Instance(context.Background(), accountID, id)
		if err != nil {
			e.t.Fatalf("instance %s: %v", id, err)
		}
		if in.State == state {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("instance %s is still %s, want %s", id, in.State, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
