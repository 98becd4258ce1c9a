// Time-weighted charts against independent values: hand-written recurrences on small series,
// Montgomery's tabular CUSUM example, bchart's increments (spc-spec.md §2.5) and Steiner et al.'s
// (2000) log-likelihood-ratio weights.
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/io/json.hpp>
#include <qiscope/qiscope.hpp>

using namespace qiscope::spc;

namespace {
const double na = std::nan("");

Spec chart(Chart c) {
  Spec spec;
  spec.chart = c;
  return spec;
}

Result run(const std::vector<double>& y, const Spec& spec, const std::vector<std::int64_t>& x = {},
           const std::vector<double>& risk = {}) {
  Observations obs;
  obs.y = y;
  obs.x = x;
  obs.risk = risk;
  return compute(obs, spec);
}

/// Montgomery, Introduction to Statistical Quality Control (6th ed. 2009), Table 9.1: 20
/// observations from N(10, 1), then 10 after the mean shifted to 11.
const std::vector<double> montgomery_9_1{
    9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51, 9.40, 10.08,
    9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52};

/// bchart's probability for the odds of p0 multiplied by `odds_ratio` (qicharts2's getp).
double shifted_probability(double p0, double odds_ratio) {
  const double odds = odds_ratio * p0 / (1 - p0);
  return odds / (1 + odds);
}
}  // namespace

TEST(Ewma, HandComputedRecurrenceAndExactLimits) {
  Spec spec = chart(Chart::ewma);
  spec.lambda = 0.3;
  spec.center = 10;
  spec.sd = 2;
  const auto r = run({10, 12, 9, 11, 13}, spec);
  // z_t = 0.3 x_t + 0.7 z_{t-1}, z_0 = 10.
  const std::vector<double> z{10.0, 10.6, 10.12, 10.384, 11.1688};
  for (std::size_t t = 0; t < z.size(); ++t) {
    EXPECT_NEAR(r.points.value[t], z[t], 1e-12) << t;
    // sigma_t = 2 sqrt(0.3 / 1.7 (1 - 0.7^(2t))), t = 1..5
    const double se = 2 * std::sqrt(0.3 / 1.7 * (1 - std::pow(0.49, static_cast<double>(t + 1))));
    EXPECT_NEAR(r.points.ucl[t], 10 + 3 * se, 1e-12);
    EXPECT_NEAR(r.points.lcl[t], 10 - 3 * se, 1e-12);
    EXPECT_NEAR(r.points.ucl_95[t], 10 + 2 * se, 1e-12);
    EXPECT_EQ(r.points.cl[t], 10.0);
    EXPECT_TRUE(std::isnan(r.points.value_lower[t]));
  }
  // First limits by hand: 2 sqrt(0.3 / 1.7 x 0.51) = 2 x 0.3 = 0.6, so 10 +/- 1.8.
  EXPECT_NEAR(r.points.ucl[0], 11.8, 1e-12);
  // No runs analysis for an accumulated statistic.
  EXPECT_EQ(r.phases.longest_run[0], -1);
  EXPECT_EQ(r.phases.n_crossings_min[0], -1);
  EXPECT_FALSE(r.phases.runs_signal[0]);
}

TEST(Ewma, MontgomeryDataSignalsWhereTheRecurrenceSays) {
  // Montgomery's EWMA example (lambda 0.1, L = 2.7, mu0 = 10, sigma = 1) on Table 9.1.
  Spec spec = chart(Chart::ewma);
  spec.lambda = 0.1;
  spec.nsigmas = 2.7;
  spec.center = 10;
  spec.sd = 1;
  const auto r = run(montgomery_9_1, spec);
  // First period by hand: z1 = 0.945 + 9 = 9.945, limits 10 +/- 2.7 sqrt(0.1/1.9 x 0.19) = 10 +/- 0.27.
  EXPECT_NEAR(r.points.value[0], 9.945, 1e-12);
  EXPECT_NEAR(r.points.ucl[0], 10.27, 1e-12);
  EXPECT_NEAR(r.points.lcl[0], 9.73, 1e-12);
  EXPECT_NEAR(r.points.value[1], 0.799 + 0.9 * 9.945, 1e-12);
  double z = 10;
  std::vector<std::uint8_t> expected;
  for (std::size_t t = 1; t <= montgomery_9_1.size(); ++t) {
    z = 0.1 * montgomery_9_1[t - 1] + 0.9 * z;
    const double half_width = 2.7 * std::sqrt(0.1 / 1.9 * (1 - std::pow(0.81, static_cast<double>(t))));
    expected.push_back(std::abs(z - 10) > half_width);
    EXPECT_NEAR(r.points.value[t - 1], z, 1e-12);
  }
  EXPECT_EQ(r.points.sigma_signal, expected);
  // The shift after period 20 is caught at periods 29 and 30 only.
  EXPECT_EQ(r.phases.sigma_signal[0], 2);
  EXPECT_TRUE(r.points.sigma_signal[28]);
}

