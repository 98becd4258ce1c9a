// The SPC pipeline: validate the rows, combine rows sharing (series, x) into points, cut each
// series into phases, then run the per-phase steps of engine.hpp in parallel over series.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <qiscope/error.hpp>
#include <qiscope/spc.hpp>

#include "detail/parallel.hpp"
#include "spc/engine.hpp"

namespace qiscope::spc {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
/// Rows a task of a parallel pass over the input takes (large enough to amortise the hand-out).
constexpr std::size_t rows_per_task = std::size_t{1} << 16;

template <class T>
void check_length(std::span<const T> column, std::size_t rows, const char* name) {
  if (!column.empty() && column.size() != rows)
    throw input_error(name, -1, "length",
                      "has " + std::to_string(column.size()) + " values but y has " +
                          std::to_string(rows));
}

bool is_count_chart(Chart c) {
  return c == Chart::p || c == Chart::np || c == Chart::c || c == Chart::u || c == Chart::pp ||
         c == Chart::up || c == Chart::g;
}
bool is_proportion_chart(Chart c) { return c == Chart::p || c == Chart::np || c == Chart::pp; }
bool needs_denominator(Chart c) {
  return c == Chart::p || c == Chart::np || c == Chart::u || c == Chart::pp || c == Chart::up;
}

input_error too_large(const char* column, std::int64_t row, double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return input_error(column, row, "overflow",
                     std::string("is ") + text + ", beyond +/-1e100: sums and limits of such "
                     "numbers overflow double precision (rescale the data, e.g. to thousands)");
}

/// Checks what can be checked row by row, naming the row.
void validate(const Observations& obs, const Spec& spec) {
  const std::size_t rows = obs.y.size();
  check_length(obs.n, rows, "n");
  check_length(obs.series, rows, "by");
  check_length(obs.x, rows, "x");
  check_length(obs.phase_label, rows, "part");
  check_length(obs.exclude, rows, "exclude");
  check_length(obs.target, rows, "target");
  check_length(obs.risk, rows, "risk");
  if (rows == 0) throw input_error("y", -1, "empty", "there are no rows (an empty table or filter)");
  if (!(spec.multiply > 0.0) || !std::isfinite(spec.multiply))
    throw input_error("multiply", -1, "positive", "must be a positive finite number");
  if (spec.multiply > max_magnitude) throw input_error("multiply", -1, "overflow", "is too large");
  // Every numeric option is a finite number of sensible size, whether or not the chart uses it
  // (the result carries its spec, and JSON has no NaN or infinity).
  const std::pair<const char*, std::optional<double>> numeric_options[] = {
      {"cl", spec.cl}, {"target", spec.target}, {"center", spec.center}, {"sd", spec.sd},
      {"d2", spec.d2}, {"lam", spec.lambda}, {"k", spec.k}, {"h", spec.h},
      {"nsigmas", spec.nsigmas}, {"head_start", spec.head_start},
      {"odds_ratio", spec.odds_ratio}, {"limit", spec.limit}};
  for (const auto& [option, value] : numeric_options)
    if (value && !(std::abs(*value) <= max_magnitude))
      throw input_error(option, -1, "range", "must be a finite number (at most 1e100 in size)");
  if (spec.freeze && *spec.freeze < 1)
    throw input_error("freeze", -1, "range", "must be at least 1 point");
  if (spec.n_threads < 0) throw input_error("n_threads", -1, "range", "must be 0 (one per core) or more");
  if (needs_denominator(spec.chart) && obs.n.empty())
    throw input_error("n", -1, "required",
                      "the " + std::string(to_string(spec.chart)) + " chart needs a denominator");
  if ((spec.chart == Chart::xbar || spec.chart == Chart::s) && !obs.n.empty())
    throw input_error("n", -1, "not_used",
                      "the " + std::string(to_string(spec.chart)) +
                          " chart takes the raw measurements: rows sharing one x form a "
                          "subgroup, whose size is their number (leave n out)");
  if ((spec.chart == Chart::xbar || spec.chart == Chart::s) && spec.agg == Aggregate::none)
    throw input_error("agg", -1, "not_applicable",
                      "the " + std::string(to_string(spec.chart)) +
                          " chart needs the rows sharing one x as its subgroup; agg='none' "
                          "(every row its own point) is for individual values and counts");
  if ((spec.chart == Chart::ra_cusum || spec.chart == Chart::vlad) && obs.risk.empty())
    throw input_error("risk", -1, "required",
                      "the " + std::string(to_string(spec.chart)) + " chart needs predicted risks");
  const bool counts = is_count_chart(spec.chart);
  // Rows are checked in parallel ranges; the error of the lowest failing row is the one raised,
  // whatever the thread count.
  auto check_row = [&](std::size_t r) {
    const auto row = static_cast<std::int64_t>(r);
    const double y = obs.y[r];
    if (std::isinf(y)) throw input_error("y", row, "finite", "is infinite");
    if (std::abs(y) > max_magnitude) throw too_large("y", row, y);
    if (counts && y < 0) throw input_error("y", row, "non_negative", "is a negative count");
    if (spec.chart == Chart::t && y <= 0)
      throw input_error("y", row, "positive", "the t chart needs times between events > 0");
    if (!obs.n.empty()) {
      const double n = obs.n[r];
      if (std::isinf(n)) throw input_error("n", row, "finite", "is infinite");
      if (n > max_magnitude) throw too_large("n", row, n);
      if (n < 0) throw input_error("n", row, "non_negative", "is a negative denominator");
      if (is_proportion_chart(spec.chart) && y > n)
        throw input_error("y", row, "numerator_le_denominator",
                          "numerator " + std::to_string(y) + " is above its denominator " +
                              std::to_string(n) + " (a p chart needs y <= n; use a u chart for rates)");
    }
    if (!obs.series.empty() && obs.series[r] < 0)
      throw input_error("by", row, "missing", "has a missing or negative series code");
    if (!obs.risk.empty() && !(obs.risk[r] >= 0.0 && obs.risk[r] <= 1.0))
      throw input_error("risk", row, "probability", "must be a probability in [0, 1]");
    const std::int64_t series = obs.series.empty() ? 0 : obs.series[r];
    if (!spec.series_direction.empty() &&
        static_cast<std::uint64_t>(series) >= spec.series_direction.size())
      throw input_error("direction", row, "range",
                        "series code " + std::to_string(series) + " has no direction (" +
                            std::to_string(spec.series_direction.size()) +
                            " given, one per series code)");
  };
  qiscope::detail::parallel_ranges(rows, rows_per_task, spec.n_threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) check_row(r);
  });
  detail::validate_time_weighted(obs, spec);
}

