// sd_method: qcc 2.7's sigma estimators for EWMA and CUSUM (sd.xbar, sd.xbar.one), each checked
// against the estimator computed here from the raw subgroups, with c4 from std::tgamma and d2, d3
// typed from qcc's tables (exp.R.unscaled, se.R.unscaled).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/io/json.hpp>
#include <qiscope/qiscope.hpp>

using namespace qiscope::spc;

namespace {

/// Four subgroups of 4, 2, 3 and 4 rows.
const std::vector<std::vector<double>> groups{{2, 4, 6, 8}, {1, 5}, {3, 6, 9}, {4, 4.5, 7, 5.5}};
const double d2[] = {0, 0, 1.128, 1.693, 2.059};
const double d3[] = {0, 0, 0.8525033, 0.8883697, 0.8798108};

double c4_of(double n) { return std::sqrt(2 / (n - 1)) * std::tgamma(n / 2) / std::tgamma((n - 1) / 2); }
double mean_of(const std::vector<double>& g) { return std::accumulate(g.begin(), g.end(), 0.0) / static_cast<double>(g.size()); }
double sd_of(const std::vector<double>& g) {
  const double m = mean_of(g);
  double ss = 0;
  for (double v : g) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(g.size() - 1));
}
double range_of(const std::vector<double>& g) { return *std::max_element(g.begin(), g.end()) - *std::min_element(g.begin(), g.end()); }

/// Rows of the subgroups, x = the subgroup's index (Observations only views them).
struct Rows {
  std::vector<double> y;
  std::vector<std::int64_t> x;
  Observations obs() const {
    Observations o;
    o.y = y;
    o.x = x;
    return o;
  }
};

Rows rows(const std::vector<std::vector<double>>& gs) {
  Rows r;
  std::int64_t x = 0;
  for (const auto& g : gs) {
    for (double v : g) {
      r.y.push_back(v);
      r.x.push_back(x);
    }
    ++x;
  }
  return r;
}

/// Sigma recovered from the first EWMA upper limit: ucl_1 = center + 3 (sigma / sqrt(n_1)) lambda
/// (lambda = 1 makes the EWMA factor sqrt(lambda / (2 - lambda) (1 - 0)) exactly 1).
double ewma_sigma(const Rows& data, SdMethod method, Profile profile = Profile::qiscope) {
  Spec spec;
  spec.chart = Chart::ewma;
  spec.lambda = 1;
  spec.center = 0;
  spec.profile = profile;
  spec.sd_method = method;
  const Result r = compute(data.obs(), spec);
  return r.points.ucl[0] / 3 * std::sqrt(r.points.n[0]);
}

}  // namespace

TEST(SdMethod, SubgroupEstimatorsAsQccSdXbar) {
  const Rows obs = rows(groups);
  double uwave_r = 0, uwave_sd = 0, mvlue_r = 0, w_r = 0, mvlue_sd = 0, w_sd = 0, ss = 0, df = 0;
  for (const auto& g : groups) {
    const std::size_t n = g.size();
    const double c = c4_of(static_cast<double>(n));
    uwave_r += range_of(g) / d2[n] / 4;
    uwave_sd += sd_of(g) / c / 4;
    const double wr = (d2[n] / d3[n]) * (d2[n] / d3[n]), ws = c * c / (1 - c * c);
    mvlue_r += wr * range_of(g) / d2[n];
    w_r += wr;
    mvlue_sd += ws * sd_of(g) / c;
    w_sd += ws;
    ss += static_cast<double>(n - 1) * sd_of(g) * sd_of(g);
    df += static_cast<double>(n - 1);
  }
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::uwave_r), uwave_r, 1e-12);
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::uwave_sd), uwave_sd, 1e-12);
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::mvlue_r), mvlue_r / w_r, 1e-12);
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::mvlue_sd), mvlue_sd / w_sd, 1e-12);
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::rmsdf), std::sqrt(ss / df) / c4_of(df + 1), 1e-12);
  // The explicit methods are the defaults they name: rmsdf (qiscope), uwave_r (qcc, n <= 25).
  Spec spec;
  spec.chart = Chart::cusum;
  const Result by_default = compute(obs.obs(), spec);
  spec.sd_method = SdMethod::rmsdf;
  EXPECT_EQ(compute(obs.obs(), spec).points.value, by_default.points.value);
  spec.profile = Profile::qcc;
  spec.sd_method.reset();
  const Result qcc_default = compute(obs.obs(), spec);
  spec.sd_method = SdMethod::uwave_r;
  EXPECT_EQ(compute(obs.obs(), spec).points.value, qcc_default.points.value);
}

