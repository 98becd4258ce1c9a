// Funnel plots: FunnelPlotR 0.6.0 anchors on synthetic data (shared/design/spc-spec.md §8.4),
// Spiegelhalter's exact limits checked against binomial and Poisson sums done here by hand, and
// the overdispersion formulas recomputed in the test.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>

using namespace qiscope::funnel;

namespace {

// spc-spec.md §8.4: 20 units.
const std::vector<double> numerators{253, 351, 39, 146, 124, 123, 129, 7, 70, 188,
                                     85, 76, 179, 74, 152, 144, 176, 17, 100, 96};
const std::vector<double> denominators{1834, 1877, 608, 1669, 1301, 1062, 1486, 313, 1331, 1425,
                                       943, 1452, 1873, 548, 951, 1883, 1958, 279, 976, 1143};
constexpr std::size_t unit_279 = 17;  // the unit with n = 279 (E = 27.9)

// Normal quantiles for 95% and 99.8%, to 16 digits.
constexpr double z95 = 1.959963984540054;
constexpr double z998 = 3.090232306167813;

std::vector<double> tenth(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v) out.push_back(0.1 * x);
  return out;
}

Result run(const std::vector<double>& y, const std::vector<double>& n, const Spec& spec) {
  Observations obs;
  obs.y = y;
  obs.n = n;
  return compute(obs, spec);
}

Spec with(Kind kind, Profile profile, Overdispersion od) {
  Spec spec;
  spec.kind = kind;
  spec.profile = profile;
  spec.overdispersion = od;
  return spec;
}

/// A column of the limit table at the grid row whose n is `n`.
double at_n(const LimitTable& t, const std::vector<double>& column, double n) {
  const auto it = std::find_if(t.n.begin(), t.n.end(), [&](double g) { return std::abs(g - n) < 1e-9; });
  EXPECT_NE(it, t.n.end()) << "n = " << n << " is not on the grid";
  return column[static_cast<std::size_t>(it - t.n.begin())];
}

/// The §8.4 anchors are printed to 7 significant digits.
void expect_anchor(double actual, double anchor, const char* what) {
  EXPECT_NEAR(actual, anchor, 6e-7 * std::abs(anchor)) << what;
}

double binomial_pmf(int r, int n, double p) {
  return std::exp(std::lgamma(n + 1.0) - std::lgamma(r + 1.0) - std::lgamma(n - r + 1.0) +
                  r * std::log(p) + (n - r) * std::log1p(-p));
}
double poisson_pmf(int r, double mu) { return std::exp(-mu + r * std::log(mu) - std::lgamma(r + 1.0)); }

/// Spiegelhalter's interpolated quantile r - a from an explicit cumulative sum.
template <class Pmf>
double interpolated_by_hand(Pmf pmf, double p) {
  double below = 0;
  for (int r = 0;; ++r) {
    const double at = below + pmf(r);
    if (at >= p) return r - (at - p) / (at - below);
    below = at;
  }
}

double pooled() {
  return std::accumulate(numerators.begin(), numerators.end(), 0.0) /
         std::accumulate(denominators.begin(), denominators.end(), 0.0);
}

}  // namespace

TEST(FunnelPlotR, ProportionPhiTau2AndLimitsAt279) {
  const auto r = run(numerators, denominators, with(Kind::proportion, Profile::funnelplotr, Overdispersion::additive));
  expect_anchor(r.phi, 12.84965, "phi");
  expect_anchor(r.tau2, 0.002537134, "tau2");
  ASSERT_TRUE(r.adjusted);
  ASSERT_EQ(r.units.n[unit_279], 279.0);
  expect_anchor(at_n(r.limits, r.limits.lcl_unadjusted[0], 279), 0.06890061, "LCL95");
  expect_anchor(at_n(r.limits, r.limits.ucl_unadjusted[0], 279), 0.1396144, "UCL95");
  expect_anchor(r.units.lcl[1][unit_279], 0.02036749, "OD99LCL");
  expect_anchor(r.units.ucl[1][unit_279], 0.2343562, "OD99UCL");
}

TEST(FunnelPlotR, NoAdjustmentReportsZeroPhiAndUsesArcsineLimits) {
  const auto r = run(numerators, denominators, with(Kind::proportion, Profile::funnelplotr, Overdispersion::none));
  EXPECT_FALSE(r.adjusted);
  EXPECT_EQ(r.phi, 0.0);
  EXPECT_EQ(r.tau2, 0.0);
  expect_anchor(r.units.lcl[0][unit_279], 0.06890061, "LCL95");
  expect_anchor(r.units.ucl[0][unit_279], 0.1396144, "UCL95");
}

