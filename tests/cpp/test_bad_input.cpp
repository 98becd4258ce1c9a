// The bad-input catalogue (docs/bad-input.md) through the C++ API: one test per row that the
// C++ API can express, named by the row's id. Rows about text, dates and tables (marked
// *Python* in the table) concern only the Python layer: the C++ API takes numbers and integer
// x keys. Expected numbers are computed here from the textbook formulas.

#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/culture.hpp>
#include <qiscope/qiscope.hpp>
#include <qiscope/spc/funnel.hpp>

#include "culture_fixtures.hpp"
#include "result_checks.hpp"

using namespace qiscope;

namespace {

const double na = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();
const double d2 = 2 / std::sqrt(std::acos(-1.0));  // qiscope's default d2

/// Columns for one call; empty ones are not given.
struct Rows {
  std::vector<double> y{}, n{};
  std::vector<std::int64_t> series{}, x{};
  std::vector<std::uint8_t> exclude{};
  std::vector<double> risk{};
};

spc::Result run(const Rows& rows, const spc::Spec& spec) {
  spc::Observations obs;
  obs.y = rows.y;
  obs.n = rows.n;
  obs.series = rows.series;
  obs.x = rows.x;
  obs.exclude = rows.exclude;
  obs.risk = rows.risk;
  auto r = spc::compute(obs, spec);
  EXPECT_EQ(checks::check_spc_result(r), "");
  return r;
}

spc::Spec chart(spc::Chart c) {
  spc::Spec s;
  s.chart = c;
  return s;
}

funnel::Result run_funnel(const std::vector<double>& y, const std::vector<double>& n, funnel::Spec spec = {},
                          const std::vector<std::int64_t>& unit = {}) {
  auto r = funnel::compute(funnel::Observations{y, n, unit}, spec);
  EXPECT_EQ(checks::check_funnel_result(r), "");
  return r;
}

/// Runs `call` and checks that it throws input_error(field, row, rule).
template <class Call>
void expect_input_error(Call call, const std::string& field, std::int64_t row, const std::string& rule) {
  try {
    call();
    ADD_FAILURE() << "no input_error; expected " << field << " / " << rule;
  } catch (const input_error& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_EQ(e.row(), row) << e.what();
    EXPECT_EQ(e.rule(), rule) << e.what();
  }
}

}  // namespace

TEST(BadInput, empty) {
  expect_input_error([] { run({}, chart(spc::Chart::i)); }, "y", -1, "empty");
  expect_input_error([] { run_funnel({}, {}); }, "y", -1, "empty");
}

TEST(BadInput, one_point) {
  const auto r = run({{5}}, chart(spc::Chart::i));
  ASSERT_EQ(r.points.size(), 1u);
  EXPECT_EQ(r.points.cl[0], 5.0);
  EXPECT_TRUE(std::isnan(r.points.lcl[0]) && std::isnan(r.points.ucl[0]));
  EXPECT_FALSE(r.points.sigma_signal[0]);
  EXPECT_EQ(r.phases.n_useful[0], 0);
  EXPECT_EQ(r.phases.variation[0], spc::Variation::none);
}

TEST(BadInput, all_missing) {
  const auto r = run({{na, na, na, na, na}}, chart(spc::Chart::i));
  ASSERT_EQ(r.points.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_TRUE(std::isnan(r.points.value[i]) && std::isnan(r.points.cl[i]) && std::isnan(r.points.ucl[i]));
    EXPECT_FALSE(r.points.sigma_signal[i] || r.points.special_cause[i]);
  }
  EXPECT_EQ(r.phases.n_useful[0], 0);
  EXPECT_EQ(r.phases.n_obs[0], 5);
  EXPECT_EQ(r.phases.variation[0], spc::Variation::none);
  expect_input_error([] { run_funnel({na, na}, {10, 20}); }, "y", 0, "missing");
}

TEST(BadInput, nan_values) {
  const std::vector<double> y{5, 3, na, 4, 6, 2, 5, 4, 3, 6, 5, 4};
  const auto r = run({y}, chart(spc::Chart::i));
  double sum = 0, count = 0, ranges = 0, range_count = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(y[i])) continue;
    sum += y[i];
    ++count;
    if (i > 0 && !std::isnan(y[i - 1])) {
      ranges += std::abs(y[i] - y[i - 1]);
      ++range_count;
    }
  }
  EXPECT_EQ(ranges / range_count, 2.0);  // the two ranges next to the gap are dropped (spc-spec §8.3)
  EXPECT_NEAR(r.points.cl[0], sum / count, 1e-12);
  EXPECT_NEAR(r.points.ucl[0], sum / count + 3 * 2.0 / d2, 1e-12);
  EXPECT_EQ(r.points.size(), 12u);
  EXPECT_TRUE(std::isnan(r.points.value[2]));
  EXPECT_FALSE(r.points.sigma_signal[2]);
  EXPECT_EQ(r.phases.n_obs[0], 12);
  EXPECT_EQ(r.phases.n_useful[0], 11);
}

TEST(BadInput, infinite_values) {
  expect_input_error([] { run({{1, 2, inf}}, chart(spc::Chart::i)); }, "y", 2, "finite");
  expect_input_error([] { run({{1, 2, 3}, {4, -inf, 4}}, chart(spc::Chart::u)); }, "n", 1, "finite");
  expect_input_error([] { run_funnel({1, inf}, {4, 4}); }, "y", 1, "finite");
}

