#pragma once
/// \file result.hpp
/// The result of an SPC computation, as a struct of arrays (one entry per point or phase).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <qiscope/spc/spec.hpp>
#include <qiscope/spc/types.hpp>

namespace qiscope::spc {

/// Bits of `Points::rules`: which rule flagged the point.
namespace rule_bits {
inline constexpr std::uint32_t sigma = 1u << 0;          ///< beyond the 3-sigma limits
inline constexpr std::uint32_t long_run = 1u << 1;       ///< Anhøj: unusually long run
inline constexpr std::uint32_t few_crossings = 1u << 2;  ///< Anhøj: too few crossings
inline constexpr std::uint32_t shift = 1u << 3;          ///< IHI/MDC shift
inline constexpr std::uint32_t trend = 1u << 4;          ///< IHI/MDC trend
inline constexpr std::uint32_t runs_count = 1u << 5;     ///< IHI: too few or too many runs
inline constexpr std::uint32_t two_of_three = 1u << 6;   ///< 2 of 3 beyond 2 sigma
inline constexpr std::uint32_t four_of_five = 1u << 7;   ///< 4 of 5 beyond 1 sigma
inline constexpr std::uint32_t one_side = 1u << 8;       ///< WE 8 / Nelson 9 on one side
inline constexpr std::uint32_t alternating = 1u << 9;    ///< Nelson 14 alternating
inline constexpr std::uint32_t hugging = 1u << 10;       ///< Nelson 15 within 1 sigma
inline constexpr std::uint32_t mixture = 1u << 11;       ///< Nelson 8 beyond 1 sigma, both sides
}  // namespace rule_bits

/// One entry per plotted point, ordered by series, then x.
struct Points {
  std::vector<std::int64_t> series;   ///< series code (input order of codes)
  std::vector<std::int64_t> x;        ///< x key of the point
  std::vector<std::int64_t> row;      ///< first input row of the point
  std::vector<std::int64_t> n_rows;   ///< input rows combined into the point (>1: rows shared an x)
  std::vector<double> y;              ///< aggregated y: sum of y (mean for xbar; NaN if none)
  std::vector<double> n;              ///< summed denominator or subgroup size (NaN if none)
  std::vector<std::int64_t> y_count;  ///< non-missing raw values in the point
  std::vector<double> value;          ///< the plotted statistic, times multiply
  /// The second statistic of a two-sided chart (the lower CUSUM, drawn at or below zero and
  /// tested against lcl, while `value` is tested against ucl); NaN for one-statistic charts.
  std::vector<double> value_lower;
  std::vector<std::int32_t> phase;    ///< 1-based phase within the series
  std::vector<std::uint8_t> baseline; ///< the point belongs to the baseline of its phase
  std::vector<std::uint8_t> excluded; ///< left out of every calculation
  std::vector<double> cl, lcl, ucl, lcl_95, ucl_95;
  std::vector<std::uint8_t> sigma_signal;   ///< outside the 3-sigma limits
  std::vector<std::uint8_t> runs_signal;    ///< the phase has a runs signal (qicharts2's flag)
  std::vector<std::uint8_t> signal_member;  ///< part of a signalling pattern
  std::vector<std::uint8_t> special_cause;  ///< flagged by the chosen rule set
  std::vector<std::uint32_t> rules;         ///< rule_bits that flagged the point
  std::vector<PointType> point_type;

  /// The number of points (the length of any column that was filled; see PointColumns).
  std::size_t size() const;
  void resize(std::size_t size);
};

/// Calls `fn(name, &Points::column)` for every column of Points, in declaration order: the one
/// list of the columns, for code that selects, copies or converts them by name.
template <class Fn>
void for_each_column(Fn&& fn) {
  fn(std::string_view("series"), &Points::series);
  fn(std::string_view("x"), &Points::x);
  fn(std::string_view("row"), &Points::row);
  fn(std::string_view("n_rows"), &Points::n_rows);
  fn(std::string_view("y"), &Points::y);
  fn(std::string_view("n"), &Points::n);
  fn(std::string_view("y_count"), &Points::y_count);
  fn(std::string_view("value"), &Points::value);
  fn(std::string_view("value_lower"), &Points::value_lower);
  fn(std::string_view("phase"), &Points::phase);
  fn(std::string_view("baseline"), &Points::baseline);
  fn(std::string_view("excluded"), &Points::excluded);
  fn(std::string_view("cl"), &Points::cl);
  fn(std::string_view("lcl"), &Points::lcl);
  fn(std::string_view("ucl"), &Points::ucl);
  fn(std::string_view("lcl_95"), &Points::lcl_95);
  fn(std::string_view("ucl_95"), &Points::ucl_95);
  fn(std::string_view("sigma_signal"), &Points::sigma_signal);
  fn(std::string_view("runs_signal"), &Points::runs_signal);
  fn(std::string_view("signal_member"), &Points::signal_member);
  fn(std::string_view("special_cause"), &Points::special_cause);
  fn(std::string_view("rules"), &Points::rules);
  fn(std::string_view("point_type"), &Points::point_type);
}

/// Which columns of Points compute() fills (the others are left empty), and how many points it
/// works on at a time. The default fills every column. Memory at scale: the engine computes
/// whole series in batches of about `batch_points` points, each batch with its own working
/// arrays, and copies only the kept columns into the result, so its working memory is bounded
/// by the batch and the result holds only what was asked for. Results do not depend on either.
struct PointColumns {
  /// Names of the kept columns (as for_each_column); empty: all of them.
  std::vector<std::string> keep;
  std::size_t batch_points = std::size_t{1} << 20;

  bool keeps(std::string_view name) const;
};

/// One entry per series and phase.
struct Phases {
  std::vector<std::int64_t> series;
  std::vector<std::int32_t> phase;
  std::vector<std::int64_t> first;       ///< index into Points of the phase's first point
  std::vector<std::int64_t> length;      ///< number of points in the phase
  std::vector<std::int64_t> n_obs;       ///< included points with a value
  std::vector<std::int64_t> n_useful;    ///< of those, not on the centre line
  std::vector<double> cl, lcl, ucl;      ///< NaN where the limits vary within the phase
  std::vector<std::int64_t> longest_run, longest_run_max, n_crossings, n_crossings_min;
  std::vector<std::uint8_t> runs_signal;
  std::vector<std::int64_t> sigma_signal;  ///< number of points outside the 3-sigma limits
  std::vector<Variation> variation;        ///< set on the series' last phase
  std::vector<Assurance> assurance;        ///< set on the series' last phase

  std::size_t size() const { return phase.size(); }
  void resize(std::size_t size);
};

struct Result {
  Spec spec;
  Points points;
  Phases phases;
};

}  // namespace qiscope::spc
