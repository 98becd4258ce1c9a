// Many series at once: the row order (counting sort or comparison sort), the thread count and
// the memory-saving paths must never change a result.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>

#include "shuffled_rows.hpp"

using namespace qiscope::spc;

namespace {

/// Rows of `series` series with `points` x values each and `per_point` rows per x, shuffled.
/// Values are integers so that sums do not depend on the order rows are added in.
struct Rows {
  std::vector<double> y, n;
  std::vector<std::int64_t> series, x;

  Rows(std::size_t series_count, std::size_t points, std::size_t per_point, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> size(20, 200);
    for (std::size_t s = 0; s < series_count; ++s)
      for (std::size_t i = 0; i < points; ++i)
        for (std::size_t k = 0; k < per_point; ++k) {
          const int cases = size(rng);
          series.push_back(static_cast<std::int64_t>(s));
          x.push_back(static_cast<std::int64_t>(i));
          n.push_back(cases);
          y.push_back(std::binomial_distribution<int>(cases, 0.2)(rng));
        }
    qiscope::testing::shuffle_rows(rng, y, n, series, x);
  }

  Observations observations() const {
    Observations obs;
    obs.y = y;
    obs.n = n;
    obs.series = series;
    obs.x = x;
    return obs;
  }
};

/// `rows` sorted by (series, x), as most inputs arrive.
Rows sorted_copy(const Rows& rows) {
  std::vector<std::size_t> perm(rows.y.size());
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  std::stable_sort(perm.begin(), perm.end(), [&](std::size_t a, std::size_t b) {
    return rows.series[a] != rows.series[b] ? rows.series[a] < rows.series[b] : rows.x[a] < rows.x[b];
  });
  Rows sorted = rows;
  for (std::size_t r = 0; r < perm.size(); ++r) {
    sorted.y[r] = rows.y[perm[r]];
    sorted.n[r] = rows.n[perm[r]];
    sorted.series[r] = rows.series[perm[r]];
    sorted.x[r] = rows.x[perm[r]];
  }
  return sorted;
}

/// Bitwise equality of two double columns (NaN equals NaN).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void expect_identical(const Result& a, const Result& b) {
  const auto& p = a.points;
  const auto& q = b.points;
  EXPECT_EQ(p.series, q.series);
  EXPECT_EQ(p.x, q.x);
  EXPECT_EQ(p.row, q.row);
  EXPECT_EQ(p.y_count, q.y_count);
  for (auto col : {&Points::y, &Points::n, &Points::value, &Points::value_lower, &Points::cl, &Points::lcl,
                   &Points::ucl, &Points::lcl_95, &Points::ucl_95})
    EXPECT_TRUE(same_bits(p.*col, q.*col));
  EXPECT_EQ(p.phase, q.phase);
  EXPECT_EQ(p.sigma_signal, q.sigma_signal);
  EXPECT_EQ(p.runs_signal, q.runs_signal);
  EXPECT_EQ(p.signal_member, q.signal_member);
  EXPECT_EQ(p.special_cause, q.special_cause);
  EXPECT_EQ(p.rules, q.rules);
  EXPECT_EQ(p.point_type, q.point_type);
  EXPECT_EQ(a.phases.longest_run, b.phases.longest_run);
  EXPECT_EQ(a.phases.n_crossings, b.phases.n_crossings);
  EXPECT_EQ(a.phases.variation, b.phases.variation);
  EXPECT_TRUE(same_bits(a.phases.cl, b.phases.cl));
}

}  // namespace

TEST(Scale, CountingSortAndComparisonSortAgree) {
  // Dense x codes take the counting sort; the same x spread over a huge range cannot, and
  // take std::stable_sort. Both must put rows (and rows sharing an x) in the same order.
  const Rows dense(40, 25, 3, 1);
  Rows sparse = dense;
  for (auto& x : sparse.x) x = x * 1'000'000'000'000 - 5;
  for (Chart chart : {Chart::p, Chart::u, Chart::i, Chart::run}) {
    Spec spec;
    spec.chart = chart;
    spec.rules = RuleSet::ihi;
    const Result a = compute(dense.observations(), spec);
    const Result b = compute(sparse.observations(), spec);
    ASSERT_EQ(a.points.size(), 40u * 25u);
    EXPECT_EQ(a.points.row, b.points.row);
    for (std::size_t i = 0; i < a.points.size(); ++i) EXPECT_EQ(a.points.x[i] * 1'000'000'000'000 - 5, b.points.x[i]);
    EXPECT_TRUE(same_bits(a.points.value, b.points.value));
    EXPECT_TRUE(same_bits(a.points.ucl, b.points.ucl));
    EXPECT_EQ(a.points.special_cause, b.points.special_cause);
  }
}