TEST(Ewma, SubgroupsUseTheirSizeAndPooledSigma) {
  // Rows sharing x form subgroups: {1, 2, 3} and {2, 4, 6}.
  Spec spec = chart(Chart::ewma);
  const auto r = run({1, 2, 3, 2, 4, 6}, spec, {1, 1, 1, 2, 2, 2});
  ASSERT_EQ(r.points.size(), 2u);
  EXPECT_EQ(r.points.n[0], 3.0);
  EXPECT_EQ(r.points.y[1], 4.0);
  // Centre = grand mean 18 / 6 = 3; sigma = pooled sd / c4(5): sqrt((2 x 1 + 2 x 4) / 4) over
  // c4(5) = sqrt(1/2) Gamma(5/2) / Gamma(2) = sqrt(1/2) (3/4) sqrt(pi).
  const double sigma = std::sqrt(2.5) / (std::sqrt(0.5) * 0.75 * std::sqrt(std::acos(-1.0)));
  EXPECT_NEAR(r.points.cl[0], 3.0, 1e-12);
  EXPECT_NEAR(r.points.value[0], 0.2 * 2 + 0.8 * 3, 1e-12);
  const double se1 = sigma / std::sqrt(3.0) * std::sqrt(0.2 / 1.8 * (1 - 0.64));
  EXPECT_NEAR(r.points.ucl[0], 3 + 3 * se1, 1e-12);

  // qcc's default for subgroups of 2..25 rows (UWAVE-R): mean of R_i / d2(3) = (2 + 4) / 2 / 1.693.
  spec.profile = Profile::qcc;
  const auto q = run({1, 2, 3, 2, 4, 6}, spec, {1, 1, 1, 2, 2, 2});
  const double se_qcc = 3 / 1.693 / std::sqrt(3.0) * std::sqrt(0.2 / 1.8 * (1 - 0.64));
  EXPECT_NEAR(q.points.ucl[0], 3 + 3 * se_qcc, 1e-12);
}

TEST(Ewma, DefaultSigmaIsTheIChartsUnderEachProfile) {
  const std::vector<double> y{5, 3, 4, 6, 2, 5, 4, 3, 6, 5, 4};
  double amr = 0;
  for (std::size_t i = 1; i < y.size(); ++i) amr += std::abs(y[i] - y[i - 1]);
  amr /= 10;
  const double mean = 47.0 / 11.0;
  for (auto [profile, d2] : {std::pair{Profile::qcc, 1.128},
                             std::pair{Profile::qiscope, 2 / std::sqrt(std::acos(-1.0))}}) {
    Spec spec = chart(Chart::ewma);
    spec.profile = profile;
    const auto r = run(y, spec);
    const double se1 = amr / d2 * std::sqrt(0.2 / 1.8 * (1 - 0.64));
    EXPECT_NEAR(r.points.cl[0], mean, 1e-12);
    EXPECT_NEAR(r.points.ucl[0], mean + 3 * se1, 1e-12) << to_string(profile);
  }
}

TEST(Ewma, MissingAndExcludedPointsLeaveTheStatistic) {
  Spec spec = chart(Chart::ewma);
  spec.lambda = 0.5;
  spec.center = 0;
  spec.sd = 1;
  spec.exclude = {3};
  const auto r = run({2, na, 4, 100, 8}, spec);
  EXPECT_NEAR(r.points.value[0], 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(r.points.value[1]));
  EXPECT_NEAR(r.points.value[2], 2.5, 1e-12);
  EXPECT_TRUE(std::isnan(r.points.value[3]));
  EXPECT_NEAR(r.points.value[4], 5.25, 1e-12);
  // The third update has t = 3: 1 - 0.5^6.
  EXPECT_NEAR(r.points.ucl[4], 3 * std::sqrt(0.5 / 1.5 * (1 - 1.0 / 64)), 1e-12);
}

