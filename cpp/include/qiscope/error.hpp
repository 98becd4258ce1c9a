#pragma once
/// \file error.hpp
/// The one error type of qiscope: bad input, named by field, row and the rule it broke.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace qiscope {

/// The largest magnitude of a number qiscope accepts as data (or computes as a plotted value):
/// far beyond any count, rate or measurement, and far enough below the double range (1.8e308)
/// that no sum, square or limit computed from such numbers can overflow. Larger numbers are an
/// input_error with rule "overflow" rather than an infinite (or silently missing) result.
inline constexpr double max_magnitude = 1e100;

/// The largest expected count (events, cases) for which qiscope computes exact quantiles of a
/// discrete distribution (exact funnel limits, probability limits): a quantile is a search
/// through whole counts, which doubles hold exactly only below 2^53 (about 9e15); beyond, a step
/// of one changes nothing. So many events make the normal approximation exact in all but name.
inline constexpr double max_exact_count = 1e15;

/// Thrown for input a user can fix. `field` names the column or option, `row` the 0-based row
/// of the input (-1 when the problem is not tied to a row), `rule` the check that failed.
class input_error : public std::invalid_argument {
 public:
  input_error(std::string field, std::int64_t row, std::string rule, const std::string& message)
      : std::invalid_argument(format(field, row, message)),
        field_(std::move(field)),
        row_(row),
        rule_(std::move(rule)) {}

  const std::string& field() const noexcept { return field_; }
  std::int64_t row() const noexcept { return row_; }
  const std::string& rule() const noexcept { return rule_; }

 private:
  static std::string format(const std::string& field, std::int64_t row, const std::string& message) {
    std::string where = "column '" + field + "'";
    if (row >= 0) where += ", row " + std::to_string(row);
    return where + ": " + message;
  }
  std::string field_;
  std::int64_t row_;
  std::string rule_;
};

}  // namespace qiscope
