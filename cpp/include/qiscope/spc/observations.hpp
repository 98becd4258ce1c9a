#pragma once
/// \file observations.hpp
/// The input of an SPC computation in long form: one entry per input row, as views.

#include <cstdint>
#include <span>

namespace qiscope::spc {

/// Columns of the input rows. Only `y` is required; every other view is either empty or has
/// y.size() entries. Rows sharing (series, x) are combined into one point (a subgroup).
struct Observations {
  std::span<const double> y;              ///< the measure (numerator with `n`); NaN is missing
  std::span<const double> n;              ///< denominator; empty: none
  std::span<const std::int64_t> series;   ///< series codes >= 0; empty: one series
  std::span<const std::int64_t> x;        ///< sortable x keys; empty: the row's position
  std::span<const std::int64_t> phase_label;  ///< phase label codes; a new phase where it changes
  std::span<const std::uint8_t> exclude;  ///< nonzero: the row's point is excluded
  std::span<const double> target;         ///< per-row target; empty: Spec::target
  std::span<const double> risk;           ///< predicted risk per case (risk-adjusted CUSUM, VLAD)
};

}  // namespace qiscope::spc
