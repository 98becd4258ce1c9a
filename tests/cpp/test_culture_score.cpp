// Percent positive, intervals and suppression on small hand-checked data.
#include <cmath>

#include <gtest/gtest.h>

#include <qiscope/culture.hpp>

#include "culture_fixtures.hpp"

using namespace qiscope::culture;
using namespace culture_fixtures;

TEST(CultureScore, ItemAndCompositePercentPositive) {
  const auto data = make_data(culture_test_rows());
  const auto t = score(data.responses(), culture_test_instrument());
  // culture-spec §4: i1 9/18, i2 7/18, i3 8/18, i4r 7/18 (raw 1-2 on a negatively worded item).
  const double expected[] = {50.0, 700.0 / 18, 800.0 / 18, 700.0 / 18};
  const char* items[] = {"i1", "i2", "i3", "i4r"};
  for (int i = 0; i < 4; ++i) {
    const auto r = row_of(t, -1, items[i], Kind::item);
    EXPECT_NEAR(t.percent_positive[r], expected[i], 1e-12) << items[i];
    EXPECT_EQ(t.n_valid[r], 18);
    EXPECT_NEAR(t.percent_positive[r] + t.percent_neutral[r] + t.percent_negative[r], 100.0, 1e-12);
  }
  const auto c = row_of(t, -1, "c", Kind::composite);
  EXPECT_NEAR(t.percent_positive[c], (50.0 + 700.0 / 18 + 800.0 / 18 + 700.0 / 18) / 4, 1e-12);  // 43.0555...
  EXPECT_EQ(t.n_respondents[c], 18);
  EXPECT_EQ(t.n_valid[c], 72);
  // Wilson 9/18 (spec: prop.test(correct = FALSE)).
  const auto i1 = row_of(t, -1, "i1", Kind::item);
  EXPECT_NEAR(t.ci_low[i1], 29.0310215051700, 1e-10);
  EXPECT_NEAR(t.ci_high[i1], 70.9689784948300, 1e-10);
  // Mean of i4r is of reverse-scored answers: 6 - raw.
  const auto i4 = row_of(t, -1, "i4r", Kind::item);
  double raw = 0;
  for (const auto& row : culture_test_rows()) raw += row.i4r;
  EXPECT_NEAR(t.mean[i4], 6 - raw / 18, 1e-12);
  // Unit A: i1 answers 4 5 4 3 5 4 -> 5/6 positive, 1/6 neutral.
  const auto a1 = row_of(t, 0, "i1", Kind::item);
  EXPECT_NEAR(t.percent_positive[a1], 500.0 / 6, 1e-12);
  EXPECT_NEAR(t.percent_neutral[a1], 100.0 / 6, 1e-12);
  EXPECT_EQ(t.n_respondents[a1], 6);
}

TEST(CultureScore, CompositeIntervalIsRespondentClustered) {
  const auto data = make_data(culture_test_rows());
  const auto t = score(data.responses(), culture_test_instrument());
  const auto c = row_of(t, -1, "c", Kind::composite);
  // Independent computation: influence of respondent r = mean over items of (y_rj - p_j)/n_j.
  const auto rows = culture_test_rows();
  const double p[] = {9.0 / 18, 7.0 / 18, 8.0 / 18, 7.0 / 18};
  double v = 0;
  for (const auto& r : rows) {
    const double y[] = {r.i1 >= 4 ? 1.0 : 0.0, r.i2 >= 4 ? 1.0 : 0.0, r.i3 >= 4 ? 1.0 : 0.0, r.i4r <= 2 ? 1.0 : 0.0};
    double u = 0;
    for (int j = 0; j < 4; ++j) u += (y[j] - p[j]) / 18;
    v += (u / 4) * (u / 4);
  }
  const double pc = (p[0] + p[1] + p[2] + p[3]) / 4;
  const double n_eff = pc * (1 - pc) / v;
  expect_wilson_ci(t, c, pc, n_eff);
  // Correlated items: fewer effective answers than the 72 pooled ones, but more than 18 people.
  EXPECT_LT(n_eff, 72);
  EXPECT_GT(n_eff, 18);
}

TEST(CultureScore, PooledCompositeOption) {
  const auto data = make_data(culture_test_rows());
  ScoreOptions options;
  options.composite = CompositeMethod::pooled;
  const auto t = score(data.responses(), culture_test_instrument(), options);
  const auto c = row_of(t, -1, "c", Kind::composite);
  EXPECT_NEAR(t.percent_positive[c], 100.0 * 31 / 72, 1e-12);
}

TEST(CultureScore, DnaAndMissingCodesLeaveTheDenominator) {
  auto rows = culture_test_rows();
  rows[0].i1 = 9;   // missing code
  rows[1].i1 = na;  // blank
  const auto data = make_data(rows);
  const auto t = score(data.responses(), culture_test_instrument());
  const auto r = row_of(t, -1, "i1", Kind::item);
  EXPECT_EQ(t.n_valid[r], 16);
  EXPECT_EQ(t.n_positive[r], 7);
  EXPECT_EQ(t.n_respondents[r], 18);
}