double median_of(std::vector<double>& v) {
  const std::size_t m = v.size();
  std::nth_element(v.begin(), v.begin() + m / 2, v.end());
  double hi = v[m / 2];
  if (m % 2) return hi;
  double lo = *std::max_element(v.begin(), v.begin() + m / 2);
  return (lo + hi) / 2;
}

/// Input rows in (series, x) order, stable (rows sharing both keep their input order, so sums
/// over them come out the same whatever the method). The codes the Python layer passes are
/// dense, so a counting sort on the combined key usually applies: O(rows + keys) instead of
/// n log n with random memory access, which matters with many rows per point (row-level data
/// summed by month). Other keys fall back to std::stable_sort.
template <class Before>
std::vector<std::size_t> sorted_rows(const Observations& obs, Before before) {
  const std::size_t rows = obs.y.size();
  const std::uint64_t key_limit = std::max<std::uint64_t>(rows, 1u << 16);
  // Smallest code and number of distinct keys it spans (0: too many for a counting sort).
  auto span_of = [key_limit](std::span<const std::int64_t> codes) {
    if (codes.empty()) return std::pair{std::int64_t{0}, std::uint64_t{1}};
    const auto [lo, hi] = std::minmax_element(codes.begin(), codes.end());
    const std::uint64_t width = static_cast<std::uint64_t>(*hi) - static_cast<std::uint64_t>(*lo);
    return std::pair{*lo, width < key_limit ? width + 1 : std::uint64_t{0}};
  };
  // Without x, rows are ordered by position within a series: the series code is the key.
  const auto [s_min, s_count] = span_of(obs.series);
  const auto [x_min, x_count] = span_of(obs.x);
  std::vector<std::size_t> order(rows);
  if (s_count > 0 && x_count > 0 && s_count <= key_limit / x_count) {
    auto key_of = [&, s_min = s_min, x_min = x_min, x_count = x_count](std::size_t r) {
      const auto s = obs.series.empty() ? 0 : static_cast<std::uint64_t>(obs.series[r] - s_min);
      const auto x = obs.x.empty() ? 0 : static_cast<std::uint64_t>(obs.x[r] - x_min);
      return static_cast<std::size_t>(s * x_count + x);
    };
    std::vector<std::size_t> next(static_cast<std::size_t>(s_count * x_count) + 1, 0);
    for (std::size_t r = 0; r < rows; ++r) ++next[key_of(r) + 1];
    std::partial_sum(next.begin(), next.end(), next.begin());  // first position of each key
    for (std::size_t r = 0; r < rows; ++r) order[next[key_of(r)]++] = r;
    return order;
  }
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), before);
  return order;
}

