// Attribute charts: counts of events (c), events per unit of exposure (u), proportions of
// cases (p, np), and Laney's P' and U' charts for large denominators.
//
// Formulas (shared/design/spc-spec.md §2.2 and §4; Montgomery, Introduction to Statistical
// Quality Control, ch. 7):
//   p   p̄ = Σy / Σn over the baseline;   sigma_i = sqrt(p̄ (1 - p̄) / n_i);  limits in [0, 1]
//   np  p̄ as p; centre n_i p̄; sigma_i = sqrt(n_i p̄ (1 - p̄));                limits in [0, n_i]
//   c   c̄ = mean count;                  sigma = sqrt(c̄);                    limits >= 0
//   u   ū = Σy / Σn;                     sigma_i = sqrt(ū / n_i);             limits >= 0
//   pp, up (Laney 2002, Quality Engineering 14(4):531-537): the p or u sigma_i times
//       sigma_z, the spread of the z-scores z_i = (y_i - centre) / sigma_i of the baseline:
//       mean moving range of z / d2 (screened when the profile screens moving ranges), or
//       sd(z) of the units with a value when x is categorical (units, not time), as qicharts2
//       does.
// Sums of counts take every baseline point that is not excluded, including one with a zero
// denominator (its events still happened); that point's own value and limits are missing.

#include <cmath>
#include <vector>

#include "spc/limits_common.hpp"

namespace qiscope::spc::detail {

namespace {

/// Σy / Σn over the baseline rows with both counts present.
double pooled_ratio(const Context& ctx, const Phase& ph) {
  const auto& p = ctx.points;
  double events = 0, exposure = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline_rows(ctx, i) && std::isfinite(p.y[i]) && std::isfinite(p.n[i])) {
      events += p.y[i];
      exposure += p.n[i];
    }
  return events / exposure;  // 0/0 (no exposure at all) is NaN: no limits
}

/// Laney's sigma_z from the z-scores of the baseline points (one entry per point of the phase,
/// NaN where undefined).
double laney_sigma_z(const Context& ctx, const Phase& ph, const std::vector<double>& z) {
  if (ctx.spec.x_categorical) {
    // sd(z) of the units with a z-score. qicharts2 takes sd() without removing missing ones,
    // so one unit without a value (or with a zero denominator) leaves every limit missing;
    // its profile keeps that.
    const bool missing_spoils = ctx.spec.profile == Profile::qicharts2;
    std::vector<double> base;
    base.reserve(ph.size());
    for (std::size_t i = ph.begin; i < ph.end; ++i) {
      if (!in_baseline_rows(ctx, i)) continue;
      const double zi = z[i - ph.begin];
      if (std::isfinite(zi)) base.push_back(zi);
      else if (missing_spoils) return nan;
    }
    return sd_of(base);
  }
  return mean_moving_range(ctx, ph, z) / ctx.options.d2;
}

/// Writes centre ± k sigma_i, multiplying sigma_i by Laney's sigma_z for the prime charts.
/// `sigma_of(i)` is the binomial or Poisson sigma of point i.
template <class SigmaOf>
void write_limits(Context& ctx, const Phase& ph, double centre, bool laney, SigmaOf sigma_of) {
  auto& p = ctx.points;
  double sigma_z = 1;
  if (laney) {
    std::vector<double> z(ph.size(), nan);
    for (std::size_t i = ph.begin; i < ph.end; ++i) z[i - ph.begin] = (p.value[i] - centre) / sigma_of(i);
    sigma_z = laney_sigma_z(ctx, ph, z);
  }
  for (std::size_t i = ph.begin; i < ph.end; ++i) set_limits(p, i, centre, sigma_of(i) * sigma_z);
}

}  // namespace

void limits_p(Context& ctx, const Phase& ph) {
  double pbar;
  if (!fixed_cl(ctx, pbar)) pbar = pooled_ratio(ctx, ph);
  const auto& n = ctx.points.n;
  write_limits(ctx, ph, pbar, ctx.spec.chart == Chart::pp,
               [&](std::size_t i) { return std::sqrt(pbar * (1 - pbar) / n[i]); });
  const double tail = probability_tail(ctx);
  ProbabilityLimitsBySize by_size;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    clip_limits(ctx.points, i, 0, 1);
    if (std::isnan(tail)) continue;
    // qcc: limits.np(p̄ n_i, ...) / n_i.
    const auto counts = by_size.get(n[i], [&] { return binomial_limits(n[i], pbar, tail, ctx.points.row[i]); });
    set_probability_limits(ctx.points, i, {counts.lower / n[i], counts.upper / n[i]});
  }
}

void limits_np(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  double fixed;
  const bool has_fixed = fixed_cl(ctx, fixed);
  const double pbar = pooled_ratio(ctx, ph);
  const double tail = probability_tail(ctx);
  ProbabilityLimitsBySize by_size;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    const double n = p.n[i];
    if (!(n > 0)) continue;  // no cases: no centre line or limits for this point
    // A fixed centre line is a count: the proportion it implies at this n.
    const double pi = has_fixed ? fixed / n : pbar;
    set_limits(p, i, n * pi, std::sqrt(n * pi * (1 - pi)));
    clip_limits(p, i, 0, n);
    // With a fixed centre line the proportion differs between sizes too: no cache then.
    if (!std::isnan(tail))
      set_probability_limits(p, i, has_fixed ? binomial_limits(n, pi, tail, p.row[i])
                                             : by_size.get(n, [&] { return binomial_limits(n, pi, tail, p.row[i]); }));
  }
}

void limits_c(Context& ctx, const Phase& ph) {
  double cbar;
  if (!fixed_cl(ctx, cbar)) {
    std::vector<double> base;
    base.reserve(ph.size());
    for (std::size_t i = ph.begin; i < ph.end; ++i)
      if (in_baseline(ctx, i)) base.push_back(ctx.points.value[i]);
    cbar = mean_of(base);
  }
  const double tail = probability_tail(ctx);
  const auto counts = std::isnan(tail) ? ProbabilityLimits{nan, nan} : poisson_limits(cbar, tail, -1);
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    set_limits(ctx.points, i, cbar, std::sqrt(cbar));
    clip_limits(ctx.points, i, 0, HUGE_VAL);
    if (!std::isnan(tail)) set_probability_limits(ctx.points, i, counts);
  }
}

void limits_u(Context& ctx, const Phase& ph) {
  double ubar;
  if (!fixed_cl(ctx, ubar)) ubar = pooled_ratio(ctx, ph);
  const auto& n = ctx.points.n;
  write_limits(ctx, ph, ubar, ctx.spec.chart == Chart::up,
               [&](std::size_t i) { return std::sqrt(ubar / n[i]); });
  const double tail = probability_tail(ctx);
  ProbabilityLimitsBySize by_size;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    clip_limits(ctx.points, i, 0, HUGE_VAL);
    if (std::isnan(tail) || !(n[i] > 0)) continue;
    // qcc: limits.c(ū n_i, ...) / n_i.
    const auto counts = by_size.get(n[i], [&] { return poisson_limits(ubar * n[i], tail, ctx.points.row[i]); });
    set_probability_limits(ctx.points, i, {counts.lower / n[i], counts.upper / n[i]});
  }
}

}  // namespace qiscope::spc::detail
