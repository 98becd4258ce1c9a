// Rows as their own points (agg = none: a g chart of events, two on one day being two events,
// qicharts2 issue #47 in shared/design/spc-spec.md §7) and per-series improvement directions
// (many indicators in one call, some better up, some better down). Limits are computed here
// by hand from Benneyan's g chart formula; directions are checked against separate calls.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>

using namespace qiscope::spc;

namespace {

Result events(Chart chart, const std::vector<double>& y, const std::vector<std::int64_t>& x,
              Spec spec = {}) {
  Observations obs;
  obs.y = y;
  obs.x = x;
  spec.chart = chart;
  return compute(obs, spec);
}

/// Equal element by element, a missing value (no limits on a run chart) equal to a missing one.
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

Spec no_aggregation() {
  Spec spec;
  spec.agg = Aggregate::none;
  return spec;
}

// Cases between events; events 2-3 and 5-6 fall on the same day.
const std::vector<double> between{12, 3, 40, 7, 25, 0, 18};
const std::vector<std::int64_t> day{1, 2, 2, 3, 4, 4, 5};

}  // namespace

TEST(NoAggregation, TwoEventsOnOneDayAreTwoGPoints) {
  const auto r = events(Chart::g, between, day, no_aggregation());
  ASSERT_EQ(r.points.value.size(), 7u);
  EXPECT_EQ(r.points.x, day);  // each point keeps its own (repeated) x
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(r.points.value[i], between[i]);
    EXPECT_EQ(r.points.n_rows[i], 1);
    EXPECT_EQ(r.points.row[i], static_cast<std::int64_t>(i));
  }
  // Benneyan (2001): mean m = 105 / 7 = 15, sigma = sqrt(m (m + 1)); the drawn centre line is
  // the median of 0 3 7 12 18 25 40 (Provost & Murray 2011, p. 228).
  const double m = 15, sigma = std::sqrt(15.0 * 16.0);
  EXPECT_EQ(r.points.cl[0], 12.0);
  EXPECT_NEAR(r.points.ucl[0], m + 3 * sigma, 1e-12);
  EXPECT_NEAR(r.points.ucl_95[0], m + 2 * sigma, 1e-12);
  EXPECT_EQ(r.points.lcl[0], 0.0);

  // The default averages a day's events: five points, (3 + 40) / 2 on day 2.
  const auto averaged = events(Chart::g, between, day);
  ASSERT_EQ(averaged.points.value.size(), 5u);
  EXPECT_EQ(averaged.points.value[1], 21.5);
  EXPECT_EQ(averaged.points.n_rows[1], 2);
}

TEST(NoAggregation, SameAsDistinctX) {
  const std::vector<std::int64_t> distinct{1, 2, 3, 4, 5, 6, 7};
  for (Chart c : {Chart::g, Chart::t, Chart::i, Chart::run, Chart::c, Chart::ewma, Chart::cusum}) {
    const std::vector<double> y = c == Chart::t ? std::vector<double>{12, 3, 40, 7, 25, 1, 18} : between;
    const auto tied = events(c, y, day, no_aggregation());
    const auto apart = events(c, y, distinct, no_aggregation());
    SCOPED_TRACE(std::string(to_string(c)));
    EXPECT_TRUE(same(tied.points.value, apart.points.value));
    EXPECT_TRUE(same(tied.points.cl, apart.points.cl));
    EXPECT_TRUE(same(tied.points.ucl, apart.points.ucl));
    EXPECT_TRUE(same(tied.points.lcl, apart.points.lcl));
    EXPECT_EQ(tied.points.special_cause, apart.points.special_cause);
    EXPECT_EQ(tied.phases.longest_run, apart.phases.longest_run);
    EXPECT_EQ(tied.phases.n_crossings, apart.phases.n_crossings);
  }
}

TEST(NoAggregation, RowsSharingXKeepTheirInputOrder) {
  // Unsorted input: the rows are ordered by x, and within one x as given.
  const auto r = events(Chart::g, {5, 1, 9, 2, 7}, {3, 1, 3, 2, 3}, no_aggregation());
  EXPECT_EQ(r.points.value, (std::vector<double>{1, 2, 5, 9, 7}));
  EXPECT_EQ(r.points.x, (std::vector<std::int64_t>{1, 2, 3, 3, 3}));
  EXPECT_EQ(r.points.row, (std::vector<std::int64_t>{1, 3, 0, 2, 4}));
}

TEST(NoAggregation, PhasesByXAndExclusionsByPosition) {
  Spec spec = no_aggregation();
  spec.part_x = {4};  // the phase starts at the first event of day 4 (point 4)
  spec.exclude = {2};  // the second event of day 2
  const auto r = events(Chart::g, between, day, spec);
  EXPECT_EQ(r.phases.first, (std::vector<std::int64_t>{0, 4}));
  EXPECT_EQ(r.points.excluded, (std::vector<std::uint8_t>{0, 0, 1, 0, 0, 0, 0}));
  const double m1 = (12 + 3 + 7) / 3.0, m2 = (25 + 0 + 18) / 3.0;
  EXPECT_NEAR(r.points.ucl[0], m1 + 3 * std::sqrt(m1 * (m1 + 1)), 1e-12);
  EXPECT_NEAR(r.points.ucl[4], m2 + 3 * std::sqrt(m2 * (m2 + 1)), 1e-12);
}

