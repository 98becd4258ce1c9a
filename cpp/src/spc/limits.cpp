// The plotted statistic and the limits of each chart, from the baseline points of one phase.
// Formulas: shared/design/spc-spec.md §2.2 (qicharts2), §3.1 (NHSRplotthedots), §4 (qcc);
// Montgomery, Introduction to Statistical Quality Control; Provost & Murray (2011).

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <qiscope/error.hpp>

#include "spc/engine.hpp"

namespace qiscope::spc::detail {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double median(std::vector<double> v) {
  if (v.empty()) return nan;
  const std::size_t m = v.size();
  std::nth_element(v.begin(), v.begin() + m / 2, v.end());
  const double hi = v[m / 2];
  if (m % 2) return hi;
  return (*std::max_element(v.begin(), v.begin() + m / 2) + hi) / 2;
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return nan;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

/// The value of a point as an individual measurement: a ratio with a denominator, else the
/// rows combined by spec.agg.
double individual_value(const Context& ctx, std::size_t i) {
  const auto& sub = ctx.sub;
  if (sub.has_n) return ctx.points.y[i] / ctx.points.n[i];
  switch (ctx.spec.agg) {
    case Aggregate::median: return sub.y_median[i];
    case Aggregate::sum: return sub.y_sum[i];
    case Aggregate::mean: break;
  }
  return sub.y_mean[i];
}

/// Baseline points that take part in the calculations.
bool in_baseline(const Context& ctx, std::size_t i) {
  return ctx.points.baseline[i] && usable(ctx.points, i);
}

void set_constant(Context& ctx, const Phase& ph, double cl, double sigma) {
  auto& p = ctx.points;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.cl[i] = cl;
    p.lcl[i] = cl - 3 * sigma;
    p.ucl[i] = cl + 3 * sigma;
    p.lcl_95[i] = cl - 2 * sigma;
    p.ucl_95[i] = cl + 2 * sigma;
  }
}

}  // namespace

/// Mean moving range of the baseline, Nelson-screened when asked. Excluded points are dropped
/// first, so a moving range spans them; a missing value removes the two moving ranges next to
/// it (qicharts2's convention).
double mean_moving_range(const Context& ctx, const Phase& ph, const std::vector<double>& v) {
  std::vector<double> ranges;
  bool have_prev = false;
  double prev = nan;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    if (!ctx.points.baseline[i] || ctx.points.excluded[i]) continue;
    const double cur = v[i - ph.begin];
    if (have_prev) {
      const double r = std::abs(cur - prev);
      if (std::isfinite(r)) ranges.push_back(r);
    }
    prev = cur;
    have_prev = true;
  }
  double amr = mean(ranges);
  if (ctx.options.screen_mr && std::isfinite(amr)) {
    // One pass: keep moving ranges below d4 x their mean, then average again.
    std::vector<double> kept;
    for (double r : ranges)
      if (r < ctx.options.d4 * amr) kept.push_back(r);
    amr = mean(kept);
  }
  return amr;
}

namespace {

void limits_run(Context& ctx, const Phase& ph) {
  std::vector<double> base;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline(ctx, i)) base.push_back(ctx.points.value[i]);
  const double cl = ctx.spec.cl ? *ctx.spec.cl / ctx.spec.multiply : median(std::move(base));
  for (std::size_t i = ph.begin; i < ph.end; ++i) ctx.points.cl[i] = cl;
}

void limits_i(Context& ctx, const Phase& ph) {
  std::vector<double> base, values(ph.size());
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    values[i - ph.begin] = ctx.points.value[i];
    if (in_baseline(ctx, i)) base.push_back(ctx.points.value[i]);
  }
  const double cl = ctx.spec.cl ? *ctx.spec.cl / ctx.spec.multiply : mean(base);
  const double sigma = mean_moving_range(ctx, ph, values) / ctx.options.d2;
  set_constant(ctx, ph, cl, sigma);
}

void limits_mr(Context& ctx, const Phase& ph) {
  std::vector<double> base;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline(ctx, i)) base.push_back(ctx.points.value[i]);
  const double cl = ctx.spec.cl ? *ctx.spec.cl / ctx.spec.multiply : mean(base);
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

}  // namespace

void compute_values(Context& ctx, const Phase& ph) {
  // A time-weighted statistic and its limits come from one recursion (time_weighted.cpp).
  if (is_time_weighted(ctx.spec.chart)) return compute_time_weighted(ctx, ph);
  auto& p = ctx.points;
  const Chart chart = ctx.spec.chart;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    double v = individual_value(ctx, i);
    if (chart == Chart::mr) {
      // |difference from the previous point of the phase|; the first has none.
      v = i == ph.begin ? nan : std::abs(v - individual_value(ctx, i - 1));
    }
    p.value[i] = std::isfinite(v) ? v : nan;
  }
}

void compute_limits(Context& ctx, const Phase& ph) {
  if (is_time_weighted(ctx.spec.chart)) return;  // set with the statistic by compute_values
  switch (ctx.spec.chart) {
    case Chart::run: limits_run(ctx, ph); return;
    case Chart::i: limits_i(ctx, ph); return;
    case Chart::mr: limits_mr(ctx, ph); return;
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
  bool all_non_negative = true;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (p.value[i] < 0) all_non_negative = false;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    for (auto* col : {&p.value, &p.cl, &p.lcl, &p.ucl, &p.lcl_95, &p.ucl_95}) (*col)[i] *= m;
    if (!ctx.spec.y_neg && all_non_negative) {
      if (p.lcl[i] < 0) p.lcl[i] = 0;
      if (p.lcl_95[i] < 0) p.lcl_95[i] = 0;
    }
    // Strict comparisons; a missing value or limit never signals.
    p.sigma_signal[i] = p.value[i] > p.ucl[i] || p.value[i] < p.lcl[i];
  }
}

}  // namespace qiscope::spc::detail