TEST(Cusum, MontgomeryExample) {
  // Montgomery Example 9.1: mu0 = 10, sigma = 1, k = 1/2, h = 5; his Table 9.2 tabulates C+.
  Spec spec = chart(Chart::cusum);
  spec.center = 10;
  spec.sd = 1;
  const auto r = run(montgomery_9_1, spec);
  const std::vector<double> upper_published{
      0.0, 0.0, 0.0, 1.16, 2.82, 2.50, 0.04, 1.00, 0.0, 0.0, 0.0, 0.97, 0.98, 0.0, 0.0,
      0.0, 0.12, 0.0, 0.0, 0.34, 0.74, 0.0, 1.79, 2.79, 2.89, 3.47, 3.35, 4.47, 5.28, 5.30};
  double upper = 0, lower = 0;
  for (std::size_t i = 0; i < montgomery_9_1.size(); ++i) {
    EXPECT_NEAR(r.points.value[i], upper_published[i], 0.005 + 1e-12) << i;
    upper = std::max(0.0, montgomery_9_1[i] - 10.5 + upper);
    lower = std::max(0.0, 9.5 - montgomery_9_1[i] + lower);
    EXPECT_NEAR(r.points.value[i], upper, 1e-12) << i;
    EXPECT_NEAR(r.points.value_lower[i], -lower, 1e-12) << i;
    EXPECT_EQ(r.points.ucl[i], 5.0);
    EXPECT_EQ(r.points.lcl[i], -5.0);
    EXPECT_EQ(r.points.sigma_signal[i], i >= 28) << i;  // out of control at period 29
  }
  // The lower sum by hand for the first periods: 9.5 - 9.45, + 9.5 - 7.99, + 9.5 - 9.29.
  EXPECT_NEAR(r.points.value_lower[2], -(0.05 + 1.51 + 0.21), 1e-12);
  EXPECT_EQ(r.phases.ucl[0], 5.0);
  EXPECT_EQ(r.points.point_type[28], PointType::neutral);
}

TEST(Cusum, HeadStartSubgroupsAndDirection) {
  // Two rows per x; sigma 2 so the standard error is 2 / sqrt(2).
  Spec spec = chart(Chart::cusum);
  spec.center = 0;
  spec.sd = 2;
  spec.k = 0.5;
  spec.h = 4;
  spec.head_start = 2;
  spec.direction = Direction::decrease;
  const auto r = run({1, 3, -1, -1, 4, 6}, spec, {0, 0, 1, 1, 2, 2});
  const double se = 2 / std::sqrt(2.0);
  const double z1 = 2 / se, z2 = -1 / se, z3 = 5 / se;
  double up = std::max(0.0, 2 + z1 - 0.5), lo = std::max(0.0, 2 - z1 - 0.5);
  EXPECT_NEAR(r.points.value[0], up, 1e-12);
  EXPECT_NEAR(r.points.value_lower[0], -lo, 1e-12);
  up = std::max(0.0, up + z2 - 0.5);
  lo = std::max(0.0, lo - z2 - 0.5);
  EXPECT_NEAR(r.points.value[1], up, 1e-12);
  EXPECT_NEAR(r.points.value_lower[1], -lo, 1e-12);
  up = std::max(0.0, up + z3 - 0.5);
  EXPECT_NEAR(r.points.value[2], up, 1e-12);
  ASSERT_GT(up, 4.0);
  EXPECT_TRUE(r.points.sigma_signal[2]);
  // Higher values are a concern when lower is better.
  EXPECT_EQ(r.points.point_type[2], PointType::concern);
}

TEST(Cusum, PhasesRestartTheSums) {
  Spec spec = chart(Chart::cusum);
  spec.center = 0;
  spec.sd = 1;
  spec.part = {2};
  const auto r = run({3, 3, 3, 3}, spec);
  EXPECT_NEAR(r.points.value[1], 5.0, 1e-12);
  EXPECT_NEAR(r.points.value[2], 2.5, 1e-12);
  EXPECT_NEAR(r.points.value[3], 5.0, 1e-12);
}