TEST(BadInput, negative_counts) {
  expect_input_error([] { run({{3, -1, 2}}, chart(spc::Chart::c)); }, "y", 1, "non_negative");
  expect_input_error([] { run({{1, 5, 3}, {4, -4, 4}}, chart(spc::Chart::u)); }, "n", 1, "non_negative");
  expect_input_error([] { run_funnel({1, -2}, {4, 4}); }, "y", 1, "non_negative");
  EXPECT_EQ(run({{-3, -1, 2}}, chart(spc::Chart::i)).points.value[0], -3.0);  // measurements may be negative
}

TEST(BadInput, zero_denominator) {
  const auto r = run({{1, 0, 3, 2}, {10, 0, 10, 10}}, chart(spc::Chart::p));
  const double pbar = 6.0 / 30;
  EXPECT_NEAR(r.points.cl[1], pbar, 1e-15);
  EXPECT_TRUE(std::isnan(r.points.value[1]) && std::isnan(r.points.ucl[1]) && std::isnan(r.points.lcl[1]));
  EXPECT_NEAR(r.points.ucl[0], pbar + 3 * std::sqrt(pbar * (1 - pbar) / 10), 1e-15);
  for (auto s : r.points.sigma_signal) EXPECT_FALSE(s);
  expect_input_error([] { run_funnel({0, 3}, {0, 10}); }, "n", 0, "positive");
}

TEST(BadInput, missing_denominator) {
  const auto r = run({{1, 5, 4, 2}, {10, na, 10, 10}}, chart(spc::Chart::p));
  EXPECT_TRUE(std::isnan(r.points.value[1]) && std::isnan(r.points.y[1]));
  EXPECT_NEAR(r.points.cl[0], 7.0 / 30, 1e-15);
  EXPECT_EQ(r.phases.n_useful[0], 3);
}

TEST(BadInput, numerator_above_denominator) {
  expect_input_error([] { run({{1, 5, 3}, {4, 4, 4}}, chart(spc::Chart::p)); }, "y", 1, "numerator_le_denominator");
  expect_input_error([] { run_funnel({1, 5}, {4, 4}); }, "y", 1, "numerator_le_denominator");
  EXPECT_EQ(run({{1, 5, 3}, {4, 4, 4}}, chart(spc::Chart::u)).points.value[1], 5.0 / 4);
}

TEST(BadInput, unsorted_x) {
  const Rows sorted{{4, 7, 5, 9, 6, 8}, {}, {}, {10, 20, 30, 40, 50, 60}};
  const Rows shuffled{{9, 4, 8, 5, 7, 6}, {}, {}, {40, 10, 60, 30, 20, 50}};
  const auto a = run(sorted, chart(spc::Chart::i));
  const auto b = run(shuffled, chart(spc::Chart::i));
  EXPECT_EQ(a.points.x, b.points.x);
  EXPECT_EQ(a.points.value, b.points.value);
  EXPECT_EQ(a.points.ucl, b.points.ucl);
  EXPECT_EQ(b.points.row, (std::vector<std::int64_t>{1, 4, 3, 0, 5, 2}));  // where each point came from
}

TEST(BadInput, absent_period) {
  // Months 0-10 without month 4: charted from the ten points present, in order; x_gaps (the
  // x_gap column) marks month 5, whose step of 2 is over 1.5 times the median step of 1.
  const Rows rows{{5, 7, 6, 8, 9, 4, 6, 7, 5, 8}, {}, {}, {0, 1, 2, 3, 5, 6, 7, 8, 9, 10}};
  const auto r = run(rows, chart(spc::Chart::i));
  ASSERT_EQ(r.points.size(), 10u);
  std::vector<double> month(11);
  for (std::size_t k = 0; k < month.size(); ++k) month[k] = static_cast<double>(k);
  const auto gaps = spc::x_gaps(r.points.series, r.points.x, month);
  EXPECT_EQ(gaps, (std::vector<std::uint8_t>{0, 0, 0, 0, 1, 0, 0, 0, 0, 0}));
}

TEST(BadInput, duplicated_x) {
  const Rows rows{{2, 4, 5, 6}, {}, {}, {1, 1, 2, 3}};
  const auto i = run(rows, chart(spc::Chart::i));
  EXPECT_EQ(i.points.value, (std::vector<double>{3, 5, 6}));
  EXPECT_EQ(i.points.n_rows, (std::vector<std::int64_t>{2, 1, 1}));
  EXPECT_EQ(run(rows, chart(spc::Chart::c)).points.value, (std::vector<double>{6, 5, 6}));
  auto bernoulli = chart(spc::Chart::bernoulli_cusum);
  bernoulli.target = 0.3;
  const auto cases = run({{0, 1, 1, 0}, {}, {}, {1, 1, 2, 3}}, bernoulli);
  EXPECT_EQ(cases.points.n_rows, (std::vector<std::int64_t>{1, 1, 1, 1}));
  auto events = chart(spc::Chart::g);
  events.agg = spc::Aggregate::none;  // each row its own point
  const auto g = run(rows, events);
  EXPECT_EQ(g.points.value, (std::vector<double>{2, 4, 5, 6}));
  EXPECT_EQ(g.points.n_rows, (std::vector<std::int64_t>{1, 1, 1, 1}));
}

TEST(BadInput, agg_none_subgroups) {
  for (auto c : {spc::Chart::xbar, spc::Chart::s}) {
    auto spec = chart(c);
    spec.agg = spc::Aggregate::none;
    expect_input_error([&] { run({{1, 2, 3, 4}, {}, {}, {1, 1, 2, 2}}, spec); }, "agg", -1, "not_applicable");
  }
}

