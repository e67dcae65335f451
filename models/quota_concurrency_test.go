package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"imageconsole/models"
)

// race runs n calls at once and counts successes and refusals by code.
func race(n int, call func(i int) error) map[string]int {
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := call(i)
			mu.Lock()
			got[models.ErrorCode(err)]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

func TestStore_R1_Concurrent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 1000
	in := f.mustInstance(t, "ap-guangzhou", f.commonImage(t, "Ubuntu", models.ArchX86).ID)
	got := race(40, func(i int) error {
		_, err := f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: fmt.Sprintf("c-%02d", i)})
		return err
	})
	if got[""] != 10 || got[models.CodeImageQuota] != 30 {
		t.Errorf("results %v, want exactly 10 created and 30 refused", got)
	}
	var n int64
	f.s.DB().Model(&models.Image{}).Where("owner_id = ? AND region = ?", f.a.AccountID, "ap-guangzhou").Count(&n)
	if u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); n != 10 || u.ImagesUsed != 10 {
		t.Errorf("%d images, counter %d; want 10 and 10", n, u.ImagesUsed)
	}
}

func TestStore_R2_Concurrent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	img := f.mustCreateImage(t, "ap-guangzhou", "target") // uses 1 of 5
	f.s.Limits.DailyOps = 5
	got := race(20, func(i int) error {
		d := fmt.Sprintf("d-%d", i)
		return f.s.ModifyImage(ctx, f.a, "ap-guangzhou", img.ID, nil, &d)
	})
	if got[""] != 4 || got[models.CodeDailyOps] != 16 {
		t.Errorf("results %v, want exactly 4 accepted (5 with the create) and 16 refused", got)
	}
	var ok int64
	f.s.DB().Model(&models.Operation{}).Where("account_id = ? AND result = ?", f.a.AccountID, models.ResultSuccess).Count(&ok)
	if u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); ok != 5 || u.OpsUsed != 5 {
		t.Errorf("%d accepted operations logged, counter %d; want 5 and 5", ok, u.OpsUsed)
	}
}

func TestStore_R9_Concurrent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.Instances = 10
	img := f.commonImage(t, "Ubuntu", models.ArchX86)
	got := race(12, func(i int) error {
		_, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
			InstanceType: "S5.SMALL2", ImageID: img.ID, Count: 3})
		return err
	})
	var n int64
	f.s.DB().Model(&models.Instance{}).Where("owner_id = ?", f.a.AccountID).Count(&n)
	if got[""] != 3 || n != 9 {
		t.Errorf("results %v, %d instances; want 3 launches of 3 (9 instances) and the rest refused whole", got, n)
	}
}
