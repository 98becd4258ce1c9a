// The Shewhart charts beyond I and MR, each against an independent value: a hand computation
// written out here from the published formula (Montgomery, Laney, Taylor, Benneyan, Nelson),
// or a number printed by the R tools in shared/design/spc-spec.md §8.3 (qicharts2 0.8.1).
// Also the edge-case policies: missing values, zero denominators, constant data, subgroups
// of one, truncation, and the validation of inputs.
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>

using namespace qiscope::spc;

namespace {
const double na = std::nan("");
const double pi = std::acos(-1.0);
/// The exact d2 for ranges of two (qiscope's default): 2 / sqrt(pi).
const double d2_exact = 2 / std::sqrt(pi);

struct Input {
  std::vector<double> y;
  std::vector<double> n = {};
  std::vector<std::int64_t> x = {};
};

Result chart(Chart type, const Input& in, Spec spec = {}) {
  Observations obs;
  obs.y = in.y;
  obs.n = in.n;
  obs.x = in.x;
  spec.chart = type;
  return compute(obs, spec);
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

int count_signals(const Result& r) {
  return std::accumulate(r.points.sigma_signal.begin(), r.points.sigma_signal.end(), 0);
}

// Four subgroups of three: means 2, 4, 4, 5; SDs 1, 2, sqrt(3), 1.
const Input equal_groups{{1, 2, 3, 2, 4, 6, 3, 3, 6, 4, 5, 6}, {}, {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4}};
// Sizes 3, 2, 1, 3: means 2, 3, 5, 7; SDs 1, sqrt(2), none, 1.
const Input unequal_groups{{1, 2, 3, 2, 4, 5, 6, 7, 8}, {}, {1, 1, 1, 2, 2, 3, 4, 4, 4}};
}  // namespace

// -- constants --------------------------------------------------------------------------------

TEST(Constants, C4InClosedFormAndTables) {
  EXPECT_NEAR(c4(2), std::sqrt(2 / pi), 1e-15);                  // Gamma(1)/Gamma(1/2)
  EXPECT_NEAR(c4(3), std::sqrt(pi) / 2, 1e-15);                   // Gamma(3/2)/Gamma(1)
  EXPECT_NEAR(c4(4), 2 * std::sqrt(2 / (3 * pi)), 1e-15);         // sqrt(2/3) Gamma(2)/Gamma(3/2)
  EXPECT_NEAR(c4(10), 0.9726593, 5e-8);                           // Montgomery App. VI
  EXPECT_NEAR(c4(25), 0.9896, 5e-5);
  // Large n: c4 = 1 - 1/(4n) - 7/(32n^2) - 19/(128n^3) + O(n^-4).
  const double n = 1000;
  EXPECT_NEAR(c4(n), 1 - 1 / (4 * n) - 7 / (32 * n * n) - 19 / (128 * n * n * n), 1e-12);
  EXPECT_TRUE(std::isnan(c4(1)));
  EXPECT_TRUE(std::isnan(c4(0)));
}

TEST(Constants, FactorsMatchMontgomeryTables) {
  EXPECT_NEAR(a3(2), 3 * std::sqrt(pi) / 2, 1e-14);  // 2.659
  EXPECT_NEAR(a3(5), 1.427, 5e-4);
  EXPECT_NEAR(a3(10), 0.975, 5e-4);
  EXPECT_NEAR(b4(2), 3.267, 5e-4);
  EXPECT_EQ(b3(5), 0.0);
  EXPECT_NEAR(b3(6), 0.030, 5e-4);
  EXPECT_NEAR(b4(6), 1.970, 5e-4);
  EXPECT_NEAR(b3(25), 0.565, 5e-4);
  EXPECT_NEAR(b4(25), 1.435, 5e-4);
  EXPECT_NEAR(c5(3), std::sqrt(1 - pi / 4), 1e-15);
  EXPECT_NEAR(a3(4, 2), 2 / (c4(4) * 2), 1e-15);
  EXPECT_TRUE(std::isnan(a3(1)));
  EXPECT_TRUE(std::isnan(b3(1)));
  EXPECT_EQ(d2_qcc_table(2), 1.128);
  EXPECT_EQ(d2_qcc_table(25), 3.931);
  EXPECT_TRUE(std::isnan(d2_qcc_table(26)));
}

// -- Xbar and S ---------------------------------------------------------------------------------

TEST(XbarChart, EqualSubgroupsUseTheMeanSD) {
  const auto r = chart(Chart::xbar, equal_groups);
  ASSERT_EQ(r.points.size(), 4u);
  const double s_bar = (1 + 2 + std::sqrt(3.0) + 1) / 4;
  const double a3_3 = 3 / (std::sqrt(pi) / 2 * std::sqrt(3.0));
  EXPECT_NEAR(r.points.value[1], 4.0, 1e-15);
  EXPECT_EQ(r.points.n[1], 3.0);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.points.cl[i], 15.0 / 4, 1e-14);
    EXPECT_NEAR(r.points.ucl[i], 15.0 / 4 + a3_3 * s_bar, 1e-13);
    EXPECT_NEAR(r.points.lcl[i], 15.0 / 4 - a3_3 * s_bar, 1e-13);
    EXPECT_NEAR(r.points.ucl_95[i], 15.0 / 4 + 2.0 / 3 * a3_3 * s_bar, 1e-13);
  }
}

