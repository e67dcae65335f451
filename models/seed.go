package models

import (
	"context"
	"crypto/sha256"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// seedID derives a stable image ID from a seed key, so seeding again finds the
// same rows (idempotence) while IDs still look random.
func seedID(prefix, key string) string {
	sum := sha256.Sum256([]byte(key))
	out := make([]byte, 8)
	for i := range out {
		out[i] = idAlphabet[int(sum[i])%len(idAlphabet)]
	}
	return prefix + "-" + string(out)
}

type osSeed struct {
	platform, name string
	arm            bool // also ships an arm build
	size           int
	cloudInit      bool
}

var commonSeeds = []osSeed{
	{"TencentOS", "TencentOS Server 2.4", false, 20, true},
	{"TencentOS", "TencentOS Server 3.1 (TK4)", true, 20, true},
	{"TencentOS", "TencentOS Server 4", true, 20, true},
	{"OpenCloudOS", "OpenCloudOS 8.8", true, 20, true},
	{"OpenCloudOS", "OpenCloudOS 9", true, 20, true},
	{"CentOS", "CentOS 7.9 64-bit", false, 20, true},
	{"CentOS", "CentOS Stream 9 64-bit", true, 20, true},
	{"Ubuntu", "Ubuntu Server 20.04 LTS 64-bit", true, 20, true},
	{"Ubuntu", "Ubuntu Server 22.04 LTS 64-bit", true, 20, true},
	{"Ubuntu", "Ubuntu Server 24.04 LTS 64-bit", true, 20, true},
	{"Debian", "Debian 11.11 64-bit", true, 20, true},
	{"Debian", "Debian 12.8 64-bit", true, 20, true},
	{"Rocky", "Rocky Linux 8.10 64-bit", true, 20, true},
	{"Rocky", "Rocky Linux 9.5 64-bit", true, 20, true},
	{"AlmaLinux", "AlmaLinux 8.10 64-bit", true, 20, true},
	{"AlmaLinux", "AlmaLinux 9.5 64-bit", true, 20, true},
	{"Windows", "Windows Server 2016 Datacenter 64-bit Chinese", false, 50, false},
	{"Windows", "Windows Server 2016 Datacenter 64-bit English", false, 50, false},
	{"Windows", "Windows Server 2019 Datacenter 64-bit Chinese", false, 50, false},
	{"Windows", "Windows Server 2019 Datacenter 64-bit English", false, 50, false},
	{"Windows", "Windows Server 2022 Datacenter 64-bit Chinese", false, 50, false},
	{"Windows", "Windows Server 2022 Datacenter 64-bit English", false, 50, false},
}

type marketSeed struct {
	provider, category, name, base, platform, description string
	price                                                 float64
}

var providerSeeds = []struct{ key, name string }{
	{"webstack", "WebStack Labs"},
	{"datahouse", "DataHouse Inc."},
	{"panelworks", "PanelWorks"},
	{"aidev", "AI DevTools Co."},
}

var marketSeeds = []marketSeed{
	{"webstack", "Web stacks", "LNMP (Nginx 1.26, PHP 8.3, MySQL 8.0)", "Ubuntu Server 22.04 LTS 64-bit", "Ubuntu", "Production-ready Nginx, PHP-FPM and MySQL with sane defaults.", 0.05},
	{"webstack", "Web stacks", "WordPress 6.6 on LAMP", "Debian 12.8 64-bit", "Debian", "WordPress with Apache, PHP 8.2 and MariaDB, HTTPS ready.", 0.08},
	{"webstack", "Web stacks", "Node.js 22 LTS with PM2", "Ubuntu Server 24.04 LTS 64-bit", "Ubuntu", "Node.js runtime with PM2 process manager and Nginx reverse proxy.", 0.04},
	{"datahouse", "Databases", "PostgreSQL 16 Tuned", "Rocky Linux 9.5 64-bit", "Rocky", "PostgreSQL 16 with pgBouncer, tuned for cloud disks.", 0.12},
	{"datahouse", "Databases", "Redis 7.4 Standalone", "Debian 12.8 64-bit", "Debian", "Redis with persistence and a hardened configuration.", 0.06},
	{"datahouse", "Databases", "MongoDB 7.0 Community", "Ubuntu Server 22.04 LTS 64-bit", "Ubuntu", "MongoDB Community Server with backups scripted.", 0.10},
	{"panelworks", "Control panels", "BT Panel 9 (Linux)", "CentOS Stream 9 64-bit", "CentOS", "Web hosting control panel with one-click site setup.", 0.03},
	{"panelworks", "Control panels", "Plesk Obsidian Web Admin", "AlmaLinux 9.5 64-bit", "AlmaLinux", "Plesk web hosting platform, Web Admin edition.", 0.20},
	{"panelworks", "Control panels", "IIS 10 with .NET 8 on Windows Server 2022", "Windows Server 2022 Datacenter 64-bit English", "Windows", "IIS and the .NET 8 hosting bundle, ready for ASP.NET Core.", 0.15},
	{"aidev", "AI and developer tools", "GitLab CE 17", "Ubuntu Server 22.04 LTS 64-bit", "Ubuntu", "Self-hosted GitLab Community Edition with runners.", 0.18},
	{"aidev", "AI and developer tools", "Jupyter Lab with PyTorch 2.4", "Ubuntu Server 22.04 LTS 64-bit", "Ubuntu", "JupyterLab, PyTorch, CUDA-ready Python 3.12 environment.", 0.25},
	{"aidev", "AI and developer tools", "Docker CE 27 and Compose", "TencentOS Server 3.1 (TK4)", "TencentOS", "Docker Engine with Compose v2 and a tuned daemon.", 0.02},
}

// seedEpoch dates the seeded catalog so lists sort stably.
var seedEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// SeedCatalog writes the common images and the market listings with their
// provider accounts. It is idempotent: existing rows are left as they are.
func (s *core) SeedCatalog(ctx context.Context) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var images []Image
		for i, o := range commonSeeds {
			archs := []string{ArchX86}
			if o.arm {
				archs = append(archs, ArchARM)
			}
			for _, arch := range archs {
				img := Image{ID: seedID("img", "common/"+o.name+"/"+arch), Type: TypePublic, Name: o.name, OsName: o.name,
					Platform: o.platform, Arch: arch, SizeGiB: o.size, State: StateNormal, Progress: 100,
					Source: SourceOfficial, CloudInit: o.cloudInit, License: LicenseTencentCloud,
					CreatedAt: seedEpoch.Add(time.Duration(i) * time.Hour)}
				if arch == ArchARM {
					img.Name += " (Arm)"
				}
				if o.platform == "Windows" {
					img.BillingKind = BillingWindows
				}
				images = append(images, img)
			}
		}
		for _, p := range providerSeeds {
			acct := Account{ID: seedUIN("provider/" + p.key), Email: p.key + "@providers.imageconsole.local", Name: p.name,
				PasswordHash: []byte("!locked"), Role: RoleProvider, CreatedAt: seedEpoch}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&acct).Error; err != nil {
				return err
			}
		}
		for i, m := range marketSeeds {
			var name string
			for _, p := range providerSeeds {
				if p.key == m.provider {
					name = p.name
				}
			}
			images = append(images, Image{ID: seedID("img", "market/"+m.name), Type: TypeMarket, OwnerID: seedUIN("provider/" + m.provider),
				Name: m.name, Description: m.description, OsName: m.base, Platform: m.platform, Arch: ArchX86, SizeGiB: 40,
				State: StateNormal, Progress: 100, Source: SourceMarket, Creator: seedUIN("provider/" + m.provider), CloudInit: m.platform != "Windows",
				License: LicenseTencentCloud, BillingKind: BillingMarket, HourlyPrice: m.price, Provider: name, Category: m.category,
				CreatedAt: seedEpoch.Add(time.Duration(100+i) * time.Hour)})
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(images, 100).Error
	})
}

