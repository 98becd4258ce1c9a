#pragma once
// Internal interfaces of the SPC engine (not installed). compute.cpp aggregates the rows into
// points and cuts each series into phases; for every phase it then calls, in order,
//   compute_values   (limits.cpp)  the plotted statistic of every point,
//   compute_limits   (limits.cpp)  centre line and limits from the phase's baseline,
//   apply_rules      (rules.cpp)   runs analysis and the chosen rule set,
// and finally, per series, assign_icons (icons.cpp).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <qiscope/spc/result.hpp>
#include <qiscope/spc/spec.hpp>

namespace qiscope::spc::detail {

/// Statistics of the raw rows behind each point (one entry per point, aligned with Points).
struct Subgroups {
  std::vector<double> y_sum;     ///< sum of non-missing y (NaN when none)
  std::vector<double> y_mean;    ///< mean of non-missing y
  std::vector<double> y_sd;      ///< sample SD (n - 1) of non-missing y; NaN for fewer than 2
  std::vector<double> y_median;  ///< median of non-missing y (only with Aggregate::median)
  std::vector<double> y_range;   ///< max - min of non-missing y (only for xbar and s)
  std::vector<double> risk;      ///< summed predicted risk (risk-adjusted charts)
  std::vector<double> target;    ///< per-point target (NaN: none)
  bool has_n = false;            ///< a denominator column was given
};

/// One phase of one series: the points [begin, end) of Points.
struct Phase {
  std::size_t begin;
  std::size_t end;
  std::size_t index;  ///< entry in Phases
  std::size_t size() const { return end - begin; }
};

/// Everything a step needs: the spec, its resolved options, the inputs and the outputs.
struct Context {
  const Spec& spec;
  const Options& options;
  const Subgroups& sub;
  Points& points;
  Phases& phases;
  /// Side of the signalling pattern each point belongs to (+1 above or rising, -1 below or
  /// falling, 0 none); point_type combines it with the improvement direction.
  std::vector<std::int8_t>& signal_side;
};

/// Writes Points::value for the phase (before `multiply`).
void compute_values(Context& ctx, const Phase& phase);
/// Writes cl, lcl, ucl, lcl_95, ucl_95 for the phase (before `multiply`).
void compute_limits(Context& ctx, const Phase& phase);
/// Applies `multiply`, limit truncation and the 3-sigma signal.
void finish_limits(Context& ctx, const Phase& phase);
/// Runs analysis (summary columns) and the chosen rule set (per-point flags).
void apply_rules(Context& ctx, const Phase& phase);
/// point_type of every point, and the variation and assurance icons of the series whose
/// phases are `phases` (in order).
void assign_icons(Context& ctx, const std::vector<Phase>& phases);

/// A point takes part in the calculations: not excluded and with a finite value.
inline bool usable(const Points& p, std::size_t i) {
  return !p.excluded[i] && std::isfinite(p.value[i]);
}

}  // namespace qiscope::spc::detail