TEST(SChart, EqualSubgroupsUseB3AndB4) {
  const auto r = chart(Chart::s, equal_groups);
  const double s_bar = (1 + 2 + std::sqrt(3.0) + 1) / 4;
  const double c5_over_c4 = std::sqrt(1 - pi / 4) / (std::sqrt(pi) / 2);
  EXPECT_NEAR(r.points.value[2], std::sqrt(3.0), 1e-14);
  EXPECT_NEAR(r.points.cl[0], s_bar, 1e-14);
  EXPECT_NEAR(r.points.ucl[0], (1 + 3 * c5_over_c4) * s_bar, 1e-13);
  EXPECT_EQ(r.points.lcl[0], 0.0);  // 1 - 3 c5/c4 < 0: B3 = 0
  EXPECT_NEAR(r.points.ucl_95[0], (1 + 2 * c5_over_c4) * s_bar, 1e-13);
  EXPECT_EQ(r.points.lcl_95[0], 0.0);  // 1 - 2 c5/c4 < 0 too
}

TEST(XbarChart, UnequalSubgroupsPoolTheVarianceAndASingleMeasurementHasNoLimits) {
  const auto r = chart(Chart::xbar, unequal_groups);
  // Pooled: sqrt((2*1 + 1*2 + 0 + 2*1) / (2 + 1 + 0 + 2)); centre (6 + 6 + 5 + 21) / 9.
  const double pooled = std::sqrt(6.0 / 5), centre = 38.0 / 9;
  EXPECT_NEAR(r.points.cl[0], centre, 1e-14);
  EXPECT_NEAR(r.points.ucl[0], centre + 3 / (std::sqrt(pi) / 2 * std::sqrt(3.0)) * pooled, 1e-13);
  EXPECT_NEAR(r.points.ucl[1], centre + 3 * std::sqrt(pi) / 2 * pooled, 1e-13);  // A3(2)
  // The subgroup of one: its mean is plotted, it has no limits and cannot signal.
  EXPECT_EQ(r.points.value[2], 5.0);
  EXPECT_TRUE(std::isnan(r.points.lcl[2]) && std::isnan(r.points.ucl[2]));
  EXPECT_TRUE(std::isnan(r.points.ucl_95[2]));
  EXPECT_FALSE(r.points.sigma_signal[2]);
}

TEST(SChart, UnequalSubgroupsUseThePooledSD) {
  const auto r = chart(Chart::s, unequal_groups);
  const double pooled = std::sqrt(6.0 / 5);
  const double b4_2 = 1 + 3 * std::sqrt(1 - 2 / pi) / std::sqrt(2 / pi);
  EXPECT_NEAR(r.points.cl[0], pooled, 1e-14);
  EXPECT_NEAR(r.points.ucl[1], b4_2 * pooled, 1e-13);
  EXPECT_TRUE(std::isnan(r.points.value[2]));  // the SD of one value
  EXPECT_TRUE(std::isnan(r.points.ucl[2]));
}

TEST(XbarChart, SizesVaryIsJudgedOverTheWholePhase) {
  // Baseline (freeze = 2): two subgroups of three with SDs 1 and 2. The third subgroup has
  // two measurements, so the sizes vary and s-bar is the pooled SD of the baseline,
  // sqrt((2*1 + 2*4) / 4), not their mean 1.5 (qicharts2).
  const Input in{{1, 2, 3, 2, 4, 6, 1, 5}, {}, {1, 1, 1, 2, 2, 2, 3, 3}};
  Spec spec;
  spec.freeze = 2;
  const auto r = chart(Chart::xbar, in, spec);
  EXPECT_NEAR(r.points.cl[0], 3.0, 1e-15);
  EXPECT_NEAR(r.points.ucl[0], 3 + 3 / (std::sqrt(pi) / 2 * std::sqrt(3.0)) * std::sqrt(2.5), 1e-13);
  EXPECT_NEAR(r.points.ucl[2], 3 + 3 * std::sqrt(pi) / 2 * std::sqrt(2.5), 1e-13);
}

TEST(XbarChart, AnEmptySubgroupIsMissingButQicharts2CountsItAsSizeZero) {
  // Two subgroups of three (SDs 1 and 2) and one whose only row is missing.
  const Input in{{1, 2, 3, 2, 4, 6, na}, {}, {1, 1, 1, 2, 2, 2, 3}};
  const double a3_3 = 3 / (std::sqrt(pi) / 2 * std::sqrt(3.0));
  auto r = chart(Chart::xbar, in);
  EXPECT_TRUE(std::isnan(r.points.value[2]));
  EXPECT_NEAR(r.points.ucl[0], 3 + a3_3 * 1.5, 1e-13);  // equal sizes: the mean SD
  // qicharts2: sizes 3, 3, 0 "vary", and the empty one adds 0 - 1 to the pooled df:
  // sqrt((2*1 + 2*4) / (2 + 2 - 1)).
  Spec spec;
  spec.profile = Profile::qicharts2;
  r = chart(Chart::xbar, in, spec);
  EXPECT_NEAR(r.points.ucl[0], 3 + a3_3 * std::sqrt(10.0 / 3), 1e-13);
}

