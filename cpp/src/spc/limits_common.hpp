#pragma once
// Building blocks shared by the chart formulas (limits*.cpp; not installed). Each chart file
// computes, for one phase, the centre line and the 1-sigma width of every point, then writes
// them with set_limits; compute_limits (limits.cpp) dispatches on the chart.

#include <cstddef>
#include <cstdint>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <vector>

#include "spc/engine.hpp"

namespace qiscope::spc::detail {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Arithmetic mean as R's mean() computes it: a second pass corrects the rounding of the
/// first, so equal values have exactly that value as their mean (constant data then sits on
/// its centre line and cannot signal by rounding). NaN if empty.
double mean_of(const std::vector<double>& v);

/// Median; NaN if empty.
double median_of(std::vector<double> v);

/// Sample standard deviation (n - 1); NaN for fewer than 2 values.
double sd_of(const std::vector<double>& v);

/// The point is in the phase's baseline and takes part in the calculations (not excluded,
/// finite plotted value).
bool in_baseline(const Context& ctx, std::size_t i);

/// The point is in the baseline and not excluded, whatever its value (sums of counts such as
/// Σy / Σn take every such point whose counts are finite, as qicharts2 does).
bool in_baseline_rows(const Context& ctx, std::size_t i);

/// The user's fixed centre line on the unscaled (before `multiply`) scale, if any.
bool fixed_cl(const Context& ctx, double& cl);

/// Mean moving range of `v` (one entry per point of the phase) over consecutive baseline
/// points: excluded points are dropped first, so a moving range spans them; a missing value
/// removes the two moving ranges next to it (qicharts2's convention). With screening on,
/// ranges of at least d4 x their mean are dropped once and the mean recomputed (Nelson 1982).
double mean_moving_range(const Context& ctx, const Phase& ph, const std::vector<double>& v);

/// Moving ranges of `v` over consecutive baseline points, as mean_moving_range uses them.
std::vector<double> baseline_moving_ranges(const Context& ctx, const Phase& ph,
                                           const std::vector<double>& v);

/// Mean of `values` after dropping, once, those at or above `multiple` x their mean.
double screened_mean(const std::vector<double>& values, double multiple);

/// Centre line and 1-sigma width of an individuals (I) chart.
struct Individuals {
  double cl;
  double sigma;
};

/// The I chart of `values` (one per point of the phase): the mean of the finite baseline
/// values (or `*fixed_centre`) and sigma = mean moving range / d2 (Montgomery eq. 6.33).
Individuals individuals(const Context& ctx, const Phase& ph, const std::vector<double>& values,
                        const double* fixed_centre);

/// cl, cl -/+ 3 sigma and cl -/+ 2 sigma for point i.
void set_limits(Points& p, std::size_t i, double cl, double sigma);

/// Truncates point i's limits to [low, high] where they are finite (infinite limits are left
/// for finish_limits to remove).
void clip_limits(Points& p, std::size_t i, double low, double high);

// Probability limits, qcc's confidence.level (limits_probability.cpp). Each returns the lower
// and upper limit of one point; NaN where the parameters leave them undefined.
struct ProbabilityLimits {
  double lower;
  double upper;
};
/// (1 - confidence_level) / 2, the probability beyond each limit; NaN for sigma limits.
double probability_tail(const Context& ctx);
/// Replaces point i's lcl and ucl (lcl_95 and ucl_95 keep their 2 sigma).
void set_probability_limits(Points& p, std::size_t i, ProbabilityLimits limits);
/// qnorm(1 - tail): xbar and i limits are cl ± this multiple of sigma_i.
double normal_multiple(double tail);
/// sigma sqrt(qchisq(q, n - 1) / (n - 1)) at q = tail and 1 - tail (S chart).
ProbabilityLimits sd_limits(double sigma, double n, double tail, std::int64_t row);
/// Binomial(n, p) quantiles (np chart; the p chart divides by n). `n` must be whole.
ProbabilityLimits binomial_limits(double n, double p, double tail, std::int64_t row);
/// Poisson(mean) quantiles (c chart; the u chart's mean is ū n_i, divided by n_i).
ProbabilityLimits poisson_limits(double mean, double tail, std::int64_t row);
/// Geometric quantiles of failures before the event, p = 1 / mean_trials (qcc's g chart).
ProbabilityLimits geometric_limits(double mean_trials, double tail, std::int64_t row);
/// R's qgeom(q, prob): the smallest number of failures x >= 0 before the first success with
/// P(X <= x) >= q.
double geometric_quantile(double q, double prob);
/// The limits of a phase's points by the one parameter that varies between them (denominator
/// or subgroup size), each computed once: a quantile search costs microseconds, and sizes repeat.
class ProbabilityLimitsBySize {
 public:
  template <class Compute>
  ProbabilityLimits get(double size, Compute compute) {
    if (std::isnan(size)) return compute();
    const auto [it, added] = seen_.try_emplace(size, ProbabilityLimits{nan, nan});
    if (added) it->second = compute();
    return it->second;
  }

 private:
  std::unordered_map<double, ProbabilityLimits> seen_;
};

// The chart families, one file each.
void limits_xbar(Context& ctx, const Phase& ph);  // limits_subgroup.cpp
void limits_s(Context& ctx, const Phase& ph);     // limits_subgroup.cpp
void limits_p(Context& ctx, const Phase& ph);     // limits_attribute.cpp (p and pp)
void limits_np(Context& ctx, const Phase& ph);    // limits_attribute.cpp
void limits_c(Context& ctx, const Phase& ph);     // limits_attribute.cpp
void limits_u(Context& ctx, const Phase& ph);     // limits_attribute.cpp (u and up)
void limits_g(Context& ctx, const Phase& ph);     // limits_events.cpp
void limits_t(Context& ctx, const Phase& ph);     // limits_events.cpp
void limits_ip(Context& ctx, const Phase& ph);    // limits_ip.cpp

}  // namespace qiscope::spc::detail
