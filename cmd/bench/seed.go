package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"imageconsole/models"
	"imageconsole/models/sqldb"
)

// Who the load generator signs in as, and where it works.
const (
	benchEmail    = "bench@example.com"
	benchPassword = "bench-password-123"
	benchRegion   = "ap-guangzhou"
	benchZone     = "ap-guangzhou-3"
	// ownImages and sharedWithMe are the bench user's view, the same at
	// every catalog size, so that latency differences come from the size of
	// the catalog around it, not from a bigger page.
	ownImages    = 60
	sharedWithMe = 30
	instances    = 4
)

// fixture is what seeding made: the signed-in user's account, an API key
// and the instances CreateImage works from.
type fixture struct {
	AccountID           string
	SecretID, SecretKey string
	Instances           []string
	DetailImage         string // one of the user's own custom images
	ServerKey           []byte // the key of data-dir/api.key
}

var (
	platforms = []struct{ platform, os string }{
		{"Ubuntu", "Ubuntu Server 22.04 LTS 64-bit"}, {"CentOS", "CentOS Stream 9 64-bit"},
		{"Debian", "Debian 12.8 64-bit"}, {"TencentOS", "TencentOS Server 4"}, {"Rocky", "Rocky Linux 9.5 64-bit"},
	}
	archs = []string{models.ArchX86, models.ArchX86, models.ArchX86, models.ArchARM}
)