TEST(XbarChart, OnlyOneMeasurementPerSubgroupGivesNoLimitsAndNoCrash) {
  const auto r = chart(Chart::xbar, Input{{1, 2, 3, 4}, {}, {1, 2, 3, 4}});
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(std::isnan(r.points.ucl[i]));
    EXPECT_FALSE(r.points.sigma_signal[i]);
  }
  EXPECT_NEAR(r.points.cl[0], 2.5, 1e-15);
  const auto s = chart(Chart::s, Input{{1, 2, 3, 4}, {}, {1, 2, 3, 4}});
  EXPECT_TRUE(std::isnan(s.points.cl[0]));
  EXPECT_EQ(s.phases.n_useful[0], 0);
}

TEST(XbarChart, QccProfileUsesTheAverageRangeAndSqrtN) {
  Spec spec;
  spec.profile = Profile::qcc;
  const auto r = chart(Chart::xbar, equal_groups, spec);
  // UWAVE-R: ranges 2, 4, 3, 2 over the tabled d2(3) = 1.693.
  const double sigma = (2 + 4 + 3 + 2) / 4.0 / 1.693;
  EXPECT_NEAR(r.points.cl[0], 3.75, 1e-14);
  EXPECT_NEAR(r.points.ucl[0], 3.75 + 3 * sigma / std::sqrt(3.0), 1e-13);
  EXPECT_NEAR(r.points.lcl_95[0], 3.75 - 2 * sigma / std::sqrt(3.0), 1e-13);

  const auto s = chart(Chart::s, equal_groups, spec);
  // UWAVE-SD: sigma = mean(s_i / c4(3)); centre = the size-weighted mean of s_i.
  const double s_bar = (1 + 2 + std::sqrt(3.0) + 1) / 4, c4_3 = std::sqrt(pi) / 2;
  EXPECT_NEAR(s.points.cl[0], s_bar, 1e-14);
  EXPECT_NEAR(s.points.ucl[0], s_bar + 3 * s_bar / c4_3 * std::sqrt(1 - c4_3 * c4_3), 1e-13);
  EXPECT_EQ(s.points.lcl[0], 0.0);
}

TEST(XbarChart, QccProfileUsesRmsdfForSubgroupsAbove25) {
  // Subgroups 1..26 and 1..27: variances 26*27/12 and 27*28/12.
  Input in;
  for (int v = 1; v <= 26; ++v) { in.y.push_back(v); in.x.push_back(1); }
  for (int v = 1; v <= 27; ++v) { in.y.push_back(v); in.x.push_back(2); }
  Spec spec;
  spec.profile = Profile::qcc;
  const auto r = chart(Chart::xbar, in, spec);
  const double pooled = std::sqrt((25 * 26 * 27 / 12.0 + 26 * 27 * 28 / 12.0) / 51);
  const double sigma = pooled / c4(52);
  const double centre = (26 * 13.5 + 27 * 14.0) / 53;
  EXPECT_NEAR(r.points.cl[0], centre, 1e-13);
  EXPECT_NEAR(r.points.ucl[0], centre + 3 * sigma / std::sqrt(26.0), 1e-12);
  EXPECT_NEAR(r.points.ucl[1], centre + 3 * sigma / std::sqrt(27.0), 1e-12);
}

TEST(XbarChart, YNegFalseTruncatesTheLowerLimitOfPositiveData) {
  const Input in{{0, 10, 1, 9, 2, 8}, {}, {1, 1, 2, 2, 3, 3}};
  auto r = chart(Chart::xbar, in);
  ASSERT_LT(r.points.lcl[0], 0);
  Spec spec;
  spec.y_neg = false;
  r = chart(Chart::xbar, in, spec);
  EXPECT_EQ(r.points.lcl[0], 0.0);
  EXPECT_EQ(r.points.lcl_95[0], 0.0);
}

// -- p, np, c, u ---------------------------------------------------------------------------------

TEST(PChart, BinomialLimitsAndAZeroDenominator) {
  // spc-spec §7: a zero denominator has no value, no limits and no signal; the row stays.
  const auto r = chart(Chart::p, Input{{2, 3, 0, 4}, {20, 30, 0, 31}});
  const double pbar = 9.0 / 81;
  EXPECT_NEAR(r.points.cl[0], pbar, 1e-15);
  EXPECT_NEAR(r.points.ucl[0], pbar + 3 * std::sqrt(pbar * (1 - pbar) / 20), 1e-15);
  EXPECT_NEAR(r.points.ucl_95[3], pbar + 2 * std::sqrt(pbar * (1 - pbar) / 31), 1e-15);
  EXPECT_EQ(r.points.lcl[0], 0.0);  // truncated
  EXPECT_TRUE(std::isnan(r.points.value[2]));
  EXPECT_TRUE(std::isnan(r.points.lcl[2]) && std::isnan(r.points.ucl[2]));
  EXPECT_FALSE(r.points.sigma_signal[2]);
  EXPECT_EQ(r.phases.n_useful[0], 3);
}

TEST(PChart, LimitsStayWithinZeroAndOneBeforeMultiply) {
  Spec spec;
  spec.multiply = 100;
  const auto r = chart(Chart::p, Input{{1, 1, 1}, {2, 2, 2}}, spec);
  // p = 0.5, sigma = sqrt(0.25 / 2) = 0.354: 0.5 +/- 1.06 and 0.5 +/- 0.71 are clipped.
  EXPECT_EQ(r.points.ucl[0], 100.0);
  EXPECT_EQ(r.points.lcl[0], 0.0);
  EXPECT_EQ(r.points.ucl_95[0], 100.0);
  EXPECT_EQ(r.points.lcl_95[0], 0.0);
  EXPECT_EQ(r.points.cl[0], 50.0);
  EXPECT_EQ(r.points.value[0], 50.0);
}