TEST(BadInput, direction_per_series) {
  // Series codes 0 and 2, directions for codes 0 and 1 only: the first row of series 2 is named.
  auto spec = chart(spc::Chart::i);
  spec.series_direction = {spc::Direction::increase, spc::Direction::decrease};
  expect_input_error([&] { run({{1, 2, 3, 4}, {}, {0, 0, 2, 2}}, spec); }, "direction", 2, "range");
}

TEST(BadInput, missing_x) {
  // x keys of the C++ API are integers and cannot be missing (the Python layer refuses a
  // missing x, naming its row); a result document whose x is missing is refused.
  nlohmann::json doc = run({{5, 3, 4}}, chart(spc::Chart::i));
  doc["points"]["x"][1] = nullptr;
  expect_input_error([&] { doc.get<spc::Result>(); }, "x", -1, "type");
}

TEST(BadInput, part_out_of_range) {
  auto s = chart(spc::Chart::i);
  s.part = {7};
  expect_input_error([&] { run({{1, 2, 3}}, s); }, "part", -1, "range");
  s.part = {-1};
  expect_input_error([&] { run({{1, 2, 3}}, s); }, "part", -1, "range");
  const std::vector<double> y{0, 1, 2, 3, 0, 1, 2, 3, 0, 1};
  s.part = {5, 5, 3};
  const auto messy = run({y}, s);
  s.part = {3, 5};
  const auto clean = run({y}, s);
  EXPECT_EQ(messy.points.phase, clean.points.phase);
  EXPECT_EQ(messy.points.cl, clean.points.cl);
  EXPECT_NEAR(clean.phases.cl[1], (3 + 0) / 2.0, 1e-15);
}

TEST(BadInput, freeze_out_of_range) {
  auto s = chart(spc::Chart::i);
  s.freeze = 0;
  expect_input_error([&] { run({{1, 2, 3, 4}}, s); }, "freeze", -1, "range");
  s.freeze = 10;
  expect_input_error([&] { run({{1, 2, 3, 4}}, s); }, "freeze", -1, "range");
  expect_input_error([] { io::parse(R"({"freeze": 2.5})", "spec").get<spc::Spec>(); }, "freeze", -1, "integer");
  s.freeze = 3;
  EXPECT_EQ(run({{1, 3, 2, 9}}, s).points.cl[3], 2.0);
}

TEST(BadInput, exclude_out_of_range) {
  auto s = chart(spc::Chart::i);
  s.exclude = {-1};
  expect_input_error([&] { run({{1, 2, 3}}, s); }, "exclude", -1, "range");
  s.exclude = {3};
  expect_input_error([&] { run({{1, 2, 3}}, s); }, "exclude", -1, "range");
  s.exclude = {0, 1, 2};
  const auto r = run({{1, 2, 3}}, s);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(r.points.cl[i]) && std::isnan(r.points.ucl[i]));
  EXPECT_EQ(r.phases.n_obs[0], 0);
}

TEST(BadInput, unknown_names) {
  expect_input_error([] { spc::parse_chart("pie"); }, "chart", -1, "unknown_name");
  expect_input_error([] { spc::parse_rule_set("magic"); }, "rules", -1, "unknown_name");
  expect_input_error([] { spc::parse_profile("excel"); }, "profile", -1, "unknown_name");
  expect_input_error([] { io::parse(R"({"direction": "up"})", "spec").get<spc::Spec>(); }, "direction", -1,
                     "unknown_name");
  expect_input_error([] { funnel::parse_kind("odds"); }, "kind", -1, "unknown_name");
  expect_input_error([] {
    static const double y[] = {1, 2, 3};
    spc::Observations obs;
    obs.y = y;
    spc::PointColumns columns;
    columns.keep = {"value", "ucl_99"};
    spc::compute(obs, chart(spc::Chart::i), columns);
  }, "point_columns", -1, "unknown_name");
  // Enum values outside the named ones cannot come from JSON or Python; the engine refuses a
  // rule set it does not implement yet.
  auto s = chart(spc::Chart::i);
  s.rules = spc::RuleSet::nelson;
  try {
    run({{1, 2, 3}}, s);
  } catch (const input_error& e) {
    EXPECT_EQ(e.rule(), "not_implemented");  // until the rule-set branch lands
  }
}

