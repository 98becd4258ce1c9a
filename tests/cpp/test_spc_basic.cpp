// Hand-checked series for the run, I and MR charts (values from shared/design/spc-spec.md §8,
// computed there with qicharts2 0.8.1, NHSRplotthedots 0.2.2 and qcc 2.7).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>

using namespace qiscope::spc;

namespace {
const double na = std::nan("");

Result run(std::vector<double>& y, Spec spec) {
  Observations obs;
  obs.y = y;
  return compute(obs, spec);
}

// PTD "deviations" vignette: the same 18 values through five engines.
std::vector<double> deviations{1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
}  // namespace

TEST(IChart, ProfilesReproduceEachToolsLimits) {
  struct Case { Profile profile; std::optional<bool> screen; double lcl, ucl; double tol; };
  // Anchors are printed to 7 significant digits in the spec.
  const std::vector<Case> cases{
      {Profile::qicharts2, true, -0.71513, 4.604019, 1e-5},
      {Profile::qicharts2, false, -3.061813, 6.950702, 1e-6},
      {Profile::ptd, true, -0.7155556, 4.604444, 1e-6},
      {Profile::ptd, false, -3.062614, 6.951503, 1e-6},
      {Profile::mdc_excel, std::nullopt, -3.062614, 6.951503, 1e-6},
      {Profile::qcc, std::nullopt, -3.061813, 6.950702, 1e-6},
  };
  for (const auto& c : cases) {
    Spec spec;
    spec.chart = Chart::i;
    spec.profile = c.profile;
    spec.screen_mr = c.screen;
    const auto r = run(deviations, spec);
    EXPECT_NEAR(r.points.cl[0], 1.944444444444, 1e-9);
    EXPECT_NEAR(r.points.lcl[0], c.lcl, c.tol) << to_string(c.profile);
    EXPECT_NEAR(r.points.ucl[0], c.ucl, c.tol) << to_string(c.profile);
  }
}

TEST(IChart, QiscopeDefaultUsesExactD2) {
  Spec spec;
  spec.chart = Chart::i;
  const auto r = run(deviations, spec);
  // Unscreened mean moving range of the 17 ranges: (16 x 1 + 8 + 9 - 2) / 17 ... computed here.
  double amr = 0;
  for (std::size_t i = 1; i < deviations.size(); ++i) amr += std::abs(deviations[i] - deviations[i - 1]);
  amr /= 17.0;
  const double sigma = amr * std::sqrt(std::acos(-1.0)) / 2.0;
  EXPECT_NEAR(r.points.ucl[0], 35.0 / 18.0 + 3 * sigma, 1e-12);
  EXPECT_NEAR(r.points.lcl_95[0], 35.0 / 18.0 - 2 * sigma, 1e-12);
}

TEST(IChart, MissingValueRemovesBothAdjacentMovingRanges) {
  std::vector<double> y{5, 3, na, 4, 6, 2, 5, 4, 3, 6, 5, 4};
  Spec spec;
  spec.chart = Chart::i;
  spec.profile = Profile::qicharts2;
  const auto r = run(y, spec);
  EXPECT_NEAR(r.points.cl[0], 47.0 / 11.0, 1e-12);
  // AMR = 2.0 (spec §8.3), sigma = 2 / 1.128.
  EXPECT_NEAR(r.points.lcl[0], 47.0 / 11.0 - 3 * 2.0 / 1.128, 1e-12);
  EXPECT_NEAR(r.points.ucl[0], 9.591876, 1e-6);
  EXPECT_TRUE(std::isnan(r.points.value[2]));
  EXPECT_FALSE(r.points.sigma_signal[2]);
}

TEST(MrChart, LimitsFromTheMeanMovingRange) {
  Spec spec;
  spec.chart = Chart::mr;
  const auto r = run(deviations, spec);
  EXPECT_TRUE(std::isnan(r.points.value[0]));
  EXPECT_NEAR(r.points.cl[1], 1.882353, 1e-6);
  EXPECT_NEAR(r.points.ucl[1], 6.149647, 1e-6);
  EXPECT_EQ(r.points.lcl[1], 0.0);
  EXPECT_FALSE(r.points.runs_signal[1]);
}

TEST(RunChart, PointsOnTheMedianNeitherBreakNorCount) {
  std::vector<double> y{1, 2, 3, 3, 3, 4, 5, 2, 3, 6, 3};
  const auto r = run(y, Spec{});
  EXPECT_EQ(r.points.cl[0], 3.0);
  EXPECT_EQ(r.phases.n_useful[0], 6);
  EXPECT_EQ(r.phases.longest_run[0], 2);
  EXPECT_EQ(r.phases.longest_run_max[0], 6);
  EXPECT_EQ(r.phases.n_crossings[0], 3);
  EXPECT_EQ(r.phases.n_crossings_min[0], 1);
  EXPECT_FALSE(r.phases.runs_signal[0]);
}

TEST(RunChart, AnhoejCriticalValuesMatchTheTable) {
  // n: longest.run.max / n.crossings.min from qicharts2 (spc-spec.md §2.3).
  const std::vector<std::array<std::int64_t, 3>> table{
      {1, 3, 0}, {2, 4, 0}, {5, 5, 0}, {6, 6, 1}, {9, 6, 2}, {10, 6, 2}, {12, 7, 3}, {14, 7, 4},
      {17, 7, 5}, {19, 7, 6}, {22, 7, 7}, {23, 8, 7}, {24, 8, 8}, {27, 8, 9}, {29, 8, 10},
      {31, 8, 11}, {34, 8, 12}, {36, 8, 13}, {38, 8, 14}, {45, 8, 17}, {46, 9, 17}, {50, 9, 19},
      {60, 9, 23}, {70, 9, 28}, {80, 9, 32}, {90, 9, 37}, {91, 10, 37}, {100, 10, 41},
      {200, 11, 88}, {500, 12, 231}, {1000, 13, 474}};
  for (const auto& [n, lr, nc] : table) {
    EXPECT_EQ(longest_run_max(n), lr) << n;
    EXPECT_EQ(crossings_min(n), nc) << n;
  }
}

TEST(RunChart, IhiRunsTableFromTheExactDistribution) {
  // n: lower-upper acceptable runs (spc-spec.md §5, Swed & Eisenhart with n/2 per side).
  const std::vector<std::array<std::int64_t, 3>> table{
      {10, 3, 9}, {11, 4, 9}, {12, 4, 10}, {13, 4, 11}, {14, 4, 12}, {15, 5, 12}, {16, 5, 13},
      {17, 6, 13}, {18, 6, 14}, {19, 6, 15}, {20, 7, 15}, {21, 7, 16}, {22, 8, 16}, {23, 8, 17},
      {24, 8, 18}, {25, 9, 18}, {26, 9, 19}, {27, 10, 19}, {28, 10, 20}, {29, 10, 21},
      {30, 11, 21}, {40, 15, 27}, {50, 19, 33}, {60, 24, 38}};
  for (const auto& [n, lo, hi] : table) {
    const auto [lower, upper] = ihi_runs_range(n);
    EXPECT_EQ(lower, lo) << n;
    EXPECT_EQ(upper, hi) << n;
  }
}

TEST(RunChart, IhiShiftSkipsPointsOnTheMedianAndTrendSkipsTies) {
  // Median 5; points 6..11 are above it with one on the median in between: a shift of 6.
  std::vector<double> y{1, 2, 3, 4, 5, 6, 7, 5, 8, 9, 9, 10, 4, 3, 2, 1, 5, 5, 5};
  Spec spec;
  spec.rules = RuleSet::ihi;
  const auto r = run(y, spec);
  ASSERT_EQ(r.points.cl[0], 5.0);
  for (std::size_t i : {5, 6, 8, 9, 10, 11}) EXPECT_TRUE(r.points.rules[i] & rule_bits::shift) << i;
  EXPECT_FALSE(r.points.rules[7] & rule_bits::shift);
  // 1,2,3,4,5,6,7 rises: a trend of 7 >= 5. 5,8,9,9,10 counts 4 points (the repeated 9 once):
  // no trend.
  for (std::size_t i = 0; i < 7; ++i) EXPECT_TRUE(r.points.rules[i] & rule_bits::trend) << i;
  for (std::size_t i : {7, 8, 9, 10}) EXPECT_FALSE(r.points.rules[i] & rule_bits::trend) << i;
  // 10,4,3,2,1: a falling trend of 5.
  for (std::size_t i = 11; i < 16; ++i) EXPECT_TRUE(r.points.rules[i] & rule_bits::trend) << i;
}

TEST(RunChart, TrendTiesSkipOrBreakAsAsked) {
  std::vector<double> y{9, 1, 2, 2, 3, 4, 5, 0};
  Spec spec;
  spec.rules = RuleSet::ihi;
  auto r = run(y, spec);
  // 1,2,2,3,4,5: five distinct rising values; the tie neither adds nor breaks.
  for (std::size_t i = 1; i <= 6; ++i) EXPECT_TRUE(r.points.rules[i] & rule_bits::trend) << i;
  EXPECT_FALSE(r.points.rules[7] & rule_bits::trend);
  spec.trend_ties_break = true;
  r = run(y, spec);
  // 2,3,4,5 after the tie: only four points.
  for (std::size_t i = 0; i < y.size(); ++i) EXPECT_FALSE(r.points.rules[i] & rule_bits::trend) << i;
}

TEST(Phases, PartRestartsLimitsAndRuns) {
  std::vector<double> y{1, 2, 3, 4, 5, 10, 11, 12, 13, 14};
  Spec spec;
  spec.chart = Chart::i;
  spec.part = {5};
  const auto r = run(y, spec);
  ASSERT_EQ(r.phases.size(), 2u);
  EXPECT_EQ(r.points.phase[4], 1);
  EXPECT_EQ(r.points.phase[5], 2);
  EXPECT_DOUBLE_EQ(r.points.cl[0], 3.0);
  EXPECT_DOUBLE_EQ(r.points.cl[9], 12.0);
}

TEST(Phases, FreezeKeepsTheBaselineAndTestsEveryPoint) {
  std::vector<double> y{3, 4, 3, 4, 3, 4, 8, 9, 8, 9, 8, 9, 8, 9};
  Spec spec;
  spec.chart = Chart::i;
  spec.freeze = 6;
  const auto r = run(y, spec);
  EXPECT_DOUBLE_EQ(r.points.cl[13], 3.5);
  EXPECT_EQ(r.phases.n_obs[0], 14);
  EXPECT_TRUE(r.points.sigma_signal[13]);
  EXPECT_TRUE(r.phases.runs_signal[0]);
}

TEST(Phases, ExcludedPointsAreReportedButNotUsed) {
  std::vector<double> y{3, 4, 3, 4, 100, 3, 4, 3, 4};
  Spec spec;
  spec.chart = Chart::i;
  spec.exclude = {4};
  const auto r = run(y, spec);
  EXPECT_DOUBLE_EQ(r.points.cl[0], 3.5);
  EXPECT_TRUE(r.points.excluded[4]);
  EXPECT_EQ(r.points.value[4], 100.0);
  EXPECT_TRUE(r.points.sigma_signal[4]);
  EXPECT_EQ(r.phases.n_obs[0], 8);
}

TEST(ManySeries, ResultsDoNotDependOnThreadCount) {
  std::vector<double> y;
  std::vector<std::int64_t> series;
  for (int s = 0; s < 300; ++s)
    for (int i = 0; i < 30; ++i) {
      y.push_back(std::sin(s * 31.0 + i * 7.0) * 10 + s);
      series.push_back(s);
    }
  Observations obs;
  obs.y = y;
  obs.series = series;
  Spec spec;
  spec.chart = Chart::i;
  spec.n_threads = 1;
  const nlohmann::json one = compute(obs, spec);
  spec.n_threads = 4;
  nlohmann::json four = compute(obs, spec);
  four["spec"]["n_threads"] = 1;
  EXPECT_EQ(one, four);
}

TEST(Json, ResultRoundTripIsLossless) {
  Spec spec;
  spec.chart = Chart::i;
  spec.part = {9};
  spec.target = 3;
  spec.direction = Direction::decrease;
  const auto r = run(deviations, spec);
  const nlohmann::json j = r;
  const auto back = nlohmann::json::parse(j.dump()).get<Result>();
  EXPECT_EQ(nlohmann::json(back), j);
  EXPECT_EQ(back.points.ucl, r.points.ucl);
}

TEST(Errors, BadInputNamesColumnAndRow) {
  std::vector<double> y{1, 2, std::numeric_limits<double>::infinity(), 4};
  try {
    run(y, Spec{});
    FAIL() << "no error";
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "y");
    EXPECT_EQ(e.row(), 2);
    EXPECT_EQ(e.rule(), "finite");
  }
  EXPECT_THROW(parse_chart("xyz"), qiscope::input_error);
  EXPECT_EQ(parse_chart("xmr"), Chart::i);
  EXPECT_THROW(nlohmann::json({{"charts", "i"}}).get<Spec>(), qiscope::input_error);
}