/// The last line of defence against overflow: inputs are bounded by max_magnitude, so no
/// statistic should be infinite; if one is (say, a CUSUM of a tiny given sd), the user gets an
/// input_error naming the row instead of an infinite or silently missing number.
void refuse_overflow(const Points& p, const detail::Phase& ph) {
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    for (const auto* col : {&p.value, &p.value_lower, &p.cl, &p.lcl, &p.ucl, &p.lcl_95, &p.ucl_95})
      if (std::isinf((*col)[i]))
        throw input_error("y", p.row[i], "overflow",
                          "the chart's statistics overflow double precision at this point (values or "
                          "options too large or too small; rescale the data)");
}

void check_point_columns(const PointColumns& columns) {
  for (const auto& name : columns.keep) {
    bool known = false;
    std::string names;
    for_each_column([&](std::string_view column, auto) {
      known = known || column == name;
      names += (names.empty() ? "" : ", ") + std::string(column);
    });
    if (!known)
      throw input_error("point_columns", -1, "unknown_name",
                        "'" + name + "' is not a column of the points (columns: " + names + ")");
  }
}

}  // namespace

bool PointColumns::keeps(std::string_view name) const {
  return keep.empty() || std::find(keep.begin(), keep.end(), name) != keep.end();
}

std::size_t Points::size() const {
  std::size_t size = 0;
  for_each_column([&](std::string_view, auto column) { size = std::max(size, (this->*column).size()); });
  return size;
}

namespace {

/// Runs fn(name, &Points::column) for every column of `points` points, the columns shared among
/// the threads when they are long: filling or copying a column is a memory-bound pass (and its
/// first touch faults the pages in, which the kernel does on the faulting thread), so one
/// thread for all columns would make the largest serial part of a large call. Short columns
/// stay on the calling thread (starting a thread costs more than filling them).
template <class Fn>
void for_each_column_in_parallel(int n_threads, std::size_t points, Fn fn) {
  if (points < rows_per_task) {
    for_each_column(fn);
    return;
  }
  std::vector<std::function<void()>> tasks;
  for_each_column([&](std::string_view name, auto column) { tasks.emplace_back([&fn, name, column] { fn(name, column); }); });
  qiscope::detail::parallel_for(tasks.size(), n_threads, 1, [&](std::size_t i) { tasks[i](); });
}

/// Every column of `points` with `size` entries of its "not computed" value: NaN for numbers,
/// common cause for point types, zero otherwise.
void resize_points(Points& points, std::size_t size, int n_threads) {
  for_each_column_in_parallel(n_threads, size, [&](std::string_view, auto column) {
    auto& values = points.*column;
    using T = typename std::remove_reference_t<decltype(values)>::value_type;
    if constexpr (std::is_floating_point_v<T>)
      values.assign(size, nan);
    else if constexpr (std::is_same_v<T, PointType>)
      values.assign(size, PointType::common_cause);
    else
      values.assign(size, T{0});
  });
}

}  // namespace

void Points::resize(std::size_t size) { resize_points(*this, size, 1); }

void Phases::resize(std::size_t size) {
  for (auto* v : {&series, &first, &length, &n_obs, &n_useful, &longest_run, &longest_run_max,
                  &n_crossings, &n_crossings_min, &sigma_signal})
    v->assign(size, 0);
  phase.assign(size, 0);
  for (auto* v : {&cl, &lcl, &ucl}) v->assign(size, nan);
  runs_signal.assign(size, 0);
  variation.assign(size, Variation::none);
  assurance.assign(size, Assurance::none);
}

Result compute(const Observations& obs, const Spec& spec) { return compute(obs, spec, PointColumns{}); }