TEST(BernoulliCusum, IncrementsAndResetAsBchart) {
  // spc-spec.md §2.5: s1 = x ln(p1/p0) + (1-x) ln((1-p1)/(1-p0)), likewise s2 with p2;
  // z1 = max(0, z1 + s1), z2 = min(0, z2 - s2), a signal at +/- limit resets to 0.
  std::vector<double> y{0, 1, 1, 0, 1, 1};
  y.resize(y.size() + 45, 0.0);  // then 45 cases without an event
  Spec spec = chart(Chart::bernoulli_cusum);
  spec.target = 0.1;
  spec.limit = 2.0;
  const auto r = run(y, spec);
  const double p0 = 0.1, p1 = shifted_probability(p0, 2), p2 = shifted_probability(p0, 0.5);
  double z1 = 0, z2 = 0;
  int upper_signals = 0, lower_signals = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double s1 = y[i] * std::log(p1 / p0) + (1 - y[i]) * std::log((1 - p1) / (1 - p0));
    const double s2 = y[i] * std::log(p2 / p0) + (1 - y[i]) * std::log((1 - p2) / (1 - p0));
    z1 = std::max(0.0, z1 + s1);
    z2 = std::min(0.0, z2 - s2);
    EXPECT_NEAR(r.points.value[i], z1, 1e-12) << i;
    EXPECT_NEAR(r.points.value_lower[i], z2, 1e-12) << i;
    EXPECT_EQ(r.points.sigma_signal[i], z1 >= 2.0 || z2 <= -2.0) << i;
    if (z1 >= 2.0) ++upper_signals, z1 = 0;
    if (z2 <= -2.0) ++lower_signals, z2 = 0;
  }
  EXPECT_EQ(upper_signals, 1);  // the run of events
  EXPECT_EQ(lower_signals, 1);  // the long run without events
  EXPECT_EQ(r.points.ucl[0], 2.0);
  EXPECT_EQ(r.points.lcl[0], -2.0);
}

TEST(BernoulliCusum, BaselineRateFromFreeze) {
  // qicharts2's target = 4 is freeze = 4: p0 = mean of the first 4 outcomes = 1/4.
  Spec spec = chart(Chart::bernoulli_cusum);
  spec.freeze = 4;
  const auto r = run({0, 1, 0, 0, 1, 1}, spec);
  const double p0 = 0.25, p1 = shifted_probability(p0, 2);
  const double up_event = std::log(p1 / p0), up_none = std::log((1 - p1) / (1 - p0));
  EXPECT_NEAR(r.points.value[1], up_event, 1e-12);
  EXPECT_NEAR(r.points.value[2], std::max(0.0, up_event + up_none), 1e-12);
  // A baseline without events has no in-control probability.
  spec.freeze = 2;
  EXPECT_THROW(run({0, 0, 1}, spec), qiscope::input_error);
}

TEST(RaCusum, SteinerWeightsOnACaseSeries) {
  // Steiner et al. (2000): W = y ln(R_A) - ln(1 - p + R_A p). For R_A = 2: a death adds
  // ln 2 - ln(1 + p), a survival -ln(1 + p); the lower CUSUM uses R_A = 1/2: ln(1/2) y - ln(1 - p/2).
  const std::vector<double> risk{0.1, 0.5, 0.2, 0.8, 0.05, 0.3};
  const std::vector<double> died{0, 1, 1, 0, 1, 1};
  Spec spec = chart(Chart::ra_cusum);
  const double limit = 0.82;  // reached at the fifth case
  spec.limit = limit;
  const auto r = run(died, spec, {}, risk);
  const double ln2 = std::log(2.0);
  // Upper, reset after reaching the limit.
  double x = 0;
  const std::vector<double> upper{
      x = std::max(0.0, x - std::log(1.1)),               // survival, p = 0.1
      x = std::max(0.0, x + ln2 - std::log(1.5)),         // death, p = 0.5
      x = std::max(0.0, x + ln2 - std::log(1.2)),         // death, p = 0.2
      x = std::max(0.0, x - std::log(1.8)),               // survival, p = 0.8
      x = std::max(0.0, x + ln2 - std::log(1.05)),        // death, p = 0.05
      x = std::max(0.0, (x >= limit ? 0 : x) + ln2 - std::log(1.3))};
  for (std::size_t i = 0; i < upper.size(); ++i) EXPECT_NEAR(r.points.value[i], upper[i], 1e-12) << i;
  EXPECT_GE(r.points.value[4], limit);
  EXPECT_LT(r.points.value[2], limit);
  EXPECT_TRUE(r.points.sigma_signal[4]);
  EXPECT_NEAR(r.points.value[5], ln2 - std::log(1.3), 1e-12);  // restarted from 0
  // Lower: the survival with p = 0.8 moves it by ln(1 - 0.4).
  double z = 0;
  z = std::min(0.0, z + std::log(1 - 0.05));
  EXPECT_NEAR(r.points.value_lower[0], z, 1e-12);
  z = std::min(0.0, z - (-ln2 - std::log(1 - 0.25)));
  EXPECT_NEAR(r.points.value_lower[1], z, 1e-12);
}

