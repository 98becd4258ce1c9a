// Batches of series (PointColumns::batch_points) and the selection of point columns
// (PointColumns::keep) bound the engine's memory; neither may change a single bit of a result.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/qiscope.hpp>

#include "shuffled_rows.hpp"

using namespace qiscope::spc;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Series of unequal length (3 to 90 points), some x shared by several rows, some y missing,
/// excluded rows, phase labels and targets; rows shuffled so that the row order is stored.
struct Rows {
  std::vector<double> y, n, target;
  std::vector<std::int64_t> series, x, phase_label;
  std::vector<std::uint8_t> exclude;

  explicit Rows(unsigned seed, std::size_t series_count = 37) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> length(3, 90), per_point(1, 3), cases(20, 200), percent(0, 99);
    for (std::size_t s = 0; s < series_count; ++s) {
      const int points = length(rng);
      for (int i = 0; i < points; ++i) {
        const int rows = per_point(rng);
        for (int k = 0; k < rows; ++k) {
          const int size = cases(rng);
          series.push_back(static_cast<std::int64_t>((s * 7) % series_count));  // codes not in row order
          x.push_back(2 * i);
          n.push_back(size);
          y.push_back(percent(rng) < 3 ? nan : std::binomial_distribution<int>(size, 0.2)(rng));
          phase_label.push_back(i < points / 2 ? 0 : 1);
          exclude.push_back(percent(rng) < 2);
          target.push_back(percent(rng) < 50 ? 0.2 * size : nan);
        }
      }
    }
    qiscope::testing::shuffle_rows(rng, y, n, target, series, x, phase_label, exclude);
  }

  Observations observations(bool with_n, bool labels) const {
    Observations obs;
    obs.y = y;
    if (with_n) obs.n = n;
    obs.series = series;
    obs.x = x;
    if (labels) {
      obs.phase_label = phase_label;
      obs.exclude = exclude;
      obs.target = target;
    }
    return obs;
  }
};

/// Bitwise equality (NaN equals NaN), for columns of any element type.
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  static_assert(std::is_trivially_copyable_v<T>);
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

/// Every point column that `columns` keeps equals the reference; the others are empty.
void expect_points(const Result& reference, const Result& r, const PointColumns& columns, const std::string& what) {
  ASSERT_EQ(r.points.size(), reference.points.size()) << what;
  for_each_column([&](std::string_view name, auto column) {
    if (columns.keeps(name))
      EXPECT_TRUE(same_bits(reference.points.*column, r.points.*column)) << what << ": column " << name;
    else
      EXPECT_TRUE((r.points.*column).empty()) << what << ": column " << name << " was not asked for";
  });
}

void expect_phases(const Phases& a, const Phases& b, const std::string& what) {
  EXPECT_TRUE(same_bits(a.series, b.series)) << what;
  EXPECT_TRUE(same_bits(a.phase, b.phase)) << what;
  EXPECT_TRUE(same_bits(a.first, b.first)) << what;
  EXPECT_TRUE(same_bits(a.length, b.length)) << what;
  EXPECT_TRUE(same_bits(a.n_obs, b.n_obs)) << what;
  EXPECT_TRUE(same_bits(a.n_useful, b.n_useful)) << what;
  EXPECT_TRUE(same_bits(a.cl, b.cl)) << what;
  EXPECT_TRUE(same_bits(a.lcl, b.lcl)) << what;
  EXPECT_TRUE(same_bits(a.ucl, b.ucl)) << what;
  EXPECT_TRUE(same_bits(a.longest_run, b.longest_run)) << what;
  EXPECT_TRUE(same_bits(a.longest_run_max, b.longest_run_max)) << what;
  EXPECT_TRUE(same_bits(a.n_crossings, b.n_crossings)) << what;
  EXPECT_TRUE(same_bits(a.n_crossings_min, b.n_crossings_min)) << what;
  EXPECT_TRUE(same_bits(a.runs_signal, b.runs_signal)) << what;
  EXPECT_TRUE(same_bits(a.sigma_signal, b.sigma_signal)) << what;
  EXPECT_TRUE(same_bits(a.variation, b.variation)) << what;
  EXPECT_TRUE(same_bits(a.assurance, b.assurance)) << what;
}

struct Case {
  const char* name;
  Spec spec;
  bool with_n;
  bool labels;  // phase labels, exclude and target columns
};

std::vector<Case> cases() {
  std::vector<Case> out;
  auto add = [&](const char* name, Chart chart, bool with_n, bool labels, auto&& adjust) {
    Spec spec;
    spec.chart = chart;
    adjust(spec);
    out.push_back({name, spec, with_n, labels});
  };
  add("run, labels", Chart::run, false, true, [](Spec&) {});
  add("i, part, freeze, exclude, mdc", Chart::i, false, false, [](Spec& s) {
    s.part = {4, 20};
    s.freeze = 3;
    s.exclude = {1, 30};
    s.rules = RuleSet::mdc;
    s.direction = Direction::increase;
    s.target = 30;
  });
  add("i, qicharts2, part_x", Chart::i, false, false, [](Spec& s) {
    s.profile = Profile::qicharts2;
    s.part_x = {40};
    s.freeze = 5;
  });
  add("p, labels, direction", Chart::p, true, true, [](Spec& s) { s.direction = Direction::decrease; });
  add("u, multiply, western electric", Chart::u, true, false, [](Spec& s) {
    s.multiply = 1000;
    s.rules = RuleSet::western_electric;
  });
  add("c, median", Chart::c, false, false, [](Spec& s) { s.agg = Aggregate::median; });
  add("xbar", Chart::xbar, false, true, [](Spec&) {});
  add("s", Chart::s, false, false, [](Spec& s) { s.freeze = 4; });
  add("ewma", Chart::ewma, false, false, [](Spec& s) { s.part = {10}; });
  add("cusum", Chart::cusum, false, false, [](Spec& s) { s.part = {25}; });
  return out;
}

}  // namespace