TEST(RunChart, BestBoxAndCutBoxFollowThePublishedLimits) {
  // Anhøj & Wentzel-Larsen (2020), n = 10: best box crossings >= 2 and longest <= 6; the cut
  // box removes the corner (2, 6) and adds the border cells (3, 6) and (2, 5).
  EXPECT_FALSE(runs_signal(RunsMethod::bestbox, 10, 2, 6));
  EXPECT_TRUE(runs_signal(RunsMethod::bestbox, 10, 1, 6));
  EXPECT_TRUE(runs_signal(RunsMethod::bestbox, 10, 2, 7));
  EXPECT_TRUE(runs_signal(RunsMethod::cutbox, 10, 2, 6));
  EXPECT_FALSE(runs_signal(RunsMethod::cutbox, 10, 3, 6));
  EXPECT_FALSE(runs_signal(RunsMethod::cutbox, 10, 2, 5));
  EXPECT_FALSE(runs_signal(RunsMethod::cutbox, 10, 3, 5));
  // n = 12 has no border cells: the cut box is the best box (crossings >= 3, longest <= 6).
  EXPECT_FALSE(runs_signal(RunsMethod::cutbox, 12, 3, 6));
  EXPECT_TRUE(runs_signal(RunsMethod::cutbox, 12, 3, 7));
  // Anhøj at n = 12 (longest <= 7, crossings >= 3) accepts (3, 7).
  EXPECT_FALSE(runs_signal(RunsMethod::anhoej, 12, 3, 7));
  // Outside 10-100 both boxes fall back to Anhøj's limits (n = 9: longest <= 6, crossings >= 2).
  for (auto m : {RunsMethod::bestbox, RunsMethod::cutbox}) {
    EXPECT_FALSE(runs_signal(m, 9, 2, 6));
    EXPECT_TRUE(runs_signal(m, 9, 1, 6));
    EXPECT_EQ(runs_signal(m, 101, 40, 9), runs_signal(RunsMethod::anhoej, 101, 40, 9));
  }
}