TEST(FunnelPlotR, RatioOfCountsPhiTau2) {
  const auto r = run(numerators, denominators, with(Kind::rate, Profile::funnelplotr, Overdispersion::additive));
  expect_anchor(r.phi, 8.519463, "phi");
  expect_anchor(r.tau2, 0.07092543, "tau2");
}

TEST(FunnelPlotR, StandardisedRatioShmi) {
  const auto r = run(numerators, tenth(denominators), with(Kind::ratio, Profile::funnelplotr, Overdispersion::additive));
  expect_anchor(r.phi, 8.620512, "phi");
  expect_anchor(r.tau2, 0.06519943, "tau2");
  EXPECT_EQ(r.units.n[unit_279], 27.9);  // SHMI rounding to 2 decimals
  // Garwood's chi-squared bounds at O = E, and the log-scale adjusted limits.
  expect_anchor(at_n(r.limits, r.limits.lcl_unadjusted[0], 27.9), 0.6639563, "LCL95");
  expect_anchor(at_n(r.limits, r.limits.ucl_unadjusted[0], 27.9), 1.446219, "UCL95");
  expect_anchor(r.units.lcl[0][unit_279], 0.5363250, "OD95LCL");
  expect_anchor(r.units.ucl[0][unit_279], 1.864541, "OD95UCL");
  // The adjusted limits are exp(+-z sqrt(1/E + tau2)) with FunnelPlotR's z = 1.959964.
  EXPECT_NEAR(r.units.ucl[0][unit_279], std::exp(1.959964 * std::sqrt(1 / 27.9 + r.tau2)), 1e-12);
}

TEST(FunnelPlotR, StandardisedRatioCqcIsNotSquaredBack) {
  auto spec = with(Kind::ratio, Profile::funnelplotr, Overdispersion::additive);
  spec.sr_method = RatioMethod::cqc;
  const auto r = run(numerators, tenth(denominators), spec);
  expect_anchor(r.phi, 11.67448, "phi");
  expect_anchor(r.tau2, 0.02286576, "tau2");
  expect_anchor(r.units.lcl[0][unit_279], 0.6503437, "OD95LCL");
  expect_anchor(r.units.ucl[0][unit_279], 1.349656, "OD95UCL");
}

TEST(FunnelSpiegelhalter, ExactBinomialLimitInterpolatesBetweenCounts) {
  // n = 20, theta = 0.3: cumulative binomial sums by hand.
  for (double p : {0.001, 0.025, 0.5, 0.975, 0.999}) {
    const double by_hand = interpolated_by_hand([](int r) { return binomial_pmf(r, 20, 0.3); }, p) / 20;
    EXPECT_NEAR(exact_binomial_limit(20, 0.3, p), by_hand, 1e-12) << p;
  }
  // Large n: the interpolated limit sits between the normal approximation's neighbours.
  const double by_hand = interpolated_by_hand([](int r) { return binomial_pmf(r, 279, 0.1); }, 0.025) / 279;
  EXPECT_NEAR(exact_binomial_limit(279, 0.1, 0.025), by_hand, 1e-12);
}

TEST(FunnelSpiegelhalter, ExactPoissonLimitInterpolatesBetweenCounts) {
  for (double e : {1.1, 5.5, 27.9}) {
    for (double p : {0.001, 0.025, 0.975, 0.999}) {
      const double by_hand = interpolated_by_hand([&](int r) { return poisson_pmf(r, e); }, p) / e;
      EXPECT_NEAR(exact_poisson_limit(e, 1.0, p), by_hand, 1e-12) << e << " " << p;
    }
  }
}

TEST(FunnelSpiegelhalter, DefaultProportionUsesExactLimitsAtEachUnit) {
  const auto r = run(numerators, denominators, Spec{});
  const double theta = pooled();
  EXPECT_NEAR(r.target, theta, 1e-15);
  const double lower = interpolated_by_hand([&](int k) { return binomial_pmf(k, 279, theta); }, 0.025) / 279;
  const double upper = interpolated_by_hand([&](int k) { return binomial_pmf(k, 279, theta); }, 0.975) / 279;
  EXPECT_NEAR(r.units.lcl[0][unit_279], lower, 1e-12);
  EXPECT_NEAR(r.units.ucl[0][unit_279], upper, 1e-12);
  // phi is estimated even without adjustment, from the same winsorised arcsine z as FunnelPlotR.
  expect_anchor(r.phi, 12.84965, "phi");
  EXPECT_FALSE(r.adjusted);
}

