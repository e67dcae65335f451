package models

import (
	"context"
	"crypto/rand"
	"runtime"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"imageconsole/models/blob"
)

// Limits are the configurable defaults of the rules R1, R2, R4 and R9 (README, Architecture).
type Limits struct {
	CustomImages int // R1, per account per region
	DailyOps     int // R2, per account per region per day
	Shares       int // R4, per image
	Instances    int // R9, per account per region
}

// DefaultLimits are the product page's numbers.
var DefaultLimits = Limits{CustomImages: 10, DailyOps: 5, Shares: 50, Instances: 50}

// Pricing holds the configurable fees of R7.
type Pricing struct {
	WindowsLicensePerVCPU float64 // CNY per vCPU-hour, overseas regions only
}

// DefaultPricing is used unless configured otherwise.
var DefaultPricing = Pricing{WindowsLicensePerVCPU: 0.12}

// Database is what the store needs of its database: GORM for reads and
// schema changes, and a runner of transactions for every use case. The
// wiring code opens one (sqldb.Open) and hands it to NewStore.
type Database interface {
	Gorm() *gorm.DB
	// Tx runs fn in one transaction bound to ctx and returns once that
	// transaction has committed or rolled back.
	Tx(ctx context.Context, fn func(tx *gorm.DB) error) error
	// Migrate runs fn, the schema changes, one process at a time.
	Migrate(fn func(db *gorm.DB) error) error
}

// Actor is who performs a use case, and through which face.
type Actor struct {
	AccountID string
	Via       string
	RequestID string
}

// Store is the domain. Its use cases are split by aggregate, one type each,
// whose methods Store promotes (callers write store.CreateImage):
//
//	ImageStore     custom images and the catalogs: image_*.go
//	SharingStore   sharing (R4-R6) and cross-region sync (R3): sharing_*.go
//	InstanceStore  instances: launch, actions, reinstall (R8, R9): instance_*.go
//	AccountStore   accounts, sign-in, sessions, passwords, API keys: account_*.go
//	MarketStore    market listings, their review and usage: market_*.go
//	PlatformStore  the operator's side: catalog, accounts, overrides, audit: platform_*.go
//	NetworkStore   VPCs, subnets, security groups, key pairs: network_*.go
//
// What they share is core: the database and its transactions, the clock,
// the limits, counted operations (operation.go) and background tasks
// (task.go, worker.go). Every exported use-case method runs in exactly one
// transaction and returns coded errors.
type Store struct {
	*core
	ImageStore
	SharingStore
	InstanceStore
	AccountStore
	MarketStore
	PlatformStore
	NetworkStore
}

// The aggregates: each is the core seen from one part of the domain.
type (
	ImageStore    struct{ *core }
	SharingStore  struct{ *core }
	InstanceStore struct{ *core }
	AccountStore  struct{ *core }
	MarketStore   struct{ *core }
	PlatformStore struct{ *core }
	NetworkStore  struct{ *core }
)

// core is what every aggregate shares; its exported fields are the store's
// settings.
type core struct {
	database Database
	db       *gorm.DB // database.Gorm(), for reads
	Limits   Limits
	Pricing  Pricing
	// Now is the clock; tests inject a fixed one.
	Now func() time.Time
	// PasswordCost is the bcrypt cost; tests lower it.
	PasswordCost int
	// Hashing bounds concurrent bcrypt work (password_policy.go).
	Hashing *HashLimiter
	// SessionLifetime ends a console session this long after sign-in;
	// SessionIdle ends it earlier after this long without a request.
	SessionLifetime, SessionIdle time.Duration
	// secrets encrypts API SecretKeys at rest; see SetSecretKeyCipher.
	secrets *secretCipher
	// Observer, if set, is told about refusals and background work.
	Observer Observer
	// Blobs keeps imported image files, under the image ID.
	Blobs blob.Store
	// TaskScale multiplies background task durations; 0 finishes them as
	// soon as a worker runs them.
	TaskScale float64
	// sigs caches the API signatures this process recorded (api_signature.go).
	sigOnce sync.Once
	sigs    *signatureCache
}

