// Reliability and agreement on the culture_test set against the anchors of culture-spec §4
// (psych 2.2.9 / multilevel 2.7 / numpy, agreement <= 1e-12 there).
#include <cmath>

#include <gtest/gtest.h>

#include <qiscope/culture.hpp>

#include "culture_fixtures.hpp"

using namespace qiscope::culture;
using namespace culture_fixtures;

TEST(CultureReliability, AlphaAndItemStatisticsMatchPsych) {
  const auto data = make_data(culture_test_rows());
  const auto r = reliability(data.responses(), culture_test_instrument(), "c");
  EXPECT_EQ(r.n_used, 18);
  EXPECT_NEAR(r.alpha, 0.934702024522384, 1e-12);
  EXPECT_NEAR(r.std_alpha, 0.934620238148502, 1e-12);
  EXPECT_NEAR(r.alpha_ci_low, 0.866134637939256, 1e-12);
  EXPECT_NEAR(r.alpha_ci_high, 0.972818719837094, 1e-12);
  EXPECT_NEAR(r.alpha_ase, 0.0255472155983907, 1e-12);
  // psych prints alpha +- 1.96 ASE; qiscope uses the exact normal quantile.
  const double z = 1.959963984540054;
  EXPECT_NEAR(r.alpha_ase_ci_low, 0.934702024522384 - z * 0.0255472155983907, 1e-12);
  EXPECT_NEAR(0.934702024522384 - 1.96 * r.alpha_ase, 0.884629481949538, 1e-12);
  const double if_deleted[] = {0.907777777777778, 0.936162624821683, 0.921373200442968, 0.891604256996453};
  const double r_drop[] = {0.868202223218535, 0.777902438076212, 0.825242677597148, 0.914681413034673};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.items.alpha_if_deleted[i], if_deleted[i], 1e-12) << i;
    EXPECT_NEAR(r.items.r_drop[i], r_drop[i], 1e-12) << i;
  }
  // Omega from the one-factor minres fit (iterative: spec agreement ~1e-5).
  EXPECT_NEAR(r.omega, 0.936168469582436, 1e-5);
  EXPECT_NEAR(r.omega_mcdonald, 0.936165115329309, 1e-5);
  EXPECT_FALSE(r.heywood);
  EXPECT_TRUE(r.checks.empty());
}

TEST(CultureReliability, PairwiseAlphaWithMissingAnswers) {
  auto rows = culture_test_rows();
  rows[2].i2 = na;  // row 3 of the spec
  rows[9].i3 = 9;   // row 10: a missing code, same as blank
  const auto data = make_data(rows);
  ReliabilityOptions pairwise;
  pairwise.missing = MissingPolicy::pairwise;
  const auto r = reliability(data.responses(), culture_test_instrument(), "c", pairwise);
  EXPECT_EQ(r.n_used, 18);
  EXPECT_NEAR(r.alpha, 0.943969803356535, 1e-12);
  EXPECT_NEAR(r.alpha_ci_low, 0.885134224987064, 1e-12);
  EXPECT_NEAR(r.alpha_ci_high, 0.976676574405116, 1e-12);
  const auto listwise = reliability(data.responses(), culture_test_instrument(), "c");
  EXPECT_EQ(listwise.n_used, 16);
}

TEST(CultureReliability, WithheldBelowThreshold) {
  const auto data = make_data(culture_test_rows());
  const auto r = reliability(data.responses(), culture_test_instrument(20), "c");
  EXPECT_TRUE(r.suppressed);
  EXPECT_EQ(r.reason, Reason::below_min_n);
  EXPECT_TRUE(std::isnan(r.alpha));
  EXPECT_TRUE(std::isnan(r.items.r_drop[0]));
}

TEST(CultureReliability, OneItemIsAnError) {
  const auto data = make_data(culture_test_rows());
  EXPECT_THROW(reliability(data.responses(), culture_test_instrument(), "i1"), qiscope::input_error);
  try {
    reliability(data.responses(), culture_test_instrument(), "nope");
    FAIL();
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "measure");
    EXPECT_EQ(e.rule(), "unknown_measure");
  }
}

TEST(CultureAgreement, RwgAndIccMatchMultilevel) {
  const auto data = make_data(culture_test_rows());
  const auto a = agreement(data.responses(), culture_test_instrument(), "c");
  EXPECT_DOUBLE_EQ(a.null_variance, 2.0);
  const double rwg_j[] = {0.918287937743191, 0.894375857338820, 0.844036697247706};
  const double lindell[] = {0.7375, 0.679166666666667, 0.575};
  for (std::size_t g = 0; g < 3; ++g) {
    EXPECT_EQ(a.n[g], 6);
    EXPECT_NEAR(a.rwg_j[g], rwg_j[g], 1e-12) << g;
    EXPECT_NEAR(a.rwg_lindell[g], lindell[g], 1e-12) << g;
  }
  EXPECT_NEAR(a.icc1, 0.595802098950525, 1e-12);
  EXPECT_NEAR(a.icc2, 0.898417483044461, 1e-12);
  EXPECT_NEAR(a.msb, 4.607638888888889, 1e-12);
  EXPECT_NEAR(a.msw, 0.468055555555556, 1e-12);
  // Balanced units: n0 = N/G and ICC(2) is the Spearman-Brown step-up of ICC(1).
  EXPECT_NEAR(a.icc1_n0, a.icc1, 1e-14);
  EXPECT_NEAR(a.icc2, 6 * a.icc1 / (1 + 5 * a.icc1), 1e-12);
  // F-based limits bracket the estimates.
  EXPECT_LT(a.icc1_ci_low, a.icc1);
  EXPECT_GT(a.icc1_ci_high, a.icc1);
  EXPECT_LT(a.icc2_ci_low, a.icc2);
}

