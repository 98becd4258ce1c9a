// Every rule of every rule set on small hand-made series, flagged at the rule's threshold and
// not flagged just below it; the verified NHSRplotthedots examples (shared/design/spc-spec.md
// §3.2); the qcc 2.7 run rule (§4); icons and assurance (§3.4). Each expectation is worked out
// by hand in the comment above it.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>

using namespace qiscope::spc;

namespace {

const double na = std::numeric_limits<double>::quiet_NaN();

/// A phase with constant limits: centre line `centre`, sigma `sigma` (zones at 1, 2, 3 sigma).
struct Limits {
  std::vector<double> value, cl, lcl, ucl, lcl_95, ucl_95;
  std::vector<std::uint8_t> excluded;
  Limits(std::vector<double> v, double centre = 0, double sigma = 1) : value(std::move(v)) {
    const std::size_t n = value.size();
    cl.assign(n, centre);
    lcl.assign(n, centre - 3 * sigma);
    ucl.assign(n, centre + 3 * sigma);
    lcl_95.assign(n, centre - 2 * sigma);
    ucl_95.assign(n, centre + 2 * sigma);
  }
  PhaseView view() const {
    PhaseView v;
    v.value = value;
    v.cl = cl;
    v.lcl = lcl;
    v.ucl = ucl;
    v.lcl_95 = lcl_95;
    v.ucl_95 = ucl_95;
    v.excluded = excluded;
    return v;
  }
};

SpecialCauses find(const Limits& chart, RuleSet rules, Spec spec = {}) {
  spec.chart = Chart::i;  // any chart with limits
  spec.rules = rules;
  return find_special_causes(chart.view(), rules, resolve(spec));
}

/// Positions flagged with `bit` (any rule when bit is 0).
std::vector<std::size_t> flagged(const SpecialCauses& sc, std::uint32_t bit = 0) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < sc.rules.size(); ++i)
    if (bit ? (sc.rules[i] & bit) != 0 : sc.rules[i] != 0) out.push_back(i);
  return out;
}

using Idx = std::vector<std::size_t>;

