// x_gaps: missing periods seen as steps longer than 1.5 times the series' median step, on small
// series checked by hand.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/error.hpp>
#include <qiscope/spc/gaps.hpp>

using qiscope::spc::x_gaps;

namespace {
using Flags = std::vector<std::uint8_t>;
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST(XGaps, MissingMonthIsFlaggedOnThePointAfterIt) {
  // Months 0 1 2 4 5: steps 1 1 2 1, median 1, so the step of 2 (> 1.5) is a gap.
  const std::vector<double> month{0, 1, 2, 3, 4, 5};
  EXPECT_EQ(x_gaps(std::vector<std::int64_t>(5, 0), std::vector<std::int64_t>{0, 1, 2, 4, 5}, month),
            (Flags{0, 0, 0, 1, 0}));
}

TEST(XGaps, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  // Steps 1 2 2 10: median (2 + 2) / 2 = 2, limit 3: only the step of 10 is a gap.
  const std::vector<double> pos{0, 1, 3, 5, 15};
  EXPECT_EQ(x_gaps(std::vector<std::int64_t>(5, 0), std::vector<std::int64_t>{0, 1, 2, 3, 4}, pos),
            (Flags{0, 0, 0, 0, 1}));
  // Steps 1 1 3 3: median 2, limit 3: a step of exactly 3 is not beyond it.
  const std::vector<double> pos2{0, 1, 2, 5, 8};
  EXPECT_EQ(x_gaps(std::vector<std::int64_t>(5, 0), std::vector<std::int64_t>{0, 1, 2, 3, 4}, pos2),
            (Flags{0, 0, 0, 0, 0}));
}

TEST(XGaps, EachSeriesHasItsOwnTypicalStep) {
  // Series 0 is weekly (steps of 7 with one of 14), series 1 monthly-ish (steps of 30): the
  // 14-day step is a gap in series 0; the first point of series 1 is not compared with series 0.
  const std::vector<double> day{0, 7, 14, 28, 35, 100, 130, 160};
  const std::vector<std::int64_t> series{0, 0, 0, 0, 0, 1, 1, 1};
  const std::vector<std::int64_t> x{0, 1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(x_gaps(series, x, day), (Flags{0, 0, 0, 1, 0, 0, 0, 0}));
}

TEST(XGaps, SharedXAndMissingPositionsAreNotSteps) {
  // Points sharing an x (agg = "none") are one period: steps 0 are not steps, so the median
  // is of 1, 1, 3 and the step of 3 is a gap. A position that is not a number makes no step.
  const std::vector<double> pos{0, 1, 2, 5};
  EXPECT_EQ(x_gaps(std::vector<std::int64_t>(6, 0), std::vector<std::int64_t>{0, 0, 1, 1, 2, 3}, pos),
            (Flags{0, 0, 0, 0, 0, 1}));
  const std::vector<double> with_nan{0, not_a_number, 2, 3, 10};
  // Steps: NaN, NaN, 1, 7: median 4, limit 6: the step of 7 is a gap; the NaN ones are not.
  EXPECT_EQ(x_gaps(std::vector<std::int64_t>(5, 0), std::vector<std::int64_t>{0, 1, 2, 3, 4}, with_nan),
            (Flags{0, 0, 0, 0, 1}));
}

TEST(XGaps, SeriesWithoutStepsAndEmptyInputHaveNoFlags) {
  const std::vector<double> pos{0, 1};
  EXPECT_EQ(x_gaps(std::vector<std::int64_t>{0, 1}, std::vector<std::int64_t>{0, 1}, pos), (Flags{0, 0}));
  EXPECT_TRUE(x_gaps({}, {}, {}).empty());
}

TEST(XGaps, FactorIsHonoured) {
  // Steps 1 1 2 1: with a factor of 2 the step of 2 is not beyond twice the median.
  const std::vector<double> month{0, 1, 2, 3, 4, 5};
  EXPECT_EQ(x_gaps(std::vector<std::int64_t>(5, 0), std::vector<std::int64_t>{0, 1, 2, 4, 5}, month, 2.0),
            (Flags{0, 0, 0, 0, 0}));
}

TEST(XGaps, ThreadCountDoesNotChangeFlags) {
  std::vector<std::int64_t> series, x;
  std::vector<double> pos;
  for (std::int64_t k = 0; k < 400; ++k) pos.push_back(static_cast<double>(k * k % 997));
  std::sort(pos.begin(), pos.end());
  for (std::int64_t s = 0; s < 3000; ++s)
    for (std::int64_t k = 0; k < 40; ++k)
      if ((s * 31 + k * 7) % 11 != 0) {  // drop some points: gaps of one or more periods
        series.push_back(s);
        x.push_back((s + k * 3) % 400 < 200 ? k : k + 1);
      }
  const auto one = x_gaps(series, x, pos, 1.5, 1);
  EXPECT_GT(std::count(one.begin(), one.end(), std::uint8_t{1}), 100);  // there are gaps to find
  EXPECT_EQ(x_gaps(series, x, pos, 1.5, 2), one);
  EXPECT_EQ(x_gaps(series, x, pos, 1.5, 7), one);
}

TEST(XGaps, BadInputIsAnInputError) {
  const std::vector<double> pos{0, 1, 2};
  const auto expect_rule = [](auto&& call, const char* field, const char* rule) {
    try {
      call();
      ADD_FAILURE() << "no error for rule " << rule;
    } catch (const qiscope::input_error& e) {
      EXPECT_EQ(e.field(), field);
      EXPECT_EQ(e.rule(), rule);
    }
  };
  expect_rule([&] { x_gaps(std::vector<std::int64_t>{0, 0}, std::vector<std::int64_t>{0}, pos); }, "x", "length");
  expect_rule([&] { x_gaps(std::vector<std::int64_t>{0, 0}, std::vector<std::int64_t>{0, 3}, pos); }, "x", "unknown_x");
  expect_rule([&] { x_gaps(std::vector<std::int64_t>{0, 0}, std::vector<std::int64_t>{0, -1}, pos); }, "x", "unknown_x");
  expect_rule([&] { x_gaps(std::vector<std::int64_t>{1, 0}, std::vector<std::int64_t>{0, 1}, pos); }, "series", "unsorted");
  expect_rule([&] { x_gaps(std::vector<std::int64_t>{0, 0}, std::vector<std::int64_t>{0, 1}, pos, 0.0); }, "factor", "range");
  expect_rule([&] { x_gaps(std::vector<std::int64_t>{0, 0}, std::vector<std::int64_t>{0, 1}, pos, not_a_number); }, "factor", "range");
}
