package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// fixture is a store with a worker at task scale 0 and a fixed clock.
type fixture struct {
	s     *models.Store
	w     *models.Worker
	clock *storetest.Clock
	a     models.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := storetest.Open(t)
	clock := &storetest.Clock{T: time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)}
	s.Now = clock.Now
	s.TaskScale = 0
	acct := storetest.MustAccount(t, s, "owner@example.com")
	return &fixture{s: s, w: &models.Worker{Store: s, ID: "test-worker", ImportAllowNetworks: storetest.Loopback}, clock: clock,
		a: models.Actor{AccountID: acct.ID, Via: models.ViaConsole}}
}

// drain runs every due background task.
func (f *fixture) drain(t *testing.T) {
	t.Helper()
	if _, err := f.w.RunDue(context.Background()); err != nil {
		t.Fatalf("run tasks: %v", err)
	}
}

// commonImage returns a seeded common image of a platform and architecture.
func (f *fixture) commonImage(t *testing.T, platform, arch string) models.Image {
	t.Helper()
	var img models.Image
	if err := f.s.DB().Where("type = ? AND platform = ? AND arch = ?", models.TypePublic, platform, arch).Order("id").First(&img).Error; err != nil {
		t.Fatal(err)
	}
	return img
}

// mustInstance launches one instance and lets it reach RUNNING.
func (f *fixture) mustInstance(t *testing.T, region, imageID string) models.Instance {
	t.Helper()
	r, _ := models.LookupRegion(region)
	ids, err := f.s.RunInstances(context.Background(), f.a, models.LaunchInput{Region: region, Zone: r.Zones[0],
		InstanceType: "S5.MEDIUM4", ImageID: imageID, Count: 1, Name: "web"})
	if err != nil {
		t.Fatalf("launch: %v", err)
	}
	f.drain(t)
	in, err := f.s.Instance(context.Background(), f.a.AccountID, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return *in
}

// mustCreateImage makes a NORMAL custom image from a fresh instance.
func (f *fixture) mustCreateImage(t *testing.T, region, name string) models.Image {
	t.Helper()
	base := f.commonImage(t, "Ubuntu", models.ArchX86)
	in := f.mustInstance(t, region, base.ID)
	id, err := f.s.CreateImage(context.Background(), f.a, in.ID, models.ImageInput{Region: region, Name: name})
	if err != nil {
		t.Fatalf("create image: %v", err)
	}
	f.drain(t)
	img, err := f.s.Image(context.Background(), f.a.AccountID, region, id)
	if err != nil {
		t.Fatal(err)
	}
	return *img
}

// counts returns the rows that refusals must leave untouched.
func (f *fixture) counts(t *testing.T) string {
	t.Helper()
	var images, instances, ops, tasks int64
	db := f.s.DB()
	db.Model(&models.Image{}).Where("type = ?", models.TypePrivate).Count(&images)
	db.Model(&models.Instance{}).Count(&instances)
	db.Model(&models.Operation{}).Where("result = ?", models.ResultSuccess).Count(&ops)
	db.Model(&models.Task{}).Count(&tasks)
	u, _ := f.s.QuotaUsage(context.Background(), f.a.AccountID, "ap-guangzhou")
	return fmt.Sprintf("images=%d instances=%d ops=%d tasks=%d counters=%d/%d/%d", images, instances, ops, tasks, u.ImagesUsed, u.OpsUsed, u.InstancesUsed)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := models.ErrorCode(err); got != code {
		t.Fatalf("code = %q (%v), want %q", got, err, code)
	}
}

// mustActor creates another account and returns it acting from the console.
func (f *fixture) mustActor(t *testing.T, email string) models.Actor {
	t.Helper()
	return models.Actor{AccountID: storetest.MustAccount(t, f.s, email).ID, Via: models.ViaConsole}
}

// mustInstanceAs launches one instance as a and lets it reach RUNNING; a
// shared image's warning counts as accepted.
func (f *fixture) mustInstanceAs(t *testing.T, a models.Actor, region, imageID string) models.Instance {
	t.Helper()
	r, _ := models.LookupRegion(region)
	ids, err := f.s.RunInstances(context.Background(), a, models.LaunchInput{Region: region, Zone: r.Zones[0],
		InstanceType: "S5.MEDIUM4", ImageID: imageID, Count: 1, Name: "web", AcknowledgeShared: true})
	if err != nil {
		t.Fatalf("launch as %s: %v", a.AccountID, err)
	}
	f.drain(t)
	in, err := f.s.Instance(context.Background(), a.AccountID, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return *in
}

// mustImageAs makes a NORMAL custom image of a's from a fresh instance of base.
func (f *fixture) mustImageAs(t *testing.T, a models.Actor, region, baseID, name string) models.Image {
	t.Helper()
	in := f.mustInstanceAs(t, a, region, baseID)
	id, err := f.s.CreateImage(context.Background(), a, in.ID, models.ImageInput{Region: region, Name: name})
	if err != nil {
		t.Fatalf("create image as %s: %v", a.AccountID, err)
	}
	f.drain(t)
	img, err := f.s.Image(context.Background(), a.AccountID, region, id)
	if err != nil {
		t.Fatal(err)
	}
	return *img
}

// allCounts extends counts with what sharing and sync write: share rows, the
// sum of the images' share counters, and the image and operation counters of
// every account and region.
func (f *fixture) allCounts(t *testing.T) string {
	t.Helper()
	var shares, shareSum, imageSlots, opSlots int64
	db := f.s.DB()
	db.Model(&models.ImageShare{}).Count(&shares)
	db.Model(&models.Image{}).Select("COALESCE(SUM(share_count), 0)").Scan(&shareSum)
	db.Model(&models.ImageCounter{}).Select("COALESCE(SUM(used), 0)").Scan(&imageSlots)
	db.Model(&models.OpCounter{}).Select("COALESCE(SUM(used), 0)").Scan(&opSlots)
	return fmt.Sprintf("%s shares=%d share_count=%d image_slots=%d op_slots=%d", f.counts(t), shares, shareSum, imageSlots, opSlots)
}
