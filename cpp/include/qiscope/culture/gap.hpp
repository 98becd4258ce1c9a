#pragma once
/// \file gap.hpp
/// Paired comparison of two items answered by the same respondents - the "vulnerability gap"
/// (culture-spec §2.6, §3.9): paired t, Wilcoxon signed-rank, d_z and the paired difference in
/// percent positive, overall and per unit.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/responses.hpp>

namespace qiscope::culture {

struct GapOptions {
  double conf_level = 0.95;
  int min_n = 0;  ///< fewest complete pairs behind a released row; 0: the instrument's (or 10)
  ReverseRange reverse_range = ReverseRange::scale;
  /// Inclusive range of (reverse-scored) codes counted positive; empty: no percent positive.
  CodeRange positive{};
};

/// One row per level: the overall row (unit -1) first, then each unit. Differences are a - b
/// over complete pairs; the means are those of the pairs.
struct Gap {
  std::string a, b;
  std::vector<std::int64_t> unit;
  std::vector<std::int64_t> n;          ///< complete pairs
  std::vector<double> mean_a, mean_b, diff, sd_diff, diff_ci_low, diff_ci_high;
  std::vector<double> t, df, p;         ///< paired t test (R t.test(paired = TRUE))
  /// Wilcoxon signed-rank (R wilcox.test(paired = TRUE)): V = sum of the ranks of positive
  /// differences after dropping zeros, mid-ranks for ties. Exact p when there are no ties, no
  /// zeros and fewer than 50 pairs; otherwise the normal approximation with tie-corrected
  /// variance and continuity correction.
  std::vector<double> wilcoxon_v, wilcoxon_p;
  std::vector<std::uint8_t> wilcoxon_exact;
  std::vector<std::int64_t> n_nonzero;
  std::vector<double> d_z;              ///< mean difference / SD of differences (not d_av)
  /// Percent positive of a and of b over the pairs, their difference with Newcombe's paired
  /// (method 10) interval, and the exact McNemar p. NaN when no positive range is given.
  std::vector<double> percent_positive_a, percent_positive_b, percent_positive_diff;
  std::vector<double> percent_diff_ci_low, percent_diff_ci_high, mcnemar_p;
  std::vector<std::uint8_t> suppressed;
  std::vector<Reason> reason;

  std::vector<std::string> unit_labels;
  int min_n = 0;
  double conf_level = 0.95;
};

/// Gap between two columns of scored values (NaN = no answer); `unit` may be empty.
Gap gap(std::span<const double> a, std::span<const double> b, std::span<const std::int64_t> unit,
        const GapOptions& options, std::vector<std::string> unit_labels = {});

/// Gap between items `a` and `b` of `inst`: answers are validated and reverse-scored by the
/// instrument, positive is the item's scale's positive range (when both share one).
Gap gap(const Responses& responses, const Instrument& inst, std::string_view a, std::string_view b,
        GapOptions options = {});

}  // namespace qiscope::culture