// seed fills the empty database db with the common catalog and n custom images
// spread over many accounts and every region, with shares, plus the bench
// user, its API key and a few running instances. Bulk rows go in with
// CreateInBatches and hooks skipped; the counters the hooks would keep
// (image_counters, share_count) are written to match.
func seed(ctx context.Context, dataDir, dbURL string, n int) (fixture, error) {
	var fx fixture
	key, err := writeAPIKeyFile(dataDir)
	if err != nil {
		return fx, err
	}
	fx.ServerKey = key
	db, err := sqldb.Open(dbURL)
	if err != nil {
		return fx, err
	}
	defer db.Close()
	s := models.NewStore(db)
	s.PasswordCost = bcrypt.MinCost
	s.TaskScale = 0
	s.Limits = models.Limits{CustomImages: 1 << 30, DailyOps: 1 << 30, Shares: 1 << 20, Instances: 1 << 20}
	if err := s.SetSecretKeyCipher(key); err != nil {
		return fx, err
	}
	if err := s.Migrate(); err != nil {
		return fx, err
	}
	if err := s.SeedCatalog(ctx); err != nil {
		return fx, err
	}
	acct, err := s.CreateAccount(ctx, models.NewAccount{Email: benchEmail, Password: benchPassword, Name: "Bench"})
	if err != nil {
		return fx, err
	}
	fx.AccountID = acct.ID
	if fx.DetailImage, err = seedImages(ctx, db.Gorm(), acct.ID, n); err != nil {
		return fx, err
	}
	if fx.SecretID, fx.SecretKey, err = s.CreateAPIKey(ctx, acct.ID); err != nil {
		return fx, err
	}
	if fx.Instances, err = seedInstances(ctx, s, acct.ID); err != nil {
		return fx, err
	}
	if db.Gorm().Dialector.Name() == "postgres" {
		// The planner's statistics of the bulk-loaded tables, which
		// autovacuum would gather only later, perhaps during a measurement.
		return fx, db.Gorm().Exec("VACUUM ANALYZE").Error
	}
	// A clean file: the server and the floors start from the same state.
	return fx, db.Gorm().Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// writeAPIKeyFile writes the server key the way cmd/console's
// loadAPIKeyCipher keeps it (hex, mode 0600), so the server can read the
// API keys seeded here.
func writeAPIKeyFile(dataDir string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return key, os.WriteFile(filepath.Join(dataDir, "api.key"), []byte(hex.EncodeToString(key)+"\n"), 0o600)
}

// seedImages writes n custom images: ownImages of the bench user in the
// bench region, the rest over max(10, n/50) other accounts and every region;
// one image in ten is shared with one to three accounts, and sharedWithMe
// images of others in the bench region are shared with the bench user. It
// returns one of the user's images for the detail page.
func seedImages(ctx context.Context, db *gorm.DB, me string, n int) (string, error) {
	nAccounts := max(10, n/50)
	accounts := make([]models.Account, nAccounts)
	epoch := time.Now().UTC().Add(-90 * 24 * time.Hour)
	for i := range accounts {
		accounts[i] = models.Account{ID: fmt.Sprintf("2%011d", i), Email: fmt.Sprintf("owner%d@bench.local", i),
			Name: fmt.Sprintf("Owner %d", i), PasswordHash: []byte("!locked"), Role: models.RoleUser, CreatedAt: epoch}
	}
	raw := db.WithContext(ctx).Session(&gorm.Session{SkipHooks: true, CreateBatchSize: 500})
	if err := raw.Create(&accounts).Error; err != nil {
		return "", err
	}
	images := make([]models.Image, 0, n)
	var shares []models.ImageShare
	mine := 0
	for i := range n {
		owner, region := accounts[i%nAccounts].ID, models.Regions[(i/nAccounts)%len(models.Regions)].ID
		if mine < ownImages && i%max(1, n/ownImages) == 0 {
			owner, region = me, benchRegion
		}
		p := platforms[i%len(platforms)]
		if owner == me {
			// Two in three are Ubuntu, so the filtered page 2 is full.
			p = platforms[mine%3/2]
		}
		img := models.Image{ID: models.NewID("img"), Type: models.TypePrivate, OwnerID: owner, Region: region,
			Name: fmt.Sprintf("%s-golden-%06d", p.platform, i), Description: "seeded by cmd/bench", OsName: p.os,
			Platform: p.platform, Arch: archs[i%len(archs)], SizeGiB: 20 + i%5*10, State: models.StateNormal, Progress: 100,
			Source: models.SourceCreate, Creator: owner, CloudInit: true, License: models.LicenseTencentCloud,
			CreatedAt: epoch.Add(time.Duration(i) * time.Minute)}
		if owner == me {
			mine++
		}
		for k := range sharesOf(i, owner == me) {
			to := accounts[(i+1+k*7)%nAccounts].ID
			if to != owner {
				shares = append(shares, models.ImageShare{ImageID: img.ID, AccountID: to, CreatedAt: img.CreatedAt})
				img.ShareCount++
			}
		}
		images = append(images, img)
	}
	// The bench user's shared tab: images of others in the bench region.
	given := 0
	for i := range images {
		img := &images[i]
		if given < sharedWithMe && img.Region == benchRegion && img.OwnerID != me {
			shares = append(shares, models.ImageShare{ImageID: img.ID, AccountID: me, CreatedAt: img.CreatedAt})
			img.ShareCount++
			given++
		}
	}
	if err := raw.Create(&images).Error; err != nil {
		return "", err
	}
	if len(shares) > 0 {
		if err := raw.Create(&shares).Error; err != nil {
			return "", err
		}
	}
	// What the R1 hook would have counted.
	err := db.WithContext(ctx).Exec(`INSERT INTO image_counters (account_id, region, used)
		SELECT owner_id, region, COUNT(*) FROM images WHERE type = ? GROUP BY owner_id, region
		ON CONFLICT (account_id, region) DO UPDATE SET used = excluded.used`, models.TypePrivate).Error
	if err != nil {
		return "", err
	}
	for _, img := range images {
		if img.OwnerID == me {
			return img.ID, nil
		}
	}
	return "", fmt.Errorf("no image of the bench user was seeded (n=%d)", n)
}

// sharesOf is how many accounts image i is shared with: one in ten is, and
// every image of the bench user is shared with two (its detail page lists them).
func sharesOf(i int, mine bool) int {
	if mine {
		return 2
	}
	if i%10 != 3 {
		return 0
	}
	return 1 + i%3
}

// seedInstances launches the instances CreateImage works from and runs
// their launch tasks, so they are RUNNING before the server starts.
func seedInstances(ctx context.Context, s *models.Store, me string) ([]string, error) {
	var ubuntu models.Image
	if err := s.DB().WithContext(ctx).Where("type = ? AND platform = ? AND arch = ?", models.TypePublic, "Ubuntu", models.ArchX86).
		Order("name DESC").Take(&ubuntu).Error; err != nil {
		return nil, err
	}
	ids, err := s.RunInstances(ctx, models.Actor{AccountID: me, Via: models.ViaAPI}, models.LaunchInput{Region: benchRegion,
		Zone: benchZone, InstanceType: "S5.MEDIUM4", ImageID: ubuntu.ID, Name: "bench", Count: instances})
	if err != nil {
		return nil, err
	}
	w := &models.Worker{Store: s, ID: "bench-seed"}
	if _, err := w.RunDue(ctx); err != nil {
		return nil, err
	}
	return ids, nil
}
