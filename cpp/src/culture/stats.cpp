#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <qiscope/error.hpp>

#include "stats.hpp"

namespace qiscope::culture::detail {

namespace bm = boost::math;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double z_for(double conf_level) {
  if (!(conf_level > 0 && conf_level < 1))
    throw input_error("conf_level", -1, "range", "must lie strictly between 0 and 1");
  return bm::quantile(bm::complement(bm::normal_distribution<double>(), (1 - conf_level) / 2));
}

std::pair<double, double> wilson(double x, double n, double z) {
  if (!(n > 0)) return {nan, nan};
  const double p = x / n;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  // At p = 0 or 1 one limit is exactly 0 or 1 (the formula gives it up to rounding).
  const double lo = x <= 0 ? 0.0 : std::max(0.0, centre - half);
  const double hi = x >= n ? 1.0 : std::min(1.0, centre + half);
  return {lo, hi};
}

std::pair<double, double> feldt(double alpha, double n, double k, double conf_level) {
  const double df1 = n - 1;
  const double df2 = (n - 1) * (k - 1);
  if (!(df1 > 0 && df2 > 0) || !std::isfinite(alpha)) return {nan, nan};
  const bm::fisher_f_distribution<double> f(df1, df2);
  const double g = 1 - conf_level;
  return {1 - (1 - alpha) * bm::quantile(f, 1 - g / 2), 1 - (1 - alpha) * bm::quantile(f, g / 2)};
}

double f_quantile(double p, double df1, double df2) {
  if (!(df1 > 0 && df2 > 0)) return nan;
  return bm::quantile(bm::fisher_f_distribution<double>(df1, df2), p);
}

double t_two_sided_p(double t, double df) {
  if (!std::isfinite(t) || !(df > 0)) return nan;
  return 2 * bm::cdf(bm::complement(bm::students_t_distribution<double>(df), std::abs(t)));
}

double t_quantile(double conf_level, double df) {
  if (!(df > 0)) return nan;
  return bm::quantile(bm::complement(bm::students_t_distribution<double>(df), (1 - conf_level) / 2));
}

double normal_upper(double z) { return bm::cdf(bm::complement(bm::normal_distribution<double>(), z)); }

double signrank_cdf(double v, int n) {
  // counts[s] = number of subsets of {1..n} whose sum is s; all 2^n subsets equally likely.
  const int total = n * (n + 1) / 2;
  std::vector<double> counts(static_cast<std::size_t>(total) + 1, 0.0);
  counts[0] = 1;
  for (std::size_t r = 1; r <= static_cast<std::size_t>(n); ++r)
    for (std::size_t s = r * (r + 1) / 2; s >= r; --s) counts[s] += counts[s - r];
  const double limit = std::floor(v + 1e-7);
  if (limit < 0) return 0;
  double below = 0;
  for (int s = 0; s <= std::min<double>(limit, total); ++s) below += counts[static_cast<std::size_t>(s)];
  return below / std::ldexp(1.0, n);
}

double mcnemar_exact_p(std::int64_t b, std::int64_t c) {
  const std::int64_t m = b + c;
  if (m == 0) return 1.0;
  const bm::binomial_distribution<double> dist(static_cast<double>(m), 0.5);
  return std::min(1.0, 2 * bm::cdf(dist, static_cast<double>(std::min(b, c))));
}

std::pair<double, double> newcombe_paired(std::int64_t a_, std::int64_t b_, std::int64_t c_, std::int64_t d_,
                                          double z) {
  const auto a = static_cast<double>(a_), b = static_cast<double>(b_), c = static_cast<double>(c_),
             d = static_cast<double>(d_);
  const double n = a + b + c + d;
  if (!(n > 0)) return {nan, nan};
  const double p1 = (a + b) / n;
  const double p2 = (a + c) / n;
  const auto [l1, u1] = wilson(a + b, n, z);
  const auto [l2, u2] = wilson(a + c, n, z);
  // phi of the 2x2 table with Newcombe's correction: ad - bc is reduced by n/2 towards 0 when
  // positive (and set to 0 when that crosses 0); phi = 0 when a margin is empty.
  const double margins = (a + b) * (c + d) * (a + c) * (b + d);
  double phi = 0;
  if (margins > 0) {
    const double cross = a * d - b * c;
    const double corrected = cross > n / 2 ? cross - n / 2 : (cross < 0 ? cross : 0.0);
    phi = corrected / std::sqrt(margins);
  }
  // Square-and-add: each limit combines the distances to the two Wilson limits, less their
  // covariance through phi.
  auto combine = [phi](double x, double y) { return std::sqrt(std::max(0.0, x * x - 2 * phi * x * y + y * y)); };
  const double delta = p1 - p2;
  const double dl = combine(p1 - l1, u2 - p2);
  const double du = combine(p2 - l2, u1 - p1);
  return {std::max(-1.0, delta - dl), std::min(1.0, delta + du)};
}

}  // namespace qiscope::culture::detail
