# qiscope: the two commands are `make demo` (the main job) and `make test` (every test).
# Each does its own set-up on a fresh machine: Debian -dev packages (installed when run as
# root), a virtual environment in .venv, the C++ build in build/cpp and the Python build.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?= 2
APT_PACKAGES := g++ libeigen3-dev libboost-math-dev nlohmann-json3-dev libgtest-dev
CMAKE_FLAGS ?= -DQISCOPE_WERROR=ON
SOURCES := $(shell find cpp python -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.py' -o -name '*.pyi' -o -name '*.json' \) 2>/dev/null) \
           CMakeLists.txt pyproject.toml $(wildcard cmake/*)

.PHONY: all deps venv build-cpp test test-cpp test-fuzz test-python test-sanitize fuzz demo bench clean

all: test

# -- system packages --------------------------------------------------------------------------
build/.deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v cmake >/dev/null 2>&1 || missing="$$missing cmake"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "qiscope needs these Debian packages:$$missing"; \
	    echo "install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
	@mkdir -p build && touch $@
deps: build/.deps

# Headless Chromium for the browser test of the HTML report (make test only). Installed when run
# as root; otherwise that one test is skipped with the reason.
TEST_APT_PACKAGES := chromium
build/.deps-test: build/.deps
	@missing=""; for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then touch $@; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing && touch $@; \
	else \
	  echo "note: the report's browser test needs:$$missing (sudo apt-get install$$missing); it will be skipped"; \
	fi

# -- Python environment and package ---------------------------------------------------------
$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "scikit-build-core>=0.10" "pybind11>=3"
	@touch $@

# Rebuilt when a source changes; the build directory keeps the C++ build incremental.
# The dask extra too: the Dask path is tested (tests/python/test_dask.py, notebook 04).
$(VENV)/.installed: build/.deps $(VENV)/.created $(SOURCES) Makefile
	$(PY) -m pip install -q --no-build-isolation -C build-dir=build/py -C cmake.define.QISCOPE_WERROR=ON ".[test,notebooks,dask]"
	@touch $@
venv: $(VENV)/.installed

# -- C++ build (library, GoogleTest suite, consumer test) ------------------------------------
build/cpp/CMakeCache.txt: build/.deps
	cmake -S . -B build/cpp -DCMAKE_BUILD_TYPE=Release -DQISCOPE_BUILD_TESTS=ON -DQISCOPE_BUILD_PYTHON=OFF $(CMAKE_FLAGS)
build-cpp: build/cpp/CMakeCache.txt
	cmake --build build/cpp -j$(JOBS)

# -- the two commands ----------------------------------------------------------------------------
test-cpp: build-cpp
	ctest --test-dir build/cpp --output-on-failure -j$(JOBS)

test-python: venv build/.deps-test
	MPLBACKEND=Agg $(PY) -m pytest tests/python notebooks --nbmake --nbmake-timeout=600 -p no:cacheprovider

test: test-cpp test-fuzz test-python

# The C++ suite under AddressSanitizer and UndefinedBehaviorSanitizer (leaks included).
test-sanitize: build/.deps
	cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQISCOPE_BUILD_TESTS=ON \
	  -DQISCOPE_BUILD_PYTHON=OFF -DQISCOPE_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build build/sanitize -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build/sanitize --output-on-failure -j$(JOBS)

# libFuzzer targets (tests/fuzz) under ASan+UBSan, one after the other. clang and its libFuzzer
# runtime are installed when run as root; otherwise the runs are skipped with a message.
# `make fuzz` runs each target for FUZZ_TIME seconds; a campaign: FUZZ_RUNS=10000000 FUZZ_TIME=0.
FUZZ_RUNS ?= -1
FUZZ_TIME ?= 60
fuzz: build/.deps
	FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_TIME=$(FUZZ_TIME) JOBS=$(JOBS) tests/fuzz/run.sh

# The short runs of `make test`: 20,000 executions of each target (at most 30 s each).
test-fuzz: build/.deps
	FUZZ_RUNS=20000 FUZZ_TIME=30 JOBS=$(JOBS) tests/fuzz/run.sh

demo: venv
	MPLBACKEND=Agg $(VENV)/bin/qiscope demo -o qiscope-demo-report.html

# Benchmarks (never part of `make test`): qiscope's own table, then the peers from PyPI, which
# live in their own environment (build/peers) so that they never enter the test environment.
PEERS := clinical-qikit pyqicharts pyshewhart
build/peers/.created:
	$(PYTHON) -m venv build/peers
	build/peers/bin/python -m pip install -q $(PEERS)
	@touch $@
bench: venv build/peers/.created
	$(PY) benchmarks/bench_spc.py
	$(PY) benchmarks/bench_peers.py --peers-python build/peers/bin/python
	$(PY) benchmarks/bench_report.py
	$(PY) benchmarks/bench_spc.py --memory

clean:
	rm -rf build $(VENV)
