#pragma once
/// \file runs.hpp
/// Critical values of the run-chart tests.

#include <cstdint>
#include <utility>

#include <qiscope/spc/types.hpp>

namespace qiscope::spc {

/// Anhøj's limit for the longest run: round(log2(n)) + 3 (Schilling 2012); a longer run signals.
std::int64_t longest_run_max(std::int64_t n_useful);

/// Anhøj's limit for crossings: the 5% quantile of Binomial(n - 1, 1/2) (Chen 2010); fewer
/// crossings signal.
std::int64_t crossings_min(std::int64_t n_useful);

/// Whether a longest run of `longest` and `crossings` crossings among n useful points signal
/// under `method`. Anhøj: longest > longest_run_max(n) or crossings < crossings_min(n).
/// Best box and cut box use the critical values published by Anhøj & Wentzel-Larsen (2020)
/// for n = 10-100 (as qicharts2's `method`); outside that range they fall back to Anhøj's.
bool runs_signal(RunsMethod method, std::int64_t n_useful, std::int64_t crossings, std::int64_t longest);

/// The IHI run-chart rule "too few or too many runs": the acceptable range [lower, upper] of
/// the number of runs among n useful points, from the exact distribution of runs (Swed &
/// Eisenhart 1943) with n/2 points on each side and 2.5% in each tail. Defined for n >= 10.
std::pair<std::int64_t, std::int64_t> ihi_runs_range(std::int64_t n_useful);

}  // namespace qiscope::spc
