#pragma once
/// \file rules.hpp
/// The special-cause rule sets, applied to one phase of a chart whose values and limits are
/// already known. compute() calls this for every phase; a trust tool can call it directly on
/// limits from elsewhere.
///
/// What each rule set tests (definitions and sources: shared/design/spc-spec.md §2.3, §3, §5):
/// - anhoej: points beyond the 3-sigma limits; an unusually long run or too few crossings of
///   the centre line (the run and the useful points are flagged).
/// - ihi: beyond the limits; a shift of `shift_n` on one side (points on the centre line
///   skipped); a trend of `trend_n`; too few or too many runs.
/// - mdc: beyond the limits; a trend; two of three beyond 2 sigma on one side, all three on
///   that side of the mean; a shift. A point meeting several takes its side from the first of
///   that list (outside > trend > 2-of-3 > shift): trend points are coloured by the trend's
///   direction, the others by their side of the mean.
/// - western_electric: 1 beyond 3 sigma; 2 two of three beyond 2 sigma on one side; 3 four of
///   five beyond 1 sigma on one side; 4 `shift_n` (8) in a row on one side.
/// - nelson: 1 beyond 3 sigma; 2 `shift_n` (9) on one side; 3 `trend_n` (6) steadily up or
///   down; 4 fourteen alternating up and down; 5 two of three beyond 2 sigma; 6 four of five
///   beyond 1 sigma; 7 fifteen within 1 sigma (either side, inclusive); 8 eight beyond 1 sigma
///   with both sides represented.
///
/// Zones come from each point's own limits, so charts with varying limits work: 3 sigma is
/// lcl/ucl, 2 sigma lcl_95/ucl_95, and 1 sigma is cl -/+ sigma_i with sigma_i the larger of
/// (ucl - cl)/3 and (cl - lcl)/3, kept inside the 2-sigma limits (a limit truncated at 0 or 1
/// does not shrink it; a truncated 2-sigma limit truncates the zone as qcc 3.0 does). On
/// charts whose limits are not symmetric about the centre line (t, g) the 1-sigma zone is an
/// approximation. All comparisons with a zone boundary are strict ("beyond").
///
/// Points that are excluded, missing, or have no centre line take no part: by default a
/// pattern continues across them (Options::missing_breaks ends it instead, as qcc does).
/// Without a time order (categorical x, the MR chart) only the 3-sigma rule applies.

#include <cstdint>
#include <span>
#include <vector>

#include <qiscope/spc/result.hpp>
#include <qiscope/spc/spec.hpp>

namespace qiscope::spc {

/// One phase of a chart as the rules read it: one entry per point, in time order.
struct PhaseView {
  std::span<const double> value;   ///< the plotted statistic; NaN is missing
  std::span<const double> cl, lcl, ucl, lcl_95, ucl_95;
  std::span<const std::uint8_t> excluded;  ///< nonzero: left out; empty: none
  /// The points are in time order. false (categorical x, the MR chart): only the 3-sigma rule.
  bool ordered = true;
};

/// Anhøj's runs analysis of a phase (qicharts2 reports it for every chart and rule set).
struct RunsAnalysis {
  std::int64_t n_useful = 0;          ///< usable points not on the centre line
  std::int64_t longest_run = -1;      ///< -1: no useful point
  std::int64_t longest_run_max = -1;
  std::int64_t n_crossings = -1;
  std::int64_t n_crossings_min = -1;
  bool signal = false;                ///< longest run or crossings beyond their limits
};

/// Per point: which rules flagged it and the side of its signal.
struct SpecialCauses {
  std::vector<std::uint32_t> rules;  ///< rule_bits; 0: common cause
  /// +1 above the centre line or rising, -1 below or falling, 0 a pattern without a direction
  /// (too few crossings or runs, Nelson 4, 7, 8) or none.
  std::vector<std::int8_t> side;
  RunsAnalysis runs;
};

/// Applies `rules` with the resolved `options` (see resolve()) to one phase.
SpecialCauses find_special_causes(const PhaseView& phase, RuleSet rules, const Options& options);

}  // namespace qiscope::spc
