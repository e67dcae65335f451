package models_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// BenchmarkStore_CreateImage measures the quota-guarded write path alone, one
// call at a time: on SQLite this is the time CreateImage holds the write
// lock, which bounds its throughput under any concurrency (see make bench).
func BenchmarkStore_CreateImage(b *testing.B) {
	s, a, instanceID := benchCreateFixture(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.CreateImage(context.Background(), a, instanceID, models.ImageInput{Region: "ap-guangzhou", Name: fmt.Sprintf("bench-%d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStore_CreateImageParallel measures it under concurrent callers,
// where transactions queue for SQLite's write lock and commit in groups.
func BenchmarkStore_CreateImageParallel(b *testing.B) {
	s, a, instanceID := benchCreateFixture(b)
	var n atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			name := fmt.Sprintf("bench-%d", n.Add(1))
			if _, err := s.CreateImage(context.Background(), a, instanceID, models.ImageInput{Region: "ap-guangzhou", Name: name}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// benchCreateFixture is a store with quotas out of the way and one RUNNING
// instance to image.
func benchCreateFixture(b *testing.B) (*models.Store, models.Actor, string) {
	ctx := context.Background()
	s := storetest.Open(b)
	s.TaskScale = 0
	s.Limits = models.Limits{CustomImages: 1 << 30, DailyOps: 1 << 30, Shares: 50, Instances: 50}
	acct := storetest.MustAccount(b, s, "bench@example.com")
	a := models.Actor{AccountID: acct.ID, Via: models.ViaAPI}
	var base models.Image
	if err := s.DB().Where("type = ? AND platform = ? AND arch = ?", models.TypePublic, "Ubuntu", models.ArchX86).Order("id").First(&base).Error; err != nil {
		b.Fatal(err)
	}
	ids, err := s.RunInstances(ctx, a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
		InstanceType: "S5.MEDIUM4", ImageID: base.ID, Count: 1, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := (&models.Worker{Store: s, ID: "bench"}).RunDue(ctx); err != nil {
		b.Fatal(err)
	}
	return s, a, ids[0]
}
