// Rare-event charts: g (cases between events) and t (time between events).
//
// g (Benneyan 2001, Health Care Management Science 4:305-318; qicharts2 0.8.1): y counts the
//   opportunities *between* events, geometric from 0 with mean m and sigma = sqrt(m (m + 1)).
//   Limits m ± 3 sigma from the baseline mean, the lower one >= 0 (so 0 in practice). The
//   distribution is skewed, so the drawn centre line - and the runs analysis against it - is
//   the baseline median (Provost & Murray 2011, p. 228). A fixed `cl` is taken as the mean m
//   and drawn at its theoretical median 0.693 m, as qicharts2 does.
//   Profile qcc (qcc 2.7 spc.g.R; Kaminsky et al. 1992): y counts trials *including* the
//   event, so sigma = sqrt(1 - p) / p = sqrt(m (m - 1)) with p = 1 / m, and the centre line
//   is the mean.
// t (Nelson 1994, JQT 26:239; qicharts2 0.8.1): times between events y > 0 are made nearly
//   normal by y^(1/3.6) (the Weibull-to-normal power); an I chart of the transformed values
//   (the profile's d2 and moving-range screening) is transformed back with ^3.6. A lower limit
//   below 0 (or undefined) on the transformed scale has no back-transform and becomes 0.

#include <cmath>
#include <string>
#include <vector>

#include <qiscope/error.hpp>

#include "spc/limits_common.hpp"

namespace qiscope::spc::detail {

namespace {
/// Provost & Murray's factor from the mean of a geometric count to its median (~ln 2).
constexpr double geometric_median_factor = 0.693;
/// Nelson's power that makes exponential (Weibull) times nearly normal.
constexpr double t_power = 3.6;
}  // namespace

void limits_g(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  std::vector<double> base;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline(ctx, i)) base.push_back(p.value[i]);
  double fixed;
  const bool has_fixed = fixed_cl(ctx, fixed);
  const double m = has_fixed ? fixed : mean_of(base);
  const bool qcc = ctx.spec.profile == Profile::qcc;
  if (qcc && m < 1)
    throw input_error("y", -1, "trials_at_least_one",
                      "the qcc g chart counts trials including the event, so their mean must be "
                      "at least 1 (it is " + std::to_string(m) + "); without profile='qcc' the "
                      "g chart counts the opportunities between events");
  const double sigma = qcc ? std::sqrt(m * (m - 1)) : std::sqrt(m * (m + 1));
  double drawn = m;
  if (!qcc) drawn = has_fixed ? geometric_median_factor * m : median_of(base);
  const double tail = probability_tail(ctx);  // set only under profile qcc (resolve)
  const auto trials = std::isnan(tail) ? ProbabilityLimits{nan, nan} : geometric_limits(m, tail, -1);
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    set_limits(p, i, m, sigma);
    clip_limits(p, i, 0, HUGE_VAL);
    if (!std::isnan(tail)) set_probability_limits(p, i, trials);
    p.cl[i] = drawn;
  }
}

void limits_t(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  std::vector<double> transformed(ph.size());
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    transformed[i - ph.begin] = std::pow(p.value[i], 1 / t_power);
  double fixed;
  const bool has_fixed = fixed_cl(ctx, fixed);
  // A fixed centre line is a time, so it is transformed like the data; qicharts2 takes it as
  // already transformed, and its profile keeps that.
  if (has_fixed && ctx.spec.profile != Profile::qicharts2) fixed = std::pow(fixed, 1 / t_power);
  const auto [cl, sigma] = individuals(ctx, ph, transformed, has_fixed ? &fixed : nullptr);
  // A negative base has no real power 3.6: a lower limit below 0 (or undefined) becomes 0.
  // qicharts2 does this for the 3-sigma limit only and leaves its 2-sigma one missing; its
  // profile keeps that.
  const bool lower_95_missing = ctx.spec.profile == Profile::qicharts2;
  auto back = [](double v) { return std::pow(v, t_power); };
  const double lower = cl - 3 * sigma, lower_95 = cl - 2 * sigma;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.cl[i] = back(cl);
    p.ucl[i] = back(cl + 3 * sigma);
    p.ucl_95[i] = back(cl + 2 * sigma);
    p.lcl[i] = lower >= 0 ? back(lower) : 0;
    p.lcl_95[i] = lower_95 >= 0 ? back(lower_95) : (lower_95_missing ? nan : 0);
  }
}

}  // namespace qiscope::spc::detail