Result compute(const Observations& obs, const Spec& spec, const PointColumns& columns) {
  validate(obs, spec);
  check_point_columns(columns);
  const Options options = resolve(spec);
  const std::size_t rows = obs.y.size();

  // Order rows by (series, x, input row); rows sharing (series, x) form one point.
  auto series_of = [&](std::size_t r) { return obs.series.empty() ? std::int64_t{0} : obs.series[r]; };
  auto x_of = [&](std::size_t r) { return obs.x.empty() ? static_cast<std::int64_t>(r) : obs.x[r]; };
  auto before = [&](std::size_t a, std::size_t b) {
    const auto sa = series_of(a), sb = series_of(b);
    return sa != sb ? sa < sb : x_of(a) < x_of(b);
  };
  // Most inputs arrive sorted: checking is one pass, sorting is n log n, and a sorted input
  // needs no stored permutation (8 bytes a row less at the peak).
  std::atomic<bool> sorted{true};
  qiscope::detail::parallel_ranges(rows, rows_per_task, spec.n_threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = std::max<std::size_t>(begin, 1); r < end && sorted.load(std::memory_order_relaxed); ++r)
      if (before(r, r - 1)) sorted.store(false, std::memory_order_relaxed);
  });
  std::vector<std::size_t> order;  // sorted position k holds input row order[k]; empty: row k
  if (!sorted) order = sorted_rows(obs, before);
  auto row_at = [&](std::size_t k) { return order.empty() ? k : order[k]; };
  // xbar and s use the rows of a subgroup as they are; other charts combine them, but with
  // x omitted every row is its own point (positions are distinct).
  // Case-level charts (one outcome per patient) never combine rows, nor does agg="none" (two
  // events on one day are two events: each row is a point, in input order within equal x).
  const bool row_per_point = detail::is_case_level(spec.chart) || spec.agg == Aggregate::none;
  auto starts_point = [&](std::size_t k) {
    return k == 0 || row_per_point || series_of(row_at(k)) != series_of(row_at(k - 1)) ||
           x_of(row_at(k)) != x_of(row_at(k - 1));
  };
  // Sorted position where each point starts; not stored when every row is its own point.
  const std::size_t n_points = qiscope::detail::parallel_count_where(rows, spec.n_threads, starts_point);
  std::vector<std::size_t> point_start;
  if (n_points < rows) {
    point_start = qiscope::detail::parallel_indices_where(rows, spec.n_threads, starts_point);
    point_start.push_back(rows);
  }
  auto point_begin = [&](std::size_t i) { return point_start.empty() ? i : point_start[i]; };

  Result result;
  result.spec = spec;
  // Series boundaries (in points).
  // The series, x and first input row of point i (global index).
  auto first_row_of = [&](std::size_t i) { return row_at(point_begin(i)); };
  std::vector<std::size_t> series_start = qiscope::detail::parallel_indices_where(n_points, spec.n_threads, [&](std::size_t i) {
    return i == 0 || series_of(first_row_of(i)) != series_of(first_row_of(i - 1));
  });
  const std::size_t n_series = series_start.size();
  series_start.push_back(n_points);

  // Phase boundaries of each series, so that every output slot is known before the limits
  // are computed: found in parallel, then numbered in series order.
  std::vector<std::vector<detail::Phase>> series_phases(n_series);
  std::int64_t longest_series = 0;
  for (std::size_t s = 0; s < n_series; ++s)
    longest_series = std::max<std::int64_t>(longest_series, static_cast<std::int64_t>(series_start[s + 1] - series_start[s]));
  for (auto p : spec.part)
    if (p < 0 || p >= std::max<std::int64_t>(longest_series, 1))
      throw input_error("part", -1, "range",
                        "phase start " + std::to_string(p) + " is outside the series (0.." +
                            std::to_string(longest_series - 1) + ")");
  if (spec.freeze && *spec.freeze > longest_series)
    throw input_error("freeze", -1, "range",
                      "a baseline of " + std::to_string(*spec.freeze) + " points is longer than the series (" +
                          std::to_string(longest_series) + " points)");
  for (auto e : spec.exclude)
    if (e < 0 || e >= std::max<std::int64_t>(longest_series, 1))
      throw input_error("exclude", -1, "range",
                        "position " + std::to_string(e) + " is outside the series (0.." +
                            std::to_string(longest_series - 1) + ")");
  qiscope::detail::parallel_for(n_series, spec.n_threads, 64, [&](std::size_t s) {
    const std::size_t b = series_start[s], e = series_start[s + 1];
    std::vector<char> starts(e - b, 0);
    for (auto p : spec.part)
      if (p > 0 && static_cast<std::size_t>(p) < e - b) starts[static_cast<std::size_t>(p)] = 1;
    for (auto key : spec.part_x) {
      for (std::size_t i = b; i < e; ++i)
        if (x_of(first_row_of(i)) >= key) {
          if (i > b) starts[i - b] = 1;
          break;
        }
    }
    if (!obs.phase_label.empty())
      for (std::size_t i = b + 1; i < e; ++i)
        if (obs.phase_label[row_at(point_begin(i))] != obs.phase_label[row_at(point_begin(i - 1))])
          starts[i - b] = 1;
    std::size_t begin = b;
    for (std::size_t i = b + 1; i <= e; ++i) {
      if (i == e || starts[i - b]) {
        series_phases[s].push_back(detail::Phase{begin, i, 0});
        begin = i;
      }
    }
  });
  std::size_t n_phases = 0;
  for (auto& phases : series_phases)
    for (auto& ph : phases) ph.index = n_phases++;
  Phases& phs = result.phases;
  phs.resize(n_phases);
  // qicharts2 ignores freeze when the series has phases; the other conventions freeze each phase.
  const bool freeze_applies = !(options.freeze_ignored_with_parts && (!spec.part.empty() || !spec.part_x.empty() || !obs.phase_label.empty()));
  const bool subgroups = spec.chart == Chart::xbar || spec.chart == Chart::s;
  const bool spread = subgroups || spec.chart == Chart::ewma || spec.chart == Chart::cusum;

  // The points of series [s0, s1), global points [b0, b0 + size): computed in working arrays of
  // the batch's size (local index i is global point b0 + i); phases keep their global index.
  auto compute_batch = [&](std::size_t s0, std::size_t s1, Points& pts) {
    const std::size_t b0 = series_start[s0], size = series_start[s1] - b0;
    resize_points(pts, size, spec.n_threads);
    qiscope::detail::parallel_ranges(size, rows_per_task, spec.n_threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const std::size_t first_row = first_row_of(b0 + i);
        pts.series[i] = series_of(first_row);
        pts.x[i] = x_of(first_row);
        pts.row[i] = static_cast<std::int64_t>(first_row);
      }
    });
    // Only the statistics of the rows that the chart reads are kept (memory at scale).
    detail::Subgroups sub;
    sub.has_n = !obs.n.empty();
    sub.y_sum.assign(size, nan);
    sub.y_mean.assign(size, nan);
    if (spread) sub.y_sd.assign(size, nan);
    if (spec.agg == Aggregate::median) sub.y_median.assign(size, nan);
    if (spread) sub.y_range.assign(size, nan);
    if (!obs.risk.empty()) sub.risk.assign(size, nan);
    sub.default_target = spec.target ? *spec.target : nan;
    if (!obs.target.empty()) sub.target.assign(size, sub.default_target);
    const bool keep_values = spread || !sub.y_median.empty();
    std::vector<std::int8_t> signal_side(size, 0);
    detail::Context ctx{spec, options, sub, pts, phs, signal_side};

    // First the rows of every point are combined (the only step that reads the row order).
    qiscope::detail::parallel_for(s1 - s0, spec.n_threads, 64, [&](std::size_t t) {
      std::vector<double> buffer;  // the point's values, when a spread or median is needed
      for (std::size_t i = series_start[s0 + t] - b0; i < series_start[s0 + t + 1] - b0; ++i) {
        // Combine the rows of the point. A row without y, or with y but no n when a
        // denominator is used, is missing (as qicharts2's complete.cases).
        const std::size_t k0 = point_begin(b0 + i), k1 = point_begin(b0 + i + 1);
        double y_sum = 0, n_sum = 0, risk_sum = 0;
        std::int64_t count = 0;
        bool excluded = false;
        buffer.clear();
        for (std::size_t k = k0; k < k1; ++k) {
          const std::size_t r = row_at(k);
          if (!obs.exclude.empty() && obs.exclude[r]) excluded = true;
          if (!obs.target.empty() && std::isfinite(obs.target[r])) sub.target[i] = obs.target[r];
          const double y = obs.y[r];
          const bool has_n = obs.n.empty() || !std::isnan(obs.n[r]);
          if (std::isnan(y) || !has_n) continue;
          y_sum += y;
          if (!obs.n.empty()) n_sum += obs.n[r];
          if (!obs.risk.empty()) risk_sum += obs.risk[r];
          if (keep_values) buffer.push_back(y);
          ++count;
        }
        pts.y_count[i] = count;
        pts.n_rows[i] = static_cast<std::int64_t>(k1 - k0);
        pts.excluded[i] = excluded;
        if (count > 0) {
          const double mean = y_sum / static_cast<double>(count);
          sub.y_sum[i] = y_sum;
          sub.y_mean[i] = mean;
          if (!sub.y_sd.empty() && count > 1) {
            double ss = 0;
            for (double v : buffer) ss += (v - mean) * (v - mean);
            sub.y_sd[i] = std::sqrt(ss / static_cast<double>(count - 1));
          }
          if (!sub.y_range.empty()) {
            const auto [lo, hi] = std::minmax_element(buffer.begin(), buffer.end());
            sub.y_range[i] = *hi - *lo;
          }
          if (!sub.y_median.empty()) sub.y_median[i] = median_of(buffer);
          if (!obs.n.empty()) pts.n[i] = n_sum;
          if (!sub.risk.empty()) sub.risk[i] = risk_sum;
        }
        pts.y[i] = (spec.chart == Chart::xbar) ? sub.y_mean[i] : sub.y_sum[i];
        if (subgroups) pts.n[i] = static_cast<double>(count);
      }
    });

    qiscope::detail::parallel_for(s1 - s0, spec.n_threads, 64, [&](std::size_t t) {
      const std::size_t s = s0 + t;
      const std::size_t b = series_start[s] - b0, e = series_start[s + 1] - b0;
      for (auto pos : spec.exclude)
        if (b + static_cast<std::size_t>(pos) < e) pts.excluded[b + static_cast<std::size_t>(pos)] = 1;

      std::vector<detail::Phase> phases = series_phases[s];  // in the batch's indices
      for (auto& ph : phases) {
        ph.begin -= b0;
        ph.end -= b0;
      }
      for (const auto& ph : phases) {
        phs.series[ph.index] = pts.series[ph.begin];
        phs.phase[ph.index] = static_cast<std::int32_t>(&ph - phases.data() + 1);
        phs.first[ph.index] = static_cast<std::int64_t>(b0 + ph.begin);
        phs.length[ph.index] = static_cast<std::int64_t>(ph.size());
        for (std::size_t i = ph.begin; i < ph.end; ++i) {
          pts.phase[i] = phs.phase[ph.index];
          pts.baseline[i] = !(freeze_applies && spec.freeze) ||
                            static_cast<std::int64_t>(i - ph.begin) < *spec.freeze;
        }
        detail::compute_values(ctx, ph);
        detail::compute_limits(ctx, ph);
        detail::finish_limits(ctx, ph);
        refuse_overflow(pts, ph);
        detail::apply_rules(ctx, ph);
      }
      detail::assign_icons(ctx, phases);
    });
  };

  // Whole series in batches of about columns.batch_points points (a longer series is a batch of
  // its own): working memory is bounded by the batch, and only the kept columns reach the
  // result. One batch (the usual case) hands its columns over without a copy; otherwise the
  // batches reuse one set of working arrays and append the kept columns to the result (reserved
  // once, so that it is written once, not zero-filled first).
  const std::size_t batch_points = std::max<std::size_t>(columns.batch_points, 1);
  Points& out = result.points;
  Points pts;
  if (n_points <= batch_points) {
    compute_batch(0, n_series, pts);
    for_each_column([&](std::string_view name, auto column) {
      if (columns.keeps(name)) out.*column = std::move(pts.*column);
    });
    return result;
  }
  for_each_column([&](std::string_view name, auto column) {
    if (columns.keeps(name)) (out.*column).reserve(n_points);
  });
  for (std::size_t s0 = 0; s0 < n_series;) {
    std::size_t s1 = s0 + 1;
    while (s1 < n_series && series_start[s1 + 1] - series_start[s0] <= batch_points) ++s1;
    compute_batch(s0, s1, pts);
    for_each_column_in_parallel(spec.n_threads, pts.size(), [&](std::string_view name, auto column) {
      if (columns.keeps(name)) (out.*column).insert((out.*column).end(), (pts.*column).begin(), (pts.*column).end());
    });
    s0 = s1;
  }
  return result;
}

}  // namespace qiscope::spc
