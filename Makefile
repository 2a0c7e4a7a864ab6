# clippings: every target creates or reuses .venv from nothing (Python 3.11+).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench lint quality clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "clippings needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/clippings demo

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/crawl_bench.py --repeat 3
	$(PY) bench/idle_poll_bench.py --feeds 500 --repeat 3
	$(PY) bench/distributed_bench.py --pages 5000 --repeat 3

quality: $(STAMP)
	$(PY) bench/quality.py

lint: $(STAMP)
	$(VENV)/bin/ruff check clippings spiders pipelines tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) demo.db clippings.db demo-out .pytest_cache