// NewStore wraps an open database.
func NewStore(db Database) *Store {
	c := &core{database: db, db: db.Gorm(), Limits: DefaultLimits, Pricing: DefaultPricing, Now: time.Now,
		PasswordCost: 11, TaskScale: 1,
		Hashing: NewHashLimiter(runtime.GOMAXPROCS(0)/2, time.Second), SessionLifetime: DefaultSessionLifetime, SessionIdle: DefaultSessionIdle}
	return &Store{core: c, ImageStore: ImageStore{c}, SharingStore: SharingStore{c}, InstanceStore: InstanceStore{c},
		AccountStore: AccountStore{c}, MarketStore: MarketStore{c}, PlatformStore: PlatformStore{c},
		NetworkStore: NetworkStore{c}}
}

// DB exposes GORM to the wiring code and tests (health checks, fixtures).
func (s *core) DB() *gorm.DB { return s.db }

// Database is the database the store was made with, for another store on
// the same one.
func (s *core) Database() Database { return s.database }

// Migrate creates or updates the schema.
func (s *core) Migrate() error { return s.database.Migrate(migrate) }

func migrate(db *gorm.DB) error {
	if err := db.AutoMigrate(allModels()...); err != nil {
		return err
	}
	// Custom image names are unique per account and region (InvalidImageName.Duplicate); the
	// database holds the rule too, as the last line behind the store's check.
	return db.Exec(`CREATE UNIQUE INDEX IF NOT EXISTS idx_images_custom_name
		ON images (owner_id, region, name) WHERE type = 'PRIVATE_IMAGE'`).Error
}

func allModels() []any {
	return []any{
		&Account{}, &WebSession{}, &Image{}, &ImageShare{},
		&ImageCounter{}, &OpCounter{}, &Operation{},
		&APIKey{},
		&Instance{}, &InstanceCounter{}, &Task{}, &SignInThrottle{},
		&MarketListing{}, &MarketRegion{}, &MarketLaunch{}, &QuotaOverride{}, &AuditEntry{},
		&APISignature{},
		&VPC{}, &Subnet{}, &SecurityGroup{}, &SecurityGroupPolicy{}, &KeyPair{},
		&InstanceKeyPair{}, &InstanceSubnet{}, &InstanceSecurityGroup{},
	}
}

// tx runs fn in one transaction bound to ctx.
func (s *core) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.database.Tx(ctx, fn)
}

// write runs one statement in a transaction of the store's, so that on
// SQLite it joins a group commit rather than taking the write lock on its
// own, and returns the rows it changed.
func (s *core) write(ctx context.Context, stmt func(tx *gorm.DB) *gorm.DB) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := stmt(tx)
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// now is the store's clock in UTC.
func (s *core) now() time.Time { return s.Now().UTC() }

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns prefix + "-" + 8 random lower-case alphanumerics: IDs are
// random, never sequential, so they reveal nothing about other accounts.
func NewID(prefix string) string {
	return prefix + "-" + randomString(8, idAlphabet)
}

// randomString draws n characters uniformly from alphabet (rejection sampling
// avoids the modulo bias of b % len(alphabet)).
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// ValidID reports whether id looks like prefix-xxxxxxxx.
func ValidID(prefix, id string) bool {
	if len(id) != len(prefix)+9 || !strings.HasPrefix(id, prefix+"-") {
		return false
	}
	for _, c := range id[len(prefix)+1:] {
		if !strings.ContainsRune(idAlphabet, c) {
			return false
		}
	}
	return true
}

// roundPrice keeps four decimals, as the cloud's price lists do.
func roundPrice(v float64) float64 {
	return float64(int64(v*10000+0.5)) / 10000
}
