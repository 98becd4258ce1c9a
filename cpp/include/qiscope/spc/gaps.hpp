#pragma once
/// \file gaps.hpp
/// Periods missing from a series. A month with no row at all cannot be kept as a gap (there is
/// nothing to keep), but it can be seen: `x_gaps` flags each point whose step from the previous
/// point of its series is more than `factor` times the series' median step.

#include <cstdint>
#include <span>
#include <vector>

namespace qiscope::spc {

/// The factor of the median step beyond which a step is a gap (qiscope's default).
inline constexpr double default_gap_factor = 1.5;

/// For each point, whether a longer step than usual precedes it (1) or not (0).
///
/// The points are given as compute() returns them: `series` and `x` (codes into
/// `x_position`, the position of each x label on its axis: days, months, numbers), ordered by
/// series and then x, each series one run of equal codes. A step is the difference of the
/// positions of a point and the previous point of its series; a step that is not positive
/// (points sharing an x, which are one period) or not a number is not a step, and its point is
/// not flagged. The typical step is the median of a series' steps (the mean of the middle two
/// for an even count). Series run in parallel; the result does not depend on `n_threads`.
/// Throws input_error for columns of different lengths, series out of order or x codes
/// outside `x_position`.
std::vector<std::uint8_t> x_gaps(std::span<const std::int64_t> series, std::span<const std::int64_t> x,
                                 std::span<const double> x_position, double factor = default_gap_factor,
                                 int n_threads = 0);

}  // namespace qiscope::spc