TEST(NpChart, CountLimitsClippedToZeroAndN) {
  auto r = chart(Chart::np, Input{{2, 3, 1, 4}, {20, 20, 20, 20}});
  const double pbar = 10.0 / 80, sigma = std::sqrt(20 * pbar * (1 - pbar));
  EXPECT_EQ(r.points.value[1], 3.0);
  EXPECT_NEAR(r.points.cl[0], 2.5, 1e-15);
  EXPECT_NEAR(r.points.ucl[0], 2.5 + 3 * sigma, 1e-14);
  EXPECT_EQ(r.points.lcl[0], 0.0);
  EXPECT_NEAR(r.points.lcl_95[0], std::max(0.0, 2.5 - 2 * sigma), 1e-14);
  // n = 2, p = 0.5: centre 1, 1 + 3 sqrt(0.5) = 3.12 is clipped at n = 2 (qcc).
  r = chart(Chart::np, Input{{1, 1, 1}, {2, 2, 2}});
  EXPECT_EQ(r.points.ucl[0], 2.0);
  EXPECT_NEAR(r.points.ucl_95[0], std::min(2.0, 1 + 2 * std::sqrt(0.5)), 1e-15);
}

TEST(NpChart, VaryingSizesGiveCentreNTimesPbarAndZeroSizeIsMissing) {
  const auto r = chart(Chart::np, Input{{2, 6, 0, 4}, {20, 40, 0, 20}});
  const double pbar = 12.0 / 80;
  EXPECT_NEAR(r.points.cl[0], 20 * pbar, 1e-14);
  EXPECT_NEAR(r.points.cl[1], 40 * pbar, 1e-14);
  EXPECT_NEAR(r.points.ucl[1], 40 * pbar + 3 * std::sqrt(40 * pbar * (1 - pbar)), 1e-14);
  EXPECT_TRUE(std::isnan(r.points.value[2]));
  EXPECT_TRUE(std::isnan(r.points.cl[2]) && std::isnan(r.points.ucl[2]));
  EXPECT_FALSE(r.points.sigma_signal[2]);
}

// spc-spec §8.3: qicharts2's C chart of 36 months of C. difficile infections.
const std::vector<double> cdi{17, 12, 27, 20, 20, 18, 22, 19, 19, 24, 17, 16, 24, 19, 19, 22, 25, 19,
                              17, 6,  25, 17, 11, 14, 9,  11, 7,  13, 5,  5,  3,  5,  9,  4,  5,  9};

TEST(CChart, Qicharts2Anchor) {
  Spec spec;
  spec.profile = Profile::qicharts2;
  auto r = chart(Chart::c, Input{cdi}, spec);
  EXPECT_NEAR(r.points.cl[0], 14.833333, 1e-6);
  EXPECT_NEAR(r.points.lcl[0], 3.279113, 1e-6);
  EXPECT_NEAR(r.points.ucl[0], 26.387553, 1e-6);
  EXPECT_NEAR(r.points.ucl[0], 534.0 / 36 + 3 * std::sqrt(534.0 / 36), 1e-12);
  EXPECT_EQ(r.phases.n_useful[0], 36);
  EXPECT_EQ(r.phases.longest_run[0], 17);
  EXPECT_EQ(r.phases.longest_run_max[0], 8);
  EXPECT_EQ(r.phases.n_crossings[0], 5);
  EXPECT_EQ(r.phases.n_crossings_min[0], 13);
  EXPECT_TRUE(r.phases.runs_signal[0]);
  EXPECT_EQ(count_signals(r), 2);

  spec.part = {24};
  r = chart(Chart::c, Input{cdi}, spec);
  EXPECT_NEAR(r.points.cl[0], 18.708333, 1e-6);
  EXPECT_NEAR(r.points.lcl[0], 5.732394, 1e-6);
  EXPECT_NEAR(r.points.ucl[0], 31.684273, 1e-6);
  EXPECT_NEAR(r.points.cl[30], 7.083333, 1e-6);
  EXPECT_EQ(r.points.lcl[30], 0.0);  // 7.08 - 3 sqrt(7.08) < 0 is truncated
  EXPECT_NEAR(r.points.ucl[30], 15.067693, 1e-6);
  EXPECT_EQ(r.phases.longest_run[0], 6);
  EXPECT_EQ(r.phases.n_crossings[0], 8);
  EXPECT_FALSE(r.phases.runs_signal[0]);

  spec.part.clear();
  spec.freeze = 24;
  r = chart(Chart::c, Input{cdi}, spec);
  EXPECT_NEAR(r.points.cl[35], 18.708333, 1e-6);
  EXPECT_EQ(r.phases.longest_run[0], 15);
  EXPECT_EQ(r.phases.n_crossings[0], 8);
  EXPECT_TRUE(r.phases.runs_signal[0]);
  EXPECT_EQ(count_signals(r), 6);
}

