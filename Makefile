# imageconsole: `make run` starts the console with demo data, `make test` runs every test.
GO ?= go
TOOLS := .tools/node_modules/.bin

.PHONY: run build test generate check-generated bench fuzz fmt vet

## run: start the console on the embedded SQLite default, with demo accounts.
## It builds first and says so: on a fresh machine the first build downloads
## the modules and compiles for a few minutes (go build -v names each
## package as it goes); the server then prints its address and the demo
## logins in a box once it takes connections.
run:
	@echo "== Building imageconsole (the first build downloads modules and compiles: a few minutes; packages are listed as they build)"
	@$(GO) build -v -o console ./cmd/console
	@echo "== Starting imageconsole (the address and the demo logins follow when it is ready)"
	@./console serve --demo=$${CONSOLE_DEMO:-true}

## build: compile the binary into ./console.
build:
	$(GO) build -o console ./cmd/console

## test: every test, with the race detector, on SQLite; when CONSOLE_TEST_PG
## names a PostgreSQL server (.ci/run starts one), the store, handler and API
## suites run a second time on it, each test in a schema of its own.
test:
	CONSOLE_TEST_DB= $(GO) test -race -count=1 ./...
	@if [ -n "$$CONSOLE_TEST_PG" ]; then \
		echo "== the suites again on PostgreSQL"; \
		CONSOLE_TEST_DB="$$CONSOLE_TEST_PG" $(GO) test -race -count=1 ./models/... ./handlers/...; \
	fi

## fuzz: a short run of every fuzz target (seeds are committed and also run in make test).
FUZZTIME ?= 10s
FUZZ_TARGETS := ./models/imagefmt:FuzzDetect ./handlers/api/tc3:FuzzParse ./handlers/api/tc3:FuzzVerify ./handlers/api/tc3:FuzzCheckV1 \
	./handlers/api:FuzzDecode ./handlers:FuzzConsoleQuery ./handlers:FuzzSafeNext
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "== fuzz $$fn ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; done

## generate: rebuild the committed generated files (templ views, CSS, htmx,
## and the axe-core copy the browser tests inject).
generate:
	$(GO) tool templ generate
	npm ci --prefix .tools --no-audit --no-fund --loglevel=error
	$(TOOLS)/tailwindcss -c tailwind.config.js -i static/src/app.css -o static/css/app.css --minify
	cp .tools/node_modules/htmx.org/dist/htmx.min.js static/js/htmx.min.js
	mkdir -p handlers/browser/testdata
	cp .tools/node_modules/axe-core/axe.min.js handlers/browser/testdata/axe.min.js

## check-generated: fail when a generated file is stale or missing from git.
check-generated: generate
	@git add -N views static handlers/browser/testdata >/dev/null 2>&1 || true
	@if ! git diff --quiet -- views static handlers/browser/testdata; then \
		echo "generated files are stale; run make generate and commit:"; git diff --stat -- views static handlers/browser/testdata; exit 1; fi

## bench: build the server, seed catalogs of 1k, 10k and 100k images and
## measure it over loopback against floors (see README.md, Performance);
## flags of cmd/bench go in BENCH_FLAGS, e.g. BENCH_FLAGS="-sizes 1000 -requests 500".
bench:
	$(GO) run ./cmd/bench $(BENCH_FLAGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...
