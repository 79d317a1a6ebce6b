# Cupcake Lab. Two commands: `make up` runs the lab, `make test` tests it.
# Everything it needs (uv, the virtual environments, the dependencies) it installs itself,
# with nothing but Python 3.11+ and make on the machine.

PYTHON ?= python3
TOOLS := .venvs/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
SERVICES := bodies frostings toppings
PYTEST_FLAGS ?= -q

.DEFAULT_GOAL := help
.PHONY: help up install check test lint format unit-launcher test-services $(addprefix test-,$(SERVICES)) \
	test-chassis unit-bench test-contract test-fuzz test-e2e test-failure test-browser test-deploy test-crash bench bench-costs screenshots clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(UV):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Cupcake Lab needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check 'uv>=0.5,<1'

# The whole workspace in one environment: the launcher runs every service from it.
$(VENV)/.synced: $(UV) uv.lock pyproject.toml launcher/pyproject.toml $(SERVICES:%=services/%/pyproject.toml) \
		libs/chassis/pyproject.toml libs/testing/pyproject.toml
	$(UV) sync --all-packages --locked --python $(PYTHON) --quiet --compile-bytecode
	@# Compiled once here, so that services start fast even where PYTHONDONTWRITEBYTECODE is set.
	$(BIN)/python -m compileall -q services/*/src launcher/src
	@touch $@

# One environment per service holding only that service's declared dependencies and its
# dev group (pytest, the cupcake_testing plugin, ...): its tests pass there, which proves
# it imports nothing of the others.
.venvs/%/.synced: $(UV) uv.lock services/%/pyproject.toml libs/testing/pyproject.toml
	UV_PROJECT_ENVIRONMENT=.venvs/$* $(UV) sync --package cupcake-$* --locked --exact --python $(PYTHON) --quiet --compile-bytecode
	@touch $@

.venvs/chassis/.synced: $(UV) uv.lock libs/chassis/pyproject.toml libs/testing/pyproject.toml
	UV_PROJECT_ENVIRONMENT=.venvs/chassis $(UV) sync --package cupcake-chassis --locked --exact --python $(PYTHON) --quiet --compile-bytecode
	@touch $@

install: $(VENV)/.synced ## install everything (done by the other targets when needed)

up: install ## start the whole lab on 127.0.0.1 and show its logs (Ctrl-C stops it)
	$(BIN)/cupcake-lab up --chaos

# The suites that start nothing but the code under test (no lab, no browser): `make check`.
# Longest first, so that side by side they end close together.
IN_PROCESS_SUITES := lint test-fuzz test-services test-contract test-chassis unit-bench unit-launcher test-docs
# The suites that start real labs (Chromium, network namespaces), longest first. They mostly
# wait (on a stalled peer, a deadline, a page), so two run side by side, after the CPU-bound
# suites above: more at once would stretch the times they measure past their bounds.
LAB_SUITES := test-browser test-e2e test-failure test-hosts test-storage
LAB_JOBS ?= 2
# The suites that measure a lab under load: each alone, after all the others, since a suite
# beside them would be part of the load they measure (overload's 50 ms bound on refusals,
# a soak, restarts).
SOLO_SUITES := test-siege test-soak test-restarts
# How many CPU-bound suites run side by side: one per core.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Suites side by side, each one's output shown whole when it ends.
SIDE_BY_SIDE := --no-print-directory --output-sync=target
# Examples per operation and phase of `make check`'s fuzz run; `make test` fuzzes with the full
# count (tests/fuzz/settings.py).
CHECK_FUZZ_EXAMPLES ?= 5

check: ## lint and every in-process suite, side by side, fuzzing lightly: the inner loop (about a minute)
	@echo "make check: $(words $(IN_PROCESS_SUITES)) suites, $(JOBS) at a time; each one's output shows when it ends"
	@FUZZ_MAX_EXAMPLES=$(CHECK_FUZZ_EXAMPLES) $(MAKE) $(SIDE_BY_SIDE) --jobs=$(JOBS) $(IN_PROCESS_SUITES)
	@echo "make check: lint and every in-process suite passed"

test: ## every test suite but test-crash: those in-process side by side, those with labs two at a time, then those measuring load alone
	@echo "make test: the in-process suites and test-deploy, $(JOBS) at a time; each one's output shows when it ends"
	@$(MAKE) $(SIDE_BY_SIDE) --jobs=$(JOBS) $(IN_PROCESS_SUITES) test-deploy
	@echo "make test: the suites with labs, $(LAB_JOBS) at a time: $(LAB_SUITES)"
	@$(MAKE) $(SIDE_BY_SIDE) --jobs=$(LAB_JOBS) $(LAB_SUITES)
	@echo "make test: the suites that measure load, one at a time: $(SOLO_SUITES)"
	@$(MAKE) --no-print-directory --jobs=1 $(SOLO_SUITES)
	@echo "make test: all suites passed"

# Each distribution's own folder, for the checks run per distribution.
DISTRIBUTIONS := $(SERVICES:%=services/%) libs/chassis libs/testing launcher
DEPTRY := $(CURDIR)/$(BIN)/deptry --no-ansi
# deptry leaves tests/ out unless told otherwise.
DEPTRY_ALL := --exclude '(^|/)\.venv/'

lint: install ## ruff, mypy (code and tests) and deptry (every import declared)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# Code and tests together, one run per distribution: each test suite has modules of its
	@# own (conftest, fakes, ...) whose names clash with the others'. A tests folder without
	@# __init__.py is on pytest's path itself (`from fakes import ...`), one with it is a package.
	@set -e; for dist in $(DISTRIBUTIONS); do \
		tests=$$dist/tests; [ -f $$tests/__init__.py ] && tests=$$dist; \
		echo "mypy $$dist"; \
		MYPYPATH=$$dist/src:$$tests $(BIN)/mypy --explicit-package-bases $$(ls -d $$dist/src $$dist/tests 2>/dev/null); \
	done
	$(BIN)/mypy services/bodies/src services/frostings/src services/toppings/src launcher/src libs/chassis/src libs/testing/src bench tests
	@# The code against the runtime dependencies (a dev-only one imported there fails), then
	@# code and tests against both: an undeclared or only transitive import fails either way.
	@set -e; for dist in $(DISTRIBUTIONS); do \
		echo "deptry $$dist"; \
		(cd $$dist && $(DEPTRY) src && $(DEPTRY) $$(ls -d src tests 2>/dev/null) $(DEPTRY_ALL) --ignore DEP002,DEP004); \
	done
	$(DEPTRY) bench tests $(DEPTRY_ALL) --ignore DEP002,DEP004

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test-services: $(addprefix test-,$(SERVICES)) ## each service's own tests, each in its own environment

$(addprefix test-,$(SERVICES)): test-%: .venvs/%/.synced
	cd services/$* && ../../.venvs/$*/bin/pytest $(PYTEST_FLAGS)