TEST(CChart, MissingCountsAndPointsOnTheCentreLine) {
  // Mean of 2, 4, 3, 3, 2, 4 is 3; the missing count takes no part.
  const auto r = chart(Chart::c, Input{{2, 4, 3, na, 3, 2, 4}});
  EXPECT_EQ(r.points.cl[0], 3.0);
  EXPECT_TRUE(std::isnan(r.points.value[3]));
  EXPECT_FALSE(r.points.sigma_signal[3]);
  // The two points on the centre line neither break nor count in runs.
  EXPECT_EQ(r.phases.n_useful[0], 4);
  EXPECT_EQ(r.phases.n_obs[0], 7);
}

TEST(CChart, SumsRowsSharingXWhateverTheAggregate) {
  Spec spec;
  spec.agg = Aggregate::mean;
  const auto r = chart(Chart::c, Input{{1, 2, 3, 4, 5}, {}, {1, 1, 2, 2, 2}}, spec);
  EXPECT_EQ(r.points.value[0], 3.0);
  EXPECT_EQ(r.points.value[1], 12.0);
}

TEST(UChart, PoissonLimitsAndEventsWithZeroExposureCountInTheCentre) {
  auto r = chart(Chart::u, Input{{3, 5, 2}, {100, 200, 50}});
  const double ubar = 10.0 / 350;
  EXPECT_NEAR(r.points.cl[0], ubar, 1e-16);
  EXPECT_NEAR(r.points.ucl[2], ubar + 3 * std::sqrt(ubar / 50), 1e-15);
  EXPECT_EQ(r.points.lcl[2], 0.0);
  EXPECT_NEAR(r.points.lcl_95[1], std::max(0.0, ubar - 2 * std::sqrt(ubar / 200)), 1e-15);
  // Zero exposure: no value, no limits; its events still enter Σy (as qicharts2).
  r = chart(Chart::u, Input{{2, 3, 1, 4}, {10, 10, 0, 10}});
  EXPECT_NEAR(r.points.cl[0], 10.0 / 30, 1e-15);
  EXPECT_TRUE(std::isnan(r.points.value[2]));
  EXPECT_TRUE(std::isnan(r.points.ucl[2]));
  EXPECT_FALSE(r.points.sigma_signal[2]);
}

TEST(UChart, MultiplyScalesAfterTheComputation) {
  const Input in{{3, 5, 2, 9}, {100, 200, 50, 120}};
  const auto plain = chart(Chart::u, in);
  Spec spec;
  spec.multiply = 1000;
  const auto scaled = chart(Chart::u, in, spec);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(scaled.points.value[i], 1000 * plain.points.value[i], 1e-12);
    EXPECT_NEAR(scaled.points.ucl[i], 1000 * plain.points.ucl[i], 1e-12);
    EXPECT_NEAR(scaled.points.lcl_95[i], 1000 * plain.points.lcl_95[i], 1e-12);
  }
}

// -- Laney P' and U' ---------------------------------------------------------------------------

namespace {
const Input laney_data{{10, 25, 12, 30, 18}, {100, 200, 100, 200, 150}};

/// Laney's sigma_z written out: the z-scores of the p chart, then the profile's spread.
double laney_sigma_z(bool categorical, double d2) {
  const auto& y = laney_data.y;
  const auto& n = laney_data.n;
  const double pbar = 95.0 / 750;
  std::vector<double> z;
  for (std::size_t i = 0; i < y.size(); ++i)
    z.push_back((y[i] / n[i] - pbar) / std::sqrt(pbar * (1 - pbar) / n[i]));
  if (categorical) {
    const double m = mean(z);
    double ss = 0;
    for (double v : z) ss += (v - m) * (v - m);
    return std::sqrt(ss / (z.size() - 1));
  }
  double amr = 0;
  for (std::size_t i = 1; i < z.size(); ++i) amr += std::abs(z[i] - z[i - 1]);
  return amr / (z.size() - 1) / d2;
}
}  // namespace

TEST(LaneyP, SigmaZFromTheMovingRangeOfZ) {
  const double pbar = 95.0 / 750;
  auto sigma = [&](double n) { return std::sqrt(pbar * (1 - pbar) / n); };
  auto r = chart(Chart::pp, laney_data);  // qiscope: exact d2, no screening
  double sz = laney_sigma_z(false, d2_exact);
  EXPECT_NEAR(r.points.cl[0], pbar, 1e-15);
  EXPECT_NEAR(r.points.ucl[0], pbar + 3 * sigma(100) * sz, 1e-14);
  EXPECT_NEAR(r.points.lcl_95[1], pbar - 2 * sigma(200) * sz, 1e-14);

  Spec spec;
  spec.profile = Profile::qicharts2;  // d2 = 1.128 (no moving range is screened here)
  r = chart(Chart::pp, laney_data, spec);
  sz = laney_sigma_z(false, 1.128);
  EXPECT_NEAR(r.points.ucl[4], pbar + 3 * sigma(150) * sz, 1e-14);

  spec.x_categorical = true;  // units, not time: sigma_z = sd(z)
  r = chart(Chart::pp, laney_data, spec);
  sz = laney_sigma_z(true, 0);
  EXPECT_NEAR(r.points.ucl[4], pbar + 3 * sigma(150) * sz, 1e-14);
  EXPECT_FALSE(r.phases.runs_signal[0]);
}

