package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
	"imageconsole/models/imagefmt"
	"imageconsole/models/sqldb"
)

// TestCrash_KillNine kills the server with SIGKILL in the middle of a burst
// of writes and of background work, restarts it, and checks that every
// answered request is there and every transition reaches a final state.
func TestCrash_KillNine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "console.db")
	flags := []string{"--db", db, "--data-dir", filepath.Join(dir, "data"), "--task-scale", "0.3",
		"--quota-custom-images", "10000", "--quota-daily-ops", "10000", "--import-allow-networks", "127.0.0.1/32"}
	cli(t, append([]string{"user", "add", "--email", "crash@example.com", "--password", "password-123"}, flags[:4]...)...)
	key := cli(t, append([]string{"apikey", "create", "--email", "crash@example.com"}, flags[:4]...)...)

	// A slow image server keeps an import running when the kill comes.
	disk := imagefmt.BuildQCOW2(8 << 30)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(disk)+6<<20))
		w.Write(disk)
		pad := make([]byte, 64<<10)
		for range 96 {
			if _, err := w.Write(pad); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(30 * time.Millisecond)
		}
	}))
	defer slow.Close()

	addr := freeAddr(t)
	srv := start(t, addr, flags...)
	c := sdk(t, addr, key["SecretId"], key["SecretKey"], "ap-guangzhou")
	var base models.Image
	di := cvm.NewDescribeImagesRequest()
	di.Filters = []*cvm.Filter{{Name: common.StringPtr("platform"), Values: common.StringPtrs([]string{"Ubuntu"})}}
	imgs, err := c.DescribeImages(di)
	if err != nil {
		t.Fatal(err)
	}
	base.ID = *imgs.Response.ImageSet[0].ImageId
	run := cvm.NewRunInstancesRequest()
	run.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	run.InstanceType, run.ImageId, run.InstanceCount = common.StringPtr("S5.SMALL2"), common.StringPtr(base.ID), common.Int64Ptr(3)
	ran, err := c.RunInstances(run)
	if err != nil {
		t.Fatal(err)
	}
	instances := common.StringValues(ran.Response.InstanceIdSet)
	waitFor(t, 30*time.Second, "instances RUNNING", func() bool { return allInstances(c, instances, models.InstanceRunning) })

	imp := cvm.NewImportImageRequest()
	imp.Architecture, imp.OsType, imp.OsVersion, imp.ImageUrl, imp.ImageName = common.StringPtr("x86_64"), common.StringPtr("Ubuntu"),
		common.StringPtr("22.04"), common.StringPtr(slow.URL+"/disk.qcow2"), common.StringPtr("slow-import")
	impRes, err := c.ImportImage(imp)
	if err != nil {
		t.Fatal(err)
	}

	// A burst of creates; the kill lands in the middle of it.
	var mu sync.Mutex
	answered := []string{*impRes.Response.ImageId}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				req := cvm.NewCreateImageRequest()
				req.InstanceId, req.ImageName = common.StringPtr(instances[w%3]), common.StringPtr(fmt.Sprintf("burst-%d-%d", w, i))
				res, err := c.CreateImage(req)
				if err != nil {
					continue // refused or cut off by the kill: no promise was made
				}
				mu.Lock()
				answered = append(answered, *res.Response.ImageId)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	srv.kill()
	close(stop)
	wg.Wait()
	if len(answered) < 5 {
		t.Fatalf("only %d requests were answered before the kill", len(answered))
	}

	srv = start(t, addr, flags...)
	final := map[string]bool{models.StateNormal: true, models.StateCreateFailed: true, models.StateImportFailed: true}
	waitFor(t, 60*time.Second, "every answered image in a final state", func() bool {
		for i := 0; i < len(answered); i += 100 {
			req := cvm.NewDescribeImagesRequest()
			req.ImageIds, req.Limit = common.StringPtrs(answered[i:min(i+100, len(answered))]), common.Uint64Ptr(100)
			res, err := c.DescribeImages(req)
			if err != nil || int(*res.Response.TotalCount) != min(100, len(answered)-i) {
				if err == nil {
					t.Fatalf("answered images missing after the restart: %d of %d", *res.Response.TotalCount, min(100, len(answered)-i))
				}
				return false
			}
			for _, img := range res.Response.ImageSet {
				if !final[*img.ImageState] {
					return false
				}
			}
		}
		return true
	})
	if !allInstances(c, instances, models.InstanceRunning) {
		t.Error("instances are not all RUNNING after the restart")
	}
	srv.stop(t)

	// Nothing half-written: the counters agree with the rows they count.
	sdb, err := sqldb.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	gdb := sdb.Gorm()
	var rows, used, tasks int64
	gdb.Model(&models.Image{}).Where("type = ?", models.TypePrivate).Count(&rows)
	gdb.Model(&models.ImageCounter{}).Select("COALESCE(SUM(used), 0)").Scan(&used)
	gdb.Model(&models.Task{}).Count(&tasks)
	if rows != used || tasks != 0 {
		t.Errorf("%d custom images but the R1 counter says %d; %d tasks left", rows, used, tasks)
	}
	t.Logf("%d requests answered before the kill; all present and final after the restart", len(answered))
}

func allInstances(c *cvm.Client, ids []string, state string) bool {
	req := cvm.NewDescribeInstancesRequest()
	req.InstanceIds = common.StringPtrs(ids)
	res, err := c.DescribeInstances(req)
	if err != nil || len(res.Response.InstanceSet) != len(ids) {
		return false
	}
	for _, in := range res.Response.InstanceSet {
		if *in.InstanceState != state {
			return false
		}
	}
	return true
}
