// The plotted statistic of every chart, the run, I and MR limits, the dispatch to the other
// chart families (limits_*.cpp) and the steps shared by all charts (limits_common.hpp).
// Formulas: shared/design/spc-spec.md §2.2 (qicharts2), §3.1 (NHSRplotthedots), §4 (qcc);
// Montgomery, Introduction to Statistical Quality Control; Provost & Murray (2011).

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <qiscope/error.hpp>

#include "spc/engine.hpp"
#include "spc/limits_common.hpp"

namespace qiscope::spc::detail {

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return nan;
  long double sum = 0;
  for (double x : v) sum += x;
  const auto n = static_cast<long double>(v.size());
  long double m = sum / n;
  if (std::isfinite(static_cast<double>(m))) {
    long double correction = 0;
    for (double x : v) correction += x - m;
    m += correction / n;
  }
  return static_cast<double>(m);
}

double median_of(std::vector<double> v) {
  if (v.empty()) return nan;
  const std::size_t m = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m / 2), v.end());
  const double hi = v[m / 2];
  if (m % 2) return hi;
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m / 2)) + hi) / 2;
}

double sd_of(const std::vector<double>& v) {
  if (v.size() < 2) return nan;
  const double m = mean_of(v);
  long double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(static_cast<double>(ss / static_cast<long double>(v.size() - 1)));
}

bool in_baseline_rows(const Context& ctx, std::size_t i) {
  return ctx.points.baseline[i] && !ctx.points.excluded[i];
}

bool in_baseline(const Context& ctx, std::size_t i) {
  return ctx.points.baseline[i] && usable(ctx.points, i);
}

bool fixed_cl(const Context& ctx, double& cl) {
  if (!ctx.spec.cl) return false;
  cl = *ctx.spec.cl / ctx.spec.multiply;
  return true;
}

void set_limits(Points& p, std::size_t i, double cl, double sigma) {
  p.cl[i] = cl;
  p.lcl[i] = cl - 3 * sigma;
  p.ucl[i] = cl + 3 * sigma;
  p.lcl_95[i] = cl - 2 * sigma;
  p.ucl_95[i] = cl + 2 * sigma;
}

void clip_limits(Points& p, std::size_t i, double low, double high) {
  for (auto* col : {&p.lcl, &p.ucl, &p.lcl_95, &p.ucl_95}) {
    double& v = (*col)[i];
    if (std::isfinite(v)) v = std::clamp(v, low, high);
  }
}

std::vector<double> baseline_moving_ranges(const Context& ctx, const Phase& ph,
                                           const std::vector<double>& v) {
  std::vector<double> ranges;
  ranges.reserve(ph.size());
  bool have_prev = false;
  double prev = nan;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    if (!in_baseline_rows(ctx, i)) continue;
    const double cur = v[i - ph.begin];
    if (have_prev) {
      // A missing neighbour gives no range (NaN); an infinite one is never dropped silently.
      const double r = std::abs(cur - prev);
      if (std::isinf(r))
        throw input_error("y", ctx.points.row[i], "overflow", "the moving range overflows double precision");
      if (std::isfinite(r)) ranges.push_back(r);
    }
    prev = cur;
    have_prev = true;
  }
  return ranges;
}

double screened_mean(const std::vector<double>& values, double multiple) {
  const double limit = multiple * mean_of(values);
  std::vector<double> kept;
  kept.reserve(values.size());
  for (double r : values)
    if (r < limit) kept.push_back(r);
  return mean_of(kept);
}

double mean_moving_range(const Context& ctx, const Phase& ph, const std::vector<double>& v) {
  const auto ranges = baseline_moving_ranges(ctx, ph, v);
  return ctx.options.screen_mr ? screened_mean(ranges, ctx.options.d4) : mean_of(ranges);
}

namespace {

/// The value of a point as an individual measurement: a ratio with a denominator, else the
/// rows combined by spec.agg.
double individual_value(const Context& ctx, std::size_t i) {
  const auto& sub = ctx.sub;
  if (sub.has_n) return ctx.points.y[i] / ctx.points.n[i];
  switch (ctx.spec.agg) {
    case Aggregate::median: return sub.y_median[i];
    case Aggregate::sum: return sub.y_sum[i];
    case Aggregate::mean:
    case Aggregate::none: break;  // one row per point: its own value
  }
  return sub.y_mean[i];
}

void limits_run(Context& ctx, const Phase& ph) {
  std::vector<double> base;
  base.reserve(ph.size());
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline(ctx, i)) base.push_back(ctx.points.value[i]);
  double cl;
  if (!fixed_cl(ctx, cl)) cl = median_of(std::move(base));
  for (std::size_t i = ph.begin; i < ph.end; ++i) ctx.points.cl[i] = cl;
}

void limits_i(Context& ctx, const Phase& ph) {
  std::vector<double> values(ph.size());
  for (std::size_t i = ph.begin; i < ph.end; ++i) values[i - ph.begin] = ctx.points.value[i];
  double cl;
  const bool fixed = fixed_cl(ctx, cl);
  const auto [centre, sigma] = individuals(ctx, ph, values, fixed ? &cl : nullptr);
  const double tail = probability_tail(ctx);
  const double z = std::isnan(tail) ? nan : normal_multiple(tail);
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    set_limits(ctx.points, i, centre, sigma);
    if (!std::isnan(tail)) set_probability_limits(ctx.points, i, {centre - z * sigma, centre + z * sigma});
  }
}