TEST(CultureAgreement, SingleItemRwgAndAdm) {
  const auto data = make_data(culture_test_rows());
  const auto a = agreement(data.responses(), culture_test_instrument(), "i1");
  const double rwg[] = {0.716666666666667, 0.666666666666667, 0.45};
  for (std::size_t g = 0; g < 3; ++g) EXPECT_NEAR(a.rwg_j[g], rwg[g], 1e-12) << g;
  // AD_M of unit A on i1: values 4 5 4 3 5 4, mean 25/6; mean |x - mean| by hand.
  const double m = 25.0 / 6;
  const double ad = (3 * std::abs(4 - m) + 2 * std::abs(5 - m) + std::abs(3 - m)) / 6;
  EXPECT_NEAR(a.ad_m[0], ad, 1e-14);
}

TEST(CultureAgreement, UnbalancedIccUsesMeanGroupSizeAndN0) {
  auto rows = culture_test_rows();
  rows.resize(16);  // rows 17-18 dropped
  const auto data = make_data(rows);
  const auto a = agreement(data.responses(), culture_test_instrument(), "c");
  EXPECT_NEAR(a.icc1, 0.634891424365109, 1e-12);
  EXPECT_NEAR(a.icc1_n0, 0.638534147695725, 1e-12);
  EXPECT_NEAR(a.mean_group_size, 16.0 / 3, 1e-14);
}

TEST(CultureAgreement, SmallUnitsWithheldAndSingleRespondentUndefined) {
  auto rows = culture_test_rows();
  rows.resize(13);  // unit C keeps one respondent
  const auto data = make_data(rows);
  const auto open = agreement(data.responses(), culture_test_instrument(1), "c");
  EXPECT_TRUE(std::isnan(open.rwg_j[2]));
  EXPECT_EQ(open.reason[2], Reason::too_few);
  const auto closed = agreement(data.responses(), culture_test_instrument(5), "c");
  EXPECT_FALSE(closed.suppressed[0]);
  EXPECT_TRUE(closed.suppressed[2]);
  EXPECT_EQ(closed.reason[2], Reason::below_min_n);
}

TEST(CultureAgreement, VarianceAboveNullTruncatesToZero) {
  // Every answer 1 or 5 in one unit: variance 4.8 > 2, so rwg = 0 (Lindell's index goes negative).
  std::vector<Row> rows;
  for (int i = 0; i < 6; ++i) {
    const double v = i % 2 ? 1 : 5;
    rows.push_back({0, v, v, v, 6 - v});
  }
  const auto data = make_data(rows);
  const auto a = agreement(data.responses(), culture_test_instrument(), "c");
  EXPECT_EQ(a.rwg_j[0], 0.0);
  EXPECT_NEAR(a.rwg_lindell[0], 1 - 4.8 / 2, 1e-12);
}

TEST(CultureJson, ResultsRoundTrip) {
  const auto data = make_data(culture_test_rows());
  const auto inst = culture_test_instrument();
  const auto rel = reliability(data.responses(), inst, "c");
  const nlohmann::json jr = rel;
  EXPECT_EQ(nlohmann::json(jr.get<Reliability>()), jr);
  EXPECT_EQ(jr.at("alpha").get<double>(), rel.alpha);
  const auto agr = agreement(data.responses(), inst, "i1");
  const nlohmann::json ja = agr;
  EXPECT_EQ(nlohmann::json(ja.get<Agreement>()), ja);
  GapOptions options;
  options.min_n = 1;
  const auto g = gap(data.responses(), inst, "i1", "i2", options);
  const nlohmann::json jg = g;
  const auto back = jg.get<Gap>();
  EXPECT_EQ(nlohmann::json(back), jg);
  EXPECT_EQ(back.t[0], g.t[0]);
  EXPECT_THROW(jg.get<Reliability>(), qiscope::input_error);
}

TEST(CultureReliability, AConstantItemLeavesRawAlphaDefined) {
  // i3 answered 3 by everyone: raw alpha from the covariance matrix is still defined (psych
  // computes it), the correlation-based statistics are not.
  auto rows = culture_test_rows();
  for (auto& r : rows) r.i3 = 3;
  const auto data = make_data(rows);
  const auto r = reliability(data.responses(), culture_test_instrument(), "c");
  // By hand: alpha = k/(k-1) (1 - sum of variances / variance of the total); i3 adds nothing.
  auto var = [&](auto get) {
    double m = 0, ss = 0;
    for (const auto& row : rows) m += get(row);
    m /= 18;
    for (const auto& row : rows) ss += (get(row) - m) * (get(row) - m);
    return ss / 17;
  };
  const double v1 = var([](const Row& x) { return x.i1; });
  const double v2 = var([](const Row& x) { return x.i2; });
  const double v4 = var([](const Row& x) { return 6 - x.i4r; });
  const double vt = var([](const Row& x) { return x.i1 + x.i2 + 3 + (6 - x.i4r); });
  EXPECT_NEAR(r.alpha, 4.0 / 3 * (1 - (v1 + v2 + v4) / vt), 1e-12);
  EXPECT_TRUE(std::isnan(r.std_alpha));
  EXPECT_TRUE(std::isnan(r.omega));
  EXPECT_TRUE(std::isnan(r.items.r_drop[2]));
  EXPECT_FALSE(std::isnan(r.items.r_drop[0]));
  EXPECT_FALSE(r.notes.empty());
}
