package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// postgresForReplicas is the server the replica test needs. In CI a missing
// server fails the test; elsewhere it skips.
func postgresForReplicas(t *testing.T) string {
	t.Helper()
	for _, env := range []string{"CONSOLE_TEST_PG", "CONSOLE_TEST_DB"} {
		if u := os.Getenv(env); strings.HasPrefix(u, "postgres") {
			return u
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CONSOLE_TEST_PG is not set: the replica test needs PostgreSQL (.ci/run starts one)")
	}
	t.Skip("set CONSOLE_TEST_PG=postgres://... to run the replica test (.ci/postgres.sh starts a server)")
	return ""
}

// account is a user with an API key, created straight in the database.
type account struct{ id, email, secretID, secretKey string }

func makeAccounts(t *testing.T, c *config, n int) []account {
	t.Helper()
	s, db, err := openStore(c)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s.PasswordCost = 4
	out := make([]account, n)
	for i := range out {
		email := fmt.Sprintf("r%d-%s@example.com", i, models.NewID("x"))
		a, err := s.CreateAccount(context.Background(), models.NewAccount{Email: email, Password: "password-123"})
		if err != nil {
			t.Fatal(err)
		}
		id, key, err := s.CreateAPIKey(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = account{a.ID, email, id, key}
	}
	return out
}

// code is the API error code of an SDK error, "" for success.
func code(err error) string {
	if err == nil {
		return ""
	}
	if se, ok := err.(*sdkerrors.TencentCloudSDKError); ok {
		return se.GetCode()
	}
	return "transport: " + err.Error()
}

// concurrently runs n calls at once, alternating replicas, and tallies codes.
func concurrently(n int, call func(i int) error) map[string]int {
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			c := code(call(i))
			mu.Lock()
			got[c]++
			mu.Unlock()
		}()
	}
	close(gate)
	wg.Wait()
	return got
}

// TestReplicas_Postgres runs two server processes on one PostgreSQL database
// and drives both at once: the quotas hold exactly, sessions move between
// replicas, background work runs once and goes on when a replica dies.
func TestReplicas_Postgres(t *testing.T) {
	base := postgresForReplicas(t)
	dbURL := storetest.NewSchema(t, base)
	dir := t.TempDir()
	cfg := &config{DB: dbURL, DataDir: filepath.Join(dir, "shared-data"), QuotaCustomImages: 10, QuotaDailyOps: 1000,
		QuotaShares: 50, QuotaInstances: 100}
	common := []string{"--db", dbURL, "--data-dir", cfg.DataDir, "--session-key", "replica-test-session-key-0123456789",
		"--quota-custom-images", "10", "--quota-shares", "50", "--quota-instances", "100", "--task-scale", "0.2",
		"--import-allow-networks", "127.0.0.1/32"}
	addrA, addrB := freeAddr(t), freeAddr(t)

	// Both replicas start at once on an empty database: migrations take turns.
	var a, b *server
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a = start(t, addrA, append(common, "--quota-daily-ops", "1000")...) }()
	go func() { defer wg.Done(); b = start(t, addrB, append(common, "--quota-daily-ops", "1000")...) }()
	wg.Wait()
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		t.Fatal(err)
	}
	users := makeAccounts(t, cfg, 61)
	owner, recipients := users[0], users[1:]
	cA := sdk(t, addrA, owner.secretID, owner.secretKey, "ap-guangzhou")
	cB := sdk(t, addrB, owner.secretID, owner.secretKey, "ap-guangzhou")
	pick := func(i int) *cvm.Client {
		if i%2 == 0 {
			return cA
		}
		return cB
	}

	// Background work: 20 launches through B, finished exactly once between the two.
	run := cvm.NewRunInstancesRequest()
	run.Placement = &cvm.Placement{Zone: common_("ap-guangzhou-3")}
	run.InstanceType, run.ImageId, run.InstanceCount = common_("S5.SMALL2"), common_(ubuntuImage(t, cB)), ptr64(20)
	ran, err := cB.RunInstances(run)
	if err != nil {
		t.Fatal(err)
	}
	ids := commonStrings(ran.Response.InstanceIdSet)
	waitFor(t, 60*time.Second, "20 instances RUNNING", func() bool { return allInstances(cA, ids, models.InstanceRunning) })
	if runs := taskRuns(t, addrA, "instance.launch") + taskRuns(t, addrB, "instance.launch"); runs != 20 {
		t.Errorf("launch tasks ran %d times across both replicas, want exactly 20", runs)
	}

	// R1: 50 creates split across the replicas give exactly 10 images.
	got := concurrently(50, func(i int) error {
		req := cvm.NewCreateImageRequest()
		req.InstanceId, req.ImageName = common_(ids[i%len(ids)]), common_(fmt.Sprintf("r1-%02d", i))
		_, err := pick(i).CreateImage(req)
		return err
	})
	if got[""] != 10 || got[models.CodeImageQuota] != 40 {
		t.Errorf("R1 across replicas: %v, want 10 created and 40 refused", got)
	}

	// R4: 60 share requests give exactly 50 recipients.
	var img string
	waitFor(t, 60*time.Second, "a NORMAL custom image", func() bool {
		req := cvm.NewDescribeImagesRequest()
		req.Filters = []*cvm.Filter{{Name: common_("image-type"), Values: []*string{common_("PRIVATE_IMAGE")}},
			{Name: common_("image-state"), Values: []*string{common_("NORMAL")}}}
		res, err := cA.DescribeImages(req)
		if err != nil || len(res.Response.ImageSet) == 0 {
			return false
		}
		img = *res.Response.ImageSet[0].ImageId
		return true
	})
	got = concurrently(60, func(i int) error {
		req := cvm.NewModifyImageSharePermissionRequest()
		req.ImageId, req.AccountIds, req.Permission = common_(img), []*string{common_(recipients[i].id)}, common_("SHARE")
		_, err := pick(i).ModifyImageSharePermission(req)
		return err
	})
	if got[""] != 50 || got[models.CodeOverQuota] != 10 {
		t.Errorf("R4 across replicas: %v, want 50 shared and 10 refused", got)
	}

	// A session made on one replica works on the other.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	signIn(t, browser, addrA, users[0])
	// Cookies belong to the host, not the port: the jar sends A's cookie to B.
	res, err := browser.Get("http://" + addrB + "/images")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("replica B with A's session: %v %v", res.StatusCode, err)
	}
	res.Body.Close()

	// R2: restart both with a daily limit of 5; 20 counted operations give 5.
	a.stop(t)
	b.stop(t)
	wg.Add(2)
	go func() { defer wg.Done(); a = start(t, addrA, append(common, "--quota-daily-ops", "5")...) }()
	go func() { defer wg.Done(); b = start(t, addrB, append(common, "--quota-daily-ops", "5")...) }()
	wg.Wait()
	fresh := recipients[0]
	fA := sdk(t, addrA, fresh.secretID, fresh.secretKey, "ap-shanghai")
	fB := sdk(t, addrB, fresh.secretID, fresh.secretKey, "ap-shanghai")
	got = concurrently(20, func(i int) error {
		req := cvm.NewImportImageRequest()
		req.Architecture, req.OsType, req.OsVersion = common_("x86_64"), common_("Ubuntu"), common_("22.04")
		req.ImageUrl, req.ImageName = common_("http://127.0.0.1:1/disk.qcow2"), common_(fmt.Sprintf("r2-%02d", i))
		c := fA
		if i%2 == 1 {
			c = fB
		}
		_, err := c.ImportImage(req)
		return err
	})
	if got[""] != 5 || got[models.CodeDailyOps] != 15 {
		t.Errorf("R2 across replicas: %v, want 5 accepted and 15 refused", got)
	}

	// Work goes on when a replica dies: A is killed mid-launch, B finishes.
	run = cvm.NewRunInstancesRequest()
	run.Placement = &cvm.Placement{Zone: common_("ap-guangzhou-4")}
	run.InstanceType, run.ImageId, run.InstanceCount = common_("S5.SMALL2"), common_(ubuntuImage(t, cA)), ptr64(10)
	ran, err = sdk(t, addrA, owner.secretID, owner.secretKey, "ap-guangzhou").RunInstances(run)
	if err != nil {
		t.Fatal(err)
	}
	more := commonStrings(ran.Response.InstanceIdSet)
	time.Sleep(300 * time.Millisecond)
	a.kill()
	waitFor(t, 60*time.Second, "B to finish the launches A was running", func() bool { return allInstances(cB, more, models.InstanceRunning) })
}

