// Command console is imageconsole: the web console and the Tencent Cloud API
// 3.0 compatible endpoint. This is the only place that knows about flags,
// environment variables and wiring.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"imageconsole/models"
)

// config is every setting of the server (README, Configuration).
type config struct {
	Addr, DB, DataDir, SessionKey string
	TrustedProxies                string
	TLSCert, TLSKey               string
	Demo                          bool
	TaskScale                     float64
	QuotaCustomImages             int
	QuotaDailyOps                 int
	QuotaShares                   int
	QuotaInstances                int
	// Settings of the security protections (README.md, Security).
	ImportAllowNetworks          string
	MetricsAddr, MetricsToken    string
	SessionIdle, SessionLifetime time.Duration
	HashConcurrency              int
}

// registerFlags declares the shared settings on fs; each flag's default comes
// from its environment twin, so a flag beats the environment which beats
// the built-in default.
func registerFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.Addr, "addr", env("CONSOLE_ADDR", "127.0.0.1:8080"), "listen address (CONSOLE_ADDR)")
	fs.StringVar(&c.DB, "db", env("CONSOLE_DB", "sqlite://data/console.db"), "database URL: sqlite://PATH or postgres://... (CONSOLE_DB)")
	fs.StringVar(&c.DataDir, "data-dir", env("CONSOLE_DATA_DIR", "data"), "folder for blobs and keys (CONSOLE_DATA_DIR)")
	fs.BoolVar(&c.Demo, "demo", envBool("CONSOLE_DEMO", false), "seed demo accounts and print their logins (CONSOLE_DEMO)")
	fs.Float64Var(&c.TaskScale, "task-scale", envFloat("CONSOLE_TASK_SCALE", 1), "multiplies background task durations; 0 finishes them at once (CONSOLE_TASK_SCALE)")
	fs.StringVar(&c.SessionKey, "session-key", env("CONSOLE_SESSION_KEY", ""), "session cookie key; generated once under the data dir if empty (CONSOLE_SESSION_KEY)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("CONSOLE_TRUSTED_PROXIES", ""), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (CONSOLE_TRUSTED_PROXIES)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("CONSOLE_TLS_CERT", ""), "serve HTTPS with this certificate file; cookies become Secure and HSTS is sent (CONSOLE_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("CONSOLE_TLS_KEY", ""), "the certificate's private key file (CONSOLE_TLS_KEY)")
	fs.IntVar(&c.QuotaCustomImages, "quota-custom-images", envInt("CONSOLE_QUOTA_CUSTOM_IMAGES", 10), "R1: custom images per account per region (CONSOLE_QUOTA_CUSTOM_IMAGES)")
	fs.IntVar(&c.QuotaDailyOps, "quota-daily-ops", envInt("CONSOLE_QUOTA_DAILY_OPS", 5), "R2: image operations per account per region per day (CONSOLE_QUOTA_DAILY_OPS)")
	fs.IntVar(&c.QuotaShares, "quota-shares", envInt("CONSOLE_QUOTA_SHARES", 50), "R4: accounts per shared image (CONSOLE_QUOTA_SHARES)")
	fs.DurationVar(&c.SessionIdle, "session-idle", envDuration("CONSOLE_SESSION_IDLE", models.DefaultSessionIdle), "sign a console session out after this long without a request; 0 keeps the default (CONSOLE_SESSION_IDLE)")
	fs.DurationVar(&c.SessionLifetime, "session-lifetime", envDuration("CONSOLE_SESSION_LIFETIME", models.DefaultSessionLifetime), "sign a console session out this long after sign-in, however active (CONSOLE_SESSION_LIFETIME)")
	fs.IntVar(&c.HashConcurrency, "hash-concurrency", envInt("CONSOLE_HASH_CONCURRENCY", 0), "password hashes computed at once; 0 means half the CPUs, at least 1 (CONSOLE_HASH_CONCURRENCY)")
	fs.IntVar(&c.QuotaInstances, "quota-instances", envInt("CONSOLE_QUOTA_INSTANCES", 50), "R9: instances per account per region (CONSOLE_QUOTA_INSTANCES)")
	fs.StringVar(&c.ImportAllowNetworks, "import-allow-networks", env("CONSOLE_IMPORT_ALLOW_NETWORKS", ""), "comma-separated CIDRs of internal networks imports may fetch from; by default only public addresses (CONSOLE_IMPORT_ALLOW_NETWORKS)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("CONSOLE_METRICS_ADDR", ""), "serve /metrics on this separate address instead of the console's (CONSOLE_METRICS_ADDR)")
	fs.StringVar(&c.MetricsToken, "metrics-token", env("CONSOLE_METRICS_TOKEN", ""), "require 'Authorization: Bearer TOKEN' for /metrics (CONSOLE_METRICS_TOKEN)")
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func envBool(key string, def bool) bool {
	if b, err := strconv.ParseBool(env(key, "")); err == nil {
		return b
	}
	return def
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(env(key, "")); err == nil {
		return n
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(key, "")); err == nil {
		return d
	}
	return def
}

func envFloat(key string, def float64) float64 {
	if f, err := strconv.ParseFloat(env(key, ""), 64); err == nil {
		return f
	}
	return def
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand: serve (the default), user add, apikey create.
func run(args []string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args)
	case "user":
		return userCmd(args, stdout)
	case "apikey":
		return apikeyCmd(args, stdout)
	default:
		return fmt.Errorf("unknown command %q: use serve, user add or apikey create", cmd)
	}
}

// validate rejects settings that cannot work.
func (c *config) validate() error {
	for name, v := range map[string]int{"quota-custom-images": c.QuotaCustomImages, "quota-daily-ops": c.QuotaDailyOps,
		"quota-shares": c.QuotaShares, "quota-instances": c.QuotaInstances} {
		if v < 0 {
			return fmt.Errorf("--%s must not be negative", name)
		}
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if c.TaskScale < 0 {
		return fmt.Errorf("--task-scale must not be negative")
	}
	if c.SessionIdle < 0 || c.SessionLifetime < 0 {
		return fmt.Errorf("--session-idle and --session-lifetime must not be negative")
	}
	if c.HashConcurrency < 0 {
		return fmt.Errorf("--hash-concurrency must not be negative")
	}
	return nil
}