TEST(BadInput, bad_numeric_options) {
  const Rows rows{{1, 2, 3, 4}};
  auto s = chart(spc::Chart::i);
  s.multiply = na;
  expect_input_error([&] { run(rows, s); }, "multiply", -1, "positive");
  s = chart(spc::Chart::i);
  s.cl = inf;
  expect_input_error([&] { run(rows, s); }, "cl", -1, "range");
  s = chart(spc::Chart::p);  // a centre line the statistic cannot take: limits would be NaN
  s.cl = 2;
  expect_input_error([&] { run({{1, 2, 3, 4}, {10, 10, 10, 10}}, s); }, "cl", -1, "range");
  s.multiply = 100;  // 2% on a percentage scale is fine
  EXPECT_NEAR(run({{1, 2, 3, 4}, {10, 10, 10, 10}}, s).points.ucl[0], 100 * (0.02 + 3 * std::sqrt(0.02 * 0.98 / 10)), 1e-12);
  s = chart(spc::Chart::c);
  s.cl = -1;
  expect_input_error([&] { run(rows, s); }, "cl", -1, "range");
  s = chart(spc::Chart::i);  // qcc's probability limits at a level whose upper quantile is 1
  s.profile = spc::Profile::qcc;
  s.confidence_level = 0.9999999999999999;
  expect_input_error([&] { run(rows, s); }, "confidence_level", -1, "range");
  s = chart(spc::Chart::run);
  s.rules = spc::RuleSet::ihi;
  s.shift_n = 1;
  expect_input_error([&] { run(rows, s); }, "shift_n", -1, "range");
  s = chart(spc::Chart::i);
  s.d2 = 0;
  expect_input_error([&] { run(rows, s); }, "d2", -1, "range");
  s = chart(spc::Chart::i);
  s.n_threads = -1;
  expect_input_error([&] { run(rows, s); }, "n_threads", -1, "range");
  s = chart(spc::Chart::i);  // an option the chart does not use is still checked
  s.lambda = na;
  expect_input_error([&] { run(rows, s); }, "lam", -1, "range");
  funnel::Spec f;
  f.coverage = {95, 95};
  expect_input_error([&] { run_funnel({1, 2}, {5, 5}, f); }, "limits", -1, "distinct");
  f = {};
  f.grid_size = 1000000000;
  expect_input_error([&] { run_funnel({1, 2}, {5, 5}, f); }, "grid_size", -1, "range");
}

TEST(BadInput, option_does_not_fit) {
  auto s = chart(spc::Chart::ewma);
  s.sd_method = spc::SdMethod::mr;
  expect_input_error([&] { run(Rows{{1, 2, 3, 4}, {}, {}, {0, 0, 1, 1}}, s); }, "sd_method", 0, "single_values");
  s.sd_method = spc::SdMethod::rmsdf;
  expect_input_error([&] { run(Rows{{1, 2, 3}}, s); }, "sd_method", 0, "subgroups");
  s.sd = 1;
  expect_input_error([&] { run(Rows{{1, 2, 3}}, s); }, "sd_method", -1, "not_applicable");
  s = chart(spc::Chart::i);
  s.sd_method = spc::SdMethod::mr;
  expect_input_error([&] { run(Rows{{1, 2, 3}}, s); }, "sd_method", -1, "not_applicable");
  s = chart(spc::Chart::p);
  s.profile = spc::Profile::qcc;
  s.confidence_level = 1.5;
  expect_input_error([&] { run(Rows{{1, 2}, {10, 10}}, s); }, "confidence_level", -1, "range");
  s.confidence_level = 0.9;
  expect_input_error([&] { run(Rows{{1, 2}, {10, 10.5}}, s); }, "n", 1, "integer");
  s.profile = spc::Profile::qiscope;
  expect_input_error([&] { run(Rows{{1, 2}, {10, 10}}, s); }, "confidence_level", -1, "profile");
  s = chart(spc::Chart::ewma);
  s.profile = spc::Profile::qcc;
  s.confidence_level = 0.9;
  expect_input_error([&] { run(Rows{{1, 2, 3}}, s); }, "confidence_level", -1, "not_applicable");
}

TEST(BadInput, by_missing_labels) {
  expect_input_error([] { run({{1, 2, 3}, {}, {0, -1, 1}}, chart(spc::Chart::run)); }, "by", 1, "missing");
  expect_input_error([] { run_funnel({1, 2}, {5, 5}, {}, {-1, 0}); }, "by", 0, "missing");
}

TEST(BadInput, mismatched_lengths) {
  expect_input_error([] { run({{1, 2, 3}, {1, 2}}, chart(spc::Chart::u)); }, "n", -1, "length");
  expect_input_error([] { run_funnel({1, 2, 3}, {4, 4}); }, "n", -1, "length");
}

TEST(BadInput, huge_values) {
  expect_input_error([] { run({{1e308, 1, 2}}, chart(spc::Chart::i)); }, "y", 0, "overflow");
  expect_input_error([] { run({{1, 2, 3}, {10, 1e-300, 10}}, chart(spc::Chart::u)); }, "y", 1, "overflow");
  auto cusum = chart(spc::Chart::cusum);
  cusum.center = 0;
  cusum.sd = 1e-308;  // every input is small; the CUSUM itself overflows
  expect_input_error([&] { run({{5, 6, 7, 8}}, cusum); }, "y", 0, "overflow");
  funnel::Spec rate;
  rate.kind = funnel::Kind::rate;
  expect_input_error([&] { run_funnel({9, 0}, {10, 1.1e-5}, rate); }, "n", 1, "overflow");
  expect_input_error([&] { run_funnel({1, 2}, {10, 1e-300}, rate); }, "n", 1, "overflow");
  // Exact limits step through whole counts: beyond 1e15 expected events they are refused
  // (above 2^53 the search could never end), also through the public functions.
  expect_input_error([] { run_funnel({5e16, 4e16}, {1e17, 1e17}); }, "n", -1, "exact_range");
  expect_input_error([] { funnel::exact_binomial_limit(1e17, 0.5, 0.025); }, "n", -1, "exact_range");
  expect_input_error([] { funnel::exact_poisson_limit(1e16, 2.0, 0.975); }, "n", -1, "exact_range");
  expect_input_error([] { funnel::exact_binomial_limit(10, 1.5, 0.025); }, "target", -1, "range");
  expect_input_error([] { funnel::exact_poisson_limit(10, 1, 1.0); }, "p", -1, "range");
  // Found by fuzz_engine: a target of 5e-324 made the Poisson mean target x n underflow to 0.
  funnel::Spec tiny_target;
  tiny_target.kind = funnel::Kind::ratio;
  tiny_target.target = 5e-324;
  expect_input_error([&] { run_funnel({0.26}, {0.26}, tiny_target); }, "target", -1, "range");
  expect_input_error([] { funnel::exact_poisson_limit(0.26, 5e-324, 0.025); }, "target", -1, "range");
  // A binomial success probability near 0 (infinite skewness) still has its limit, at once:
  // r = 0 and a = (P(R <= 0) - p) / P(R = 0).
  const double at_zero = std::pow(1 - 1e-90, 1e6);
  EXPECT_NEAR(funnel::exact_binomial_limit(1e6, 1e-90, 0.975), -(at_zero - 0.975) / at_zero / 1e6, 1e-15);
  const auto big = run({{1e99, 2e99, 1.5e99}}, chart(spc::Chart::i));
  EXPECT_TRUE(std::isfinite(big.points.ucl[0]) && std::isfinite(big.points.lcl[0]));
}