TEST(NoAggregation, RefusedWhereRowsSharingXAreTheSubgroup) {
  for (Chart c : {Chart::xbar, Chart::s}) {
    try {
      events(c, between, day, no_aggregation());
      ADD_FAILURE() << "no error for " << to_string(c);
    } catch (const qiscope::input_error& e) {
      EXPECT_EQ(e.field(), "agg");
      EXPECT_EQ(e.rule(), "not_applicable");
    }
  }
}

TEST(NoAggregation, JsonRoundTrip) {
  Spec spec = no_aggregation();
  spec.series_direction = {Direction::increase, Direction::neutral, Direction::decrease};
  const nlohmann::json j = spec;
  EXPECT_EQ(j["agg"], "none");
  const auto back = nlohmann::json::parse(j.dump()).get<Spec>();
  EXPECT_EQ(back.agg, Aggregate::none);
  EXPECT_EQ(back.series_direction, spec.series_direction);
  // A spec written before per-series directions reads back with none.
  nlohmann::json old = j;
  old.erase("series_direction");
  EXPECT_TRUE(old.get<Spec>().series_direction.empty());
}

namespace {

// Two indicators of 20 months: falls (better down) end with a low point, vaccination (better
// up) with a low one too: an improvement for one, a concern for the other.
struct TwoIndicators {
  std::vector<double> y, target;
  std::vector<std::int64_t> series, x;
  TwoIndicators() {
    const double base[] = {10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 10, 12, 11, 10, 9, 11, 12, 10, 11, 2};
    for (std::int64_t s = 0; s < 2; ++s)
      for (std::int64_t m = 0; m < 20; ++m) {
        y.push_back(base[m] + 50.0 * static_cast<double>(s));
        target.push_back(s == 0 ? 8.0 : 70.0);
        series.push_back(s);
        x.push_back(m);
      }
  }
  Result one(std::int64_t s, Direction d) const {
    const std::size_t b = static_cast<std::size_t>(s) * 20;
    Observations obs;
    obs.y = std::span(y).subspan(b, 20);
    obs.target = std::span(target).subspan(b, 20);
    obs.x = std::span(x).subspan(b, 20);
    Spec spec;
    spec.chart = Chart::i;
    spec.direction = d;
    return compute(obs, spec);
  }
  Result both(std::vector<Direction> directions) const {
    Observations obs;
    obs.y = y;
    obs.target = target;
    obs.series = series;
    obs.x = x;
    Spec spec;
    spec.chart = Chart::i;
    spec.series_direction = std::move(directions);
    return compute(obs, spec);
  }
};

}  // namespace

TEST(SeriesDirection, OppositeDirectionsInOneCallEqualSeparateCalls) {
  const TwoIndicators data;
  const auto both = data.both({Direction::decrease, Direction::increase});
  const auto falls = data.one(0, Direction::decrease);
  const auto vaccination = data.one(1, Direction::increase);
  ASSERT_EQ(both.points.point_type.size(), 40u);
  for (std::size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(both.points.point_type[i], falls.points.point_type[i]) << i;
    EXPECT_EQ(both.points.point_type[20 + i], vaccination.points.point_type[i]) << i;
  }
  EXPECT_EQ(both.points.point_type[19], PointType::improvement);
  EXPECT_EQ(both.points.point_type[39], PointType::concern);
  ASSERT_EQ(both.phases.variation.size(), 2u);
  EXPECT_EQ(both.phases.variation[0], falls.phases.variation[0]);
  EXPECT_EQ(both.phases.variation[1], vaccination.phases.variation[0]);
  EXPECT_EQ(both.phases.variation[0], Variation::improvement_low);
  EXPECT_EQ(both.phases.variation[1], Variation::concern_low);
  EXPECT_EQ(both.phases.assurance[0], falls.phases.assurance[0]);
  EXPECT_EQ(both.phases.assurance[1], vaccination.phases.assurance[0]);
  // The same direction for both reproduces the call-wide option.
  const auto neutral = data.both({Direction::neutral, Direction::neutral});
  EXPECT_EQ(neutral.points.point_type[19], PointType::neutral);
}

TEST(SeriesDirection, EverySeriesCodeNeedsADirection) {
  const TwoIndicators data;
  try {
    data.both({Direction::increase});
    ADD_FAILURE() << "no error";
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "direction");
    EXPECT_EQ(e.row(), 20);
    EXPECT_EQ(e.rule(), "range");
  }
}
