// Probability limits: qcc 2.7's `confidence.level` (limits.xbar, limits.xbar.one, limits.S,
// limits.p, limits.np, limits.c, limits.u in qcc.R; limits.g in spc.g.R). With a level in
// (0, 1) and tail = (1 - level) / 2, each chart's lcl and ucl are quantiles of its statistic's
// distribution instead of centre ± 3 sigma:
//   xbar, i  centre ± qnorm(1 - tail) · sigma_i            (sigma_i = sigma / sqrt(n_i); i: sigma)
//   s        sigma · sqrt(qchisq(tail | 1 - tail, n_i - 1) / (n_i - 1))   (about sigma, not s̄)
//   np       qbinom(tail, n_i, p̄) and qbinom(tail, n_i, p̄, lower.tail = FALSE); p: those / n_i
//   c        qpois(tail | 1 - tail, c̄); u: qpois(tail | 1 - tail, ū n_i) / n_i
//   g        qgeom(tail | 1 - tail, 1 / m), m the mean number of trials (qcc's g chart)
// A discrete quantile is R's: the smallest count whose cumulative probability reaches the given
// one (Boost's integer_round_up). The 2-sigma columns are left as they are.

#include <cmath>
#include <exception>
#include <string>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>

#include <qiscope/error.hpp>

#include "spc/limits_common.hpp"

namespace qiscope::spc::detail {

namespace {

namespace bm = boost::math;
/// R's discrete quantiles: the smallest x with P(X <= x) >= p.
using RoundUp = bm::policies::policy<bm::policies::discrete_quantile<bm::policies::integer_round_up>>;

/// Runs a Boost quantile; a distribution Boost cannot invert (parameters far beyond any data)
/// is bad input for this option, not a crash.
template <class F>
ProbabilityLimits guarded(std::int64_t row, F quantiles) {
  try {
    return quantiles();
  } catch (const std::exception& e) {
    throw input_error("confidence_level", row, "quantile",
                      std::string("the probability limits cannot be computed here: ") + e.what());
  }
}

}  // namespace

double probability_tail(const Context& ctx) {
  return ctx.spec.confidence_level ? (1 - *ctx.spec.confidence_level) / 2 : nan;
}

void set_probability_limits(Points& p, std::size_t i, ProbabilityLimits limits) {
  p.lcl[i] = limits.lower;
  p.ucl[i] = limits.upper;
}

double normal_multiple(double tail) {
  // qcc: nsigmas <- qnorm(1 - (1 - conf)/2), the lower-tail quantile of 1 - tail.
  return bm::quantile(bm::normal(), 1 - tail);
}

ProbabilityLimits sd_limits(double sigma, double n, double tail, std::int64_t row) {
  if (!(n >= 2) || !std::isfinite(sigma)) return {nan, nan};
  return guarded(row, [&]() -> ProbabilityLimits {
    const bm::chi_squared dist(n - 1);
    return {sigma * std::sqrt(bm::quantile(dist, tail) / (n - 1)),
            sigma * std::sqrt(bm::quantile(dist, 1 - tail) / (n - 1))};
  });
}

ProbabilityLimits binomial_limits(double n, double p, double tail, std::int64_t row) {
  if (!(n > 0) || !(p >= 0 && p <= 1)) return {nan, nan};
  if (n != std::floor(n))
    throw input_error("n", row, "integer",
                      "is " + std::to_string(n) + "; binomial probability limits (confidence_level) "
                      "need a whole number of cases");
  if (p == 0) return {0, 0};
  if (p == 1) return {n, n};
  return guarded(row, [&]() -> ProbabilityLimits {
    const bm::binomial_distribution<double, RoundUp> dist(n, p);
    // qcc: qbinom(tail, n, p) and qbinom(tail, n, p, lower.tail = FALSE).
    return {bm::quantile(dist, tail), bm::quantile(bm::complement(dist, tail))};
  });
}

ProbabilityLimits poisson_limits(double mean, double tail, std::int64_t row) {
  if (!(mean >= 0) || !std::isfinite(mean)) return {nan, nan};
  if (mean == 0) return {0, 0};  // no events expected: R's qpois(q, 0) is 0
  return guarded(row, [&]() -> ProbabilityLimits {
    const bm::poisson_distribution<double, RoundUp> dist(mean);
    return {bm::quantile(dist, tail), bm::quantile(dist, 1 - tail)};
  });
}

ProbabilityLimits geometric_limits(double mean_trials, double tail, std::int64_t row) {
  if (!(mean_trials >= 1) || !std::isfinite(mean_trials)) return {nan, nan};
  if (mean_trials == 1) return {0, 0};  // an event at every trial: no failures before it
  return guarded(row, [&]() -> ProbabilityLimits {
    // Geometric = negative binomial with one success (Boost's geometric quantile is not
    // rounded to whole counts).
    const bm::negative_binomial_distribution<double, RoundUp> dist(1, 1 / mean_trials);
    return {bm::quantile(dist, tail), bm::quantile(dist, 1 - tail)};
  });
}

}  // namespace qiscope::spc::detail
