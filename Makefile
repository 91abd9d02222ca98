# gongkai — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench setup system lint clean

# System packages (Debian, when root) + the virtualenv with gongkai and its test tools.
setup: $(STAMP)

system:
	@bash scripts/setup-system.sh

$(STAMP): pyproject.toml scripts/setup-system.sh
	@bash scripts/setup-system.sh
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@set -o pipefail; $(BIN)/pip install -q --upgrade pip 2>&1 | { grep -v '^WARNING: Location' || true; }
	@set -o pipefail; $(BIN)/pip install -q -e '.[test,batch]' 2>&1 | { grep -v '^WARNING: Location' || true; }
	@touch $(STAMP)

run: $(STAMP)
	@bash scripts/run.sh

test: $(STAMP)
	@bash scripts/test.sh

bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

lint: $(STAMP)
	@$(BIN)/ruff check src tests && $(BIN)/lint-imports

clean:
	rm -rf $(VENV) var build *.egg-info