TEST(BadInput, truncated_json) {
  const nlohmann::json doc = run({{5, 3, 4, 6, 2}}, chart(spc::Chart::i));
  const std::string text = doc.dump();
  for (std::size_t cut : {std::size_t{1}, text.size() / 2, text.size() - 1})
    expect_input_error([&] { io::parse(text.substr(0, cut), "result").get<spc::Result>(); }, "result", -1, "json");
  expect_input_error([] { io::parse(std::string(100000, '['), "result"); }, "result", -1, "json");
  expect_input_error([] { io::parse("", "spec"); }, "spec", -1, "json");
}

TEST(BadInput, hostile_result_json) {
  const nlohmann::json good = run({{5, 3, 4, 6, 2}, {}, {0, 0, 0, 1, 1}}, chart(spc::Chart::i));
  auto edited = [&](auto change) {
    nlohmann::json doc = good;
    change(doc);
    return doc;
  };
  expect_input_error([&] { edited([](auto& d) { d["points"]["value"].erase(0); }).template get<spc::Result>(); },
                     "value", -1, "length");
  expect_input_error([&] { edited([](auto& d) { d["points"]["cl"] = 1; }).template get<spc::Result>(); }, "cl", -1,
                     "type");
  expect_input_error([&] { edited([](auto& d) { d["points"]["x"][0] = 1.5; }).template get<spc::Result>(); }, "x",
                     -1, "integer");
  expect_input_error([&] { edited([](auto& d) { d["points"]["baseline"][0] = 1e300; }).template get<spc::Result>(); },
                     "baseline", -1, "integer");
  expect_input_error([&] { edited([](auto& d) { d["phases"]["first"][1] = 0; }).template get<spc::Result>(); },
                     "phases", 1, "format");
  expect_input_error([&] { edited([](auto& d) { d["version"] = 2; }).template get<spc::Result>(); }, "version", -1,
                     "format");
  expect_input_error([&] { edited([](auto& d) { d.erase("points"); }).template get<spc::Result>(); }, "result", -1,
                     "format");
  expect_input_error([] { nlohmann::json::array().get<spc::Result>(); }, "format", -1, "format");
  const nlohmann::json funnel_doc = run_funnel({3, 5, 4}, {30, 40, 35});
  nlohmann::json short_limits = funnel_doc;
  short_limits["units"]["lcl"].erase(0);
  expect_input_error([&] { short_limits.get<funnel::Result>(); }, "lcl", -1, "length");
}

TEST(BadInput, hostile_spec_json) {
  auto spec = [](const char* text) { return io::parse(text, "spec").get<spc::Spec>(); };
  expect_input_error([&] { spec(R"({"chart": "i", "colour": 1})"); }, "colour", -1, "unknown_option");
  expect_input_error([&] { spec(R"({"chart": "i", "freeze": "12"})"); }, "freeze", -1, "type");
  expect_input_error([&] { spec(R"({"chart": "i", "part": [1, 2.5]})"); }, "part", -1, "integer");
  expect_input_error([&] { spec(R"({"chart": "i", "shift_n": 1e300})"); }, "shift_n", -1, "integer");
  expect_input_error([&] { spec(R"({"chart": "i", "multiply": 1e999})"); }, "spec", -1, "json");
  expect_input_error([&] { spec(R"({"chart": "i", "y_neg": 1})"); }, "y_neg", -1, "type");
  expect_input_error([&] { spec(R"({"": 1})"); }, "spec", -1, "unknown_option");
  expect_input_error([&] { spec("[1]"); }, "spec", -1, "type");
  expect_input_error([] { io::parse(R"({"coverage": [95, "a"]})", "spec").get<funnel::Spec>(); }, "coverage", -1,
                     "type");
}

TEST(BadInput, constant_data) {
  const auto r = run({std::vector<double>(8, 5.0)}, chart(spc::Chart::i));
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(r.points.lcl[i], 5.0);
    EXPECT_EQ(r.points.ucl[i], 5.0);
    EXPECT_FALSE(r.points.sigma_signal[i]);
  }
  auto frozen = chart(spc::Chart::i);
  frozen.freeze = 8;
  std::vector<double> y(8, 5.0);
  y.push_back(5.5);
  EXPECT_TRUE(run({y}, frozen).points.sigma_signal[8]);
}

