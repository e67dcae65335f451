package api_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
)

// packerDir finds the unmodified copy of Packer's tencentcloud-cvm builder
// and its driver, kept beside the repository (../shared/clients/packer from
// the repository's root), and the go command that runs it: without them
// the test is skipped on a developer's machine and fails in CI.
func packerDir(t *testing.T) (dir, goCmd string) {
	t.Helper()
	missing := func(format string, args ...any) {
		if os.Getenv("CI") == "true" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format+" (CI=true makes this a failure)", args...)
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(root, "..", "shared", "clients", "packer")
	if _, err := os.Stat(filepath.Join(dir, "cmd", "drive")); err != nil {
		missing("Packer's builder and its driver are not at %s", dir)
	}
	goCmd, err = exec.LookPath("go")
	if err != nil {
		missing("the go command is not installed")
	}
	return dir, goCmd
}

// repoRoot is the folder of the repository's go.mod, found upwards from
// the test's working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// packerDrive is what the e2e test gives the driver, and what the README's
// Packer template must agree with (TestReadme_PackerTemplate).
var packerDrive = struct {
	region, zone, instanceType, copyRegion, imageName string
}{region: "ap-guangzhou", zone: "ap-guangzhou-3", instanceType: "S5.MEDIUM4", copyRegion: "ap-beijing", imageName: "packer-golden"}

// packerSource is the common Linux image the build starts from.
func (e *env) packerSource(t *testing.T) string { return e.commonImage(t, "Ubuntu", models.ArchX86) }

