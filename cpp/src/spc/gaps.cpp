// x_gaps: a point per series step, median per series, all series in parallel.

#include <qiscope/spc/gaps.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <qiscope/error.hpp>

#include "detail/parallel.hpp"

namespace qiscope::spc {

namespace {

/// The median of `steps` (reordered; not empty).
double median(std::vector<double>& steps) {
  const std::size_t half = steps.size() / 2;
  std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(half), steps.end());
  const double upper = steps[half];
  if (steps.size() % 2 == 1) return upper;
  const double lower = *std::max_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(half));
  return (lower + upper) / 2;
}

}  // namespace

std::vector<std::uint8_t> x_gaps(std::span<const std::int64_t> series, std::span<const std::int64_t> x,
                                 std::span<const double> x_position, double factor, int n_threads) {
  if (x.size() != series.size())
    throw input_error("x", -1, "length",
                      "has " + std::to_string(x.size()) + " points, series has " + std::to_string(series.size()));
  if (!(factor > 0) || !std::isfinite(factor))
    throw input_error("factor", -1, "range", "the gap factor must be a positive number");
  // Where each series starts (and checks, before any work is shared out).
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (x[i] < 0 || static_cast<std::uint64_t>(x[i]) >= x_position.size())
      throw input_error("x", static_cast<std::int64_t>(i), "unknown_x",
                        "code " + std::to_string(x[i]) + " has no position (" + std::to_string(x_position.size()) +
                            " positions)");
    if (i == 0 || series[i] != series[i - 1]) {
      if (i > 0 && series[i] < series[i - 1])
        throw input_error("series", static_cast<std::int64_t>(i), "unsorted",
                          "points must be ordered by series (as compute returns them)");
      starts.push_back(i);
    }
  }
  starts.push_back(series.size());

  std::vector<std::uint8_t> flags(series.size(), 0);
  const auto step_before = [&](std::size_t i) {
    const double step = x_position[static_cast<std::size_t>(x[i])] - x_position[static_cast<std::size_t>(x[i - 1])];
    return step > 0 ? step : std::numeric_limits<double>::quiet_NaN();  // NaN: not a step
  };
  detail::parallel_for(starts.size() - 1, n_threads, 64, [&](std::size_t s) {
    const std::size_t first = starts[s], end = starts[s + 1];
    std::vector<double> steps;
    steps.reserve(end - first);
    for (std::size_t i = first + 1; i < end; ++i)
      if (const double step = step_before(i); !std::isnan(step)) steps.push_back(step);
    if (steps.empty()) return;
    const double limit = factor * median(steps);
    for (std::size_t i = first + 1; i < end; ++i) flags[i] = step_before(i) > limit;
  });
  return flags;
}

}  // namespace qiscope::spc
