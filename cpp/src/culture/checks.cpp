#include <algorithm>
#include <cmath>
#include <limits>

#include "checks.hpp"

namespace qiscope::culture::detail {

namespace {

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const auto n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return (saa > 0 && sbb > 0) ? sab / std::sqrt(saa * sbb) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<PolarityCheck> polarity_checks(const Prepared& p, const Instrument& inst) {
  std::vector<PolarityCheck> out;
  for (const auto& comp : inst.composites) {
    if (comp.items.size() < 2) continue;
    for (std::size_t j : comp.items) {
      if (!inst.items[j].reverse) continue;
      std::vector<std::size_t> rest;
      for (std::size_t o : comp.items)
        if (o != j) rest.push_back(o);
      std::vector<double> item, others;
      for (std::size_t i = 0; i < p.n_rows; ++i) {
        if (!p.included[i] || !p.answered(i, j)) continue;
        const double m = respondent_mean(p, i, rest, 1);
        if (std::isnan(m)) continue;
        item.push_back(p.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
        others.push_back(m);
      }
      if (item.size() < 4) continue;
      const double r = pearson(item, others);
      // Negative beyond chance: the upper limit of the 95% Fisher-z interval of r is below 0
      // (a mirrored item correlates strongly negatively; noise around 0 is not a finding).
      const double se = 1.0 / std::sqrt(static_cast<double>(item.size()) - 3.0);
      if (std::isfinite(r) && std::atanh(std::max(r, -1 + 1e-12)) + 1.959963984540054 * se < 0)
        out.push_back({inst.items[j].id, comp.id, r, static_cast<std::int64_t>(item.size())});
    }
  }
  return out;
}

}  // namespace qiscope::culture::detail
