#pragma once
// Validated, reverse-scored answers: the common first step of every culture statistic.

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/responses.hpp>

namespace qiscope::culture::detail {

struct Prepared {
  std::size_t n_rows = 0;
  std::size_t n_units = 0;          ///< 0 when the responses have no unit column
  /// Reverse-scored answers (n_rows x n_items); NaN where the respondent gave no answer on the
  /// scale (blank, missing code or DNA/DK code).
  Eigen::MatrixXd x;
  /// 1 where the raw code was a "does not apply / don't know" code.
  Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> dna;
  std::vector<std::int64_t> unit;   ///< per row; -1 when there are no units
  std::vector<std::uint8_t> included;  ///< answered at least min_answered items
  std::int64_t n_excluded = 0;      ///< rows with some answer but fewer than min_answered
  std::int64_t n_empty = 0;         ///< rows with no answer at all
  std::vector<std::string> unit_labels;
  /// Per scale: the smallest and largest answer on it (+inf/-inf when none), and the bounds
  /// reverse scoring used (lo + hi - x).
  std::vector<double> observed_lo, observed_hi, reverse_lo, reverse_hi;

  bool answered(std::size_t row, std::size_t item) const { return !std::isnan(x(row, item)); }
};

/// Checks every raw code (an answer on the item's scale, a missing code, a DNA code or blank;
/// anything else raises input_error naming the item, the row and the value) and every unit
/// code, then reverse-scores negatively worded items. With ReverseRange::observed,
/// `observed_bounds` (one {lo, hi} per scale) replaces the bounds observed in these responses:
/// a part of the data is then reversed as the whole would be (culture::count's partitions).
Prepared prepare(const Responses& responses, const Instrument& inst, ReverseRange reverse,
                 std::span<const std::pair<double, double>> observed_bounds = {});

/// A respondent's score on `items`: the mean of their answered (reverse-scored) items, or NaN
/// when fewer than `min_answered` of them were answered.
double respondent_mean(const Prepared& p, std::size_t row, std::span<const std::size_t> items,
                       int min_answered);

/// The threshold to apply: `requested` when positive, else the instrument's.
int resolve_min_n(int requested, const Instrument& inst);

}  // namespace qiscope::culture::detail
