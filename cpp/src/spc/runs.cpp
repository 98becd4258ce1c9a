// Critical values of the run-chart tests.

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/binomial.hpp>

#include <qiscope/spc/runs.hpp>

namespace qiscope::spc {

std::int64_t longest_run_max(std::int64_t n_useful) {
  if (n_useful < 1) return -1;
  return static_cast<std::int64_t>(std::nearbyint(std::log2(static_cast<double>(n_useful)))) + 3;
}

std::int64_t crossings_min(std::int64_t n_useful) {
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

namespace {
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
}  // namespace

std::pair<std::int64_t, std::int64_t> ihi_runs_range(std::int64_t n_useful) {
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

}  // namespace qiscope::spc
