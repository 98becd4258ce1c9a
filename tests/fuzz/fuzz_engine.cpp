// Fuzz target: the SPC and funnel engines fed random columns and options. The input bytes are
// decoded into a spec (every chart, rule set, profile and direction; part, freeze, exclude and
// the numeric options) and columns (y, n, series, x, phase labels, exclusions, targets, risks)
// whose values favour the edges: missing, infinite, huge, subnormal, negative, duplicated x.
// A computed result must pass tests/support/result_checks.hpp.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <qiscope/io/json.hpp>
#include <qiscope/spc.hpp>
#include <qiscope/spc/funnel.hpp>

#include "fuzz_common.hpp"
#include "result_checks.hpp"

namespace {

using qiscope::fuzz::edgy_double;
using qiscope::fuzz::some_double;

/// With QISCOPE_FUZZ_VERBOSE set (reproducing a crash: `fuzz_engine crash-file`), the decoded
/// spec and columns are printed first.
template <class Spec>
void show(const Spec& spec, std::initializer_list<std::pair<const char*, nlohmann::json>> columns) {
  if (!std::getenv("QISCOPE_FUZZ_VERBOSE")) return;
  nlohmann::json j = spec;
  for (const auto& [name, values] : columns) j["columns"][name] = values;
  std::fprintf(stderr, "%s\n", j.dump().c_str());
}

template <class E>
E pick(FuzzedDataProvider& in, int count) {
  return static_cast<E>(in.ConsumeIntegralInRange<int>(0, count - 1));
}

template <class T>
std::optional<T> maybe(FuzzedDataProvider& in, T value) {
  return in.ConsumeBool() ? std::optional<T>(value) : std::nullopt;
}

std::vector<std::int64_t> positions(FuzzedDataProvider& in) {
  std::vector<std::int64_t> v(in.ConsumeIntegralInRange<std::size_t>(0, 3));
  for (auto& p : v) p = in.ConsumeIntegralInRange<std::int64_t>(-2, 40);
  return v;
}

template <class T, class Draw>
std::vector<T> column(FuzzedDataProvider& in, std::size_t rows, Draw draw) {
  std::vector<T> v;
  if (!in.ConsumeBool()) return v;  // the column is not given
  v.resize(rows);
  for (auto& value : v) value = draw();
  return v;
}

void fuzz_spc(FuzzedDataProvider& in) {
  using namespace qiscope::spc;
  Spec spec;
  spec.chart = pick<Chart>(in, 19);
  spec.rules = pick<RuleSet>(in, 5);
  spec.direction = pick<Direction>(in, 3);
  spec.profile = pick<Profile>(in, 5);
  spec.agg = pick<Aggregate>(in, 4);  // one byte, as when there were 3: old corpus entries decode
  if (in.ConsumeBool()) spec.multiply = edgy_double(in);
  spec.target = maybe(in, some_double(in));
  spec.cl = maybe(in, some_double(in));
  spec.part = positions(in);
  if (in.ConsumeBool()) spec.part_x = positions(in);
  spec.freeze = maybe(in, in.ConsumeIntegralInRange<std::int64_t>(-1, 40));
  spec.exclude = positions(in);
  spec.x_categorical = in.ConsumeBool();
  spec.y_neg = in.ConsumeBool();
  spec.screen_mr = maybe(in, in.ConsumeBool());
  spec.d2 = maybe(in, some_double(in));
  spec.shift_n = maybe(in, in.ConsumeIntegralInRange<int>(-1, 12));
  spec.trend_n = maybe(in, in.ConsumeIntegralInRange<int>(-1, 12));
  spec.two_of_three = maybe(in, pick<TwoOfThree>(in, 2));
  spec.trend_ties_break = maybe(in, in.ConsumeBool());
  spec.rule_numbers.resize(in.ConsumeIntegralInRange<std::size_t>(0, 3));
  for (int& k : spec.rule_numbers) k = in.ConsumeIntegralInRange<int>(-1, 10);
  spec.flag_points = maybe(in, pick<FlagPoints>(in, 2));
  if (in.ConsumeBool()) {  // time-weighted options
    spec.lambda = some_double(in) / 30;
    spec.k = some_double(in) / 10;
    spec.h = some_double(in);
    spec.nsigmas = some_double(in) / 5;
    spec.head_start = some_double(in) / 10;
    spec.center = maybe(in, some_double(in));
    spec.sd = maybe(in, some_double(in) / 10);
    spec.odds_ratio = some_double(in) / 5;
    spec.limit = some_double(in) / 5;
  }
  spec.n_threads = in.ConsumeIntegralInRange<int>(0, 3);

  const std::size_t rows = in.ConsumeIntegralInRange<std::size_t>(0, 48);
  const bool edgy = in.ConsumeBool();
  auto value = [&] { return edgy ? edgy_double(in) : some_double(in); };
  std::vector<double> y(rows);
  for (auto& v : y) v = value();
  const auto n = column<double>(in, rows, value);
  const auto series = column<std::int64_t>(in, rows, [&] { return in.ConsumeIntegralInRange<std::int64_t>(-1, 3); });
  const auto x = column<std::int64_t>(in, rows, [&] { return in.ConsumeIntegralInRange<std::int64_t>(-2, 20); });
  const auto phase = column<std::int64_t>(in, rows, [&] { return in.ConsumeIntegralInRange<std::int64_t>(0, 2); });
  const auto exclude = column<std::uint8_t>(in, rows, [&] { return static_cast<std::uint8_t>(in.ConsumeIntegralInRange<int>(0, 8) == 0); });
  const auto target = column<double>(in, rows, [&] { return some_double(in); });
  const auto risk = column<double>(in, rows, [&] { return in.ConsumeBool() ? in.ConsumeProbability<double>() : edgy_double(in); });
  // Options added later are decoded from what is left, so older corpus entries keep their
  // meaning (an exhausted input gives false: the option is unset).
  if (in.ConsumeBool()) spec.sd_method = pick<SdMethod>(in, 7);
  if (in.ConsumeBool())
    spec.confidence_level = in.ConsumeBool() ? in.ConsumeProbability<double>() : edgy_double(in);
  if (in.ConsumeBool()) {
    spec.series_direction.resize(in.ConsumeIntegralInRange<std::size_t>(0, 5));
    for (auto& d : spec.series_direction) d = pick<Direction>(in, 3);
  }
  // The engine computes whole series in batches of points (bounded memory at scale); a batch
  // of a few points must give the same result, bit for bit, as the default single batch.
  const std::size_t batch_points = in.ConsumeIntegralInRange<std::size_t>(1, 8);
  // Positions of the x keys on their axis, for x_gaps on the computed points.
  std::vector<double> x_position(in.ConsumeIntegralInRange<std::size_t>(0, 21));
  for (std::size_t k = 0; k < x_position.size(); ++k) x_position[k] = in.ConsumeBool() ? edgy_double(in) : double(k);

  show(spec, {{"y", y}, {"n", n}, {"series", series}, {"x", x}, {"phase", phase}, {"exclude", exclude},
              {"target", target}, {"risk", risk}});
  Observations obs{y, n, series, x, phase, exclude, target, risk};
  qiscope::fuzz::allowing_input_errors([&] {
    const Result r = compute(obs, spec);
    qiscope::fuzz::expect_sound(qiscope::checks::check_spc_result(r));
    const Result batched = compute(obs, spec, PointColumns{{}, batch_points});
    if (nlohmann::json(batched).dump() != nlohmann::json(r).dump())
      qiscope::fuzz::fail("batches of " + std::to_string(batch_points) + " points changed the result");
    const auto gaps = x_gaps(r.points.series, r.points.x, x_position, default_gap_factor, spec.n_threads);
    if (gaps.size() != r.points.size()) qiscope::fuzz::fail("x_gaps: one flag a point");
    for (std::size_t i = 0; i < gaps.size(); ++i)
      if (gaps[i] && (i == 0 || r.points.series[i] != r.points.series[i - 1]))
        qiscope::fuzz::fail("x_gaps: the first point of a series has no step before it");
    if (x_gaps(r.points.series, r.points.x, x_position, default_gap_factor, 1) != gaps)
      qiscope::fuzz::fail("x_gaps: the thread count changed the flags");
  });
}

void fuzz_funnel(FuzzedDataProvider& in) {
  using namespace qiscope::funnel;
  Spec spec;
  spec.kind = pick<Kind>(in, 3);
  spec.overdispersion = pick<Overdispersion>(in, 3);
  spec.profile = pick<Profile>(in, 2);
  if (in.ConsumeBool()) {
    spec.coverage.assign(in.ConsumeIntegralInRange<std::size_t>(0, 3), 0.0);
    const double usual[] = {95.0, 99.8, 99.0, 90.0, 50.0};
    for (auto& c : spec.coverage) c = in.ConsumeBool() ? usual[in.ConsumeIntegralInRange<int>(0, 4)] : edgy_double(in);
  }
  if (in.ConsumeBool()) spec.outlier_coverage = in.ConsumeBool() ? 95.0 : edgy_double(in);
  if (in.ConsumeBool()) spec.sr_method = pick<RatioMethod>(in, 2);
  if (in.ConsumeBool()) spec.limit_method = pick<LimitMethod>(in, 4);
  spec.shmi_rounding = maybe(in, in.ConsumeBool());
  spec.target = maybe(in, in.ConsumeBool() ? in.ConsumeProbability<double>() : edgy_double(in));
  if (in.ConsumeBool()) spec.trim_by = in.ConsumeBool() ? in.ConsumeProbability<double>() / 2 : edgy_double(in);
  if (in.ConsumeBool()) spec.multiply = edgy_double(in);
  // Small grids, or sizes the validation must refuse: a valid grid of 1e5 exact limits takes
  // seconds under the sanitizers and would only slow the search down.
  const int refused[] = {std::numeric_limits<int>::min(), 100001, std::numeric_limits<int>::max()};
  spec.grid_size = in.ConsumeIntegralInRange<int>(0, 9) > 0 ? in.ConsumeIntegralInRange<int>(-1, 40)
                                                             : refused[in.ConsumeIntegralInRange<int>(0, 2)];
  spec.n_threads = in.ConsumeIntegralInRange<int>(0, 3);

  const std::size_t rows = in.ConsumeIntegralInRange<std::size_t>(0, 32);
  const bool edgy = in.ConsumeBool();
  auto value = [&] { return edgy ? edgy_double(in) : some_double(in) * 10; };
  std::vector<double> y(rows), n(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    n[r] = value();
    y[r] = in.ConsumeBool() ? value() : std::floor(n[r] * in.ConsumeProbability<double>());
  }
  const auto unit = column<std::int64_t>(in, rows, [&] { return in.ConsumeIntegralInRange<std::int64_t>(-1, 8); });
  show(spec, {{"y", y}, {"n", n}, {"unit", unit}});
  Observations obs{y, n, unit};
  qiscope::fuzz::allowing_input_errors([&] {
    const Result r = compute(obs, spec);
    qiscope::fuzz::expect_sound(qiscope::checks::check_funnel_result(r));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeBool()) fuzz_funnel(in);
  else fuzz_spc(in);
  return 0;
}
