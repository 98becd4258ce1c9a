// Properties every chart must have, over random data (fixed seeds): the result does not depend
// on the thread count, nor on the order of the input rows (within the documented sort: rows
// sharing a series and x keep their order); reversing the improvement direction swaps
// improvement and concern exactly; scaling y by a positive constant scales centre line and limits
// by it (run, i, mr, xbar, s, ewma); results pass tests/support/result_checks.hpp, which includes
// a lossless JSON round trip.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>
#include <qiscope/spc/funnel.hpp>

#include "result_checks.hpp"

using namespace qiscope;
using spc::Chart;

namespace {

/// Input rows of several series; `x` repeats within a series for subgroup charts.
struct Data {
  std::vector<double> y, n;
  std::vector<std::int64_t> series, x;

  spc::Observations observations() const {
    spc::Observations obs;
    obs.y = y;
    obs.n = n;
    obs.series = series;
    obs.x = x;
    return obs;
  }
};

/// Time-weighted charts signal at their own limits only (no rule set).
bool time_weighted(Chart c) { return c == Chart::ewma || c == Chart::cusum; }
bool subgroup_chart(Chart c) { return c == Chart::xbar || c == Chart::s || c == Chart::ewma || c == Chart::cusum; }
bool needs_n(Chart c) {
  return c == Chart::p || c == Chart::np || c == Chart::u || c == Chart::pp || c == Chart::up || c == Chart::ip;
}

/// `n_series` series of about 24 points each, shaped for `chart`: counts for attribute
/// charts, positive times for t, subgroups of 2 to 6 rows for xbar/s/ewma/cusum; a shift in the
/// middle of some series so that rules fire; a missing value now and then.
Data make_data(Chart chart, std::uint64_t seed, int n_series = 3) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  Data d;
  for (int s = 0; s < n_series; ++s) {
    const int points = 16 + static_cast<int>(rng() % 16);
    const double level = 5 + 20 * unit(rng);
    for (int i = 0; i < points; ++i) {
      const double shift = (s % 2 == 1 && i > points / 2) ? 1.6 : 1.0;
      const int rows = subgroup_chart(chart) ? 2 + static_cast<int>(rng() % 5) : 1;
      for (int r = 0; r < rows; ++r) {
        double y = std::round(level * shift * (0.6 + 0.8 * unit(rng)));
        double n = 0;
        if (needs_n(chart)) {
          n = std::round(40 + 200 * unit(rng));
          y = std::min(n, std::round(n * 0.1 * shift * (0.5 + unit(rng))));
        }
        if (chart == Chart::t) y += 0.5;
        if (unit(rng) < 0.03) y = std::nan("");
        d.y.push_back(y);
        if (needs_n(chart)) d.n.push_back(n);
        d.series.push_back(s);
        d.x.push_back(i);
      }
    }
  }
  return d;
}

spc::Spec spec_for(Chart chart, spc::RuleSet rules) {
  spc::Spec spec;
  spec.chart = chart;
  spec.rules = time_weighted(chart) ? spc::RuleSet::anhoej : rules;
  spec.direction = spc::Direction::increase;
  if (!time_weighted(chart)) spec.target = 12;  // time-weighted charts have no assurance icon
  return spec;
}

std::string dump(const spc::Result& r) { return nlohmann::json(r).dump(); }

struct Case {
  Chart chart;
  spc::RuleSet rules;
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return std::string(spc::to_string(info.param.chart)) + "_" + std::string(spc::to_string(info.param.rules));
}

class ChartProperty : public ::testing::TestWithParam<Case> {};

const Chart all_charts[] = {Chart::run, Chart::i, Chart::mr, Chart::xbar, Chart::s, Chart::p, Chart::np,
                            Chart::c, Chart::u, Chart::pp, Chart::up, Chart::g, Chart::t, Chart::ip,
                            Chart::ewma, Chart::cusum};

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (Chart c : all_charts) {
    cases.push_back({c, spc::RuleSet::anhoej});
    if (!time_weighted(c)) cases.push_back({c, spc::RuleSet::ihi});
  }
  return cases;
}

}  // namespace

TEST_P(ChartProperty, ResultsAreSoundAndRoundTripThroughJson) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Data d = make_data(GetParam().chart, seed);
    const auto r = spc::compute(d.observations(), spec_for(GetParam().chart, GetParam().rules));
    EXPECT_EQ(checks::check_spc_result(r), "") << "seed " << seed;
  }
}