TEST(LaneyP, CategoricalUnitWithoutValue) {
  // Five units and a sixth with no cases: sd(z) of the five; qicharts2's sd() without na.rm
  // leaves every limit missing.
  Input in = laney_data;
  in.y.push_back(0);
  in.n.push_back(0);
  Spec spec;
  spec.x_categorical = true;
  auto r = chart(Chart::pp, in, spec);
  const double pbar = 95.0 / 750;
  EXPECT_NEAR(r.points.ucl[0], pbar + 3 * std::sqrt(pbar * (1 - pbar) / 100) * laney_sigma_z(true, 0), 1e-14);
  EXPECT_TRUE(std::isnan(r.points.ucl[5]));
  spec.profile = Profile::qicharts2;
  r = chart(Chart::pp, in, spec);
  EXPECT_TRUE(std::isnan(r.points.ucl[0]));
  EXPECT_EQ(count_signals(r), 0);
}

TEST(LaneyU, SigmaZScalesThePoissonSigma) {
  const double ubar = 95.0 / 750;
  auto r = chart(Chart::up, laney_data);
  // z-scores of the u chart: (u_i - ubar) / sqrt(ubar / n_i).
  std::vector<double> z;
  for (std::size_t i = 0; i < 5; ++i)
    z.push_back((laney_data.y[i] / laney_data.n[i] - ubar) / std::sqrt(ubar / laney_data.n[i]));
  double amr = 0;
  for (std::size_t i = 1; i < 5; ++i) amr += std::abs(z[i] - z[i - 1]);
  const double sz = amr / 4 / d2_exact;
  EXPECT_NEAR(r.points.ucl[1], ubar + 3 * std::sqrt(ubar / 200) * sz, 1e-14);
  EXPECT_NEAR(r.points.lcl[1], std::max(0.0, ubar - 3 * std::sqrt(ubar / 200) * sz), 1e-14);
}

TEST(LaneyP, ScreeningDropsLargeMovingRangesOfZ) {
  // One wild point makes two moving ranges of z >= 3.267 x their mean; qicharts2 drops them.
  Input in{{}, {}};
  for (int i = 0; i < 20; ++i) {
    in.y.push_back(i == 10 ? 90 : 40 + (i % 3));
    in.n.push_back(400);
  }
  Spec spec;
  spec.profile = Profile::qicharts2;
  const auto r = chart(Chart::pp, in, spec);
  double ysum = 0;
  for (double v : in.y) ysum += v;
  const double pbar = ysum / 8000, sigma = std::sqrt(pbar * (1 - pbar) / 400);
  std::vector<double> mr;
  for (std::size_t i = 1; i < 20; ++i) mr.push_back(std::abs(in.y[i] - in.y[i - 1]) / 400 / sigma);
  const double limit = 3.267 * mean(mr);
  std::vector<double> kept;
  for (double m : mr)
    if (m < limit) kept.push_back(m);
  ASSERT_EQ(kept.size(), 17u);
  EXPECT_NEAR(r.points.ucl[0], pbar + 3 * sigma * mean(kept) / 1.128, 1e-13);
  EXPECT_TRUE(r.points.sigma_signal[10]);
}

// -- g and t ---------------------------------------------------------------------------------------

// spc-spec §8.3: surgeries between deaths in qicharts2's cabg data (first one unknown).
const std::vector<double> surgeries_between_deaths{
    na, 23, 39, 15, 34,  1,   49, 98, 29, 27, 13, 45, 7,  10, 27, 24, 14, 20, 38, 44, 11, 10, 3,
    113, 183, 3, 47, 18, 18, 33, 15, 2, 38, 27, 27, 1,  52, 23, 7,  26, 82, 5,  49, 5,  17, 24,
    44, 26, 2,  27, 46, 55, 97, 22, 22, 20, 4,  60, 51, 7,  21, 66, 36, 25, 72, 15, 5,  3};

TEST(GChart, Qicharts2AnchorMedianLineAndLimitsFromTheMean) {
  const auto r = chart(Chart::g, Input{surgeries_between_deaths});
  std::vector<double> known(surgeries_between_deaths.begin() + 1, surgeries_between_deaths.end());
  const double m = mean(known);
  EXPECT_EQ(r.points.cl[0], 24.0);  // the median, drawn and used by the runs analysis
  EXPECT_NEAR(r.points.ucl[0], 128.174910, 1e-6);
  EXPECT_NEAR(r.points.ucl[0], m + 3 * std::sqrt(m * (m + 1)), 1e-12);
  EXPECT_NEAR(r.points.ucl_95[0], m + 2 * std::sqrt(m * (m + 1)), 1e-12);
  EXPECT_EQ(r.points.lcl[0], 0.0);
  EXPECT_EQ(r.points.lcl_95[0], 0.0);
  EXPECT_TRUE(std::isnan(r.points.value[0]));
  EXPECT_EQ(count_signals(r), 1);
  EXPECT_EQ(r.phases.n_useful[0], 65);  // two values equal the median
}

TEST(GChart, FixedCentreIsTheMeanDrawnAtItsMedian) {
  Spec spec;
  spec.cl = 20;
  const auto r = chart(Chart::g, Input{{3, 30, 12, 7}}, spec);
  EXPECT_NEAR(r.points.cl[0], 0.693 * 20, 1e-14);
  EXPECT_NEAR(r.points.ucl[0], 20 + 3 * std::sqrt(20.0 * 21), 1e-13);
}

