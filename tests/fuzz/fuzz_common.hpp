#pragma once
// Shared by the libFuzzer targets: the one exception allowed to escape qiscope is
// qiscope::input_error; any other exception, crash, leak or sanitizer report is a finding, and
// so is a result that breaks an invariant of tests/support/result_checks.hpp.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include <qiscope/error.hpp>

namespace qiscope::fuzz {

/// Reports a broken invariant and stops, so that libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "qiscope invariant broken: %s\n", what.c_str());
  std::abort();
}

inline void expect_sound(const std::string& problem) {
  if (!problem.empty()) fail(problem);
}

/// Runs `body`; an input_error is the documented answer to bad input and ends the run quietly.
/// Every other exception escapes to libFuzzer, which reports it as a crash.
template <class Body>
void allowing_input_errors(Body&& body) {
  try {
    body();
  } catch (const qiscope::input_error& e) {
    // The error must name what is wrong (a column or option) and the rule broken.
    if (e.field().empty() || e.rule().empty()) fail(std::string("input_error without field or rule: ") + e.what());
  }
}

/// A double drawn to hit the edges: small counts, 0 and 1, missing, infinities, the extremes of
/// the double range, subnormals, and arbitrary bit patterns.
inline double edgy_double(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 11)) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1: return std::numeric_limits<double>::infinity();
    case 2: return -std::numeric_limits<double>::infinity();
    case 3: return std::numeric_limits<double>::max();
    case 4: return -std::numeric_limits<double>::max();
    case 5: return std::numeric_limits<double>::denorm_min();
    case 6: return in.ConsumeFloatingPoint<double>();
    case 7: return in.ConsumeProbability<double>();
    case 8: return -static_cast<double>(in.ConsumeIntegralInRange<int>(0, 20));
    case 9: return 1e100 * in.ConsumeIntegralInRange<int>(1, 1000);
    default: return static_cast<double>(in.ConsumeIntegralInRange<int>(0, 30));
  }
}

/// Mostly ordinary values (counts 0..30, a fraction), sometimes an edge.
inline double some_double(FuzzedDataProvider& in) {
  const int kind = in.ConsumeIntegralInRange<int>(0, 7);
  if (kind < 5) return static_cast<double>(in.ConsumeIntegralInRange<int>(0, 30));
  if (kind == 5) return in.ConsumeProbability<double>() * 30;
  return edgy_double(in);
}

}  // namespace qiscope::fuzz