TEST(BadInput, funnel_degenerate) {
  expect_input_error([] { run_funnel({0, 0, 0}, {10, 20, 30}); }, "y", -1, "degenerate_target");
  expect_input_error([] { run_funnel({10, 20}, {10, 20}); }, "y", -1, "degenerate_target");
  funnel::Spec additive;
  additive.overdispersion = funnel::Overdispersion::additive;
  expect_input_error([&] { run_funnel({3}, {10}, additive); }, "by", -1, "too_few_units");
  EXPECT_TRUE(std::isnan(run_funnel({3}, {10}).phi));
}

TEST(BadInput, rare_events_small_units) {
  funnel::Spec spec;
  spec.outlier_coverage = 95;
  spec.grid_size = 5;
  const auto r = run_funnel({0, 1, 0, 0}, {10, 1000, 500, 12}, spec);
  ASSERT_GT(std::pow(1 - 1.0 / 1522, 10), 0.975);  // P(R = 0) alone exceeds the 97.5% point at n = 10
  EXPECT_EQ(r.units.ucl[0][0], 0.0);
  EXPECT_EQ(r.units.lcl[0][0], 0.0);
  for (auto o : r.units.outlier) EXPECT_EQ(o, 0);
  for (std::size_t g = 0; g < r.limits.size(); ++g) EXPECT_LE(r.limits.lcl[0][g], r.limits.ucl[0][g]);
}

TEST(BadInput, case_outcomes) {
  auto bernoulli = chart(spc::Chart::bernoulli_cusum);
  bernoulli.target = 0.2;
  expect_input_error([&] { run({{0, 2, 1}}, bernoulli); }, "y", 1, "binary");
  expect_input_error([] { run({{0, 1, 1}, {}, {}, {}, {}, {0.2, 1.5, 0.1}}, chart(spc::Chart::ra_cusum)); }, "risk", 1,
                     "probability");
  expect_input_error([] { run({{0, 1, 1}}, chart(spc::Chart::vlad)); }, "risk", -1, "required");
}

TEST(BadInput, t_chart_nonpositive) {
  expect_input_error([] { run({{3, 0, 2}}, chart(spc::Chart::t)); }, "y", 1, "positive");
}

// -- survey answers and instruments (the culture module) -----------------------------------------
namespace {

using culture_fixtures::Row;

/// Scores the culture_test rows of culture-spec §4 (items i1 i2 i3 i4r, units A B C).
culture::ScoreTable score_rows(const std::vector<Row>& rows, culture::ScoreOptions options = {}) {
  const auto data = culture_fixtures::make_data(rows);
  return culture::score(data.responses(), culture_fixtures::culture_test_instrument(), options);
}

/// The overall (unit -1) row of item `measure` (0 = i1, ... 3 = i4r).
std::size_t overall_item(const culture::ScoreTable& t, std::int32_t measure) {
  for (std::size_t r = 0; r < t.size(); ++r)
    if (t.unit[r] == -1 && t.measure[r] == measure && t.kind[r] == culture::Kind::item) return r;
  ADD_FAILURE() << "no overall row for measure " << measure;
  return 0;
}

culture::Instrument instrument(const std::string& text) { return culture::parse_instrument(text); }

}  // namespace

TEST(BadInput, survey_out_of_scale) {
  // A code that is not on the 1..5 scale, not whole, not finite, or an undeclared missing code
  // (the instrument declares 9, not -99) is an error naming the item and the row.
  for (double bad : {6.0, 0.0, 2.5, -99.0, inf, -inf}) {
    auto rows = culture_fixtures::culture_test_rows();
    rows[4].i2 = bad;
    expect_input_error([&] { score_rows(rows); }, "i2", 4, "scale");
  }
  // The declared missing code and a blank are not answers: left out of n_valid, not an error.
  auto rows = culture_fixtures::culture_test_rows();
  rows[4].i2 = 9;
  rows[5].i2 = na;
  const auto t = score_rows(rows);
  const auto r = overall_item(t, 1);
  EXPECT_EQ(t.n_valid[r], 16);
  double positive = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) positive += (i != 4 && i != 5 && rows[i].i2 >= 4) ? 1 : 0;
  EXPECT_NEAR(t.percent_positive[r], 100 * positive / 16, 1e-12);
}

TEST(BadInput, survey_unknown_item) {
  // C++ takes one column per instrument item: a column fewer is a shape error. An instrument
  // whose composite or pair names an item it does not have is refused when it is read, and a
  // measure that is neither a composite nor an item when it is asked for.
  const auto data = culture_fixtures::make_data(culture_fixtures::culture_test_rows());
  culture::Responses three = data.responses();
  three.values = std::span<const double>(data.values).first(3 * three.n_rows);
  expect_input_error([&] { culture::score(three, culture_fixtures::culture_test_instrument()); }, "responses", -1,
                     "shape");
  expect_input_error([] {
    instrument(R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a", "b"],
                   "composites": [{"id": "c", "items": ["a", "zz"]}]})");
  }, "composites[0].items[1]", -1, "unknown_item");
  expect_input_error([] {
    instrument(R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a", "b"], "pairs": [{"a": "a", "b": "q"}]})");
  }, "pairs[0].b", -1, "unknown_item");
  expect_input_error([&] {
    culture::reliability(data.responses(), culture_fixtures::culture_test_instrument(), "teamwork");
  }, "measure", -1, "unknown_measure");
}