TEST(GChart, QccConventionCountsTrialsIncludingTheEvent) {
  Spec spec;
  spec.profile = Profile::qcc;
  const auto r = chart(Chart::g, Input{{3, 5, 1, 8, 2, 6}}, spec);
  const double m = 25.0 / 6;
  EXPECT_NEAR(r.points.cl[0], m, 1e-14);  // the mean is drawn
  EXPECT_NEAR(r.points.ucl[0], m + 3 * std::sqrt(m * (m - 1)), 1e-13);
  EXPECT_EQ(r.points.lcl[0], 0.0);
  // With a mean below 1 the qcc sigma sqrt(m (m - 1)) is undefined: an error, not NaN.
  EXPECT_THROW(chart(Chart::g, Input{{0, 1, 0, 1}}, spec), qiscope::input_error);
}

// spc-spec §8.3: days between deaths in qicharts2's cabg data.
const std::vector<double> days_between_deaths{
    16, 20, 5,  13, 1,  26, 46, 12, 12, 5,  19, 4,  3,  15, 14, 9,  8,  15, 21, 6,  3,  1, 56,
    117, 1, 33, 9,  9,  19, 12, 1,  16, 13, 18, 1,  35, 16, 5,  21, 38, 3,  25, 3,  11, 13, 20,
    9,  3,  8,  21, 24, 38, 8,  13, 9,  1,  30, 23, 3,  7,  22, 19, 11, 31, 6,  1,  1};

TEST(TChart, Qicharts2Anchor) {
  Spec spec;
  spec.profile = Profile::qicharts2;
  const auto r = chart(Chart::t, Input{days_between_deaths}, spec);
  EXPECT_NEAR(r.points.cl[0], 11.205061, 1e-6);
  EXPECT_NEAR(r.points.lcl[0], 0.022129, 1e-6);
  EXPECT_NEAR(r.points.ucl[0], 97.268018, 1e-6);
}

TEST(TChart, IChartOfTheTransformedTimesBackTransformed) {
  const std::vector<double> y{1, 60, 2, 90, 1, 50};
  const auto r = chart(Chart::t, Input{y});
  std::vector<double> v;
  for (double t : y) v.push_back(std::pow(t, 1 / 3.6));
  double amr = 0;
  for (std::size_t i = 1; i < v.size(); ++i) amr += std::abs(v[i] - v[i - 1]);
  const double sigma = amr / 5 / d2_exact, centre = mean(v);
  EXPECT_NEAR(r.points.cl[0], std::pow(centre, 3.6), 1e-12);
  EXPECT_NEAR(r.points.ucl[0], std::pow(centre + 3 * sigma, 3.6), 1e-11);
  EXPECT_NEAR(r.points.ucl_95[0], std::pow(centre + 2 * sigma, 3.6), 1e-11);
  EXPECT_EQ(r.points.value[3], 90.0);
  // The transformed lower limits are negative here: both become 0 ...
  ASSERT_LT(centre - 2 * sigma, 0);
  EXPECT_EQ(r.points.lcl[0], 0.0);
  EXPECT_EQ(r.points.lcl_95[0], 0.0);
  // ... except qicharts2's 2-sigma one, which it leaves missing.
  Spec spec;
  spec.profile = Profile::qicharts2;
  const auto q = chart(Chart::t, Input{y}, spec);
  EXPECT_EQ(q.points.lcl[0], 0.0);
  EXPECT_TRUE(std::isnan(q.points.lcl_95[0]));
}

TEST(TChart, FixedCentreIsATime) {
  Spec spec;
  spec.cl = 8;
  const auto r = chart(Chart::t, Input{{5, 10, 2, 8, 20, 4}}, spec);
  EXPECT_NEAR(r.points.cl[0], 8.0, 1e-12);
}

// -- I' -------------------------------------------------------------------------------------------

TEST(IPrimeChart, TaylorSigmaFromNeighbouringMeans) {
  // Means 10, 12, 9, 14 of 5, 10, 4, 8 units.
  const Input in{{50, 120, 36, 112}, {5, 10, 4, 8}};
  const auto r = chart(Chart::ip, in);
  const double centre = 318.0 / 27;
  const double k = std::sqrt(pi / 2);
  const std::vector<double> s{k * 2 / std::sqrt(1.0 / 5 + 1.0 / 10), k * 3 / std::sqrt(1.0 / 10 + 1.0 / 4),
                              k * 5 / std::sqrt(1.0 / 4 + 1.0 / 8)};
  const double s_bar = mean(s);
  EXPECT_NEAR(r.points.value[2], 9.0, 1e-15);
  EXPECT_NEAR(r.points.cl[0], centre, 1e-14);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.points.ucl[i], centre + 3 * s_bar / std::sqrt(in.n[i]), 1e-13);
    EXPECT_NEAR(r.points.lcl_95[i], centre - 2 * s_bar / std::sqrt(in.n[i]), 1e-13);
  }
}