// TestPacker_Build runs Packer's tencentcloud-cvm builder, unchanged,
// against a fresh console: a demo account's API key builds an image from a
// common Linux image, shares it with the second demo account and copies it
// to Beijing. The build must succeed, leave the image in both regions and
// shared, delete every temporary resource it made, and be in the
// operation log.
func TestPacker_Build(t *testing.T) {
	dir, goCmd := packerDir(t)
	ctx := context.Background()
	e := newEnv(t)
	e.store.Limits.DailyOps = 100
	if _, err := e.store.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	alice, err := e.store.AccountByEmail(ctx, models.DemoAccounts[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := e.store.AccountByEmail(ctx, models.DemoAccounts[1].Email)
	if err != nil {
		t.Fatal(err)
	}
	secretID, secretKey, err := e.store.CreateAPIKey(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	source := e.packerSource(t)

	// Workers as the server runs them, polling often: the builder waits for
	// each state itself, so the sooner a task is done the sooner it moves on.
	workCtx, stopWork := context.WithCancel(ctx)
	worked := make(chan struct{})
	go func() {
		defer close(worked)
		(&models.Worker{Store: e.store, ID: "packer-test", Poll: 20 * time.Millisecond}).Run(workCtx, 4)
	}()
	stop := func() { stopWork(); <-worked }
	defer stop()

	// The builder sleeps 5 s between polls: the build takes 10-20 s once
	// the driver is compiled, which a first run (cold module and build
	// caches) must do too. It ends before the test's own deadline, so a
	// stuck build fails with its output rather than a goroutine dump.
	limit := 9 * time.Minute
	if deadline, ok := t.Deadline(); ok {
		limit = min(limit, time.Until(deadline)-30*time.Second)
	}
	runCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	imageName := packerDrive.imageName
	cmd := exec.CommandContext(runCtx, goCmd, "run", "./cmd/drive")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"IC_ENDPOINT=http://"+e.endpoint, "IC_ID="+secretID, "IC_KEY="+secretKey,
		"IC_SOURCE_IMAGE="+source, "IC_SHARE_UIN="+bob.ID, "IC_IMAGE_NAME="+imageName,
		"IC_REGION="+packerDrive.region, "IC_ZONE="+packerDrive.zone, "IC_INSTANCE_TYPE="+packerDrive.instanceType,
		"IC_COPY_REGIONS="+packerDrive.copyRegion,
		// The folder is read-only and no git checkout: never rewrite its
		// go.mod, never stamp VCS data; modules come from the shared cache
		// (filled from the module proxy on first use), the toolchain is ours.
		"GOFLAGS=-mod=readonly -buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local", "GOMODCACHE="+goEnv(t, goCmd, "GOMODCACHE"))
	out, err := cmd.CombinedOutput()
	log := string(out)
	if err != nil {
		t.Fatalf("the build failed (%v):\n%s", err, tail(log, 60))
	}
	stop()
	e.drain(t) // what the builder's last calls left due (the instance's termination)

	artifact := map[string]string{}
	if m := regexp.MustCompile(`(?m)^ARTIFACT (\S+)$`).FindStringSubmatch(log); m != nil {
		for _, pair := range strings.Split(m[1], ",") {
			region, id, _ := strings.Cut(pair, ":")
			artifact[region] = id
		}
	}
	if len(artifact) != 2 || artifact[packerDrive.region] == "" || artifact[packerDrive.copyRegion] == "" {
		t.Fatalf("ARTIFACT names %v, want an image in %s and %s:\n%s", artifact, packerDrive.region, packerDrive.copyRegion, tail(log, 30))
	}
	for region, id := range artifact {
		var img models.Image
		if err := e.store.DB().First(&img, "id = ?", id).Error; err != nil {
			t.Fatalf("image %s of the artifact: %v", id, err)
		}
		if img.Region != region || img.OwnerID != alice.ID || img.Type != models.TypePrivate || img.State != models.StateNormal || img.Name != imageName {
			t.Errorf("image %s: region %s owner %s type %s state %s name %q; want a NORMAL custom image %q of %s in %s",
				id, img.Region, img.OwnerID, img.Type, img.State, img.Name, imageName, alice.ID, region)
		}
	}
	var shares []models.ImageShare
	e.store.DB().Where("image_id = ?", artifact[packerDrive.region]).Find(&shares)
	if len(shares) != 1 || shares[0].AccountID != bob.ID {
		t.Errorf("image %s is shared with %+v, want %s", artifact[packerDrive.region], shares, bob.ID)
	}

	// Every temporary resource the builder made is gone.
	made := map[string]string{}
	for _, tmp := range []struct {
		label string // the builder's "<label> created: <id>" line
		model any
	}{
		{"Keypair", &models.KeyPair{}}, {"Vpc", &models.VPC{}}, {"Subnet", &models.Subnet{}},
		{"Securitygroup", &models.SecurityGroup{}}, {"Instance", &models.Instance{}},
	} {
		m := regexp.MustCompile(`(?m)^` + tmp.label + ` created: (\S+)$`).FindStringSubmatch(log)
		if m == nil {
			t.Errorf("the build did not say it made a %s:\n%s", tmp.label, tail(log, 40))
			continue
		}
		made[tmp.label] = m[1]
		q := e.store.DB().Model(tmp.model).Where("id = ?", m[1])
		if tmp.label == "Instance" {
			q = q.Where("state <> ?", "TERMINATED") // a terminated instance leaves the table or stays TERMINATED
		}
		var n int64
		if err := q.Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("temporary %s %s is still there", tmp.label, m[1])
		}
	}

	// The image operations are in the log: API calls of alice's in the
	// build's region that succeeded, each naming what it acted on.
	var ops []models.Operation
	e.store.DB().Where("account_id = ?", alice.ID).Order("id").Find(&ops)
	var got []string
	for _, op := range ops {
		if op.Via != models.ViaAPI || op.RequestID == "" {
			t.Errorf("operation %+v: want via api with a request ID", op)
		}
		got = append(got, strings.Join([]string{op.Action, op.Region, op.Targets, op.Result}, " "))
	}
	image := artifact[packerDrive.region]
	want := []string{
		strings.Join([]string{models.ActionCreateImage, packerDrive.region, made["Instance"], models.ResultSuccess}, " "),
		strings.Join([]string{models.ActionModifySharePermission, packerDrive.region, image, models.ResultSuccess}, " "),
		strings.Join([]string{models.ActionSyncImages, packerDrive.region, image, models.ResultSuccess}, " "),
	}
	if !slices.Equal(got, want) {
		t.Errorf("operation log\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The console shows what the build left: each image opens from its
	// link whatever region is selected, the source image lists its share
	// with bob, and the operation log has the build's calls.
	cc := e.consoleAs(t, models.DemoAccounts[0].Email, models.DemoAccounts[0].Password)
	for region, id := range artifact {
		p := cc.get(t, "/images/"+id)
		if p.StatusCode != http.StatusOK || !strings.Contains(p.body, imageName) || !strings.Contains(p.body, "region="+region) {
			t.Errorf("console: image %s of %s: status %d, name or region missing", id, region, p.StatusCode)
		}
	}
	detail := cc.get(t, "/images/"+image+"?region="+packerDrive.region)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(detail.body))
	if rows := doc.Find(`[data-testid="share-row"]`); rows.Length() != 1 || !strings.Contains(rows.Text(), bob.ID) {
		t.Errorf("console: the share list of %s shows %d rows %q, want bob's %s", image, rows.Length(), rows.Text(), bob.ID)
	}
	opsPage := cc.get(t, "/operations?region="+packerDrive.region)
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(opsPage.body))
	if n := doc.Find(`[data-testid="operation-row"]`).Length(); n != len(want) {
		t.Errorf("console: the operation log shows %d rows, want %d", n, len(want))
	}
	for _, op := range ops {
		if !strings.Contains(opsPage.body, op.RequestID) {
			t.Errorf("console: the operation log lacks request %s (%s)", op.RequestID, op.Action)
		}
	}
}

// goEnv reads one setting of the go command.
func goEnv(t *testing.T, goCmd, key string) string {
	t.Helper()
	out, err := exec.Command(goCmd, "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