TEST_P(ChartProperty, ThreadCountDoesNotChangeTheResult) {
  // Enough series for the pool to split them (it gives each thread at least 64).
  const Data d = make_data(GetParam().chart, 7, 300);
  auto spec = spec_for(GetParam().chart, GetParam().rules);
  auto without_threads = [&](int threads) {
    spec.n_threads = threads;
    auto r = spc::compute(d.observations(), spec);
    r.spec.n_threads = 0;  // the request differs, the result must not
    return dump(r);
  };
  const std::string one = without_threads(1);
  for (int threads : {2, 3, 8}) EXPECT_TRUE(without_threads(threads) == one) << threads << " threads";
}

TEST_P(ChartProperty, RowOrderDoesNotChangeTheResult) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Data d = make_data(GetParam().chart, seed);
    // Shuffle whole points (the rows sharing a series and x move together, in their order).
    std::vector<std::size_t> starts;
    for (std::size_t r = 0; r < d.y.size(); ++r)
      if (r == 0 || d.x[r] != d.x[r - 1] || d.series[r] != d.series[r - 1]) starts.push_back(r);
    std::vector<std::size_t> blocks(starts.size());
    std::iota(blocks.begin(), blocks.end(), std::size_t{0});
    std::shuffle(blocks.begin(), blocks.end(), std::mt19937_64(seed * 31));
    starts.push_back(d.y.size());
    Data shuffled;
    std::vector<std::int64_t> original_row;  // shuffled row -> input row
    for (std::size_t b : blocks)
      for (std::size_t r = starts[b]; r < starts[b + 1]; ++r) {
        shuffled.y.push_back(d.y[r]);
        if (!d.n.empty()) shuffled.n.push_back(d.n[r]);
        shuffled.series.push_back(d.series[r]);
        shuffled.x.push_back(d.x[r]);
        original_row.push_back(static_cast<std::int64_t>(r));
      }
    const auto spec = spec_for(GetParam().chart, GetParam().rules);
    const auto a = spc::compute(d.observations(), spec);
    auto b = spc::compute(shuffled.observations(), spec);
    for (auto& row : b.points.row) row = original_row[static_cast<std::size_t>(row)];
    EXPECT_TRUE(dump(a) == dump(b)) << "seed " << seed;
  }
}

TEST_P(ChartProperty, ReversingTheDirectionSwapsImprovementAndConcern) {
  auto swapped = [](spc::PointType t) {
    if (t == spc::PointType::improvement) return spc::PointType::concern;
    if (t == spc::PointType::concern) return spc::PointType::improvement;
    return t;
  };
  auto swapped_variation = [](spc::Variation v) {
    switch (v) {
      case spc::Variation::improvement_high: return spc::Variation::concern_high;
      case spc::Variation::improvement_low: return spc::Variation::concern_low;
      case spc::Variation::concern_high: return spc::Variation::improvement_high;
      case spc::Variation::concern_low: return spc::Variation::improvement_low;
      default: return v;
    }
  };
  auto swapped_assurance = [](spc::Assurance a) {
    if (a == spc::Assurance::pass) return spc::Assurance::fail;
    if (a == spc::Assurance::fail) return spc::Assurance::pass;
    return a;
  };
  std::size_t flagged = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Data d = make_data(GetParam().chart, seed);
    auto spec = spec_for(GetParam().chart, GetParam().rules);
    spec.direction = spc::Direction::increase;
    const auto up = spc::compute(d.observations(), spec);
    spec.direction = spc::Direction::decrease;
    auto down = spc::compute(d.observations(), spec);
    for (std::size_t i = 0; i < up.points.size(); ++i) {
      EXPECT_EQ(down.points.point_type[i], swapped(up.points.point_type[i])) << "point " << i;
      flagged += up.points.point_type[i] != spc::PointType::common_cause;
    }
    for (std::size_t k = 0; k < up.phases.size(); ++k) {
      EXPECT_EQ(down.phases.variation[k], swapped_variation(up.phases.variation[k]));
      EXPECT_EQ(down.phases.assurance[k], swapped_assurance(up.phases.assurance[k]));
    }
    // Everything else is the same.
    down.points.point_type = up.points.point_type;
    down.phases.variation = up.phases.variation;
    down.phases.assurance = up.phases.assurance;
    down.spec.direction = up.spec.direction;
    EXPECT_TRUE(dump(down) == dump(up)) << "seed " << seed;
  }
  if (GetParam().chart != Chart::mr && GetParam().chart != Chart::run) {
    EXPECT_GT(flagged, 0u) << "no signal to swap";
  }
}