test-chassis: .venvs/chassis/.synced ## the service chassis library, in its own environment
	cd libs/chassis && ../../.venvs/chassis/bin/pytest $(PYTEST_FLAGS)

unit-launcher: install ## the launcher's unit tests
	cd launcher && ../$(BIN)/pytest $(PYTEST_FLAGS)

unit-bench: install ## the benchmark harness's unit tests (wrk's report, same bytes, goals, the Locust file's helpers)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/bench

.PHONY: test-docs
test-docs: install ## the docs: every relative link resolves, every make target named exists, nothing points outside the repository
	$(BIN)/pytest $(PYTEST_FLAGS) tests/docs

test-contract: install ## cross-service contract tests (peers run in-process)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/contract

test-fuzz: install ## schemathesis against each service's own OpenAPI document (in-process; FUZZ_SEED=random explores)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/fuzz

test-e2e: install ## end-to-end tests against a real lab started by the launcher
	$(BIN)/pytest $(PYTEST_FLAGS) tests/e2e

test-failure: install ## the failure table (docs/architecture.md) against real processes: killed, stalled, flaky, slow
	$(BIN)/pytest $(PYTEST_FLAGS) tests/failure

.PHONY: test-storage
test-storage: install ## storage faults while the lab serves: SQLite locked, read-only, disk full; PostgreSQL restarted, connections killed, tables locked
	$(BIN)/pytest $(PYTEST_FLAGS) tests/storage

.PHONY: test-hosts
test-hosts: install ## the lab across three network namespaces, links cut and mended (root and ip; skipped without, except in CI)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/hosts

test-browser: install ## the lab page in a real Chromium (skipped without /usr/bin/chromium, except in CI)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/browser

test-deploy: install ## Dockerfiles, compose and Kubernetes manifests, checked offline (no engine, no cluster)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/deploy
.PHONY: test-containers
test-containers: install ## the images built, the Compose lab run as containers and the k8s overlay played with podman (PostgreSQL)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/containers

.PHONY: test-siege test-siege-long
test-siege: install ## hostile clients and overload: 2,000 half-open connections, 2x/5x/10x the capacity (about 3 min, run alone)
	$(BIN)/pytest $(PYTEST_FLAGS) tests/siege

test-siege-long: install ## test-siege with every load held for 30 s (about 4 min)
	SIEGE_STEP_SECONDS=30 $(BIN)/pytest $(PYTEST_FLAGS) tests/siege

test-crash: install ## writes while services are kill -9-ed: what was acknowledged is kept, once
	$(BIN)/pytest $(PYTEST_FLAGS) tests/crash

# How long the soak runs, in seconds: `make test-soak` briefly, `make soak` for ten minutes.
SOAK_SECONDS ?= 75
.PHONY: test-soak soak test-restarts
test-soak: install ## Locust at half the lab's measured capacity for SOAK_SECONDS (75): nothing fails; memory, fds, threads steady; logs rotated
	CUPCAKE_SOAK_SECONDS=$(SOAK_SECONDS) $(BIN)/pytest $(PYTEST_FLAGS) tests/soak

soak: install ## the same soak for ten minutes (about 11 minutes in all)
	$(MAKE) --no-print-directory test-soak SOAK_SECONDS=600

test-restarts: install ## cupcake-lab restart of each service under Locust, 1 and 2 workers each: no failed request
	$(BIN)/pytest $(PYTEST_FLAGS) tests/restarts

bench: install ## every goal of the benchmark, measured side by side in one run, then the cost tables (needs wrk)
	$(BIN)/python -m bench $(BENCH_FLAGS)

bench-costs: install ## the per-request cost tables alone: CPU µs per request, in-process, layer by layer
	$(BIN)/python -m bench.costs $(COST_FLAGS)

.PHONY: locust
locust: install ## Locust's web UI on http://127.0.0.1:8089: people on a running lab (make up)
	$(BIN)/locust -f bench/locustfile.py --web-host 127.0.0.1 --web-port 8089 $(LOCUST_FLAGS)

screenshots: test-browser ## refresh the README's screenshots of the lab page from a browser test run
	cp test-results/screenshots/lab-page.png test-results/screenshots/lab-page-phone.png test-results/screenshots/lab-chaos.png test-results/screenshots/lab-trace.png docs/images/
	cp test-results/screenshots/lab-tour.png docs/images/

clean: ## remove the environments and the local lab's state
	rm -rf .venv .venvs .lab