TEST(IPrimeChart, Qicharts2UsesEveryPointOfThePhaseForSigma) {
  const Input in{{50, 120, 36, 112}, {5, 10, 4, 8}};
  const double k = std::sqrt(pi / 2);
  Spec spec;
  spec.exclude = {2};
  spec.screen_mr = false;
  // qiscope: the excluded point is dropped first, so 12 and 14 become neighbours.
  auto r = chart(Chart::ip, in, spec);
  std::vector<double> s{k * 2 / std::sqrt(1.0 / 5 + 1.0 / 10), k * 2 / std::sqrt(1.0 / 10 + 1.0 / 8)};
  EXPECT_NEAR(r.points.cl[0], 282.0 / 23, 1e-14);
  EXPECT_NEAR(r.points.ucl[0], 282.0 / 23 + 3 * mean(s) / std::sqrt(5.0), 1e-13);
  // qicharts2: every neighbouring pair of the phase, the excluded point included.
  spec.profile = Profile::qicharts2;
  r = chart(Chart::ip, in, spec);
  s = {k * 2 / std::sqrt(1.0 / 5 + 1.0 / 10), k * 3 / std::sqrt(1.0 / 10 + 1.0 / 4),
       k * 5 / std::sqrt(1.0 / 4 + 1.0 / 8)};
  EXPECT_NEAR(r.points.cl[0], 282.0 / 23, 1e-14);
  EXPECT_NEAR(r.points.ucl[0], 282.0 / 23 + 3 * mean(s) / std::sqrt(5.0), 1e-13);
}

TEST(IPrimeChart, WithoutDenominatorEachPointWeighsItsObservations) {
  // Rows sharing x are averaged; n is their number.
  const auto r = chart(Chart::ip, Input{{1, 3, 4, 5, 6, 8}, {}, {1, 1, 2, 2, 2, 3}});
  EXPECT_EQ(r.points.n[0], 2.0);
  EXPECT_EQ(r.points.n[1], 3.0);
  EXPECT_NEAR(r.points.value[1], 5.0, 1e-15);
  EXPECT_NEAR(r.points.cl[0], 27.0 / 6, 1e-14);
}

// -- constant data ------------------------------------------------------------------------------

TEST(ConstantData, ZeroSigmaGivesLimitsOnTheCentreAndNoFalseSignals) {
  const std::vector<double> y(12, 0.1);
  auto r = chart(Chart::i, Input{y});
  for (std::size_t i = 0; i < y.size(); ++i) {
    EXPECT_EQ(r.points.cl[i], 0.1);  // the mean of equal values is that value exactly
    EXPECT_EQ(r.points.ucl[i], 0.1);
    EXPECT_EQ(r.points.lcl[i], 0.1);
    EXPECT_FALSE(r.points.sigma_signal[i]);
  }
  EXPECT_EQ(r.phases.n_useful[0], 0);
  EXPECT_FALSE(r.phases.runs_signal[0]);
  // With moving-range screening nothing is below 3.267 x 0: no limits (as qicharts2).
  Spec spec;
  spec.profile = Profile::qicharts2;
  r = chart(Chart::i, Input{y}, spec);
  EXPECT_TRUE(std::isnan(r.points.ucl[0]));
  EXPECT_EQ(count_signals(r), 0);
}

TEST(ConstantData, NoEventsAtAll) {
  const Input none{{0, 0, 0, 0}, {10, 20, 10, 30}};
  auto r = chart(Chart::p, none);
  EXPECT_EQ(r.points.cl[0], 0.0);
  EXPECT_EQ(r.points.ucl[0], 0.0);
  EXPECT_EQ(count_signals(r), 0);
  // Laney: every z is 0/0, so sigma_z and the limits are undefined - missing, never a signal.
  r = chart(Chart::pp, none);
  EXPECT_TRUE(std::isnan(r.points.ucl[0]));
  EXPECT_EQ(count_signals(r), 0);
  r = chart(Chart::c, Input{{0, 0, 0}});
  EXPECT_EQ(r.points.ucl[0], 0.0);
  EXPECT_EQ(count_signals(r), 0);
}

// -- validation ---------------------------------------------------------------------------------

namespace {
void expect_input_error(Chart type, const Input& in, const char* field, std::int64_t row, const char* rule) {
  try {
    chart(type, in);
    ADD_FAILURE() << "no error for " << to_string(type);
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), field) << to_string(type);
    EXPECT_EQ(e.row(), row) << to_string(type);
    EXPECT_EQ(e.rule(), rule) << to_string(type);
  }
}
}  // namespace

TEST(ChartInputs, BadValuesNameTheColumnAndRow) {
  expect_input_error(Chart::p, Input{{1, 5, 2}, {10, 4, 10}}, "y", 1, "numerator_le_denominator");
  expect_input_error(Chart::np, Input{{1, 5, 2}, {10, 4, 10}}, "y", 1, "numerator_le_denominator");
  expect_input_error(Chart::u, Input{{1, 2, 3}, {10, -1, 10}}, "n", 1, "non_negative");
  expect_input_error(Chart::c, Input{{1, -2, 3}}, "y", 1, "non_negative");
  expect_input_error(Chart::g, Input{{1, 2, -3}}, "y", 2, "non_negative");
  expect_input_error(Chart::t, Input{{1, 0, 3}}, "y", 1, "positive");
  expect_input_error(Chart::np, Input{{1, 2, 3}}, "n", -1, "required");
  expect_input_error(Chart::xbar, Input{{1, 2, 3}, {1, 1, 1}}, "n", -1, "not_used");
  expect_input_error(Chart::s, Input{{1, 2, 3}, {1, 1, 1}}, "n", -1, "not_used");
}