INSTANTIATE_TEST_SUITE_P(AllCharts, ChartProperty, ::testing::ValuesIn(all_cases()), case_name);

class ScaleProperty : public ::testing::TestWithParam<Chart> {};

TEST_P(ScaleProperty, ScalingYScalesCentreLineAndLimits) {
  const Chart chart = GetParam();
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    Data d = make_data(chart, seed);
    const auto spec = spec_for(chart, spc::RuleSet::anhoej);
    const auto base = spc::compute(d.observations(), spec);
    for (double c : {4.0, 0.0625, 3.7, 1e-3}) {
      Data scaled = d;
      for (double& y : scaled.y) y *= c;
      auto s = spec;
      if (spec.target) s.target = *spec.target * c;
      const auto r = spc::compute(scaled.observations(), s);
      // A power of 2 scales every operation exactly; any other constant up to rounding.
      const bool exact = c == 4.0 || c == 0.0625;
      for (std::size_t i = 0; i < r.points.size(); ++i) {
        for (auto col : {&spc::Points::value, &spc::Points::cl, &spc::Points::lcl, &spc::Points::ucl,
                         &spc::Points::lcl_95, &spc::Points::ucl_95}) {
          const double want = (base.points.*col)[i] * c, got = (r.points.*col)[i];
          if (std::isnan(want)) {
            EXPECT_TRUE(std::isnan(got));
          } else if (exact) {
            EXPECT_EQ(got, want) << "point " << i << " seed " << seed;
          } else {
            EXPECT_NEAR(got, want, 1e-12 * std::max(1.0, std::abs(want))) << "point " << i << " seed " << seed;
          }
        }
        if (exact) {
          EXPECT_EQ(r.points.special_cause[i], base.points.special_cause[i]) << "point " << i;
        }
      }
      if (exact) {
        EXPECT_EQ(r.phases.variation, base.phases.variation);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(LocationScaleCharts, ScaleProperty,
                         ::testing::Values(Chart::run, Chart::i, Chart::mr, Chart::xbar, Chart::s, Chart::ewma),
                         [](const auto& info) { return std::string(spc::to_string(info.param)); });

TEST(FunnelProperty, ResultsAreSoundRoundTripAndIgnoreThreadsAndRowOrder) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<double> y, n;
    for (int i = 0; i < 25; ++i) {
      n.push_back(std::round(50 + 2000 * unit(rng)));
      y.push_back(std::round(n.back() * (0.05 + 0.1 * unit(rng))));
    }
    funnel::Spec spec;
    spec.kind = static_cast<funnel::Kind>(trial % 3);
    spec.overdispersion = static_cast<funnel::Overdispersion>((trial / 3) % 3);
    spec.profile = trial % 2 ? funnel::Profile::funnelplotr : funnel::Profile::qiscope;
    spec.grid_size = 2000;  // enough rows for the pool to split them
    spec.n_threads = 1;
    const auto one = funnel::compute({y, n, {}}, spec);
    EXPECT_EQ(checks::check_funnel_result(one), "") << "trial " << trial;
    spec.n_threads = 3;
    auto three = funnel::compute({y, n, {}}, spec);
    three.spec.n_threads = 1;  // the request differs, the result must not
    EXPECT_TRUE(nlohmann::json(three).dump() == nlohmann::json(one).dump()) << "trial " << trial;
    // Rows reversed, one unit code each: the units come out in code order, as before.
    std::vector<double> ry(y.rbegin(), y.rend()), rn(n.rbegin(), n.rend());
    std::vector<std::int64_t> codes(y.size());
    for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<std::int64_t>(codes.size() - 1 - i);
    auto reversed = funnel::compute({ry, rn, codes}, spec);
    EXPECT_EQ(reversed.units.value, one.units.value);
    EXPECT_EQ(reversed.units.ucl, one.units.ucl);
    EXPECT_EQ(reversed.phi, one.phi);
  }
}
