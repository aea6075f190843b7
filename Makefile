# PoseDash: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv, install requirements.txt and build the model bundle if missing.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8501
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.stamp

.PHONY: run test test-fast model setup bench clean

setup: $(STAMP) model

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Builds the model bundle into the per-user cache (POSEDASH_CACHE_DIR) if missing or corrupt.
model: $(STAMP)
	$(PY) -m dashboard build-model

# The address comes from .streamlit/config.toml (127.0.0.1: this computer only).
run: setup
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

test: setup
	$(PY) -m pytest

# Speed and memory figures (printed, never asserted): see the benchmarks' docstrings.
bench: setup
	$(PY) benchmarks/speed.py
	$(PY) benchmarks/video_memory.py
	$(PY) benchmarks/app_vs_cli.py

# Unit tests only: no model, no media.
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit -q

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