std::vector<std::size_t> all_of(std::size_t n) {
  Idx out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

/// `n` points alternating slightly above the centre line: a run on one side without a trend.
std::vector<double> above(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i % 2 ? 0.6 : 0.5;
  return v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Making Data Count
// ---------------------------------------------------------------------------------------------

TEST(MdcRules, OutsideTheLimitsIsStrict) {
  // 3.5 > UCL = 3 and -3.01 < LCL = -3 signal; 3.0 on the UCL does not.
  const auto sc = find(Limits({0.5, 3.5, -0.5, -3.01, 3.0}), RuleSet::mdc);
  EXPECT_EQ(flagged(sc), (Idx{1, 3}));
  EXPECT_EQ(flagged(sc, rule_bits::sigma), (Idx{1, 3}));
  EXPECT_EQ(sc.side[1], 1);
  EXPECT_EQ(sc.side[3], -1);
}

TEST(MdcRules, ShiftOfSevenAndNotSix) {
  auto sc = find(Limits(above(7)), RuleSet::mdc);
  EXPECT_EQ(flagged(sc, rule_bits::shift), all_of(7));
  EXPECT_EQ(flagged(sc), all_of(7));
  for (auto s : sc.side) EXPECT_EQ(s, 1);
  sc = find(Limits(above(6)), RuleSet::mdc);
  EXPECT_TRUE(flagged(sc).empty());
  // shift_n = 6 (the MDC spreadsheet's other choice) flags the six.
  Spec spec;
  spec.shift_n = 6;
  sc = find(Limits(above(6)), RuleSet::mdc, spec);
  EXPECT_EQ(flagged(sc, rule_bits::shift), all_of(6));
}

TEST(MdcRules, APointOnTheMeanBreaksAShiftButIhiSkipsIt) {
  // 3 above, one exactly on the mean, 4 above.
  const Limits chart({0.5, 0.6, 0.5, 0.0, 0.6, 0.5, 0.6, 0.5});
  Spec spec;
  spec.shift_n = 7;
  EXPECT_TRUE(flagged(find(chart, RuleSet::mdc, spec)).empty());
  // IHI: the point on the median neither counts nor breaks: 7 points above, the 4th not flagged.
  EXPECT_EQ(flagged(find(chart, RuleSet::ihi, spec), rule_bits::shift), (Idx{0, 1, 2, 4, 5, 6, 7}));
}

TEST(MdcRules, TrendOfSevenColouredByItsDirection) {
  std::vector<double> rising{-1.5, -1, -0.5, 0.1, 0.5, 1, 1.5};
  auto sc = find(Limits(rising), RuleSet::mdc);
  EXPECT_EQ(flagged(sc, rule_bits::trend), all_of(7));
  EXPECT_EQ(flagged(sc), all_of(7));
  for (auto s : sc.side) EXPECT_EQ(s, 1);  // rising, although the first three are below the mean
  std::vector<double> falling(rising.rbegin(), rising.rend());
  sc = find(Limits(falling), RuleSet::mdc);
  for (auto s : sc.side) EXPECT_EQ(s, -1);
  // Six rising points: no trend.
  sc = find(Limits(std::vector<double>(rising.begin() + 1, rising.end())), RuleSet::mdc);
  EXPECT_TRUE(flagged(sc).empty());
}

TEST(MdcRules, TrendTiesSkipOrBreak) {
  // -0.5 repeated: seven distinct rising values in eight points.
  const Limits chart({-1.5, -1, -0.5, -0.5, 0.1, 0.5, 1, 1.5});
  // qiscope's MDC default (NHS guidance): a repeated value neither adds to nor breaks a trend.
  EXPECT_EQ(flagged(find(chart, RuleSet::mdc), rule_bits::trend), all_of(8));
  // NHSRplotthedots: the tie breaks it into 3 + 5 points.
  Spec spec;
  spec.trend_ties_break = true;
  EXPECT_TRUE(flagged(find(chart, RuleSet::mdc, spec)).empty());
  spec = Spec{};
  spec.profile = Profile::ptd;
  EXPECT_TRUE(flagged(find(chart, RuleSet::mdc, spec)).empty());
}

TEST(MdcRules, TwoOfThreeVerifiedPtdExamples) {
  // Centre 10, sigma 2: the 2-sigma limit is 14, the 3-sigma limit 16.
  Spec legacy;
  legacy.two_of_three = TwoOfThree::legacy;
  Spec mdc2023;
  mdc2023.two_of_three = TwoOfThree::mdc2023;

  // (15.5 in the 2-3 sigma zone, 30 > UCL, 12), all above the mean: PTD 0.2.2 does not flag
  // 15.5 (a point beyond 3 sigma does not count); since 2023 MDC counts 30, so 15.5 and 30 are
  // two of three and both are flagged, 12 is not.
  const Limits beyond_three({15.5, 30, 12}, 10, 2);
  auto sc = find(beyond_three, RuleSet::mdc, legacy);
  EXPECT_TRUE(flagged(sc, rule_bits::two_of_three).empty());
  EXPECT_EQ(flagged(sc), (Idx{1}));
  sc = find(beyond_three, RuleSet::mdc, mdc2023);
  EXPECT_EQ(flagged(sc, rule_bits::two_of_three), (Idx{0, 1}));
  EXPECT_EQ(flagged(sc), (Idx{0, 1}));

  // (15.5, 9 below the mean, 15.6): not all on one side of the mean, nothing flagged.
  const Limits opposite({15.5, 9, 15.6}, 10, 2);
  EXPECT_TRUE(flagged(find(opposite, RuleSet::mdc, legacy)).empty());
  EXPECT_TRUE(flagged(find(opposite, RuleSet::mdc, mdc2023)).empty());
  // Western Electric has no same-side-of-the-mean condition: the two beyond 2 sigma signal.
  EXPECT_EQ(flagged(find(opposite, RuleSet::western_electric), rule_bits::two_of_three), (Idx{0, 2}));

  // (15.5, 12, 15.6): only the points near the limit are flagged, in both versions.
  const Limits near({15.5, 12, 15.6}, 10, 2);
  EXPECT_EQ(flagged(find(near, RuleSet::mdc, legacy)), (Idx{0, 2}));
  EXPECT_EQ(flagged(find(near, RuleSet::mdc, mdc2023)), (Idx{0, 2}));
  for (std::size_t i : {0, 2}) EXPECT_EQ(find(near, RuleSet::mdc, legacy).side[i], 1);

  // (15.5, 30, 15.6): legacy counts 15.5 and 15.6 (not 30); 2023 counts all three.
  const Limits around({15.5, 30, 15.6}, 10, 2);
  EXPECT_EQ(flagged(find(around, RuleSet::mdc, legacy), rule_bits::two_of_three), (Idx{0, 2}));
  EXPECT_EQ(flagged(find(around, RuleSet::mdc, mdc2023), rule_bits::two_of_three), (Idx{0, 1, 2}));

  // One point beyond 2 sigma (and 13.9 just inside) is not two of three.
  EXPECT_TRUE(flagged(find(Limits({15.5, 12, 13.9}, 10, 2), RuleSet::mdc, mdc2023)).empty());
}

TEST(MdcRules, PrecedenceOutsideTrendTwoOfThreeShift) {
  // Seven falling points, all above the mean: a trend (falling), a shift (above) and, for 2.9
  // and 2.5 (beyond 2 sigma), two of three above. The trend decides the side: falling.
  auto sc = find(Limits({2.9, 2.5, 1.8, 1.2, 0.9, 0.6, 0.3}), RuleSet::mdc);
  EXPECT_EQ(flagged(sc, rule_bits::trend), all_of(7));
  EXPECT_EQ(flagged(sc, rule_bits::shift), all_of(7));
  EXPECT_EQ(flagged(sc, rule_bits::two_of_three), (Idx{0, 1}));
  for (auto s : sc.side) EXPECT_EQ(s, -1);
  // The first point beyond the UCL: outside comes first, so it is "above" (+1); the rest fall.
  sc = find(Limits({3.5, 2.5, 1.8, 1.2, 0.9, 0.6, 0.3}), RuleSet::mdc);
  EXPECT_EQ(sc.side[0], 1);
  for (std::size_t i = 1; i < 7; ++i) EXPECT_EQ(sc.side[i], -1) << i;
  // Two of three below the mean inside a shift below: both say "below".
  sc = find(Limits({-2.5, -2.4, -0.5, -0.6, -0.5, -0.6, -0.5}), RuleSet::mdc);
  EXPECT_EQ(flagged(sc, rule_bits::two_of_three), (Idx{0, 1}));
  for (auto s : sc.side) EXPECT_EQ(s, -1);
}

TEST(MdcRules, APeakSharedByTwoTrendsTakesTheLaterOne) {
  // Rising 0..6, falling 6..12: point 6 is in both trends and is coloured falling.
  const auto sc = find(Limits({-1.5, -1, -0.5, 0, 0.5, 1, 1.5, 1, 0.5, 0, -0.5, -1, -1.5}), RuleSet::mdc);
  EXPECT_EQ(flagged(sc), all_of(13));
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(sc.side[i], 1) << i;
  for (std::size_t i = 6; i < 13; ++i) EXPECT_EQ(sc.side[i], -1) << i;
}

TEST(MdcRules, ATieBetweenTwoTrendsIsLabelledAsPtdDoes) {
  // Rising 0..6 (points 0-6), a repeated 6, falling 6..0 (points 7-13); ties break both.
  const Limits chart({-3, -2, -1, 0, 1, 2, 2.9, 2.9, 2, 1, 0, -1, -2, -2.9}, 0, 1.5);
  Spec spec;
  spec.trend_ties_break = true;
  auto sc = find(chart, RuleSet::mdc, spec);
  EXPECT_EQ(flagged(sc, rule_bits::trend), all_of(14));
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(sc.side[i], 1) << i;
  for (std::size_t i = 7; i < 14; ++i) EXPECT_EQ(sc.side[i], -1) << i;
  // NHSRplotthedots labels point 6 by its step to point 7 (a tie), which it reads as falling.
  spec = Spec{};
  spec.profile = Profile::ptd;
  sc = find(chart, RuleSet::mdc, spec);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(sc.side[i], 1) << i;
  for (std::size_t i = 6; i < 14; ++i) EXPECT_EQ(sc.side[i], -1) << i;
}

TEST(MdcRules, MissingAndExcludedPointsAreSkipped) {
  // Seven points above the mean around a missing one: qiscope's policy continues the run.
  Limits chart({0.5, 0.6, 0.5, na, 0.6, 0.5, 0.6, 0.5});
  auto sc = find(chart, RuleSet::mdc);
  EXPECT_EQ(flagged(sc, rule_bits::shift), (Idx{0, 1, 2, 4, 5, 6, 7}));
  EXPECT_EQ(sc.rules[3], 0u);
  // An excluded point (with a value far below) is skipped the same way and never flagged.
  chart.value[3] = -9;
  chart.excluded.assign(8, 0);
  chart.excluded[3] = 1;
  sc = find(chart, RuleSet::mdc);
  EXPECT_EQ(flagged(sc), (Idx{0, 1, 2, 4, 5, 6, 7}));
}

// ---------------------------------------------------------------------------------------------
// Western Electric
// ---------------------------------------------------------------------------------------------

TEST(WesternElectric, Rule2TwoOfThreeBeyondTwoSigma) {
  EXPECT_EQ(flagged(find(Limits({2.5, 0.5, 2.1}), RuleSet::western_electric), rule_bits::two_of_three),
            (Idx{0, 2}));
  // The third point may be anywhere, even below the mean.
  EXPECT_EQ(flagged(find(Limits({2.5, -0.5, 2.1}), RuleSet::western_electric)), (Idx{0, 2}));
  // 1.9 is inside 2 sigma; opposite sides do not add up; exactly 2.0 is not beyond.
  EXPECT_TRUE(flagged(find(Limits({2.5, 0.5, 1.9}), RuleSet::western_electric)).empty());
  EXPECT_TRUE(flagged(find(Limits({2.5, -2.5, 0.5}), RuleSet::western_electric)).empty());
  EXPECT_TRUE(flagged(find(Limits({2.5, 0.5, 2.0}), RuleSet::western_electric)).empty());
  // A point beyond 3 sigma counts (and is rule 1 too).
  const auto sc = find(Limits({3.5, 0.5, 2.1}), RuleSet::western_electric);
  EXPECT_EQ(flagged(sc, rule_bits::two_of_three), (Idx{0, 2}));
  EXPECT_EQ(flagged(sc, rule_bits::sigma), (Idx{0}));
}

TEST(WesternElectric, Rule3FourOfFiveBeyondOneSigma) {
  auto sc = find(Limits({1.5, 1.5, 0.5, 1.5, 1.5}), RuleSet::western_electric);
  EXPECT_EQ(flagged(sc, rule_bits::four_of_five), (Idx{0, 1, 3, 4}));
  EXPECT_EQ(flagged(sc), (Idx{0, 1, 3, 4}));
  // The fourth at exactly 1 sigma is not beyond it.
  EXPECT_TRUE(flagged(find(Limits({1.5, 1.5, 0.5, 1.5, 1.0}), RuleSet::western_electric)).empty());
  // Below the mean too.
  sc = find(Limits({-1.5, -1.5, -1.2, 0.5, -1.1}), RuleSet::western_electric);
  EXPECT_EQ(flagged(sc, rule_bits::four_of_five), (Idx{0, 1, 2, 4}));
  for (std::size_t i : {0, 1, 2, 4}) EXPECT_EQ(sc.side[i], -1);
}

TEST(WesternElectric, Rule4EightOnOneSide) {
  EXPECT_EQ(flagged(find(Limits(above(8)), RuleSet::western_electric), rule_bits::one_side), all_of(8));
  EXPECT_TRUE(flagged(find(Limits(above(7)), RuleSet::western_electric)).empty());
}

TEST(WesternElectric, RuleNumbersSelectTheRules) {
  const Limits chart({2.5, 0.5, 2.1});
  Spec spec;
  spec.rule_numbers = {1, 4};
  EXPECT_TRUE(flagged(find(chart, RuleSet::western_electric, spec)).empty());
  spec.rule_numbers = {2};
  EXPECT_EQ(flagged(find(chart, RuleSet::western_electric, spec)), (Idx{0, 2}));
  // Rule 1 off: a point beyond the limits is no special cause.
  spec.rule_numbers = {4};
  EXPECT_TRUE(flagged(find(Limits({0.5, 3.5}), RuleSet::western_electric, spec)).empty());
}

TEST(WesternElectric, CompletingFlagsOnlyTheNewestPointOfTheWindow) {
  Spec spec;
  spec.flag_points = FlagPoints::completing;
  EXPECT_EQ(flagged(find(Limits({2.5, 0.5, 2.1}), RuleSet::western_electric, spec)), (Idx{2}));
  // The window's newest point is not beyond 2 sigma: qcc flags nothing; the pattern is 0 and 1.
  EXPECT_TRUE(flagged(find(Limits({2.5, 2.1, 0.5}), RuleSet::western_electric, spec)).empty());
  EXPECT_EQ(flagged(find(Limits({2.5, 2.1, 0.5}), RuleSet::western_electric)), (Idx{0, 1}));
}

TEST(QccProfile, RunOfSevenFlagsFromTheSeventhPoint) {
  // qcc 2.7: beyond limits and runs of 7; a run of exactly 7 flags one point (spc-spec.md §4).
  Spec spec;
  spec.profile = Profile::qcc;
  EXPECT_EQ(flagged(find(Limits(above(7)), RuleSet::western_electric, spec)), (Idx{6}));
  EXPECT_EQ(flagged(find(Limits(above(9)), RuleSet::western_electric, spec)), (Idx{6, 7, 8}));
  EXPECT_TRUE(flagged(find(Limits(above(6)), RuleSet::western_electric, spec)).empty());
  // A point on the centre forms its own run; so does a missing value (rle in R).
  auto v = above(9);
  v[3] = 0;
  EXPECT_TRUE(flagged(find(Limits(v), RuleSet::western_electric, spec)).empty());
  v[3] = na;
  EXPECT_TRUE(flagged(find(Limits(v), RuleSet::western_electric, spec)).empty());
  // qcc 2.7 has no 2-of-3 rule: rules 1 and 4 only.
  EXPECT_TRUE(flagged(find(Limits({2.5, 0.5, 2.1}), RuleSet::western_electric, spec)).empty());
  EXPECT_EQ(flagged(find(Limits({0.5, 3.5}), RuleSet::western_electric, spec)), (Idx{1}));
}

// ---------------------------------------------------------------------------------------------
// Nelson
// ---------------------------------------------------------------------------------------------

namespace {
Spec only(std::vector<int> rules) {
  Spec spec;
  spec.rule_numbers = std::move(rules);
  return spec;
}
}  // namespace

TEST(Nelson, Rule1BeyondThreeSigma) {
  EXPECT_EQ(flagged(find(Limits({0, -3.2, 2.9}), RuleSet::nelson), rule_bits::sigma), (Idx{1}));
}

TEST(Nelson, Rule2NineOnOneSide) {
  EXPECT_EQ(flagged(find(Limits(above(9)), RuleSet::nelson), rule_bits::one_side), all_of(9));
  EXPECT_TRUE(flagged(find(Limits(above(8)), RuleSet::nelson)).empty());
}

TEST(Nelson, Rule3SixSteadilyRisingTiesBreak) {
  const std::vector<double> rising{-1.2, -0.8, -0.4, 0.1, 0.4, 0.8};
  EXPECT_EQ(flagged(find(Limits(rising), RuleSet::nelson), rule_bits::trend), all_of(6));
  EXPECT_TRUE(flagged(find(Limits(std::vector<double>(rising.begin(), rising.end() - 1)), RuleSet::nelson)).empty());
  // A repeated value is not "increasing": 3 + 4 points.
  const Limits tie({-1.2, -0.8, -0.4, -0.4, 0.1, 0.4, 0.8});
  EXPECT_TRUE(flagged(find(tie, RuleSet::nelson)).empty());
  Spec skip;
  skip.trend_ties_break = false;
  EXPECT_EQ(flagged(find(tie, RuleSet::nelson, skip), rule_bits::trend), all_of(7));
}

TEST(Nelson, Rule4FourteenAlternating) {
  std::vector<double> v(14);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i % 2 ? -0.5 : 0.5;
  auto sc = find(Limits(v), RuleSet::nelson, only({4}));
  EXPECT_EQ(flagged(sc, rule_bits::alternating), all_of(14));
  for (auto s : sc.side) EXPECT_EQ(s, 0);  // no direction
  EXPECT_TRUE(flagged(find(Limits(std::vector<double>(v.begin(), v.end() - 1)), RuleSet::nelson, only({4}))).empty());
  // A repeated value breaks the alternation.
  v[7] = v[6];
  EXPECT_TRUE(flagged(find(Limits(v), RuleSet::nelson, only({4}))).empty());
}

TEST(Nelson, Rules5And6AreTheWesternElectricZoneRules) {
  EXPECT_EQ(flagged(find(Limits({2.5, 0.5, 2.1}), RuleSet::nelson), rule_bits::two_of_three), (Idx{0, 2}));
  EXPECT_EQ(flagged(find(Limits({1.5, 1.5, 0.5, 1.5, 1.5}), RuleSet::nelson), rule_bits::four_of_five),
            (Idx{0, 1, 3, 4}));
  EXPECT_TRUE(flagged(find(Limits({1.5, 1.5, 0.5, 1.5, 0.99}), RuleSet::nelson)).empty());
}

TEST(Nelson, Rule7FifteenWithinOneSigmaInclusive) {
  // Exactly +/-1 sigma counts as within.
  std::vector<double> v(15);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i % 3 == 0 ? 1.0 : (i % 3 == 1 ? -1.0 : 0.2);
  auto sc = find(Limits(v), RuleSet::nelson, only({7}));
  EXPECT_EQ(flagged(sc, rule_bits::hugging), all_of(15));
  for (auto s : sc.side) EXPECT_EQ(s, 0);
  EXPECT_TRUE(flagged(find(Limits(std::vector<double>(v.begin(), v.end() - 1)), RuleSet::nelson, only({7}))).empty());
  v[7] = 1.01;
  EXPECT_TRUE(flagged(find(Limits(v), RuleSet::nelson, only({7}))).empty());
}

TEST(Nelson, Rule8EightBeyondOneSigmaOnBothSides) {
  std::vector<double> v{1.5, -1.5, 1.2, -1.2, 1.5, -1.1, 2.5, -1.5};
  EXPECT_EQ(flagged(find(Limits(v), RuleSet::nelson, only({8})), rule_bits::mixture), all_of(8));
  EXPECT_TRUE(flagged(find(Limits(std::vector<double>(v.begin(), v.end() - 1)), RuleSet::nelson, only({8}))).empty());
  // All eight above: both sides are not represented.
  EXPECT_TRUE(flagged(find(Limits({1.5, 1.6, 1.5, 1.6, 1.5, 1.6, 1.5, 1.6}), RuleSet::nelson, only({8}))).empty());
  // One inside 1 sigma breaks it.
  v[3] = -0.9;
  EXPECT_TRUE(flagged(find(Limits(v), RuleSet::nelson, only({8}))).empty());
}

TEST(Nelson, LowerRuleNumbersDecideTheSide) {
  // Fifteen points just above the centre, alternating: rule 2 (above), rule 4 (no direction),
  // rule 7 (no direction). The side is rule 2's.
  const auto sc = find(Limits(above(15)), RuleSet::nelson);
  EXPECT_EQ(flagged(sc, rule_bits::one_side), all_of(15));
  EXPECT_EQ(flagged(sc, rule_bits::alternating), all_of(15));
  EXPECT_EQ(flagged(sc, rule_bits::hugging), all_of(15));
  for (auto s : sc.side) EXPECT_EQ(s, 1);
}

TEST(Nelson, CompletingFlagsFromThePointThatCompletesEachPattern) {
  Spec spec;
  spec.flag_points = FlagPoints::completing;
  EXPECT_EQ(flagged(find(Limits(above(10)), RuleSet::nelson, spec), rule_bits::one_side), (Idx{8, 9}));
  EXPECT_EQ(flagged(find(Limits({-1.2, -0.8, -0.4, 0.1, 0.4, 0.8, 0.9}), RuleSet::nelson, spec),
                    rule_bits::trend),
            (Idx{5, 6}));
}

// ---------------------------------------------------------------------------------------------
// Zones from each point's own limits; charts without limits or without a time order
// ---------------------------------------------------------------------------------------------

TEST(Zones, EachPointUsesItsOwnLimits) {
  // Point 2 has sigma 1.5, so 2.5 is inside its 2-sigma limit (3): only one of three beyond.
  Limits chart({2.5, 0.5, 2.5});
  chart.ucl[2] = 4.5;
  chart.lcl[2] = -4.5;
  chart.ucl_95[2] = 3;
  chart.lcl_95[2] = -3;
  EXPECT_TRUE(flagged(find(chart, RuleSet::western_electric)).empty());
  chart = Limits({2.5, 0.5, 2.5});
  EXPECT_EQ(flagged(find(chart, RuleSet::western_electric)), (Idx{0, 2}));
}

TEST(Zones, ATruncatedLowerLimitDoesNotShrinkSigma) {
  // A p chart near 0: p = 0.1, sigma 0.05, so LCL = max(0, -0.05) = 0 and LCL95 = 0. The 1-sigma
  // boundary is 0.1 - 0.05 = 0.05 (not 0.1 - (0.1 - 0)/3 = 0.0667): 0.06 is within 1 sigma,
  // 0.04 beyond it.
  auto p_chart = [](double v) {
    Limits c(std::vector<double>(5, v), 0.1, 0.05);
    for (std::size_t i = 0; i < 5; ++i) c.lcl[i] = c.lcl_95[i] = 0;
    return c;
  };
  EXPECT_TRUE(flagged(find(p_chart(0.06), RuleSet::western_electric, only({3}))).empty());
  EXPECT_EQ(flagged(find(p_chart(0.04), RuleSet::western_electric, only({3}))), all_of(5));
}

TEST(Zones, WithoutLimitsOnlyTheRunRulesApply) {
  // A run chart: a centre line and no limits. Nine above is Nelson rule 2; rule 7 (within 1
  // sigma) cannot hold without limits.
  Limits chart(above(15));
  for (auto* col : {&chart.lcl, &chart.ucl, &chart.lcl_95, &chart.ucl_95}) col->assign(15, na);
  const auto sc = find(chart, RuleSet::nelson);
  EXPECT_EQ(flagged(sc, rule_bits::one_side), all_of(15));
  EXPECT_TRUE(flagged(sc, rule_bits::hugging).empty());
  EXPECT_TRUE(flagged(sc, rule_bits::sigma).empty());
}

TEST(Zones, WithoutTimeOrderOnlyTheSigmaRuleApplies) {
  Limits chart(above(9));
  chart.value.push_back(3.5);
  for (auto* col : {&chart.cl, &chart.lcl, &chart.ucl, &chart.lcl_95, &chart.ucl_95}) col->push_back(col->back());
  PhaseView view = chart.view();
  view.ordered = false;
  Spec spec;
  spec.chart = Chart::mr;
  spec.rules = RuleSet::nelson;
  const auto sc = find_special_causes(view, RuleSet::nelson, resolve(spec));
  EXPECT_EQ(flagged(sc), (Idx{9}));
  EXPECT_FALSE(sc.runs.signal);
}

// ---------------------------------------------------------------------------------------------
// Options: validation and JSON
// ---------------------------------------------------------------------------------------------

TEST(RuleOptions, BadRuleNumbersAreInputErrors) {
  Spec spec;
  spec.chart = Chart::i;
  spec.rules = RuleSet::western_electric;
  spec.rule_numbers = {5};
  EXPECT_THROW(resolve(spec), qiscope::input_error);
  spec.rules = RuleSet::nelson;
  EXPECT_NO_THROW(resolve(spec));
  spec.rules = RuleSet::mdc;
  try {
    resolve(spec);
    FAIL() << "no error";
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "rule_numbers");
    EXPECT_EQ(e.rule(), "rule_set");
  }
  spec = Spec{};
  spec.chart = Chart::i;
  spec.shift_n = 1;
  EXPECT_THROW(resolve(spec), qiscope::input_error);
  spec = Spec{};
  spec.trend_n = 2;
  EXPECT_THROW(resolve(spec), qiscope::input_error);
}

TEST(RuleOptions, ProfilesAndRuleSetsResolveAsDocumented) {
  Spec spec;
  spec.chart = Chart::i;
  spec.rules = RuleSet::nelson;
  auto o = resolve(spec);
  EXPECT_EQ(o.shift_n, 9);
  EXPECT_EQ(o.trend_n, 6);
  EXPECT_EQ(o.rule_mask, 0xFFu);
  EXPECT_TRUE(o.trend_ties_break);
  spec.rules = RuleSet::western_electric;
  spec.profile = Profile::qcc;
  o = resolve(spec);
  EXPECT_EQ(o.shift_n, 7);
  EXPECT_EQ(o.rule_mask, 0b1001u);
  EXPECT_EQ(o.flag_points, FlagPoints::completing);
  spec.shift_n = 8;  // qcc 3.0's run length
  EXPECT_EQ(resolve(spec).shift_n, 8);
  spec = Spec{};
  spec.chart = Chart::i;
  spec.rules = RuleSet::mdc;
  spec.profile = Profile::ptd;
  o = resolve(spec);
  EXPECT_EQ(o.two_of_three, TwoOfThree::legacy);
  EXPECT_TRUE(o.trend_ties_break);
  EXPECT_TRUE(o.on_cl_breaks);
  spec.profile = Profile::qiscope;
  o = resolve(spec);
  EXPECT_EQ(o.two_of_three, TwoOfThree::mdc2023);
  EXPECT_FALSE(o.trend_ties_break);
  EXPECT_EQ(o.shift_n, 7);
  EXPECT_EQ(o.trend_n, 7);
}

TEST(RuleOptions, JsonRoundTrip) {
  Spec spec;
  spec.rules = RuleSet::nelson;
  spec.rule_numbers = {1, 2, 5};
  spec.flag_points = FlagPoints::completing;
  const nlohmann::json j = spec;
  EXPECT_EQ(j["rule_numbers"], nlohmann::json({1, 2, 5}));
  EXPECT_EQ(j["flag_points"], "completing");
  const auto back = j.get<Spec>();
  EXPECT_EQ(back.rule_numbers, spec.rule_numbers);
  EXPECT_EQ(back.flag_points, spec.flag_points);
  EXPECT_THROW(nlohmann::json({{"flag_points", "all"}}).get<Spec>(), qiscope::input_error);
  EXPECT_THROW(nlohmann::json({{"rule_numbers", "1,2"}}).get<Spec>(), qiscope::input_error);
}

// ---------------------------------------------------------------------------------------------
// Point types and icons through compute()
// ---------------------------------------------------------------------------------------------

namespace {

/// A chart whose limits come from its first `freeze` points (all when 0).
Spec chart_spec(Chart chart, RuleSet rules, Direction direction, std::int64_t freeze = 0) {
  Spec spec;
  spec.chart = chart;
  spec.rules = rules;
  spec.direction = direction;
  if (freeze > 0) spec.freeze = freeze;
  return spec;
}

Result compute_y(const std::vector<double>& y, const Spec& spec, std::span<const double> target = {}) {
  Observations obs;
  obs.y = y;
  obs.target = target;
  return compute(obs, spec);
}

/// Twelve stable points (the baseline, frozen) and then `last`.
Result xmr(double last, Direction direction, std::optional<double> target = std::nullopt,
           bool trailing_missing = false) {
  std::vector<double> y{10, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 12, last};
  if (trailing_missing) y.push_back(na);
  Spec spec = chart_spec(Chart::i, RuleSet::mdc, direction, 12);
  spec.target = target;
  return compute_y(y, spec);
}

}  // namespace

TEST(Icons, VariationFromTheLastPoint) {
  // Baseline mean 11.4167, sigma about 1.7: 40 is far above the UCL, -20 far below.
  EXPECT_EQ(xmr(40, Direction::increase).phases.variation[0], Variation::improvement_high);
  EXPECT_EQ(xmr(40, Direction::decrease).phases.variation[0], Variation::concern_high);
  EXPECT_EQ(xmr(40, Direction::neutral).phases.variation[0], Variation::neutral_high);
  EXPECT_EQ(xmr(-20, Direction::increase).phases.variation[0], Variation::concern_low);
  EXPECT_EQ(xmr(-20, Direction::decrease).phases.variation[0], Variation::improvement_low);
  EXPECT_EQ(xmr(-20, Direction::neutral).phases.variation[0], Variation::neutral_low);
  EXPECT_EQ(xmr(11, Direction::increase).phases.variation[0], Variation::common_cause);
  // A trailing month without data does not hide the latest signal.
  const auto r = xmr(40, Direction::increase, std::nullopt, true);
  EXPECT_EQ(r.phases.variation[0], Variation::improvement_high);
  EXPECT_EQ(r.points.point_type.back(), PointType::common_cause);
}

TEST(Icons, PointTypesSwapExactlyWithTheDirection) {
  // A falling trend into a low outlier and a high one, under every rule set with patterns.
  std::vector<double> y{10, 12, 11, 13, 10, 12, 11, 12, 11, 10, 9, 8, 7, 6, 5, 30, 11, 12};
  for (RuleSet rules : {RuleSet::anhoej, RuleSet::ihi, RuleSet::mdc, RuleSet::western_electric, RuleSet::nelson}) {
    const auto up = compute_y(y, chart_spec(Chart::i, rules, Direction::increase, 8));
    const auto down = compute_y(y, chart_spec(Chart::i, rules, Direction::decrease, 8));
    const auto none = compute_y(y, chart_spec(Chart::i, rules, Direction::neutral, 8));
    int improvements = 0, concerns = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      const PointType a = up.points.point_type[i], b = down.points.point_type[i];
      improvements += a == PointType::improvement;
      concerns += a == PointType::concern;
      const PointType swapped = a == PointType::improvement ? PointType::concern
                                : a == PointType::concern   ? PointType::improvement
                                                            : a;
      EXPECT_EQ(b, swapped) << i;
      EXPECT_EQ(none.points.point_type[i],
                up.points.special_cause[i] ? PointType::neutral : PointType::common_cause) << i;
    }
    EXPECT_GT(improvements, 0) << to_string(rules);
    EXPECT_GT(concerns, 0) << to_string(rules);
  }
}

