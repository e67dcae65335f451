package api_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// TestAPI_FiftyParallelWriters: 50 writers at once on the embedded SQLite
// database each end in success or a clean business error: no "database is
// locked", no InternalError, never a transport failure.
func TestAPI_FiftyParallelWriters(t *testing.T) {
	e := newEnv(t)
	e.store.Limits = models.Limits{CustomImages: 30, DailyOps: 1000, Shares: 50, Instances: 1000}
	users := []user{e.user(t, "w1@example.com"), e.user(t, "w2@example.com")}
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	var ins []string
	for _, u := range users {
		ins = append(ins, e.run(t, e.client(t, u, opts{region: gz}), ubuntu, 1)[0])
	}
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for w := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := e.client(t, users[w%2], opts{region: gz})
			<-gate
			for i := range 4 {
				var err error
				switch i {
				case 0, 2:
					r := cvm.NewCreateImageRequest()
					r.InstanceId, r.ImageName = common.StringPtr(ins[w%2]), common.StringPtr(fmt.Sprintf("w%d-%d", w, i))
					_, err = c.CreateImage(r)
				case 1, 3:
					r := cvm.NewRunInstancesRequest()
					r.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
					r.InstanceType, r.ImageId = common.StringPtr("S5.SMALL2"), common.StringPtr(ubuntu)
					_, err = c.RunInstances(r)
				}
				code := ""
				if err != nil {
					code = sdkCode(t, err)
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		}()
	}
	close(gate)
	wg.Wait()
	for code, n := range codes {
		switch {
		case code == "", code == models.CodeImageQuota:
		default:
			t.Errorf("%d requests ended in %q", n, code)
		}
	}
	if codes[""] < 150 || codes[models.CodeImageQuota] != 40 {
		t.Errorf("only %d of 200 writes succeeded: %v", codes[""], codes)
	}
	t.Logf("outcomes: %v", codes)
}
