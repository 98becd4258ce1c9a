// confidence_level: qcc 2.7's probability limits (limits.xbar, limits.xbar.one, limits.S,
// limits.p, limits.np, limits.c, limits.u, limits.g). The quantiles are computed here without
// Boost: discrete ones by summing the probability mass function until the cumulative
// probability reaches the target (R's definition), continuous ones by bisection of the CDF
// (std::erfc for the normal, the series of the regularized incomplete gamma for chi-squared).
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/io/json.hpp>
#include <qiscope/qiscope.hpp>

using namespace qiscope::spc;

namespace {

const double level = 0.9;
const double tail = (1 - level) / 2;

template <class Cdf>
double bisect(Cdf cdf, double target, double lo, double hi) {
  for (int k = 0; k < 200; ++k) {
    const double mid = (lo + hi) / 2;
    (cdf(mid) < target ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

double qnorm(double q) {
  return bisect([](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }, q, -40, 40);
}

/// Regularized lower incomplete gamma P(a, x) by its series.
double gamma_p(double a, double x) {
  if (x <= 0) return 0;
  double term = 1 / a, sum = term;
  for (int n = 1; n < 10000 && term > sum * 1e-17; ++n) {
    term *= x / (a + n);
    sum += term;
  }
  return sum * std::exp(a * std::log(x) - x - std::lgamma(a));
}

double qchisq(double q, double df) {
  return bisect([df](double x) { return gamma_p(df / 2, x / 2); }, q, 0, 1000);
}

/// Smallest x with sum_{k <= x} pmf(k) >= q (lower) and with sum_{k > x} pmf(k) <= q (upper).
template <class Pmf>
double lower_quantile(Pmf pmf, double q) {
  double cdf = 0;
  for (int x = 0;; ++x) {
    cdf += pmf(x);
    if (cdf >= q) return x;
  }
}
template <class Pmf>
double upper_quantile(Pmf pmf, double q) {
  double cdf = 0;
  for (int x = 0;; ++x) {
    cdf += pmf(x);
    if (1 - cdf <= q) return x;
  }
}

auto binomial_pmf(double n, double p) {
  return [=](int k) {
    if (k > n) return 0.0;
    return std::exp(std::lgamma(n + 1) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1) +
                    k * std::log(p) + (n - k) * std::log1p(-p));
  };
}
auto poisson_pmf(double mean) {
  return [=](int k) { return std::exp(k * std::log(mean) - mean - std::lgamma(k + 1.0)); };
}

Spec qcc(Chart chart) {
  Spec spec;
  spec.chart = chart;
  spec.profile = Profile::qcc;
  spec.rules = RuleSet::western_electric;  // qcc's rules 1 and 4: no sigma zones
  spec.confidence_level = level;
  return spec;
}

Result run(const Spec& spec, const std::vector<double>& y, const std::vector<double>& n = {},
           const std::vector<std::int64_t>& x = {}) {
  Observations obs;
  obs.y = y;
  obs.n = n;
  obs.x = x;
  return compute(obs, spec);
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

}  // namespace

TEST(ProbabilityLimits, IndependentQuantilesAgreeWithKnownValues) {
  EXPECT_NEAR(qnorm(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(qchisq(0.95, 4), 9.487729036781154, 1e-9);  // tables
  EXPECT_EQ(lower_quantile(binomial_pmf(10, 0.5), 0.05), 2);  // P(X <= 1) = 0.0107, P(X <= 2) = 0.0547
}

TEST(ProbabilityLimits, IndividualsAndXbarUseTheNormalQuantile) {
  const std::vector<double> y{5, 3, 4, 6, 2, 5, 4, 3, 6, 5};
  const Result i = run(qcc(Chart::i), y);
  double mr = 0;
  for (std::size_t k = 1; k < y.size(); ++k) mr += std::abs(y[k] - y[k - 1]);
  const double sigma = mr / 9 / 1.128, z = qnorm(1 - tail);
  EXPECT_NEAR(i.points.ucl[0], mean(y) + z * sigma, 1e-9);
  EXPECT_NEAR(i.points.lcl[0], mean(y) - z * sigma, 1e-9);
  EXPECT_NEAR(i.points.ucl_95[0], mean(y) + 2 * sigma, 1e-12);  // 2 sigma as before

  // Xbar: subgroups of 3, 2, 3; qcc's UWAVE-R sigma, limits centre ± z sigma / sqrt(n_i).
  const std::vector<double> rows{1, 2, 4, 3, 5, 2, 2, 6};
  const std::vector<std::int64_t> x{0, 0, 0, 1, 1, 2, 2, 2};
  const Result xbar = run(qcc(Chart::xbar), rows, {}, x);
  const double s = (3 / 1.693 + 2 / 1.128 + 4 / 1.693) / 3, centre = mean(rows);
  EXPECT_NEAR(xbar.points.ucl[0], centre + z * s / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(xbar.points.lcl[1], centre - z * s / std::sqrt(2.0), 1e-9);
}

TEST(ProbabilityLimits, SChartUsesChiSquaredQuantilesOfSigma) {
  const std::vector<double> rows{1, 2, 4, 3, 5, 2, 2, 6, 7, 1, 3, 3};
  const std::vector<std::int64_t> x{0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3};
  const Result r = run(qcc(Chart::s), rows, {}, x);
  const std::vector<std::vector<double>> groups{{1, 2, 4}, {3, 5}, {2, 2, 6, 7}, {1, 3, 3}};
  double sigma = 0;
  for (const auto& g : groups) {
    const double n = static_cast<double>(g.size()), m = mean(g);
    double ss = 0;
    for (double v : g) ss += (v - m) * (v - m);
    const double c4 = std::sqrt(2 / (n - 1)) * std::tgamma(n / 2) / std::tgamma((n - 1) / 2);
    sigma += std::sqrt(ss / (n - 1)) / c4 / 4;
  }
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const double df = static_cast<double>(groups[k].size() - 1);
    EXPECT_NEAR(r.points.lcl[k], sigma * std::sqrt(qchisq(tail, df) / df), 1e-9) << k;
    EXPECT_NEAR(r.points.ucl[k], sigma * std::sqrt(qchisq(1 - tail, df) / df), 1e-9) << k;
  }
}

TEST(ProbabilityLimits, BinomialChartsUseQbinom) {
  const std::vector<double> y{3, 5, 2, 8, 4, 6}, n{40, 50, 30, 60, 50, 45};
  const double pbar = 28.0 / 275;
  const Result np = run(qcc(Chart::np), y, n);
  const Result p = run(qcc(Chart::p), y, n);
  for (std::size_t k = 0; k < y.size(); ++k) {
    const double lo = lower_quantile(binomial_pmf(n[k], pbar), tail);
    const double hi = upper_quantile(binomial_pmf(n[k], pbar), tail);
    EXPECT_EQ(np.points.lcl[k], lo) << k;
    EXPECT_EQ(np.points.ucl[k], hi) << k;
    EXPECT_DOUBLE_EQ(p.points.lcl[k], lo / n[k]) << k;
    EXPECT_DOUBLE_EQ(p.points.ucl[k], hi / n[k]) << k;
  }
  // Binomial quantiles need whole numbers of cases.
  try {
    run(qcc(Chart::p), {1, 2}, {10, 10.5});
    ADD_FAILURE() << "no error";
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "n");
    EXPECT_EQ(e.row(), 1);
  }
}

TEST(ProbabilityLimits, PoissonChartsUseQpois) {
  const std::vector<double> y{3, 5, 2, 8, 4, 6};
  const Result c = run(qcc(Chart::c), y);
  const double cbar = 28.0 / 6;
  for (std::size_t k = 0; k < y.size(); ++k) {
    EXPECT_EQ(c.points.lcl[k], lower_quantile(poisson_pmf(cbar), tail));
    EXPECT_EQ(c.points.ucl[k], lower_quantile(poisson_pmf(cbar), 1 - tail));
  }
  const std::vector<double> n{1.5, 2, 1, 3, 2.5, 2};
  const Result u = run(qcc(Chart::u), y, n);
  const double ubar = 28.0 / 12;
  for (std::size_t k = 0; k < y.size(); ++k) {
    EXPECT_DOUBLE_EQ(u.points.lcl[k], lower_quantile(poisson_pmf(ubar * n[k]), tail) / n[k]) << k;
    EXPECT_DOUBLE_EQ(u.points.ucl[k], lower_quantile(poisson_pmf(ubar * n[k]), 1 - tail) / n[k]) << k;
  }
}

TEST(ProbabilityLimits, GChartUsesQgeomOfTheMeanTrials) {
  const std::vector<double> y{12, 3, 25, 7, 1, 40, 9, 15};
  const Result g = run(qcc(Chart::g), y);
  const double prob = 1 / mean(y);
  const auto pmf = [prob](int k) { return prob * std::pow(1 - prob, k); };
  EXPECT_EQ(g.points.lcl[0], lower_quantile(pmf, tail));
  EXPECT_EQ(g.points.ucl[0], lower_quantile(pmf, 1 - tail));
  EXPECT_EQ(g.points.cl[0], mean(y));
}

TEST(ProbabilityLimits, GChartQuantilesAtLargeMeansAreTheSmallestCountReachingTheLevel) {
  // P(X <= x) = 1 - (1 - p)^(x + 1) for the failures before the first success. Means of a
  // billion and of 1e16 trials (a fixed centre line over a tiny multiply; fuzz_engine found
  // that Boost's negative binomial search took minutes there): the lower and upper limits are
  // the smallest counts whose cumulative probability reaches tail and 1 - tail.
  const auto cdf = [](double x, double prob) { return -std::expm1((x + 1) * std::log1p(-prob)); };
  const std::vector<double> y{12, 3, 25, 7, 1, 40, 9, 15};
  Spec spec = qcc(Chart::g);
  spec.multiply = 1e-9;
  spec.cl = 1.0;  // the centre line as plotted: 1e9 trials
  const Result billion = run(spec, y);
  const double prob = 1e-9;
  for (const double q : {tail, 1 - tail}) {
    const double x = (q == tail ? billion.points.lcl[0] : billion.points.ucl[0]) / spec.multiply;
    EXPECT_EQ(x, std::round(x));
    EXPECT_GE(cdf(x, prob), q);
    EXPECT_LT(cdf(x - 1, prob), q);
  }
  spec.multiply = 1e-16;
  spec.cl = 1.0;  // 1e16 trials: x is about -log(1 - q) / prob
  const Result huge = run(spec, y);
  EXPECT_NEAR(huge.points.lcl[0] / spec.multiply, -std::log1p(-tail) * 1e16, 1e16 * 1e-9);
  EXPECT_NEAR(huge.points.ucl[0] / spec.multiply, -std::log(tail) * 1e16, 1e16 * 1e-9);
}

TEST(ProbabilityLimits, WithoutTheOptionNothingChanges) {
  const std::vector<double> y{3, 5, 2, 8, 4, 6};
  Spec spec = qcc(Chart::c);
  spec.confidence_level.reset();
  const Result r = run(spec, y);
  EXPECT_NEAR(r.points.ucl[0], 28.0 / 6 + 3 * std::sqrt(28.0 / 6), 1e-12);
}

TEST(ProbabilityLimits, BadLevelsChartsProfilesAndRulesNameTheOption) {
  const auto rule_of = [](const Spec& spec) {
    try {
      run(spec, {3, 5, 2, 8, 4, 6});
    } catch (const qiscope::input_error& e) {
      return e.field() + "/" + e.rule();
    }
    return std::string("no error");
  };
  for (double bad : {0.0, 1.0, -0.5, 1.5, std::nan("")}) {
    Spec spec = qcc(Chart::c);
    spec.confidence_level = bad;
    EXPECT_EQ(rule_of(spec), "confidence_level/range") << bad;
  }
  for (Chart c : {Chart::run, Chart::mr, Chart::ewma, Chart::t}) {
    Spec spec = qcc(c);
    spec.rules = RuleSet::anhoej;  // the rules run and ewma charts take
    EXPECT_EQ(rule_of(spec), "confidence_level/not_applicable") << to_string(c);
  }
  Spec other = qcc(Chart::c);
  other.profile = Profile::qicharts2;
  EXPECT_EQ(rule_of(other), "confidence_level/profile");
  Spec zones = qcc(Chart::c);
  zones.rule_numbers = {1, 2, 4};
  EXPECT_EQ(rule_of(zones), "confidence_level/sigma_zones");
  zones.rules = RuleSet::nelson;
  zones.rule_numbers = {1, 5};
  EXPECT_EQ(rule_of(zones), "confidence_level/sigma_zones");
  zones.rule_numbers = {1, 2, 3, 4};
  EXPECT_EQ(rule_of(zones), "no error");
  zones.rules = RuleSet::mdc;
  zones.rule_numbers.clear();
  EXPECT_EQ(rule_of(zones), "confidence_level/sigma_zones");
}

TEST(ProbabilityLimits, JsonRoundTrip) {
  const Spec spec = qcc(Chart::np);
  const nlohmann::json j = spec;
  EXPECT_EQ(j.at("confidence_level"), level);
  EXPECT_EQ(j.get<Spec>().confidence_level, level);
  EXPECT_TRUE(nlohmann::json(Spec{}).at("confidence_level").is_null());
  EXPECT_FALSE(nlohmann::json(Spec{}).get<Spec>().confidence_level.has_value());
}