TEST(Icons, MdcTrendPointsAreColouredByTheTrend) {
  // 11 .. 5 falls for seven points; with higher-is-better every one is a concern, although
  // 12 and 11 are above the baseline mean.
  std::vector<double> y{10, 12, 11, 13, 10, 12, 11, 13, 12, 11, 10, 9, 8, 7, 6};
  const auto r = compute_y(y, chart_spec(Chart::i, RuleSet::mdc, Direction::increase, 8));
  ASSERT_GT(r.points.cl[8], 11.0);  // baseline mean 11.5: 12 is above it
  for (std::size_t i = 8; i < y.size(); ++i) {
    EXPECT_TRUE(r.points.rules[i] & rule_bits::trend) << i;
    EXPECT_EQ(r.points.point_type[i], PointType::concern) << i;
  }
  EXPECT_EQ(r.phases.variation[0], Variation::concern_low);
}

TEST(Icons, AssuranceFromTheTargetAgainstTheLastLimits) {
  const Result plain = xmr(11, Direction::increase);
  const double lcl = plain.points.lcl.back(), ucl = plain.points.ucl.back();
  ASSERT_LT(lcl, ucl);
  struct Case { double target; Direction direction; Assurance expected; };
  const std::vector<Case> cases{
      {ucl + 1, Direction::increase, Assurance::fail},   // target above every likely value
      {ucl + 1, Direction::decrease, Assurance::pass},
      {lcl - 1, Direction::increase, Assurance::pass},
      {lcl - 1, Direction::decrease, Assurance::fail},
      {(lcl + ucl) / 2, Direction::increase, Assurance::hit_and_miss},
      {ucl, Direction::increase, Assurance::hit_and_miss},  // equality is hit and miss (PTD)
      {lcl, Direction::decrease, Assurance::hit_and_miss},
      {ucl + 1, Direction::neutral, Assurance::none},
  };
  for (const auto& c : cases)
    EXPECT_EQ(xmr(11, c.direction, c.target).phases.assurance[0], c.expected)
        << c.target << " " << to_string(c.direction);
  EXPECT_EQ(xmr(11, Direction::increase).phases.assurance[0], Assurance::none);  // no target
}

