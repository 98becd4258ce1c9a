// Paired gap statistics against culture-spec §4 (R t.test / wilcox.test, scipy) and textbook
// examples.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/culture.hpp>

using namespace qiscope::culture;

namespace {
// "want" and "comfortable" showing vulnerability, 12 leaders (culture-spec §4 gap dataset).
const std::vector<double> want{5, 5, 4, 5, 4, 5, 4, 5, 5, 4, 5, 4};
const std::vector<double> comfortable{3, 4, 3, 2, 4, 3, 3, 4, 2, 4, 3, 4};

GapOptions positive_4_5(int min_n = 1) {
  GapOptions o;
  o.positive = CodeRange{4, 5};
  o.min_n = min_n;
  return o;
}
}  // namespace

TEST(CultureGap, PairedTWilcoxonAndEffectSize) {
  const auto g = gap(want, comfortable, {}, positive_4_5());
  ASSERT_EQ(g.n.size(), 1u);
  EXPECT_EQ(g.n[0], 12);
  EXPECT_NEAR(g.t[0], 4.30422069479176, 1e-12);
  EXPECT_EQ(g.df[0], 11);
  EXPECT_NEAR(g.p[0], 0.00124712659133736, 1e-14);
  EXPECT_NEAR(g.diff_ci_low[0], 0.651526546875288, 1e-12);
  EXPECT_NEAR(g.diff_ci_high[0], 2.01514011979138, 1e-12);
  EXPECT_EQ(g.wilcoxon_v[0], 45);
  EXPECT_NEAR(g.wilcoxon_p[0], 0.0082583435465469, 1e-14);
  EXPECT_FALSE(g.wilcoxon_exact[0]);  // three zero differences: normal approximation
  EXPECT_EQ(g.n_nonzero[0], 9);
  EXPECT_NEAR(g.d_z[0], 1.24252148839479, 1e-12);
  EXPECT_NEAR(g.percent_positive_a[0], 100, 1e-12);
  EXPECT_NEAR(g.percent_positive_b[0], 500.0 / 12, 1e-12);
  EXPECT_NEAR(g.mcnemar_p[0], 0.015625, 1e-15);  // b = 7, c = 0: 2 / 2^7
}

TEST(CultureGap, ExactSignedRankWithoutTiesOrZeros) {
  // Differences 1, -2, 3, 4, 5, 6 (no ties, no zeros, n < 50): V = 1 + 3 + 4 + 5 + 6 = 19, and
  // the exact two-sided p is 2 P(V >= 19) under the null, where every subset of the ranks
  // {1..6} is equally likely - counted by brute force below.
  const std::vector<double> a{2, 1, 4, 5, 6, 7};
  const std::vector<double> b{1, 3, 1, 1, 1, 1};
  GapOptions options;
  options.min_n = 1;
  const auto g = gap(a, b, {}, options);
  EXPECT_EQ(g.wilcoxon_v[0], 19);
  EXPECT_TRUE(g.wilcoxon_exact[0]);
  int at_least = 0;
  for (int mask = 0; mask < 64; ++mask) {
    int s = 0;
    for (int r = 1; r <= 6; ++r)
      if (mask & (1 << (r - 1))) s += r;
    at_least += s >= 19;
  }
  EXPECT_NEAR(g.wilcoxon_p[0], 2.0 * at_least / 64, 1e-15);
}

TEST(CultureGap, NewcombePairedIntervalMatchesFagerlandEtAl) {
  // Fagerland, Lydersen & Laake (2017) ch. 8, Cavo et al. 2012: [[59, 6], [16, 80]];
  // square-and-add (Newcombe method 10) estimate -0.0621, 95% CI -0.1186 to -0.0046.
  std::vector<double> a, b;
  auto add = [&](int count, double x, double y) {
    for (int i = 0; i < count; ++i) {
      a.push_back(x);
      b.push_back(y);
    }
  };
  add(59, 5, 5);
  add(6, 5, 1);
  add(16, 1, 5);
  add(80, 1, 1);
  const auto g = gap(a, b, {}, positive_4_5());
  EXPECT_NEAR(g.percent_positive_diff[0], -100.0 * 10 / 161, 1e-12);
  EXPECT_NEAR(g.percent_diff_ci_low[0], -11.86, 0.005);
  EXPECT_NEAR(g.percent_diff_ci_high[0], -0.46, 0.005);
}

TEST(CultureGap, UnitsAndSuppression) {
  std::vector<double> a, b;
  std::vector<std::int64_t> unit;
  for (int i = 0; i < 12; ++i) {
    a.push_back(want[static_cast<std::size_t>(i)]);
    b.push_back(comfortable[static_cast<std::size_t>(i)]);
    unit.push_back(i < 5 ? 0 : (i < 10 ? 1 : 2));
  }
  a.push_back(std::nan(""));  // an incomplete pair is left out
  b.push_back(3);
  unit.push_back(0);
  const auto open = gap(a, b, unit, positive_4_5(1), {"A", "B", "C"});
  ASSERT_EQ(open.n.size(), 4u);
  EXPECT_EQ(open.unit[0], -1);
  EXPECT_EQ(open.n[0], 12);
  EXPECT_EQ(open.n[1], 5);
  EXPECT_EQ(open.n[3], 2);
  EXPECT_NEAR(open.t[0], 4.30422069479176, 1e-12);
  // min_n 5: unit C (2 pairs) is withheld, and with it the smaller of A and B (both 5; A first).
  const auto closed = gap(a, b, unit, positive_4_5(5), {"A", "B", "C"});
  EXPECT_FALSE(closed.suppressed[0]);
  EXPECT_TRUE(closed.suppressed[3]);
  EXPECT_EQ(closed.reason[3], Reason::below_min_n);
  EXPECT_TRUE(closed.suppressed[1]);
  EXPECT_EQ(closed.reason[1], Reason::complementary);
  EXPECT_FALSE(closed.suppressed[2]);
  EXPECT_TRUE(std::isnan(closed.mean_a[3]));
}

TEST(CultureGap, ConstantDifferencesHaveNoTest) {
  const std::vector<double> a{4, 5, 3, 4};
  const std::vector<double> b{3, 4, 2, 3};
  GapOptions options;
  options.min_n = 1;
  const auto g = gap(a, b, {}, options);
  EXPECT_EQ(g.diff[0], 1);
  EXPECT_TRUE(std::isnan(g.t[0]));
  EXPECT_EQ(g.reason[0], Reason::constant);
}
