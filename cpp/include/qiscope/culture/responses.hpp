#pragma once
/// \file responses.hpp
/// The survey answers handed to every culture function, and the options shared by all of them.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace qiscope::culture {

/// One row per respondent, one column per instrument item (in the instrument's item order),
/// raw codes exactly as answered: negatively worded items not yet reversed, missing and
/// "does not apply" codes as they were typed, NaN for a blank.
struct Responses {
  std::size_t n_rows = 0;
  /// Column-major n_rows x n_items: the answers to item j are values[j*n_rows, (j+1)*n_rows).
  std::span<const double> values;
  /// 0-based unit code of each row, or empty when there are no units.
  std::span<const std::int64_t> unit;
  /// Optional label of each unit code (used in JSON output). When empty, the number of units is
  /// the largest code + 1.
  std::vector<std::string> unit_labels;
};

/// Which bounds reverse scoring uses. The published method (and qiscope's default) reverses
/// with the scale's bounds, min + max - x. psych::reverse.code and psych::alpha(keys=) use the
/// smallest and largest value observed among the instrument's answers instead, which gives other
/// means and percentages when nobody chose an extreme option (alpha is unaffected).
enum class ReverseRange : std::uint8_t { scale, observed };

/// Why a cell holds no value. Suppressed cells (privacy) carry below_min_n, complementary or
/// linked; the other reasons mark statistics that are undefined for the data.
enum class Reason : std::uint8_t {
  none,
  below_min_n,      ///< based on fewer valid answers than the threshold
  complementary,    ///< withheld so that a suppressed sibling cannot be derived by subtraction
  linked,           ///< withheld because a cell it is computed from (or that is computed from it) is
  no_valid_answers, ///< nothing to report: no valid answer in this cell
  too_few,          ///< too few observations for this statistic (e.g. rwg of one respondent)
  constant          ///< the values do not vary, so the statistic is undefined (e.g. t of equal gaps)
};

}  // namespace qiscope::culture
