// Paired gap statistics (culture-spec §3.9): R's t.test(paired = TRUE) and
// wilcox.test(paired = TRUE), d_z, and paired percent positive (Newcombe 1998b, McNemar).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <qiscope/culture/gap.hpp>
#include <qiscope/error.hpp>

#include "prepare.hpp"
#include "privacy.hpp"
#include "stats.hpp"

namespace qiscope::culture {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Pairs {
  std::vector<double> a, b;
};

/// Signed-rank statistic V and its two-sided p as R's wilcox.test(paired = TRUE, correct = TRUE).
void wilcoxon(const std::vector<double>& d_all, double& v, double& p, std::uint8_t& exact, std::int64_t& n_nonzero) {
  std::vector<double> d;
  for (double x : d_all)
    if (x != 0) d.push_back(x);
  const bool zeros = d.size() != d_all.size();
  const std::size_t n = d.size();
  n_nonzero = static_cast<std::int64_t>(n);
  v = p = nan;
  exact = 0;
  if (n == 0) return;
  // Mid-ranks of |d|.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return std::abs(d[x]) < std::abs(d[y]); });
  std::vector<double> rank(n);
  double tie_term = 0;  // sum of t^3 - t over tie groups
  bool ties = false;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && std::abs(d[order[j + 1]]) == std::abs(d[order[i]])) ++j;
    const double mid = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (std::size_t r = i; r <= j; ++r) rank[order[r]] = mid;
    const double t = static_cast<double>(j - i + 1);
    if (t > 1) ties = true;
    tie_term += t * t * t - t;
    i = j + 1;
  }
  v = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (d[i] > 0) v += rank[i];
  const double nn = static_cast<double>(n);
  const double centre = nn * (nn + 1) / 4;
  if (n < 50 && !ties && !zeros) {
    exact = 1;
    const int ni = static_cast<int>(n);
    const double tail = v > centre ? 1 - detail::signrank_cdf(v - 1, ni) : detail::signrank_cdf(v, ni);
    p = std::min(1.0, 2 * tail);
    return;
  }
  const double sigma = std::sqrt(nn * (nn + 1) * (2 * nn + 1) / 24 - tie_term / 48);
  if (!(sigma > 0)) return;
  double z = v - centre;
  const double correction = z > 0 ? 0.5 : (z < 0 ? -0.5 : 0.0);
  z = (z - correction) / sigma;
  p = 2 * std::min(detail::normal_upper(z), detail::normal_upper(-z));
}

}  // namespace

