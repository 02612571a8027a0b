# Switchboard: one target per habit, the same for people and CI.
UV ?= uv
PYTEST_ARGS ?=
INFRA = eval "$$($(UV) run --frozen switchboard infra --shell)"

.DEFAULT_GOAL := help
.PHONY: help sync run test lint openapi bench

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

sync: ## create or update the environment from the lock file
	@command -v $(UV) >/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --frozen --quiet

run: sync ## find or start PostgreSQL and Redis, migrate, create a demo account, run every service
	@$(INFRA) && $(UV) run --frozen switchboard migrate && $(UV) run --frozen switchboard demo && exec $(UV) run --frozen switchboard up

test: sync ## the whole test suite on real PostgreSQL and Redis (started if needed)
	@$(INFRA) && $(UV) run --frozen pytest -q $(PYTEST_ARGS)

lint: sync ## ruff and mypy over the whole tree
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy libs/*/switchboard services/*/switchboard tests bench scripts
	@# Every package's tests directory is a package named tests of its own: one run each.
	@for tests in libs/*/tests services/*/tests; do \
		echo "mypy $$tests" && $(UV) run --frozen mypy $$tests || exit 1; \
	done

openapi: sync ## write the committed OpenAPI documents, the error codes, the settings and the events from the code
	$(UV) run --frozen python scripts/openapi.py --write
	$(UV) run --frozen python scripts/event_catalogue.py --write
	$(UV) run --frozen python scripts/error_codes.py --write
	$(UV) run --frozen python scripts/settings_doc.py --write

bench: sync ## benchmarks against the real suite (not tests)
	@$(INFRA) && $(UV) run --frozen python -m bench $(BENCH_ARGS)
