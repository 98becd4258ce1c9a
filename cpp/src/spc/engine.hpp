#pragma once
// Internal interfaces of the SPC engine (not installed). compute.cpp aggregates the rows into
// points and cuts each series into phases; for every phase it then calls, in order,
//   compute_values   (limits.cpp)  the plotted statistic of every point,
//   compute_limits   (limits.cpp)  centre line and limits from the phase's baseline,
//   apply_rules      (rules.cpp)   runs analysis and the chosen rule set,
// and finally, per series, assign_icons (icons.cpp). The time-weighted charts (EWMA, CUSUMs,
// VLAD) take their own branch of each step, in time_weighted.cpp.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <qiscope/spc/observations.hpp>
#include <qiscope/spc/result.hpp>
#include <qiscope/spc/spec.hpp>

namespace qiscope::spc::detail {

/// Statistics of the raw rows behind each point (one entry per point, aligned with Points).
struct Subgroups {
  std::vector<double> y_sum;     ///< sum of non-missing y (NaN when none)
  std::vector<double> y_mean;    ///< mean of non-missing y
  std::vector<double> y_sd;      ///< sample SD (n - 1) of non-missing y; NaN for fewer than 2
                                 ///< (xbar, s, EWMA and CUSUM only)
  std::vector<double> y_median;  ///< median of non-missing y (only with Aggregate::median)
  std::vector<double> y_range;   ///< max - min of non-missing y (xbar, s, EWMA and CUSUM only)
  std::vector<double> risk;      ///< summed predicted risk (risk-adjusted charts)
  std::vector<double> target;    ///< per-point target, with a target column (else empty)
  double default_target = std::numeric_limits<double>::quiet_NaN();  ///< Spec::target or NaN
  bool has_n = false;            ///< a denominator column was given

  /// The target of point i on the plotted scale (NaN: none).
  double target_at(std::size_t i) const { return target.empty() ? default_target : target[i]; }
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

// Time-weighted charts (time_weighted.cpp): each statistic accumulates over the points of a
// phase, so these charts compute statistic and limits together and have no runs analysis.

/// EWMA, tabular CUSUM, Bernoulli CUSUM, risk-adjusted CUSUM and VLAD.
inline bool is_time_weighted(Chart c) {
  return c == Chart::ewma || c == Chart::cusum || c == Chart::bernoulli_cusum ||
         c == Chart::ra_cusum || c == Chart::vlad;
}
/// Charts of one 0/1 outcome per case: rows are never combined, each row is one point.
/// The improvement direction of a series: its own (Spec::series_direction, checked to cover
/// every series code by compute()) or the call's.
inline Direction direction_of(const Spec& spec, std::int64_t series) {
  return spec.series_direction.empty() ? spec.direction
                                       : spec.series_direction[static_cast<std::size_t>(series)];
}
inline bool is_case_level(Chart c) {
  return c == Chart::bernoulli_cusum || c == Chart::ra_cusum || c == Chart::vlad;
}
/// Checks the options and rows a time-weighted chart needs, and that only the risk-adjusted
/// charts are given a predicted risk.
void validate_time_weighted(const Observations& obs, const Spec& spec);
/// Writes value, value_lower, cl and the limits of a time-weighted chart for the phase.
void compute_time_weighted(Context& ctx, const Phase& phase);
/// Applies `multiply` and the chart's own signal rule (sigma_signal).
void finish_time_weighted(Context& ctx, const Phase& phase);
/// Flags the signals as special causes and fills the phase summary (no runs analysis).
void time_weighted_rules(Context& ctx, const Phase& phase);

/// A point takes part in the calculations: not excluded and with a finite value.
inline bool usable(const Points& p, std::size_t i) {
  return !p.excluded[i] && std::isfinite(p.value[i]);
}

}  // namespace qiscope::spc::detail