TEST(FunnelSpiegelhalter, MultiplicativeAdjustmentInflatesTheNormalVariance) {
  const auto r = run(numerators, denominators, with(Kind::proportion, Profile::qiscope, Overdispersion::multiplicative));
  ASSERT_TRUE(r.adjusted);
  const double theta = pooled();
  // Spiegelhalter (2005): theta0 +/- z sqrt(phi theta0 (1 - theta0) / n).
  for (std::size_t i = 0; i < numerators.size(); ++i) {
    const double n = denominators[i];
    const double sd = std::sqrt(r.phi * theta * (1 - theta) / n);
    EXPECT_NEAR(r.units.lcl[0][i], std::max(0.0, theta - z95 * sd), 1e-12);
    EXPECT_NEAR(r.units.ucl[0][i], theta + z95 * sd, 1e-12);
    EXPECT_NEAR(r.units.lcl[1][i], std::max(0.0, theta - z998 * sd), 1e-12);
    EXPECT_NEAR(r.units.ucl[1][i], theta + z998 * sd, 1e-12);
  }
}

TEST(FunnelSpiegelhalter, PhiFromWinsorisedArcsineZScores) {
  // Recompute phi, tau2 and the chi-squared p-value here, without winsorising (trim_by = 0).
  Spec spec;
  spec.trim_by = 0;
  const auto r = run(numerators, denominators, spec);
  const double theta = pooled();
  double sum_z2 = 0, sum_w = 0, sum_w2 = 0;
  for (std::size_t i = 0; i < numerators.size(); ++i) {
    const double s = 1 / (2 * std::sqrt(denominators[i]));
    const double z = (std::asin(std::sqrt(numerators[i] / denominators[i])) - std::asin(std::sqrt(theta))) / s;
    EXPECT_NEAR(r.units.z[i], z, 1e-9);
    sum_z2 += z * z;
    sum_w += 1 / (s * s);
    sum_w2 += 1 / (s * s * s * s);
  }
  const double units = 20;
  EXPECT_NEAR(r.phi, sum_z2 / units, 1e-9);
  EXPECT_NEAR(r.tau2, (sum_z2 - (units - 1)) / (sum_w - sum_w2 / sum_w), 1e-12);
}

TEST(FunnelSpiegelhalter, PhiPValueIsTheChiSquaredTail) {
  // Two units, no winsorising: I phi = z1^2 + z2^2 and P(chi2_2 > x) = exp(-x / 2).
  const std::vector<double> y{30, 12};
  const std::vector<double> n{100, 90};
  Spec spec;
  spec.trim_by = 0;
  const auto r = run(y, n, spec);
  const double x = r.units.z[0] * r.units.z[0] + r.units.z[1] * r.units.z[1];
  EXPECT_NEAR(r.phi, x / 2, 1e-12);
  EXPECT_NEAR(r.phi_p_value, std::exp(-x / 2), 1e-12);
}

TEST(FunnelSpiegelhalter, AdditiveLimitsOfProportionsStayInsideZeroOne) {
  auto spec = with(Kind::proportion, Profile::qiscope, Overdispersion::additive);
  const auto r = run(numerators, denominators, spec);
  ASSERT_TRUE(r.adjusted);
  const double theta = pooled();
  for (std::size_t g = 0; g < r.limits.size(); ++g) {
    const double n = r.limits.n[g];
    const double half = z998 * std::sqrt(1 / (4 * n) + r.tau2);
    const double angle = std::asin(std::sqrt(theta));
    EXPECT_NEAR(r.limits.lcl[1][g], std::pow(std::sin(std::max(0.0, angle - half)), 2), 1e-12);
    EXPECT_NEAR(r.limits.ucl[1][g], std::pow(std::sin(angle + half), 2), 1e-12);
    if (g > 0) {
      EXPECT_GE(r.limits.lcl[1][g], r.limits.lcl[1][g - 1]);  // monotone in n
    }
  }
}

TEST(FunnelSpiegelhalter, RatioSquareRootLimitsAreSquaredBack) {
  auto spec = with(Kind::ratio, Profile::qiscope, Overdispersion::additive);
  const auto r = run(numerators, tenth(denominators), spec);
  ASSERT_TRUE(r.adjusted);
  const double e = 0.1 * 279;
  const double half = z95 * std::sqrt(1 / (4 * e) + r.tau2);
  EXPECT_NEAR(r.units.lcl[0][unit_279], (1 - half) * (1 - half), 1e-12);
  EXPECT_NEAR(r.units.ucl[0][unit_279], (1 + half) * (1 + half), 1e-12);
}