TEST(SdMethod, IndividualsEstimatorsAsQccSdXbarOne) {
  const std::vector<double> y{5, 3, 4, 6, 2, 5, 4, 3, 6, 5};
  const Rows obs{y, {}};
  double mr = 0;
  for (std::size_t i = 1; i < y.size(); ++i) mr += std::abs(y[i] - y[i - 1]);
  mr /= static_cast<double>(y.size() - 1);
  // qcc: mean moving range / 1.128; qiscope's profile: / (2 / sqrt(pi)).
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::mr, Profile::qcc), mr / 1.128, 1e-12);
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::mr), mr / (2 / std::sqrt(M_PI)), 1e-12);
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::sd), sd_of(y) / c4_of(10), 1e-12);
  EXPECT_NEAR(ewma_sigma(obs, SdMethod::sd, Profile::qcc), sd_of(y) / c4_of(10), 1e-12);
}

TEST(SdMethod, MethodsThatDoNotFitTheDataNameTheOption) {
  const auto error_of = [](const Rows& data, SdMethod m) {
    Spec spec;
    spec.chart = Chart::ewma;
    spec.sd_method = m;
    try {
      compute(data.obs(), spec);
    } catch (const qiscope::input_error& e) {
      return std::string(e.field()) + "/" + std::to_string(e.row()) + "/" + e.rule();
    }
    return std::string("no error");
  };
  const Rows subgroups = rows(groups);
  EXPECT_EQ(error_of(subgroups, SdMethod::mr), "sd_method/0/single_values");
  EXPECT_EQ(error_of(subgroups, SdMethod::sd), "sd_method/0/single_values");
  const Rows singles = rows({{1}, {2}, {4}});
  EXPECT_EQ(error_of(singles, SdMethod::uwave_sd), "sd_method/0/subgroups");
  EXPECT_EQ(error_of(singles, SdMethod::rmsdf), "sd_method/0/subgroups");
  // 26 rows: beyond qcc's d2 table for the range methods; the SD methods still apply.
  const Rows big = rows({std::vector<double>(26, 1.0), {1, 2, 3}});
  EXPECT_EQ(error_of(big, SdMethod::uwave_r), "sd_method/0/subgroup_size");
  EXPECT_EQ(error_of(big, SdMethod::mvlue_r), "sd_method/0/subgroup_size");
  EXPECT_EQ(error_of(big, SdMethod::uwave_sd), "no error");
  // Both a sigma and a method to estimate it; a chart without sd_method.
  Spec spec;
  spec.chart = Chart::ewma;
  spec.sd = 1;
  spec.sd_method = SdMethod::rmsdf;
  EXPECT_THROW(compute(subgroups.obs(), spec), qiscope::input_error);
  spec.sd.reset();
  spec.chart = Chart::i;
  try {
    compute(singles.obs(), spec);
    ADD_FAILURE() << "no error";
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(std::string(e.field()), "sd_method");
  }
}

TEST(SdMethod, JsonRoundTrip) {
  for (SdMethod m : {SdMethod::uwave_r, SdMethod::uwave_sd, SdMethod::mvlue_r, SdMethod::mvlue_sd,
                     SdMethod::rmsdf, SdMethod::mr, SdMethod::sd}) {
    Spec spec;
    spec.chart = Chart::cusum;
    spec.sd_method = m;
    const nlohmann::json j = spec;
    EXPECT_EQ(j.at("sd_method"), std::string(to_string(m)));
    EXPECT_EQ(j.get<Spec>().sd_method, m);
  }
  EXPECT_FALSE(nlohmann::json(Spec{}).get<Spec>().sd_method.has_value());
  EXPECT_THROW(nlohmann::json::parse(R"({"sd_method": "MVLUE-R"})").get<Spec>(), qiscope::input_error);
}