Gap gap(std::span<const double> a, std::span<const double> b, std::span<const std::int64_t> unit,
        const GapOptions& options, std::vector<std::string> unit_labels) {
  if (a.size() != b.size())
    throw input_error("b", -1, "length", "a and b have different lengths");
  if (!unit.empty() && unit.size() != a.size())
    throw input_error("unit", -1, "length", "unit and the answers have different lengths");
  const double z = detail::z_for(options.conf_level);
  const int min_n = options.min_n > 0 ? options.min_n : 10;
  std::size_t n_units = unit_labels.size();
  for (std::size_t i = 0; i < unit.size(); ++i) {
    if (unit[i] < 0)
      throw input_error("unit", static_cast<std::int64_t>(i), "missing", "the unit label is missing");
    n_units = std::max(n_units, static_cast<std::size_t>(unit[i]) + 1);
  }
  std::vector<Pairs> levels(n_units + 1);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;  // complete pairs only
    levels[0].a.push_back(a[i]);
    levels[0].b.push_back(b[i]);
    if (!unit.empty()) {
      levels[static_cast<std::size_t>(unit[i]) + 1].a.push_back(a[i]);
      levels[static_cast<std::size_t>(unit[i]) + 1].b.push_back(b[i]);
    }
  }

  Gap out;
  out.unit_labels = std::move(unit_labels);
  out.min_n = min_n;
  out.conf_level = options.conf_level;
  const std::size_t n_levels = unit.empty() ? 1 : n_units + 1;
  std::vector<detail::Cell> cells(n_levels);
  for (std::size_t l = 0; l < n_levels; ++l) {
    const Pairs& pr = levels[l];
    const std::size_t n = pr.a.size();
    const double nn = static_cast<double>(n);
    out.unit.push_back(static_cast<std::int64_t>(l) - 1);
    out.n.push_back(static_cast<std::int64_t>(n));
    for (auto* col : {&out.mean_a, &out.mean_b, &out.diff, &out.sd_diff, &out.diff_ci_low, &out.diff_ci_high,
                      &out.t, &out.df, &out.p, &out.wilcoxon_v, &out.wilcoxon_p, &out.d_z, &out.percent_positive_a,
                      &out.percent_positive_b, &out.percent_positive_diff, &out.percent_diff_ci_low,
                      &out.percent_diff_ci_high, &out.mcnemar_p})
      col->push_back(nan);
    out.wilcoxon_exact.push_back(0);
    out.n_nonzero.push_back(0);
    out.suppressed.push_back(0);
    out.reason.push_back(Reason::none);
    cells[l].n = static_cast<std::int64_t>(n);
    detail::primary(cells[l], min_n);
    if (n == 0) continue;

    std::vector<double> d(n);
    double sa = 0, sb = 0, sd = 0;
    for (std::size_t i = 0; i < n; ++i) {
      d[i] = pr.a[i] - pr.b[i];
      sa += pr.a[i];
      sb += pr.b[i];
      sd += d[i];
    }
    const double md = sd / nn;
    out.mean_a[l] = sa / nn;
    out.mean_b[l] = sb / nn;
    out.diff[l] = md;
    if (n >= 2) {
      double ss = 0;
      for (double x : d) ss += (x - md) * (x - md);
      const double s = std::sqrt(ss / (nn - 1));
      out.sd_diff[l] = s;
      out.df[l] = nn - 1;
      if (s > 0) {
        const double se = s / std::sqrt(nn);
        out.t[l] = md / se;
        out.p[l] = detail::t_two_sided_p(out.t[l], nn - 1);
        const double q = detail::t_quantile(options.conf_level, nn - 1);
        out.diff_ci_low[l] = md - q * se;
        out.diff_ci_high[l] = md + q * se;
        out.d_z[l] = md / s;
      } else if (cells[l].reason == Reason::none) {
        cells[l].reason = Reason::constant;
      }
    } else if (cells[l].reason == Reason::none) {
      cells[l].reason = Reason::too_few;
    }
    wilcoxon(d, out.wilcoxon_v[l], out.wilcoxon_p[l], out.wilcoxon_exact[l], out.n_nonzero[l]);

    if (!options.positive.empty()) {
      std::int64_t both = 0, a_only = 0, b_only = 0, neither = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const bool pa = options.positive.contains(pr.a[i]);
        const bool pb = options.positive.contains(pr.b[i]);
        both += pa && pb;
        a_only += pa && !pb;
        b_only += !pa && pb;
        neither += !pa && !pb;
      }
      out.percent_positive_a[l] = 100.0 * static_cast<double>(both + a_only) / nn;
      out.percent_positive_b[l] = 100.0 * static_cast<double>(both + b_only) / nn;
      out.percent_positive_diff[l] = out.percent_positive_a[l] - out.percent_positive_b[l];
      const auto [lo, hi] = detail::newcombe_paired(both, a_only, b_only, neither, z);
      out.percent_diff_ci_low[l] = 100.0 * lo;
      out.percent_diff_ci_high[l] = 100.0 * hi;
      out.mcnemar_p[l] = detail::mcnemar_exact_p(a_only, b_only);
    }
  }

  // Per-unit means can be derived from the overall row and the other units: protect them.
  if (n_levels > 1) {
    std::vector<detail::Cell*> children;
    for (std::size_t l = 1; l < n_levels; ++l) children.push_back(&cells[l]);
    detail::protect_siblings(cells[0], children, min_n);
  }
  for (std::size_t l = 0; l < n_levels; ++l) {
    out.reason[l] = cells[l].reason;
    if (!cells[l].suppressed) continue;
    out.suppressed[l] = 1;
    for (auto* col : {&out.mean_a, &out.mean_b, &out.diff, &out.sd_diff, &out.diff_ci_low, &out.diff_ci_high,
                      &out.t, &out.df, &out.p, &out.wilcoxon_v, &out.wilcoxon_p, &out.d_z, &out.percent_positive_a,
                      &out.percent_positive_b, &out.percent_positive_diff, &out.percent_diff_ci_low,
                      &out.percent_diff_ci_high, &out.mcnemar_p})
      (*col)[l] = nan;
    out.n_nonzero[l] = -1;
    out.wilcoxon_exact[l] = 0;
  }
  return out;
}

Gap gap(const Responses& responses, const Instrument& inst, std::string_view a, std::string_view b,
        GapOptions options) {
  auto item = [&](std::string_view id, const char* field) {
    const auto i = inst.find_item(id);
    if (!i)
      throw input_error(field, -1, "unknown_item",
                        "'" + std::string(id) + "' is not an item of instrument '" + inst.name + "'");
    return *i;
  };
  const std::size_t ia = item(a, "a");
  const std::size_t ib = item(b, "b");
  const detail::Prepared p = detail::prepare(responses, inst, options.reverse_range);
  std::vector<double> va(p.n_rows, nan), vb(p.n_rows, nan);
  for (std::size_t i = 0; i < p.n_rows; ++i) {
    if (!p.included[i]) continue;
    va[i] = p.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(ia));
    vb[i] = p.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(ib));
  }
  if (options.min_n <= 0) options.min_n = inst.min_n;
  if (options.positive.empty()) {
    const Scale& sa = inst.scale_of(ia);
    const Scale& sb = inst.scale_of(ib);
    if (sa.positive.lo == sb.positive.lo && sa.positive.hi == sb.positive.hi) options.positive = sa.positive;
  }
  std::span<const std::int64_t> units;
  if (p.n_units > 0) units = p.unit;
  Gap out = gap(va, vb, units, options, p.unit_labels);
  out.a = std::string(a);
  out.b = std::string(b);
  return out;
}

}  // namespace qiscope::culture
