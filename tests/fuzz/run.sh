#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with AddressSanitizer and UndefinedBehaviorSanitizer) and
# runs each one in turn. `make fuzz` and `make test` call it; see tests/fuzz/README.md.
#
#   FUZZ_RUNS=20000 FUZZ_TIME=30 tests/fuzz/run.sh [target ...]
#   FUZZ_RUNS=10000000 FUZZ_TIME=0 tests/fuzz/run.sh fuzz_engine      # a campaign
#
# FUZZ_RUNS and FUZZ_TIME bound each target (executions, seconds); FUZZ_ARGS adds libFuzzer
# flags. New inputs go to build/fuzz/corpus/<target> (the committed seeds in
# tests/fuzz/corpus/<target> are only read); crashes go to build/fuzz/findings. Any crash, leak,
# sanitizer report, timeout or exception other than qiscope::input_error fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${FUZZ_RUNS:--1}   # -1: no bound
TIME=${FUZZ_TIME:-60}   # 0: no bound
JOBS=${JOBS:-2}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(fuzz_spec_json fuzz_spc_result_json fuzz_funnel_result_json fuzz_engine
  fuzz_instrument_json fuzz_culture_result_json)

# -- clang and libFuzzer: installed when run as root, otherwise the runs are skipped -----------
probe() {
  mkdir -p build
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' |
    clang++ -x c++ -fsanitize=fuzzer,address,undefined - -o build/.fuzz-probe >/dev/null 2>&1
}
if ! command -v clang++ >/dev/null 2>&1 || ! probe; then
  if [ "$(id -u)" = "0" ]; then
    echo "fuzz: installing clang and its libFuzzer runtime"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang >/dev/null
    major=$(clang++ --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "libclang-rt-${major}-dev" >/dev/null
    probe || { echo "fuzz: clang cannot link -fsanitize=fuzzer even after installing it" >&2; exit 1; }
  else
    echo "fuzz: SKIPPED - clang with libFuzzer is not installed and installing it needs root:"
    echo "fuzz:   sudo apt-get install clang libclang-rt-<clang major version>-dev"
    exit 0
  fi
fi

# -- build -------------------------------------------------------------------------------------------
if [ ! -f build/fuzz/CMakeCache.txt ]; then
  CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQISCOPE_BUILD_FUZZERS=ON \
    -DQISCOPE_BUILD_TESTS=OFF -DQISCOPE_BUILD_PYTHON=OFF -DQISCOPE_INSTALL=OFF -DQISCOPE_WERROR=ON >/dev/null
fi
cmake --build build/fuzz -j"$JOBS" >build/fuzz/build.log 2>&1 || { tail -30 build/fuzz/build.log >&2; exit 1; }

# -- run ---------------------------------------------------------------------------------------------
mkdir -p build/fuzz/findings
for target in "${TARGETS[@]}"; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  dict=()
  [ "$target" = fuzz_engine ] || dict=(-dict=tests/fuzz/json.dict)
  seeds=()  # the committed corpus, where there is one (libFuzzer refuses a missing folder)
  [ -d "tests/fuzz/corpus/$target" ] && seeds=("tests/fuzz/corpus/$target")
  log=build/fuzz/$target.log
  # shellcheck disable=SC2086
  if ! build/fuzz/tests/fuzz/"$target" -runs="$RUNS" -max_total_time="$TIME" -timeout=25 \
      -artifact_prefix="build/fuzz/findings/$target-" "${dict[@]}" ${FUZZ_ARGS:-} \
      "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    grep -m 20 -E "ERROR|runtime error|invariant|terminate|what\(\)" "$log" >&2 || tail -20 "$log" >&2
    echo "fuzz: $target FAILED (log: $log; input: build/fuzz/findings/)" >&2
    exit 1
  fi
  echo "fuzz: $target $(grep -E '^Done [0-9]+ runs' "$log" | tail -1) - no crash, leak or sanitizer report"
done