void limits_mr(Context& ctx, const Phase& ph) {
  std::vector<double> base;
  base.reserve(ph.size());
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline(ctx, i)) base.push_back(ctx.points.value[i]);
  double cl;
  if (!fixed_cl(ctx, cl)) cl = mean_of(base);
  const double d4 = ctx.options.d4;
  auto& p = ctx.points;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.cl[i] = cl;
    p.lcl[i] = 0;
    p.ucl[i] = d4 * cl;
    p.lcl_95[i] = 0;
    p.ucl_95[i] = d4 / 3 * 2 * cl;
  }
}

/// The plotted statistic of point i, before `multiply`.
double chart_value(Context& ctx, std::size_t i) {
  auto& p = ctx.points;
  const auto& sub = ctx.sub;
  switch (ctx.spec.chart) {
    case Chart::xbar: return sub.y_mean[i];
    case Chart::s: return sub.y_sd[i];
    // The count itself, whatever `agg` says (qicharts2: y.sum).
    case Chart::c: return p.y[i];
    // A count out of n cases; with no cases there is nothing to chart.
    case Chart::np: return p.n[i] > 0 ? p.y[i] : nan;
    case Chart::ip:
      // Without a denominator each point weighs its number of observations (qicharts2).
      if (!sub.has_n) p.n[i] = static_cast<double>(p.y_count[i]);
      return individual_value(ctx, i);
    default: return individual_value(ctx, i);
  }
}

}  // namespace

Individuals individuals(const Context& ctx, const Phase& ph, const std::vector<double>& values,
                        const double* fixed_centre) {
  std::vector<double> base;
  base.reserve(ph.size());
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline_rows(ctx, i) && std::isfinite(values[i - ph.begin]))
      base.push_back(values[i - ph.begin]);
  const double cl = fixed_centre ? *fixed_centre : mean_of(base);
  return {cl, mean_moving_range(ctx, ph, values) / ctx.options.d2};
}

void compute_values(Context& ctx, const Phase& ph) {
  // A time-weighted statistic and its limits come from one recursion (time_weighted.cpp).
  if (is_time_weighted(ctx.spec.chart)) return compute_time_weighted(ctx, ph);
  auto& p = ctx.points;
  const Chart chart = ctx.spec.chart;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    double v = chart_value(ctx, i);
    if (chart == Chart::mr) {
      // |difference from the previous point of the phase|; the first has none.
      v = i == ph.begin ? nan : std::abs(v - individual_value(ctx, i - 1));
    }
    // A zero denominator (y / 0) or no rows leave the point missing; anything else infinite or
    // beyond max_magnitude (y / n with n nearly 0) is an overflow, not a gap.
    if (p.n[i] == 0 || std::isnan(v)) v = std::isfinite(v) ? v : nan;
    else if (!(std::abs(v) <= max_magnitude))
      throw input_error("y", p.row[i], "overflow",
                        "the plotted value is beyond +/-1e100 (a denominator nearly 0?)");
    p.value[i] = v;
  }
}

void compute_limits(Context& ctx, const Phase& ph) {
  if (is_time_weighted(ctx.spec.chart)) return;  // set with the statistic by compute_values
  switch (ctx.spec.chart) {
    case Chart::run: limits_run(ctx, ph); return;
    case Chart::i: limits_i(ctx, ph); return;
    case Chart::mr: limits_mr(ctx, ph); return;
    case Chart::xbar: limits_xbar(ctx, ph); return;
    case Chart::s: limits_s(ctx, ph); return;
    case Chart::p:
    case Chart::pp: limits_p(ctx, ph); return;
    case Chart::np: limits_np(ctx, ph); return;
    case Chart::c: limits_c(ctx, ph); return;
    case Chart::u:
    case Chart::up: limits_u(ctx, ph); return;
    case Chart::g: limits_g(ctx, ph); return;
    case Chart::t: limits_t(ctx, ph); return;
    case Chart::ip: limits_ip(ctx, ph); return;
    default:
      throw input_error("chart", -1, "not_implemented",
                        "the " + std::string(to_string(ctx.spec.chart)) +
                            " chart is not implemented yet");
  }
}

void finish_limits(Context& ctx, const Phase& ph) {
  if (is_time_weighted(ctx.spec.chart)) return finish_time_weighted(ctx, ph);
  auto& p = ctx.points;
  const double m = ctx.spec.multiply;
  const std::size_t b = ph.begin, e = ph.end;
  const bool truncate = !ctx.spec.y_neg &&
                        std::none_of(p.value.begin() + static_cast<std::ptrdiff_t>(b),
                                     p.value.begin() + static_cast<std::ptrdiff_t>(e),
                                     [](double v) { return v < 0; });
  // Column by column (each loop runs over contiguous memory). x * 1 is x for every double, so
  // the scaling can be skipped without changing a bit.
  if (m != 1.0)
    for (auto* col : {&p.value, &p.cl, &p.lcl, &p.ucl, &p.lcl_95, &p.ucl_95})
      for (std::size_t i = b; i < e; ++i) (*col)[i] *= m;
  for (auto* col : {&p.lcl, &p.ucl, &p.lcl_95, &p.ucl_95}) {
    const bool lower = col == &p.lcl || col == &p.lcl_95;
    for (std::size_t i = b; i < e; ++i) {
      double& v = (*col)[i];
      if (truncate && lower && v < 0) v = 0;
      // Limits at a point without cases (a zero denominator: sigma / sqrt(0)) are missing. Any
      // other infinite limit is an overflow, which compute() refuses.
      if (std::isinf(v) && p.n[i] == 0) v = nan;
    }
  }
  // Strict comparisons; a missing value or limit never signals.
  for (std::size_t i = b; i < e; ++i) p.sigma_signal[i] = p.value[i] > p.ucl[i] || p.value[i] < p.lcl[i];
}

}  // namespace qiscope::spc::detail