TEST(Funnel, RowsOfOneUnitAreSummedAndMultiplyScales) {
  const std::vector<double> y{3, 4, 10, 2};
  const std::vector<double> n{10, 20, 50, 30};
  const std::vector<std::int64_t> unit{1, 0, 1, 0};
  Observations obs;
  obs.y = y;
  obs.n = n;
  obs.unit = unit;
  Spec spec;
  spec.multiply = 100;
  const auto r = compute(obs, spec);
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units.unit[0], 0);
  EXPECT_EQ(r.units.y[0], 6.0);
  EXPECT_EQ(r.units.n[0], 50.0);
  EXPECT_EQ(r.units.row[0], 1);
  EXPECT_EQ(r.units.y[1], 13.0);
  EXPECT_NEAR(r.units.value[1], 100 * 13.0 / 60.0, 1e-12);
  EXPECT_NEAR(r.target, 100 * 19.0 / 110.0, 1e-12);
  EXPECT_NEAR(r.units.ucl[0][1], 100 * exact_binomial_limit(60, 19.0 / 110.0, 0.975), 1e-9);
}

TEST(Funnel, BadInputNamesColumnAndRow) {
  auto expect_error = [](std::vector<double> y, std::vector<double> n, Kind kind, const char* field,
                         std::int64_t row, const char* rule) {
    Observations obs;
    obs.y = y;
    obs.n = n;
    Spec spec;
    spec.kind = kind;
    try {
      compute(obs, spec);
      ADD_FAILURE() << "no error for rule " << rule;
    } catch (const qiscope::input_error& e) {
      EXPECT_EQ(e.field(), field);
      EXPECT_EQ(e.row(), row);
      EXPECT_EQ(e.rule(), rule);
    }
  };
  const double na = std::nan("");
  expect_error({1, 5, 2}, {10, 4, 10}, Kind::proportion, "y", 1, "numerator_le_denominator");
  expect_error({1, -1, 2}, {10, 4, 10}, Kind::ratio, "y", 1, "non_negative");
  expect_error({1, 1, 2}, {10, 0, 10}, Kind::ratio, "n", 1, "positive");
  expect_error({1, 1, 2}, {10, na, 10}, Kind::rate, "n", 1, "missing");
  expect_error({1, na, 2}, {10, 5, 10}, Kind::rate, "y", 1, "missing");
  expect_error({1, 1, 2}, {10, 5.5, 10}, Kind::proportion, "n", 1, "whole_number");
  expect_error({0, 0, 0}, {10, 5, 10}, Kind::proportion, "y", -1, "degenerate_target");
}

TEST(Funnel, OptionsThatDoNotFitAreRejected) {
  Spec spec;
  spec.kind = Kind::rate;
  spec.limit_method = LimitMethod::exact;
  EXPECT_THROW(resolve(spec), qiscope::input_error);
  spec = Spec{};
  spec.outlier_coverage = 90;
  EXPECT_THROW(resolve(spec), qiscope::input_error);
  spec = Spec{};
  spec.limit_method = LimitMethod::garwood;
  EXPECT_THROW(resolve(spec), qiscope::input_error);
}

TEST(Funnel, JsonRoundTrip) {
  auto spec = with(Kind::ratio, Profile::funnelplotr, Overdispersion::additive);
  spec.coverage = {90, 95, 99.8};
  const auto r = run(numerators, tenth(denominators), spec);
  const nlohmann::json j = r;
  const auto back = j.get<Result>();
  EXPECT_EQ(nlohmann::json(back), j);
  EXPECT_EQ(back.units.lcl[2], r.units.lcl[2]);
  EXPECT_EQ(back.spec.sr_method, std::nullopt);
  EXPECT_EQ(back.limits.n, r.limits.n);
  EXPECT_THROW(nlohmann::json::parse(R"({"kind": "proportion", "colour": 1})").get<Spec>(), qiscope::input_error);
}

TEST(Funnel, ThreadCountDoesNotChangeTheResult) {
  Spec one;
  one.n_threads = 1;
  one.overdispersion = Overdispersion::additive;
  Spec four = one;
  four.n_threads = 4;
  const auto a = run(numerators, denominators, one);
  const auto b = run(numerators, denominators, four);
  EXPECT_EQ(a.limits.lcl, b.limits.lcl);
  EXPECT_EQ(a.limits.ucl_unadjusted, b.limits.ucl_unadjusted);
  EXPECT_EQ(a.units.ucl, b.units.ucl);
}