TEST(BadInput, survey_duplicate_respondent) {
  // score() takes no respondent ID, so a repeated row cannot be told from two people who gave
  // the same answers (common on a 5-point scale): both are scored, and the counts show it.
  auto rows = culture_fixtures::culture_test_rows();
  rows.push_back(rows[0]);
  const auto t = score_rows(rows);
  EXPECT_EQ(t.n_rows, 19);
  EXPECT_EQ(t.n_scored, 19);
  const auto r = overall_item(t, 0);
  double positive = 0;
  for (const auto& row : rows) positive += row.i1 >= 4 ? 1 : 0;
  EXPECT_EQ(t.n_respondents[r], 19);
  EXPECT_EQ(t.n_positive[r], static_cast<std::int64_t>(positive));
  EXPECT_NEAR(t.percent_positive[r], 100 * positive / 19, 1e-12);
}

TEST(BadInput, survey_instrument_schema) {
  // Every violation names the JSON path of the offending value and the check.
  const std::string head = R"("name": "x", "scale": {"min": 1, "max": 5})";
  struct Case {
    std::string text, field, rule;
  };
  const std::vector<Case> cases = {
      {R"({"scale": {"min": 1, "max": 5}, "items": ["a"]})", "name", "required"},
      {"{" + head + "}", "items", "required"},
      {R"({"name": "x", "scale": {"min": 1}, "items": ["a"]})", "scale.max", "required"},
      {"{" + head + R"(, "items": {"a": 1}})", "items", "type"},
      {"{" + head + R"(, "items": [{"id": "a", "reverse": "yes"}]})", "items[0].reverse", "type"},
      {"{" + head + R"(, "items": ["a"], "min_n": "10"})", "min_n", "type"},
      {"{" + head + R"(, "items": [{"id": "a", "scale": "freq", "reverse": true}]})", "items[0].scale",
       "unknown_scale"},
      {"{" + head + R"(, "items": ["a", {"id": "a", "reverse": true}]})", "items[1]", "duplicate"},
      {"{" + head + R"(, "items": ["a"], "composites": [{"id": "a", "items": ["a"]}]})", "composites[0].id",
       "duplicate"},
      {"{" + head + R"(, "items": ["a"], "colour": "red"})", "colour", "unknown_key"},
      // An empty key is named by its object (found by fuzz_instrument_json: the field was empty).
      {"{" + head + R"(, "items": ["a"], "": 1})", "instrument", "unknown_key"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5, "": 1}, "items": ["a"]})", "scale", "unknown_key"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5, "labels": ["a", "b"]}, "items": ["a"]})", "scale.labels",
       "length"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5, "missing_codes": [3]}, "items": ["a"]})",
       "scale.missing_codes[0]", "overlaps_scale"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5, "positive": [3, 5], "negative": [1, 3]}, "items": ["a"]})",
       "scale.positive", "overlap"},
      // 2^64 - 1 read as a signed integer would have wrapped to -1 (found by fuzz_instrument_json).
      {R"({"name": "x", "scale": {"min": 18446744073709551615, "max": 5}, "items": ["a"]})", "scale.min", "range"},
      // A number beyond the double range is nlohmann's out_of_range, not a parse error.
      {"{" + head + R"(, "items": ["a"], "respondent_positive": 1e999})", "instrument", "json"},
      {std::string(100000, '['), "instrument", "json"},
      {"[1]", "instrument", "type"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text.substr(0, 120));
    expect_input_error([&] { instrument(c.text); }, c.field, -1, c.rule);
  }
}

TEST(BadInput, survey_unit_missing) {
  // Every respondent needs a unit: a missing label (code -1) or a code without a label is an
  // error naming the row (rows are never dropped silently).
  auto data = culture_fixtures::make_data(culture_fixtures::culture_test_rows());
  data.unit[3] = -1;
  expect_input_error([&] { culture::score(data.responses(), culture_fixtures::culture_test_instrument()); }, "unit",
                     3, "missing");
  data.unit[3] = 3;  // three labels: A, B, C
  expect_input_error([&] { culture::score(data.responses(), culture_fixtures::culture_test_instrument()); }, "unit",
                     3, "range");
}

TEST(BadInput, survey_min_n) {
  const auto data = culture_fixtures::make_data(culture_fixtures::culture_test_rows());
  const auto inst = culture_fixtures::culture_test_instrument();
  culture::ScoreOptions score_options;
  score_options.min_n = -1;
  expect_input_error([&] { culture::score(data.responses(), inst, score_options); }, "min_n", -1, "range");
  culture::ReliabilityOptions reliability_options;
  reliability_options.min_n = -1;
  expect_input_error([&] { culture::reliability(data.responses(), inst, "c", reliability_options); }, "min_n", -1,
                     "range");
  expect_input_error([] { culture::min_n_preset("nhs"); }, "min_n", -1, "unknown_name");
  expect_input_error([] { culture_fixtures::culture_test_instrument(0); }, "min_n", -1, "range");
  // A threshold above every cell is allowed: everything is withheld, nothing is dropped.
  score_options.min_n = 1000;
  const auto t = culture::score(data.responses(), inst, score_options);
  for (std::size_t r = 0; r < t.size(); ++r) EXPECT_TRUE(t.suppressed[r] && std::isnan(t.percent_positive[r]));
}

