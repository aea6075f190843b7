# PoseDash: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv, install requirements.txt and build the model bundle if missing.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8501
PY     := $(VENV)/bin/python
# The whole suite in two pytest processes, a test file each at a time (pytest-xdist): browser
# waits and app start-ups overlap with model work. TEST_WORKERS= runs it in one process.
TEST_WORKERS ?= -n 2 --dist loadfile
STAMP  := $(VENV)/.requirements.stamp

.PHONY: run test test-fast test-load model models setup bench clean

setup: $(STAMP) model

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Builds the model bundle into the per-user cache (POSEDASH_CACHE_DIR) if missing or corrupt.
# Also compiles PoseDash's modules, as Python does on a first run where PYTHONDONTWRITEBYTECODE
# is not set: each analysis process (the command line and its workers) then starts without
# compiling them (about 0.1 s each, issue 27). Up-to-date files are left as they are.
model: $(STAMP)
	$(PY) -m compileall -q dashboard
	$(PY) -m dashboard build-model

# The Fast (lite) and Accurate (heavy) models: `npm pack` (the system's npm, from the npm
# registry, never from Google) fetches @mediapipe/pose into a temporary folder; PoseDash checks
# the landmark models' SHA-256 and bundles them next to the built-in one. Once; offline after.
NPM_POSE := @mediapipe/pose@0.5.1675469404
models: model
	@if $(PY) -m dashboard build-model --variant lite --check && \
	    $(PY) -m dashboard build-model --variant heavy --check; then \
	  echo "lite and heavy models: already built"; \
	else \
	  tmp=$$(mktemp -d) && \
	  (cd "$$tmp" && npm pack --silent $(NPM_POSE) >/dev/null) && \
	  $(PY) -m dashboard build-model --variant lite --from-npm-tarball "$$tmp"/mediapipe-pose-*.tgz && \
	  $(PY) -m dashboard build-model --variant heavy --from-npm-tarball "$$tmp"/mediapipe-pose-*.tgz; \
	  status=$$?; rm -rf "$$tmp"; exit $$status; \
	fi

# The address comes from .streamlit/config.toml (127.0.0.1: this computer only).
run: setup
	$(PY) -m dashboard.ui.serve --server.port $(PORT)

test: setup models lint
	$(PY) -m pytest $(TEST_WORKERS) --durations=25

# The whole suite beside a busy loop on every core: it must pass on a busy machine too.
test-load: setup models
	$(PY) benchmarks/with_load.py -- $(PY) -m pytest $(TEST_WORKERS) --durations=25

# Speed and memory figures (printed, never asserted): see the benchmarks' docstrings.
bench: setup models
	$(PY) benchmarks/speed.py
	$(PY) benchmarks/models.py
	$(PY) benchmarks/video_memory.py
	$(PY) benchmarks/batch.py
	$(PY) benchmarks/report.py
	$(PY) benchmarks/library.py
	$(PY) benchmarks/gait.py
	$(PY) benchmarks/gait_swaps.py
	$(PY) benchmarks/gait_facing.py
	$(PY) benchmarks/live.py
	$(PY) benchmarks/live_open.py
	$(PY) benchmarks/frame_seek.py
	$(PY) benchmarks/app_vs_cli.py

# The fast tier, after each change: every test that needs neither the pose model, the
# shared media nor a browser (tests/conftest.py marks those `slow`), in two pytest
# processes as the whole suite (TEST_WORKERS= runs it in one).
test-fast: lint
	$(PY) -m pytest -q $(TEST_WORKERS) -m "not slow and not e2e" --durations=15

# Lint, format and types (config in pyproject.toml): ruff on everything, mypy on the core
# packages pyproject.toml lists. `make test-fast` and `make test` run it first.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m mypy

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