TEST(SpcBatches, AnyBatchSizeAndThreadCountGivesTheSameBits) {
  const Rows rows(7);
  for (const auto& c : cases()) {
    const Observations obs = rows.observations(c.with_n, c.labels);
    const Result reference = compute(obs, c.spec);  // one batch: every point at once
    ASSERT_GT(reference.points.size(), 1000u) << c.name;
    for (std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{500}}) {
      for (int threads : {1, 3}) {
        Spec spec = c.spec;
        spec.n_threads = threads;
        PointColumns columns;
        columns.batch_points = batch;
        const Result r = compute(obs, spec, columns);
        const std::string what = std::string(c.name) + ", batch " + std::to_string(batch) + ", " +
                                 std::to_string(threads) + " threads";
        expect_points(reference, r, columns, what);
        expect_phases(reference.phases, r.phases, what);
      }
    }
  }
}

TEST(SpcBatches, KeepsOnlyTheAskedColumns) {
  const Rows rows(11);
  const Observations obs = rows.observations(true, true);
  Spec spec;
  spec.chart = Chart::p;
  const Result reference = compute(obs, spec);
  for (std::size_t batch : {std::size_t{13}, std::size_t{1} << 20}) {  // several batches; one
    PointColumns columns;
    columns.keep = {"value", "cl", "special_cause", "point_type", "phase"};
    columns.batch_points = batch;
    const Result r = compute(obs, spec, columns);
    expect_points(reference, r, columns, "batch " + std::to_string(batch));
    expect_phases(reference.phases, r.phases, "batch " + std::to_string(batch));
  }
}

TEST(SpcBatches, UnknownColumnIsAnInputError) {
  const Rows rows(3, 4);
  PointColumns columns;
  columns.keep = {"value", "ucl_99"};
  try {
    compute(rows.observations(false, false), Spec{}, columns);
    FAIL() << "expected an input_error";
  } catch (const qiscope::input_error& e) {
    EXPECT_EQ(e.field(), "point_columns");
    EXPECT_EQ(e.rule(), "unknown_name");
    EXPECT_NE(std::string(e.what()).find("ucl_99"), std::string::npos);
  }
}

// Checks against the longest series are made once, over all series, before any batch.
TEST(SpcBatches, GlobalChecksAreUnchanged) {
  const Rows rows(5, 12);
  const Observations obs = rows.observations(false, false);
  const Result reference = compute(obs, Spec{});
  std::int64_t longest = 0;
  for (std::size_t j = 0; j < reference.phases.size(); ++j)
    longest = std::max(longest, reference.phases.length[j]);
  PointColumns tiny;
  tiny.batch_points = 1;
  Spec spec;
  spec.freeze = longest;  // allowed: the longest series, though it is in one batch of many
  EXPECT_NO_THROW(compute(obs, spec, tiny));
  spec.freeze = longest + 1;
  EXPECT_THROW(compute(obs, spec, tiny), qiscope::input_error);
  spec.freeze.reset();
  spec.part = {longest - 1};
  EXPECT_NO_THROW(compute(obs, spec, tiny));
  spec.part = {longest};
  EXPECT_THROW(compute(obs, spec, tiny), qiscope::input_error);
}

// An error found inside a batch names the global input row, as without batches.
TEST(SpcBatches, ErrorsNameTheGlobalRow) {
  Rows rows(9, 20);
  // One series (code 13) overflows the CUSUM with a tiny given sd: huge alternating values.
  for (std::size_t r = 0; r < rows.y.size(); ++r)
    if (rows.series[r] == 13) rows.y[r] = (rows.x[r] / 2) % 2 ? 1e100 : -1e100;
  Spec spec;
  spec.chart = Chart::cusum;
  spec.sd = 1e-250;
  const Observations obs = rows.observations(false, false);
  auto row_of_error = [&](std::size_t batch) -> std::int64_t {
    PointColumns columns;
    columns.batch_points = batch;
    try {
      compute(obs, spec, columns);
    } catch (const qiscope::input_error& e) {
      return e.row();
    }
    return -2;
  };
  const std::int64_t row = row_of_error(std::size_t{1} << 20);
  ASSERT_GE(row, 0);
  EXPECT_EQ(rows.series[static_cast<std::size_t>(row)], 13);
  EXPECT_EQ(row_of_error(1), row);
  EXPECT_EQ(row_of_error(50), row);
}
