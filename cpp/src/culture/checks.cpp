#include <algorithm>
#include <cmath>
#include <limits>

#include "checks.hpp"

namespace qiscope::culture::detail {

namespace {

/// Calls fn(composite, item, rest items) for each negatively worded item of a composite of at
/// least two items, in instrument order: the order of ScoreCounts::polarity.
template <class Fn>
void for_each_reversed(const Instrument& inst, Fn&& fn) {
  for (const auto& comp : inst.composites) {
    if (comp.items.size() < 2) continue;
    for (std::size_t j : comp.items) {
      if (!inst.items[j].reverse) continue;
      std::vector<std::size_t> rest;
      for (std::size_t o : comp.items)
        if (o != j) rest.push_back(o);
      fn(comp, j, rest);
    }
  }
}

}  // namespace

std::vector<PolarityCounts> polarity_counts(const Prepared& p, const Instrument& inst) {
  std::vector<PolarityCounts> out;
  for_each_reversed(inst, [&](const Composite&, std::size_t j, const std::vector<std::size_t>& rest) {
    PolarityCounts t;
    t.rest_sum.assign(rest.size(), 0);
    t.rest_sum_sq.assign(rest.size(), 0);
    t.cross.assign(rest.size(), 0);
    for (std::size_t i = 0; i < p.n_rows; ++i) {
      if (!p.included[i] || !p.answered(i, j)) continue;
      std::int64_t r = 0;  // answers are integer codes, so the sums are exact integers
      std::size_t m = 0;
      for (std::size_t o : rest) {
        const double v = p.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(o));
        if (std::isnan(v)) continue;
        r += static_cast<std::int64_t>(v);
        ++m;
      }
      if (m == 0) continue;
      const double xd = p.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      const auto x = static_cast<std::int64_t>(xd);
      const double rest_mean = static_cast<double>(r) / static_cast<double>(m);
      ++t.n;
      t.sum_x += x;
      t.sum_xx += x * x;
      t.rest_sum[m - 1] += r;
      t.rest_sum_sq[m - 1] += r * r;
      t.cross[m - 1] += x * r;
      t.x_min = std::min(t.x_min, xd);
      t.x_max = std::max(t.x_max, xd);
      t.rest_min = std::min(t.rest_min, rest_mean);
      t.rest_max = std::max(t.rest_max, rest_mean);
    }
    out.push_back(std::move(t));
  });
  return out;
}

std::vector<PolarityCheck> polarity_checks(const std::vector<PolarityCounts>& counts, const Instrument& inst) {
  std::vector<PolarityCheck> out;
  std::size_t next = 0;
  for_each_reversed(inst, [&](const Composite& comp, std::size_t j, const std::vector<std::size_t>&) {
    const PolarityCounts& t = counts.at(next++);
    if (t.n < 4) return;
    // Pearson r from moments; the rest score is R/m, so its sums are sum_m S_m / m (and / m^2).
    // r is undefined (NaN, no finding) when either variable is constant.
    if (!(t.x_max > t.x_min && t.rest_max > t.rest_min)) return;
    double sum_r = 0, sum_rr = 0, sum_xr = 0;
    for (std::size_t m = 1; m <= t.rest_sum.size(); ++m) {
      const auto md = static_cast<double>(m);
      sum_r += static_cast<double>(t.rest_sum[m - 1]) / md;
      sum_rr += static_cast<double>(t.rest_sum_sq[m - 1]) / (md * md);
      sum_xr += static_cast<double>(t.cross[m - 1]) / md;
    }
    const auto n = static_cast<double>(t.n);
    const auto sum_x = static_cast<double>(t.sum_x);
    const double sxx = static_cast<double>(t.sum_xx) - sum_x * sum_x / n;
    const double srr = sum_rr - sum_r * sum_r / n;
    const double sxr = sum_xr - sum_x * sum_r / n;
    if (!(sxx > 0 && srr > 0)) return;
    const double r = sxr / std::sqrt(sxx * srr);
    // Negative beyond chance: the upper limit of the 95% Fisher-z interval of r is below 0
    // (a mirrored item correlates strongly negatively; noise around 0 is not a finding).
    const double se = 1.0 / std::sqrt(n - 3.0);
    if (std::isfinite(r) && std::atanh(std::clamp(r, -1 + 1e-12, 1.0)) + 1.959963984540054 * se < 0)
      out.push_back({inst.items[j].id, comp.id, r, t.n});
  });
  return out;
}

std::vector<PolarityCheck> polarity_checks(const Prepared& p, const Instrument& inst) {
  return polarity_checks(polarity_counts(p, inst), inst);
}

}  // namespace qiscope::culture::detail