// seedUIN derives a stable 12-digit account ID for a seeded account.
func seedUIN(key string) string {
	sum := sha256.Sum256([]byte(key))
	out := []byte("2")
	for i := 0; len(out) < 12; i++ {
		out = append(out, '0'+sum[i]%10)
	}
	return string(out)
}

// DemoAccount is a demo login printed by `make run`.
type DemoAccount struct{ Email, Password, Name, Role string }

// DemoAccounts are seeded in demo mode: two users, a provider who can
// publish to the market and an operator who reviews and runs the platform.
var DemoAccounts = []DemoAccount{
	{"alice@example.com", "alice-demo-pass", "Alice (demo)", RoleUser},
	{"bob@example.com", "bob-demo-pass", "Bob (demo)", RoleUser},
	{"provider@example.com", "provider-demo-pass", "Demo Provider Ltd.", RoleProvider},
	{"operator@example.com", "operator-demo-pass", "Olivia (demo operator)", RoleOperator},
}

// SeedDemo creates the demo accounts if they do not exist yet.
func (s *Store) SeedDemo(ctx context.Context) ([]DemoAccount, error) {
	for _, d := range DemoAccounts {
		if _, err := s.AccountByEmail(ctx, d.Email); err == nil {
			continue
		}
		if _, err := s.CreateAccount(ctx, NewAccount{Email: d.Email, Password: d.Password, Name: d.Name, Role: d.Role}); err != nil && ErrorField(err) != "email" {
			return nil, err // an "email" refusal: another replica seeded it meanwhile
		}
	}
	return DemoAccounts, nil
}
