# Every target sets up what it needs: a fresh clone only needs `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install test demo run lint format bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

test: install
	$(PY) -m pytest -q -n auto --dist worksteal

demo: install
	$(PY) -m bot demo --html demo-out/demo.html

run: install
	$(PY) -m bot run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The benchmarks (see BENCHMARKS.md): about 10 minutes on 2 cores. PostgreSQL runs too
# when BENCH_POSTGRES_URL names a database they may wipe, e.g.
#   BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench make bench
bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) demo-out bench-out *.egg-info .pytest_cache .ruff_cache