TEST(Scale, RowsOfAPointAreSummedInInputOrder) {
  // Point (series 0, x 0) has rows 0, 2 and 3. Floating-point addition is not associative:
  // 1e16 + 1 - 1e16 is 0 in input order, but 1 had -1e16 been added before 1.
  std::vector<double> y{1e16, 5, 1, -1e16, 7};
  std::vector<std::int64_t> series{0, 1, 0, 0, 1}, x{0, 0, 0, 0, 1};
  Observations obs;
  obs.y = y;
  obs.series = series;
  obs.x = x;
  Spec spec;
  spec.chart = Chart::run;
  spec.agg = Aggregate::sum;
  const Result r = compute(obs, spec);
  ASSERT_EQ(r.points.size(), 3u);
  EXPECT_EQ(r.points.y[0], 0.0);  // input order, as R's sum over the rows
  EXPECT_EQ(r.points.row[0], 0);
  EXPECT_EQ(r.points.row[1], 1);
  EXPECT_EQ(r.points.row[2], 4);
}

TEST(Scale, ThreadCountDoesNotChangeResults) {
  const Rows rows(300, 30, 1, 2);
  for (Chart chart : {Chart::p, Chart::i, Chart::xbar}) {
    Spec spec;
    spec.chart = chart;
    Observations obs = rows.observations();
    if (chart == Chart::xbar) obs.n = {};
    spec.n_threads = 1;
    const Result one = compute(obs, spec);
    for (int threads : {2, 3, 8}) {
      spec.n_threads = threads;
      expect_identical(one, compute(obs, spec));
    }
  }
}

TEST(Scale, SortedAndShuffledInputAgree) {
  // A sorted input takes no stored order; the same rows shuffled take the sort.
  const Rows shuffled(50, 20, 1, 3);
  const Rows sorted = sorted_copy(shuffled);
  Spec spec;
  spec.chart = Chart::u;
  const Result a = compute(shuffled.observations(), spec);
  const Result b = compute(sorted.observations(), spec);
  EXPECT_TRUE(same_bits(a.points.value, b.points.value));
  EXPECT_TRUE(same_bits(a.points.lcl, b.points.lcl));
  EXPECT_EQ(a.points.special_cause, b.points.special_cause);
  for (std::size_t i = 0; i < a.points.size(); ++i) EXPECT_EQ(static_cast<std::size_t>(b.points.row[i]), i);
}

TEST(Scale, PassesOverRowsInParallelRangesAgree) {
  // 160,000 rows, two a point: the passes over the rows (checks, the sortedness test, where
  // points and series start) run in ranges of 65,536 rows on several threads.
  const Rows shuffled(2000, 40, 2, 5);
  const Rows sorted = sorted_copy(shuffled);
  Spec spec;
  spec.chart = Chart::p;
  spec.n_threads = 1;
  const Result one = compute(sorted.observations(), spec);
  ASSERT_EQ(one.points.size(), 2000u * 40u);
  EXPECT_EQ(one.phases.size(), 2000u);
  for (int threads : {2, 3, 8}) {
    spec.n_threads = threads;
    expect_identical(one, compute(sorted.observations(), spec));
  }
  // In two batches, the first long enough for its columns to be copied out in parallel.
  PointColumns batches;
  batches.batch_points = 70000;
  expect_identical(one, compute(sorted.observations(), spec, batches));
  // The same rows shuffled: the same points (sums of integers do not depend on the order).
  const Result from_shuffled = compute(shuffled.observations(), spec);
  EXPECT_TRUE(same_bits(one.points.value, from_shuffled.points.value));
  EXPECT_TRUE(same_bits(one.points.ucl, from_shuffled.points.ucl));
  EXPECT_EQ(one.points.special_cause, from_shuffled.points.special_cause);

  // One pair out of order exactly where two ranges meet must still be seen as unsorted.
  Rows swapped = sorted;
  const std::size_t edge = std::size_t{1} << 16;
  ASSERT_NE(swapped.x[edge - 1], swapped.x[edge]);
  for (auto* column : {&swapped.y, &swapped.n}) std::swap((*column)[edge - 1], (*column)[edge]);
  for (auto* column : {&swapped.series, &swapped.x}) std::swap((*column)[edge - 1], (*column)[edge]);
  const Result from_swapped = compute(swapped.observations(), spec);
  EXPECT_TRUE(same_bits(one.points.value, from_swapped.points.value));
  EXPECT_EQ(one.points.special_cause, from_swapped.points.special_cause);
}

TEST(Scale, TheFirstBadRowIsReportedWhateverTheThreads) {
  // Bad rows in two different ranges of the parallel checks: the lower one is named.
  std::vector<double> y(200000, 3.0);
  y[150000] = std::numeric_limits<double>::infinity();
  y[70000] = -1.0;
  Spec spec;
  spec.chart = Chart::c;
  Observations obs;
  obs.y = y;
  for (int threads : {1, 2, 8}) {
    spec.n_threads = threads;
    try {
      compute(obs, spec);
      ADD_FAILURE() << "no error with " << threads << " threads";
    } catch (const qiscope::input_error& e) {
      EXPECT_EQ(e.row(), 70000) << threads << " threads";
      EXPECT_EQ(e.rule(), "non_negative");
    }
  }
}
