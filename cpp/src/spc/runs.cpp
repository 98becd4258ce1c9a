// Critical values of the run-chart tests.

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <vector>

#include <boost/math/distributions/binomial.hpp>

#include <qiscope/spc/runs.hpp>

namespace qiscope::spc {

std::int64_t longest_run_max(std::int64_t n_useful) {
  if (n_useful < 1) return -1;
  return static_cast<std::int64_t>(std::nearbyint(std::log2(static_cast<double>(n_useful)))) + 3;
}

namespace {
/// Memo of a critical value by number of useful points: a batch of many series asks for the
/// same few n over and over. One table per thread, so no locking and no shared state.
template <auto compute>
auto memoised(std::int64_t n) {
  using Value = decltype(compute(n));
  constexpr std::int64_t size = 4096;
  if (n < 0 || n >= size) return compute(n);
  thread_local std::vector<std::optional<Value>> table(static_cast<std::size_t>(size));
  auto& slot = table[static_cast<std::size_t>(n)];
  if (!slot) slot = compute(n);
  return *slot;
}

std::int64_t crossings_min_uncached(std::int64_t n_useful);
std::pair<std::int64_t, std::int64_t> ihi_runs_range_uncached(std::int64_t n_useful);
}  // namespace

std::int64_t crossings_min(std::int64_t n_useful) {
  return memoised<crossings_min_uncached>(n_useful);
}

std::pair<std::int64_t, std::int64_t> ihi_runs_range(std::int64_t n_useful) {
  return memoised<ihi_runs_range_uncached>(n_useful);
}

namespace {
std::int64_t crossings_min_uncached(std::int64_t n_useful) {
  if (n_useful < 1) return -1;
  // R's qbinom(0.05, n - 1, 0.5): the smallest k with P(X <= k) >= 0.05.
  // Start from the normal approximation and step to the exact answer: a few cdf evaluations
  // instead of one per k (this runs once per phase, thousands of times in a batch).
  const double m = static_cast<double>(n_useful - 1);
  const boost::math::binomial_distribution<double> crossings(m, 0.5);
  auto cdf = [&](std::int64_t k) { return boost::math::cdf(crossings, static_cast<double>(k)); };
  std::int64_t k = std::max<std::int64_t>(0, static_cast<std::int64_t>(m / 2 - 1.6448536269514722 * std::sqrt(m) / 2));
  while (k > 0 && cdf(k - 1) >= 0.05) --k;
  while (cdf(k) < 0.05) ++k;
  return k;
}

double log_choose(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}
/// P(R = r) for n1 points of one kind and n2 of the other, in random order.
double runs_probability(std::int64_t r, std::int64_t n1, std::int64_t n2) {
  const double total = log_choose(static_cast<double>(n1 + n2), static_cast<double>(n1));
  const double a = static_cast<double>(n1 - 1), b = static_cast<double>(n2 - 1);
  if (r % 2 == 0) {
    const double k = static_cast<double>(r / 2);
    if (k - 1 > a || k - 1 > b) return 0;
    return 2 * std::exp(log_choose(a, k - 1) + log_choose(b, k - 1) - total);
  }
  const double k = static_cast<double>((r - 1) / 2);
  double p = 0;
  if (k <= a && k - 1 <= b) p += std::exp(log_choose(a, k) + log_choose(b, k - 1) - total);
  if (k - 1 <= a && k <= b) p += std::exp(log_choose(a, k - 1) + log_choose(b, k) - total);
  return p;
}
std::pair<std::int64_t, std::int64_t> ihi_runs_range_uncached(std::int64_t n_useful) {
  if (n_useful < 10) return {-1, -1};
  const std::int64_t n1 = n_useful / 2, n2 = n_useful - n1;
  const std::int64_t max_runs = 2 * std::min(n1, n2) + (n1 == n2 ? 0 : 1);
  constexpr double tail = 0.025;
  // lower: the smallest r with P(R <= r) > 2.5%; upper: the largest r with P(R >= r) > 2.5%.
  std::int64_t lower = 2;
  for (double cum = 0; lower <= max_runs; ++lower) {
    cum += runs_probability(lower, n1, n2);
    if (cum > tail) break;
  }
  std::int64_t upper = max_runs;
  for (double cum = 0; upper >= 2; --upper) {
    cum += runs_probability(upper, n1, n2);
    if (cum > tail) break;
  }
  return {lower, upper};
}
}  // namespace

namespace {

/// Best-box and cut-box critical values for n = 10..100 useful points, from Anhøj &
/// Wentzel-Larsen (2020), "Smooth run chart rules", PLoS ONE 15(6):e0233920 (the table that
/// qicharts2 0.8.1 uses). cb / lb: the fewest crossings and the longest run of the best box;
/// cbord / lbord: the border cells that the cut box adds back (0: none for that n).
struct BoxLimits {
  std::int8_t cb, lb, cbord, lbord;
};
constexpr std::array<BoxLimits, 91> box_limits{{
    {2, 6, 3, 5},    {3, 7, 4, 6},    {3, 6, 0, 0},    {3, 6, 0, 0},    {3, 6, 0, 0},
    {4, 7, 6, 6},    {5, 8, 6, 7},    {5, 7, 0, 0},    {5, 7, 6, 6},    {5, 7, 6, 5},
    {6, 7, 0, 0},    {7, 8, 0, 0},    {6, 7, 7, 6},    {6, 7, 7, 6},    {6, 7, 7, 6},
    {6, 7, 0, 0},    {9, 9, 10, 7},   {9, 8, 10, 7},   {9, 8, 11, 7},   {10, 8, 0, 0},
    {11, 10, 12, 9}, {11, 9, 14, 8},  {11, 8, 0, 0},   {11, 8, 12, 7},  {11, 8, 13, 7},
    {12, 8, 0, 0},   {13, 9, 15, 8},  {14, 10, 0, 0},  {13, 8, 0, 0},   {15, 11, 0, 0},
    {15, 9, 0, 0},   {15, 9, 17, 8},  {14, 8, 0, 0},   {14, 8, 0, 0},   {17, 10, 0, 0},
    {17, 9, 0, 0},   {17, 9, 19, 8},  {17, 9, 20, 7},  {19, 12, 20, 11}, {19, 10, 21, 9},
    {19, 9, 0, 0},   {19, 9, 21, 8},  {19, 9, 21, 7},  {21, 11, 23, 9}, {21, 10, 23, 8},
    {21, 9, 0, 0},   {21, 9, 23, 8},  {23, 12, 25, 11}, {23, 10, 24, 9}, {23, 10, 26, 8},
    {23, 9, 0, 0},   {23, 9, 24, 8},  {25, 11, 27, 9}, {25, 10, 27, 9}, {26, 11, 27, 10},
    {26, 10, 27, 9}, {27, 12, 29, 10}, {27, 10, 0, 0}, {27, 10, 29, 8}, {28, 11, 29, 8},
    {29, 14, 30, 13}, {29, 11, 31, 9}, {29, 10, 30, 9}, {30, 11, 31, 10}, {30, 10, 0, 0},
    {31, 12, 32, 9}, {31, 11, 34, 8}, {31, 10, 33, 9}, {32, 11, 33, 8}, {33, 13, 37, 11},
    {33, 11, 35, 9}, {33, 10, 0, 0}, {34, 11, 36, 10}, {33, 10, 36, 7}, {35, 11, 0, 0},
    {35, 11, 38, 8}, {35, 10, 36, 9}, {35, 10, 38, 8}, {37, 12, 38, 10}, {37, 11, 39, 9},
    {38, 12, 0, 0},  {37, 10, 39, 9}, {39, 13, 41, 12}, {39, 11, 40, 10}, {39, 11, 42, 8},
    {39, 10, 0, 0},  {39, 10, 41, 8}, {41, 12, 42, 9}, {41, 11, 44, 9}, {42, 12, 43, 10},
    {41, 10, 42, 9}}};

}  // namespace

bool runs_signal(RunsMethod method, std::int64_t n, std::int64_t crossings, std::int64_t longest) {
  if (n < 1) return false;
  if (method == RunsMethod::anhoej || n < 10 || n > 100)
    return longest > longest_run_max(n) || crossings < crossings_min(n);
  const BoxLimits& b = box_limits[static_cast<std::size_t>(n - 10)];
  const bool inside_box = crossings >= b.cb && longest <= b.lb;
  if (method == RunsMethod::bestbox || b.cbord == 0) return !inside_box;
  // Cut box: the best box with its corner cut off, plus the border cells of the table.
  const bool inner = crossings >= b.cb + 1 && longest <= b.lb - 1;
  const bool lower_border = crossings == b.cb && longest <= b.lbord;
  const bool right_border = crossings >= b.cbord && longest <= b.lb;
  return !(inner || lower_border || right_border);
}

}  // namespace qiscope::spc