TEST(RaCusum, CasesSharingADateStayApart) {
  // Three operations on day 1, one on day 2: four points, in input order within a day.
  Spec spec = chart(Chart::ra_cusum);
  const auto r = run({1, 0, 1, 0}, spec, {1, 1, 1, 2}, {0.2, 0.2, 0.4, 0.1});
  ASSERT_EQ(r.points.size(), 4u);
  EXPECT_EQ(r.points.x[1], 1);
  EXPECT_EQ(r.points.row[2], 2);
  EXPECT_NEAR(r.points.value[0], std::log(2.0) - std::log(1.2), 1e-12);
}

TEST(Vlad, CumulativeExpectedMinusObserved) {
  const std::vector<double> risk{0.1, 0.5, 0.2, 0.8, 0.05};
  Spec spec = chart(Chart::vlad);
  const auto r = run({0, 1, na, 0, 1}, spec, {}, risk);
  EXPECT_NEAR(r.points.value[0], 0.1, 1e-12);
  EXPECT_NEAR(r.points.value[1], 0.1 + 0.5 - 1, 1e-12);
  EXPECT_TRUE(std::isnan(r.points.value[2]));
  EXPECT_NEAR(r.points.value[3], -0.4 + 0.8, 1e-12);
  EXPECT_NEAR(r.points.value[4], 0.4 + 0.05 - 1, 1e-12);
  EXPECT_EQ(r.points.cl[0], 0.0);
  EXPECT_TRUE(std::isnan(r.points.ucl[0]));
  EXPECT_EQ(r.phases.sigma_signal[0], 0);
}

TEST(TimeWeighted, BadInputNamesTheColumnAndRow) {
  auto error_of = [](auto&& f) -> qiscope::input_error {
    try {
      f();
    } catch (const qiscope::input_error& e) {
      return e;
    }
    ADD_FAILURE() << "no input_error";
    return qiscope::input_error("", -1, "", "");
  };
  const auto not_binary = error_of([] { run({0, 1, 2}, chart(Chart::ra_cusum), {}, {0.1, 0.1, 0.1}); });
  EXPECT_EQ(not_binary.field(), "y");
  EXPECT_EQ(not_binary.row(), 2);
  EXPECT_EQ(not_binary.rule(), "binary");
  const auto bad_risk = error_of([] { run({0, 1}, chart(Chart::vlad), {}, {0.1, 1.5}); });
  EXPECT_EQ(bad_risk.field(), "risk");
  EXPECT_EQ(bad_risk.row(), 1);
  EXPECT_EQ(error_of([] { run({0, 1}, chart(Chart::ra_cusum)); }).field(), "risk");
  Spec spec = chart(Chart::bernoulli_cusum);
  spec.odds_ratio = 1;
  EXPECT_EQ(error_of([&] { run({0, 1}, spec); }).field(), "odds_ratio");
  spec = chart(Chart::cusum);
  spec.multiply = 100;
  EXPECT_EQ(error_of([&] { run({1, 2}, spec); }).field(), "multiply");
  spec = chart(Chart::cusum);
  spec.head_start = 5;
  EXPECT_EQ(error_of([&] { run({1, 2}, spec); }).field(), "head_start");
  spec = chart(Chart::ewma);
  spec.rules = RuleSet::ihi;
  EXPECT_EQ(error_of([&] { run({1, 2}, spec); }).field(), "rules");
  spec = chart(Chart::cusum);
  EXPECT_EQ(error_of([&] { run({4, 4, 4}, spec); }).field(), "sd");
}

TEST(TimeWeighted, JsonRoundTripKeepsTheLowerStatistic) {
  Spec spec = chart(Chart::cusum);
  spec.head_start = 1;
  const auto r = run(montgomery_9_1, spec);
  const nlohmann::json j = r;
  const auto back = nlohmann::json::parse(j.dump()).get<Result>();
  EXPECT_EQ(nlohmann::json(back), j);
  EXPECT_EQ(back.points.value_lower, r.points.value_lower);
  EXPECT_EQ(back.spec.head_start, 1.0);
  // A result written before value_lower existed reads back with NaN.
  nlohmann::json old = j;
  old["points"].erase("value_lower");
  const auto legacy = old.get<Result>();
  ASSERT_EQ(legacy.points.value_lower.size(), r.points.size());
  EXPECT_TRUE(std::isnan(legacy.points.value_lower[0]));
}