func common_(s string) *string { return common.StringPtr(s) }
func ptr64(n int64) *int64     { return &n }

func commonStrings(ps []*string) []string { return common.StringValues(ps) }

func ubuntuImage(t *testing.T, c *cvm.Client) string {
	t.Helper()
	req := cvm.NewDescribeImagesRequest()
	req.Filters = []*cvm.Filter{{Name: common_("platform"), Values: []*string{common_("Ubuntu")}},
		{Name: common_("image-type"), Values: []*string{common_("PUBLIC_IMAGE")}}}
	req.InstanceType = common_("S5.SMALL2")
	res, err := c.DescribeImages(req)
	if err != nil || len(res.Response.ImageSet) == 0 {
		t.Fatalf("no Ubuntu image: %v", err)
	}
	return *res.Response.ImageSet[0].ImageId
}

var taskRunRE = regexp.MustCompile(`imageconsole_background_task_runs_total\{kind="([^"]+)",result="ok"\} (\d+)`)

// taskRuns reads how many successful runs of a task kind a replica made.
func taskRuns(t *testing.T, addr, kind string) int {
	t.Helper()
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	n := 0
	for _, m := range taskRunRE.FindAllStringSubmatch(string(b), -1) {
		if m[1] == kind {
			v, _ := strconv.Atoi(m[2])
			n += v
		}
	}
	return n
}

var csrfRE = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

// signIn signs a browser in on one replica.
func signIn(t *testing.T, browser *http.Client, addr string, u account) {
	t.Helper()
	res, err := browser.Get("http://" + addr + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfRE.FindSubmatch(b)
	if m == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	res, err = browser.PostForm("http://"+addr+"/signin", url.Values{"email": {u.email}, "password": {"password-123"}, "_csrf": {string(m[1])}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on %s: %v %v", addr, res.StatusCode, err)
	}
	res.Body.Close()
}
