#pragma once
/// \file spec.hpp
/// What to compute: the chart, its phases and baseline, the rule set and the profile whose
/// conventions to follow. `resolve()` turns a Spec into concrete constants.

#include <cstdint>
#include <optional>
#include <vector>

#include <qiscope/spc/types.hpp>

namespace qiscope::spc {

/// The request. Options left unset take the value of `profile`; explicit values override it.
struct Spec {
  Chart chart = Chart::run;
  /// The rule set (rules.hpp). Python's qi.spc() picks the profile's own set when none is
  /// given (ptd, mdc_excel: mdc; qcc: western_electric); here it is always explicit.
  RuleSet rules = RuleSet::anhoej;
  Direction direction = Direction::neutral;
  /// The direction of each series, indexed by its series code (Observations::series; code 0
  /// without series), for many indicators in one call that improve in different directions.
  /// Empty: `direction` for every series.
  std::vector<Direction> series_direction;
  Profile profile = Profile::qiscope;
  Aggregate agg = Aggregate::mean;

  /// Scales the plotted value, centre line and limits after they are computed.
  double multiply = 1.0;
  /// A target (assurance icon); drawn only, it takes no part in the limits.
  std::optional<double> target;
  /// A fixed centre line instead of the one computed from the baseline.
  std::optional<double> cl;

  /// 0-based positions within each series where new phases start.
  std::vector<std::int64_t> part;
  /// x keys at which new phases start (the phase starts at the first point with x >= key).
  std::vector<std::int64_t> part_x;
  /// Number of leading points of each phase that form the baseline of the limits.
  std::optional<std::int64_t> freeze;
  /// 0-based positions within each series left out of every calculation (still reported).
  std::vector<std::int64_t> exclude;

  /// x is categorical (units, not time): no runs analysis; Laney's sigma_z from sd(z).
  bool x_categorical = false;
  /// Allow negative lower limits. false: negative LCLs become 0 when every value is >= 0.
  bool y_neg = true;

  // Profile-dependent options (unset: the profile decides).
  std::optional<bool> screen_mr;       ///< drop moving ranges >= d4 x their mean (Nelson 1982)
  std::optional<double> d2;            ///< sigma = mean moving range / d2
  /// Points in a run on one side of the centre line: the shift (IHI 6, MDC 7), Western
  /// Electric rule 4 (8) and Nelson rule 2 (9).
  std::optional<int> shift_n;
  std::optional<int> trend_n;          ///< points in a trend (IHI 5, MDC 7, Nelson 6)
  std::optional<TwoOfThree> two_of_three;
  /// Critical values of the runs analysis (qicharts2's `method`).
  RunsMethod runs_method = RunsMethod::anhoej;
  std::optional<bool> trend_ties_break;  ///< a repeated value breaks a trend (else it is skipped)
  /// Western Electric (1-4) or Nelson (1-8) rules to apply; empty: the profile's choice (all of
  /// them; qcc: 1 and 4). Only for those two rule sets.
  std::vector<int> rule_numbers;
  std::optional<FlagPoints> flag_points;  ///< which points of a pattern are flagged
  /// qcc's `confidence.level`, in (0, 1): lcl and ucl become probability limits, the
  /// (1 - level) / 2 and 1 - (1 - level) / 2 quantiles of the statistic's distribution, instead
  /// of 3 sigma (profile qcc; charts xbar, i, s, p, np, c, u, g). lcl_95 and ucl_95 stay at
  /// 2 sigma. Unset: sigma limits.
  std::optional<double> confidence_level;

  // Time-weighted charts.
  double lambda = 0.2;                 ///< EWMA smoothing
  double k = 0.5;                      ///< CUSUM reference value (in sigma units)
  double h = 5.0;                      ///< CUSUM decision interval (in sigma units)
  double nsigmas = 3.0;                ///< EWMA limit width
  double head_start = 0.0;             ///< CUSUM fast initial response
  std::optional<double> center;        ///< EWMA/CUSUM target mean (default: baseline mean)
  std::optional<double> sd;            ///< EWMA/CUSUM process sigma (default: from the data)
  /// EWMA/CUSUM: how sigma is estimated from the baseline (unset: the profile's default, see
  /// baseline_sigma in time_weighted.cpp). Giving it with `sd` is an error.
  std::optional<SdMethod> sd_method;
  double odds_ratio = 2.0;             ///< Bernoulli and risk-adjusted CUSUM: odds ratio to detect
  double limit = 3.5;                  ///< Bernoulli and risk-adjusted CUSUM: decision limit

  /// Worker threads for many series (0: one per core). Results do not depend on it.
  int n_threads = 0;
};

/// The constants and semantics in force once the profile and the explicit options are combined.
struct Options {
  bool screen_mr;
  double d2;        ///< divisor of the mean moving range
  double d4;        ///< screening multiple of the mean moving range
  int shift_n;
  int trend_n;
  TwoOfThree two_of_three;
  RunsMethod runs_method;
  bool trend_ties_break;
  bool freeze_ignored_with_parts;  ///< qicharts2: `freeze` has no effect when phases are given
  /// Western Electric / Nelson rules in force: bit k - 1 set applies rule k.
  std::uint32_t rule_mask;
  /// A point exactly on the centre line ends a run on one side (MDC, qcc, Western Electric,
  /// Nelson); otherwise it neither breaks nor counts (IHI, Anhøj).
  bool on_cl_breaks;
  /// A missing or excluded point ends every pattern (qcc); otherwise the pattern continues
  /// across it (qiscope, qicharts2).
  bool missing_breaks;
  FlagPoints flag_points;
  /// NHSRplotthedots 0.2.2 labels a trend point by its step to the next point when that one is
  /// in a trend too, else by the step from the previous one, and a step of 0 as falling: a
  /// repeated value between a rising and a falling trend labels the rising trend's last point
  /// "decreasing". Only the ptd profile reproduces this; otherwise a point takes its trend's
  /// direction (a peak shared by two trends, the later one's).
  bool ptd_trend_labels;
};

/// Combines the profile's conventions with the explicit options of `spec`.
Options resolve(const Spec& spec);

}  // namespace qiscope::spc