TEST(BadInputJson, CultureResults) {
  // The culture result readers (found by fuzz_culture_result_json): a missing or mistyped
  // member, a fraction or an out-of-range number where a count belongs, columns of different
  // lengths and a measure index beyond the measures are input_errors naming the member, not
  // nlohmann exceptions, wrapped integers or tables that read out of range.
  const nlohmann::json good = score_rows(culture_fixtures::culture_test_rows());
  auto edited = [&](auto change) {
    nlohmann::json doc = good;
    change(doc);
    return doc;
  };
  using culture::ScoreTable;
  EXPECT_EQ(nlohmann::json(good.get<ScoreTable>()), good);
  expect_input_error([&] { edited([](auto& d) { d["rows"]["mean"].erase(0); }).template get<ScoreTable>(); }, "mean",
                     -1, "length");
  expect_input_error([&] { edited([](auto& d) { d["rows"]["measure"][2] = 99; }).template get<ScoreTable>(); },
                     "measure", 2, "range");
  expect_input_error([&] { edited([](auto& d) { d["rows"]["suppressed"][0] = 256; }).template get<ScoreTable>(); },
                     "suppressed", -1, "range");
  expect_input_error([&] { edited([](auto& d) { d["n_rows"] = 1.5; }).template get<ScoreTable>(); }, "n_rows", -1,
                     "integer");
  expect_input_error([&] { edited([](auto& d) { d["rows"]["ci_low"] = 3; }).template get<ScoreTable>(); }, "ci_low",
                     -1, "type");
  expect_input_error([&] { edited([](auto& d) { d["rows"]["kind"][0] = 1; }).template get<ScoreTable>(); }, "kind",
                     -1, "type");
  expect_input_error([&] { edited([](auto& d) { d["checks"] = 1; }).template get<ScoreTable>(); }, "checks", -1,
                     "type");
  expect_input_error([&] { edited([](auto& d) { d["checks"] = {{{"item", "i4r"}}}; }).template get<ScoreTable>(); },
                     "composite", -1, "required");
  expect_input_error([&] { edited([](auto& d) { d.erase("rows"); }).template get<ScoreTable>(); }, "rows", -1,
                     "required");
  expect_input_error([&] { edited([](auto& d) { d["format"] = 1; }).template get<ScoreTable>(); }, "json", -1,
                     "format");
  const auto data = culture_fixtures::make_data(culture_fixtures::culture_test_rows());
  const auto inst = culture_fixtures::culture_test_instrument();
  nlohmann::json reliability = culture::reliability(data.responses(), inst, "c");
  reliability["items"]["sd"] = 0.5;  // a number is not a column (nlohmann iterates it as one value)
  expect_input_error([&] { reliability.get<culture::Reliability>(); }, "sd", -1, "type");
  nlohmann::json agreement = culture::agreement(data.responses(), inst, "c");
  agreement["units"]["rwg_j"].push_back(0.5);
  expect_input_error([&] { agreement.get<culture::Agreement>(); }, "rwg_j", -1, "length");
  nlohmann::json gap = culture::gap(data.responses(), inst, "i1", "i2");
  gap["rows"]["t"].erase(0);
  expect_input_error([&] { gap.get<culture::Gap>(); }, "t", -1, "length");
}

TEST(BadInput, EveryCatalogueRowHasATest) {
  // Rows of docs/bad-input.md: "| `id` ... |"; *Python* rows have no C++ form.
  std::ifstream doc(std::string(QISCOPE_SOURCE_DIR) + "/docs/bad-input.md");
  ASSERT_TRUE(doc) << "docs/bad-input.md not found";
  const std::regex row(R"(^\| `([a-z_0-9]+)`([^|]*)\|)");
  std::set<std::string> expected;
  for (std::string line; std::getline(doc, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    const std::string id = m[1];
    if (m[2].str().find("*Python*") == std::string::npos) expected.insert(id);
  }
  std::set<std::string> tested;
  const auto* suite = ::testing::UnitTest::GetInstance()->current_test_suite();
  for (int k = 0; k < suite->total_test_count(); ++k) tested.insert(suite->GetTestInfo(k)->name());
  tested.erase("EveryCatalogueRowHasATest");
  EXPECT_GE(expected.size(), 25u);
  EXPECT_EQ(expected, tested);
}

TEST(BadInputJson, WholeNumbersUpToTheTypesLimits) {
  // 255.0 is a valid uint8 flag value and 2^31 - 1 a valid int; one more is out of range.
  nlohmann::json doc = run({{5, 3, 4}}, chart(spc::Chart::i));
  doc["points"]["baseline"][0] = 255.0;
  EXPECT_EQ(doc.get<spc::Result>().points.baseline[0], 255);
  doc["points"]["baseline"][0] = 256.0;
  expect_input_error([&] { doc.get<spc::Result>(); }, "baseline", -1, "integer");
  EXPECT_EQ(io::parse(R"({"shift_n": 2147483647.0})", "spec").get<spc::Spec>().shift_n, 2147483647);
  expect_input_error([] { io::parse(R"({"shift_n": 2147483648.0})", "spec").get<spc::Spec>(); }, "shift_n", -1,
                     "integer");
  expect_input_error([] { io::parse(R"({"shift_n": 2147483648})", "spec").get<spc::Spec>(); }, "shift_n", -1,
                     "range");
  EXPECT_EQ(*io::parse(R"({"freeze": -9223372036854775808.0})", "spec").get<spc::Spec>().freeze,
            std::numeric_limits<std::int64_t>::min());
  expect_input_error([] { io::parse(R"({"freeze": 9223372036854775808.0})", "spec").get<spc::Spec>(); }, "freeze",
                     -1, "integer");
}