TEST(CultureScore, ObservedRangeReversalIsPsychsAndChangesMeans) {
  // Nobody chose 1: the observed range is 2..5, so psych reverses i4r as 7 - x where the
  // scale (1..5) gives 6 - x.
  std::vector<Row> rows{{0, 2, 3, 4, 5}, {0, 3, 4, 5, 2}, {0, 4, 5, 2, 3}, {0, 5, 2, 3, 4}};
  const auto data = make_data(rows);
  ScoreOptions psych;
  psych.reverse_range = ReverseRange::observed;
  const auto textbook = score(data.responses(), culture_test_instrument());
  const auto observed = score(data.responses(), culture_test_instrument(), psych);
  const auto r = row_of(textbook, -1, "i4r", Kind::item);
  EXPECT_NEAR(textbook.mean[r], 6 - 3.5, 1e-12);
  EXPECT_NEAR(observed.mean[r], 7 - 3.5, 1e-12);
}

TEST(CultureScore, OutOfScaleCodeNamesItemAndRow) {
  auto rows = culture_test_rows();
  rows[4].i3 = 7;
  const auto data = make_data(rows);
  try {
    score(data.responses(), culture_test_instrument());
    FAIL();
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "i3");
    EXPECT_EQ(e.row(), 4);
    EXPECT_EQ(e.rule(), "scale");
  }
  rows[4].i3 = 3.5;
  const auto half = make_data(rows);
  EXPECT_THROW(score(half.responses(), culture_test_instrument()), qiscope::input_error);
}

TEST(CultureScore, MissingUnitCodeIsAnError) {
  auto data = make_data(culture_test_rows());
  data.unit[7] = -1;
  try {
    score(data.responses(), culture_test_instrument());
    FAIL();
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "unit");
    EXPECT_EQ(e.row(), 7);
  }
}

TEST(CultureScore, AlreadyReversedItemIsFlagged) {
  auto rows = culture_test_rows();
  for (auto& r : rows) r.i4r = 6 - r.i4r;  // a vendor export that pre-reversed i4r
  const auto data = make_data(rows);
  const auto t = score(data.responses(), culture_test_instrument());
  ASSERT_EQ(t.checks.size(), 1u);
  EXPECT_EQ(t.checks[0].item, "i4r");
  EXPECT_LT(t.checks[0].r_rest, 0);
  EXPECT_TRUE(score(make_data(culture_test_rows()).responses(), culture_test_instrument()).checks.empty());
}

TEST(CultureSuppression, SmallUnitAndItsComplementAreWithheld) {
  // Units of 6, 6 and 2 respondents with min_n 5: unit C (2) is below the threshold; releasing
  // A and B with the total would give C by subtraction, so the smaller of A, B goes too.
  auto rows = culture_test_rows();
  rows.resize(14);
  const auto data = make_data(rows);
  const auto t = score(data.responses(), culture_test_instrument(5));
  const auto c = row_of(t, 2, "i1", Kind::item);
  EXPECT_TRUE(t.suppressed[c]);
  EXPECT_EQ(t.reason[c], Reason::below_min_n);
  EXPECT_TRUE(std::isnan(t.percent_positive[c]));
  EXPECT_EQ(t.n_positive[c], -1);
  EXPECT_EQ(t.n_valid[c], 2);  // how many answered stays visible
  const auto a = row_of(t, 0, "i1", Kind::item);
  const auto b = row_of(t, 1, "i1", Kind::item);
  EXPECT_EQ(t.n_valid[a], 6);
  EXPECT_EQ(t.n_valid[b], 6);
  EXPECT_EQ(t.suppressed[a] + t.suppressed[b], 1);
  EXPECT_EQ(t.reason[t.suppressed[a] ? a : b], Reason::complementary);
  EXPECT_FALSE(t.suppressed[row_of(t, -1, "i1", Kind::item)]);
  // The composite of a unit with a suppressed item is withheld too.
  EXPECT_TRUE(t.suppressed[row_of(t, 2, "c", Kind::composite)]);
}

TEST(CultureSuppression, NoSuppressionWithThresholdOne) {
  const auto data = make_data(culture_test_rows());
  const auto t = score(data.responses(), culture_test_instrument(1));
  for (std::size_t r = 0; r < t.size(); ++r) EXPECT_FALSE(t.suppressed[r]);
}

TEST(CultureScore, JsonRoundTrip) {
  const auto data = make_data(culture_test_rows());
  const auto t = score(data.responses(), culture_test_instrument(7));
  const nlohmann::json j = t;
  const auto back = j.get<ScoreTable>();
  ASSERT_EQ(back.size(), t.size());
  for (std::size_t r = 0; r < t.size(); ++r) {
    EXPECT_EQ(back.kind[r], t.kind[r]);
    EXPECT_EQ(back.reason[r], t.reason[r]);
    EXPECT_EQ(std::isnan(back.ci_low[r]), std::isnan(t.ci_low[r]));
    if (!std::isnan(t.ci_low[r])) {
      EXPECT_EQ(back.ci_low[r], t.ci_low[r]);
    }
  }
  EXPECT_EQ(back.measures, t.measures);
}
