# na62lab: `make run` runs the main job, `make test` the test suite, `make bench` the benchmarks,
# `make warmup` compiles the kernels for this machine ahead of a first run (reproduce/simulate do it when needed).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BENCH_VENV := .venv-bench
STAMP := $(VENV)/.installed

.PHONY: run test test-all bench bench-cold warmup venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[all]"
	touch $(STAMP)

warmup: $(STAMP)
	$(VENV)/bin/na62lab warmup

run: $(STAMP)
	$(VENV)/bin/na62lab reproduce --out results

test: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks admin
	$(VENV)/bin/mypy
	$(PY) -m pytest -n 2 -q

test-all: $(STAMP)
	$(PY) -m pytest -n 2 -q -m "slow or not slow"

# pyhf's toy calculator needs numpy < 2.4 (it calls np.percentile(interpolation=...)),
# so the benchmarks run in their own environment with that constraint.
$(BENCH_VENV)/.installed: pyproject.toml
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install -q -e ".[all]" "numpy<2.4"
	touch $(BENCH_VENV)/.installed

# The benchmark environment keeps its own numba cache (also the default of benchmarks/run.py).
bench: $(BENCH_VENV)/.installed
	NUMBA_CACHE_DIR=$(CURDIR)/$(BENCH_VENV)/numba-cache $(BENCH_VENV)/bin/python -m pytest -q -p no:xdist tests/stats/test_pyhf_crosscheck.py
	NUMBA_CACHE_DIR=$(CURDIR)/$(BENCH_VENV)/numba-cache $(BENCH_VENV)/bin/python benchmarks/run.py --out benchmarks/results.md

# Only the cold-start section (fresh processes, empty kernel caches), spliced into results.md.
bench-cold: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python benchmarks/bench_cold.py --splice benchmarks/results.md

clean:
	rm -rf $(VENV) $(BENCH_VENV) results