TEST(Icons, AssuranceUsesTheLastPointsOwnTarget) {
  std::vector<double> y{10, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 12};
  std::vector<double> target(y.size(), 0.0);  // early rows: a target below the LCL (pass)
  target.back() = 100;                          // the last row's target: above the UCL (fail)
  const auto r = compute_y(y, chart_spec(Chart::i, RuleSet::anhoej, Direction::increase), target);
  EXPECT_EQ(r.phases.assurance[0], Assurance::fail);
}

TEST(Icons, RunChartHasVariationButNoAssurance) {
  // Median 5.5 (frozen on the first 10): the last 7 are above it, an IHI shift.
  std::vector<double> y{5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 7, 8, 7, 8, 7, 8, 7};
  Spec spec = chart_spec(Chart::run, RuleSet::ihi, Direction::decrease, 10);
  spec.target = 6;
  const auto r = compute_y(y, spec);
  EXPECT_EQ(r.points.cl[0], 5.5);
  EXPECT_TRUE(r.points.rules.back() & rule_bits::shift);
  EXPECT_EQ(r.phases.variation[0], Variation::concern_high);
  EXPECT_EQ(r.phases.assurance[0], Assurance::none);
  // The sigma-based rule sets need limits.
  spec.rules = RuleSet::mdc;
  EXPECT_THROW(compute_y(y, spec), qiscope::input_error);
}
