// Funnel plots: units' values against their precision, with control limits around a target.
// Method: Spiegelhalter (2005) Stat Med 24:1185 and Qual Saf Health Care 14:347; the
// `funnelplotr` profile follows FunnelPlotR 0.6.0 (shared/design/spc-spec.md §6).
//
// Pipeline: validate rows -> sum rows per unit -> z-scores on the variance-stabilising scale
// -> overdispersion (phi from winsorised or truncated z; tau2 by DerSimonian-Laird) -> limits on
// a grid of n that contains every unit's n -> each unit's limits and outlier flag.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>

#include <qiscope/error.hpp>
#include <qiscope/spc/funnel.hpp>

#include "detail/parallel.hpp"

namespace qiscope::funnel {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
const double half_pi = std::acos(0.0);

/// r - a of Spiegelhalter's interpolation (Stat Med 2005, appendix) for a discrete
/// distribution `d` and probability p: r is the smallest count with F(r) >= p and
/// a = (F(r) - p) / (F(r) - F(r - 1)). The search starts at the Cornish-Fisher approximation
/// mean + sd (z + (z^2 - 1) skewness / 6) and steps to the exact r, a few cdf evaluations.
/// Expected counts above max_exact_count (error.hpp) are refused: the search would never end.
template <class Distribution>
double interpolated_quantile(const Distribution& d, double p) {
  if (!(boost::math::mean(d) <= max_exact_count))
    throw input_error("n", -1, "exact_range",
                      "exact limits need expected counts below 1e15; use limit_method='normal' or 'transformed'");
  auto cdf_at = [&](double r) { return r < 0 ? 0.0 : boost::math::cdf(d, r); };
  const double z = boost::math::quantile(boost::math::normal(), p);
  const double sd = boost::math::standard_deviation(d);
  double guess = boost::math::mean(d) + sd * (z + (z * z - 1) * boost::math::skewness(d) / 6);
  // Nearly degenerate distributions (a success probability of 1e-300) have an infinite skewness:
  // start from the mean instead, or the search would walk from the far end of the support.
  if (!std::isfinite(guess)) guess = boost::math::mean(d);
  const auto [low, high] = boost::math::support(d);
  double r = std::clamp(std::round(guess), low, high);
  while (r > 0 && cdf_at(r - 1) >= p) r -= 1;
  while (cdf_at(r) < p) r += 1;
  const double at_r = cdf_at(r);
  const double below = cdf_at(r - 1);
  return r - (at_r - p) / (at_r - below);
}

/// R's round(x, digits) (R >= 4.0.0), which FunnelPlotR applies to SHMI expected counts: of
/// the two decimal candidates either side of x, the nearer in double arithmetic; an exact tie
/// goes to the even last digit.
double round_like_r(double x, int digits) {
  if (!std::isfinite(x) || x == 0) return x;
  const double sign = x < 0 ? -1.0 : 1.0;
  x = std::abs(x);
  const double scale = std::pow(10.0, digits);
  const double scaled = scale * x;
  const double whole = std::floor(scaled);
  const double down = whole / scale;
  const double up = std::ceil(scaled) / scale;
  const double to_up = up - x;
  const double to_down = x - down;
  const bool take_up = to_up < to_down || (to_up == to_down && std::fmod(whole, 2.0) == 1.0);
  return sign * (take_up ? up : down);
}

/// R's quantile(x, p, type = 7) of sorted values (Hyndman & Fan 1996, definition 7), with R's
/// arithmetic: index = 1 + (n - 1) p, then (1 - h) x[lo] + h x[hi].
double quantile_type7(const std::vector<double>& sorted, double p) {
  const double index = 1.0 + static_cast<double>(sorted.size() - 1) * p;
  const double lo = std::floor(index);
  const double hi = std::ceil(index);
  double q = sorted[static_cast<std::size_t>(lo) - 1];
  const double x_hi = sorted[static_cast<std::size_t>(hi) - 1];
  if (index > lo && x_hi != q) {
    const double h = index - lo;
    q = (1 - h) * q + h * x_hi;
  }
  return q;
}

/// 1-based ranks with ties averaged (R's rank(ties.method = "average")).
std::vector<double> average_ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = average;
    i = j + 1;
  }
  return rank;
}

/// The largest drawing grid (a drawing needs far fewer points; this bounds time and memory).
constexpr int max_grid_size = 100000;

/// Tail probability of each side of a two-sided coverage in percent.
double tail_of(double coverage) { return (100.0 - coverage) / 200.0; }

/// The rows summed per unit, in order of unit code.
struct UnitTotals {
  std::vector<std::int64_t> code, first_row;
  std::vector<double> y, n;
};

void check_rows(const Observations& obs, const Spec& spec) {
  const std::size_t rows = obs.y.size();
  if (obs.n.size() != rows)
    throw input_error("n", -1, "length",
                      "has " + std::to_string(obs.n.size()) + " values but y has " + std::to_string(rows));
  if (!obs.unit.empty() && obs.unit.size() != rows)
    throw input_error("by", -1, "length",
                      "has " + std::to_string(obs.unit.size()) + " values but y has " + std::to_string(rows));
  if (rows == 0) throw input_error("y", -1, "empty", "there are no rows");
  for (std::size_t r = 0; r < rows; ++r) {
    const auto row = static_cast<std::int64_t>(r);
    const double y = obs.y[r];
    const double n = obs.n[r];
    if (std::isnan(y)) throw input_error("y", row, "missing", "is missing (every unit needs its count)");
    if (std::isinf(y)) throw input_error("y", row, "finite", "is infinite");
    if (y < 0) throw input_error("y", row, "non_negative", "is a negative count");
    if (y > max_magnitude) throw input_error("y", row, "overflow", "is beyond 1e100 (sums would overflow)");
    if (std::isnan(n)) throw input_error("n", row, "missing", "is missing (every unit needs its denominator)");
    if (std::isinf(n)) throw input_error("n", row, "finite", "is infinite");
    if (n < 0) throw input_error("n", row, "non_negative", "is a negative denominator");
    if (n > max_magnitude) throw input_error("n", row, "overflow", "is beyond 1e100 (sums would overflow)");
    if (n > 0 && n < 1 / max_magnitude)
      throw input_error("n", row, "overflow", "is positive but below 1e-100 (y / n and its limits would overflow)");
    if (spec.kind == Kind::proportion && y > n)
      throw input_error("y", row, "numerator_le_denominator",
                        "numerator " + std::to_string(y) + " is above its denominator " +
                            std::to_string(n) + " (a proportion needs y <= n)");
    if (!obs.unit.empty() && obs.unit[r] < 0)
      throw input_error("by", row, "missing", "has a missing or negative unit code");
  }
}

UnitTotals sum_by_unit(const Observations& obs) {
  const std::size_t rows = obs.y.size();
  auto code_of = [&](std::size_t r) { return obs.unit.empty() ? static_cast<std::int64_t>(r) : obs.unit[r]; };
  std::vector<std::size_t> order(rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return code_of(a) < code_of(b); });
  UnitTotals t;
  for (std::size_t r : order) {
    if (t.code.empty() || t.code.back() != code_of(r)) {
      t.code.push_back(code_of(r));
      t.first_row.push_back(static_cast<std::int64_t>(r));
      t.y.push_back(0.0);
      t.n.push_back(0.0);
    }
    t.y.back() += obs.y[r];
    t.n.back() += obs.n[r];
  }
  return t;
}

/// z-scores on the variance-stabilising scale: z = (Y - Y0) / s (spc-spec.md §6.1-§6.2).
struct Transformed {
  std::vector<double> y, s, z;
};

Transformed z_scores(const UnitTotals& u, Kind kind, const Options& o, double target) {
  const std::size_t k = u.y.size();
  Transformed t{std::vector<double>(k), std::vector<double>(k), std::vector<double>(k)};
  for (std::size_t i = 0; i < k; ++i) {
    const double obs = u.y[i];
    const double den = u.n[i];
    double y0 = 0;
    switch (kind) {
      case Kind::proportion:  // arcsine square root
        t.y[i] = std::asin(std::sqrt(obs / den));
        t.s[i] = 1 / (2 * std::sqrt(den));
        y0 = std::asin(std::sqrt(target));
        break;
      case Kind::ratio:
        if (o.sr_method == RatioMethod::shmi) {  // log
          t.y[i] = std::log(obs / den);
          t.s[i] = 1 / std::sqrt(den);
          y0 = std::log(target);
        } else {  // square root
          t.y[i] = std::sqrt(obs / den);
          t.s[i] = 1 / (2 * std::sqrt(den));
          y0 = std::sqrt(target);
        }
        break;
      case Kind::rate:  // log of a ratio of two Poisson counts, with 1/2 added to each
        t.y[i] = std::log((obs + 0.5) / (den + 0.5));
        t.s[i] = std::sqrt(obs / ((obs + 0.5) * (obs + 0.5)) + den / ((den + 0.5) * (den + 0.5)));
        y0 = std::log(target);
        break;
    }
    t.z[i] = (t.y[i] - y0) / t.s[i];
  }
  return t;
}

struct Dispersion {
  std::vector<double> z_trimmed;  ///< winsorised z, or NaN for truncated units
  double phi = nan, tau2 = nan, p_value = nan;
  std::int64_t used = 0;
};

/// phi = mean squared trimmed z; tau2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)),
/// w = 1/s^2, over the I units kept (Spiegelhalter 2005 QSHC; DerSimonian & Laird 1986).
Dispersion estimate_dispersion(const Transformed& t, const UnitTotals& u, const Options& o, double trim_by) {
  const std::size_t k = t.z.size();
  Dispersion d;
  d.z_trimmed.assign(k, nan);
  if (o.truncate) {
    // SHMI: rank the z-scores, cut them into 1/trim_by groups and drop the two outer groups.
    const std::vector<double> rank = average_ranks(t.z);
    const double groups = 1.0 / trim_by;
    for (std::size_t i = 0; i < k; ++i) {
      const double group = std::floor(rank[i] * groups / (static_cast<double>(k) + 1));
      if (group > 0 && group < groups - 1) d.z_trimmed[i] = t.z[i];
    }
  } else {
    std::vector<double> sorted = t.z;
    std::sort(sorted.begin(), sorted.end());
    const double low = quantile_type7(sorted, trim_by);
    const double high = quantile_type7(sorted, 1 - trim_by);
    for (std::size_t i = 0; i < k; ++i) d.z_trimmed[i] = std::clamp(t.z[i], low, high);
  }
  double sum_z2 = 0, sum_w = 0, sum_w2 = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (std::isnan(d.z_trimmed[i])) continue;
    if (!std::isfinite(d.z_trimmed[i]))
      throw input_error("y", u.first_row[i], "finite_z",
                        "this unit's z-score is infinite (a zero count on the log scale); use "
                        "sr_method='CQC' or check the data");
    ++d.used;
    sum_z2 += d.z_trimmed[i] * d.z_trimmed[i];
    const double w = 1 / (t.s[i] * t.s[i]);
    sum_w += w;
    sum_w2 += w * w;
  }
  if (d.used < 2) return d;  // undefined: phi and tau2 stay NaN
  const double units = static_cast<double>(d.used);
  d.phi = (1 / units) * sum_z2;
  d.tau2 = units * d.phi < units - 1 ? 0.0 : std::max(0.0, (units * d.phi - (units - 1)) / (sum_w - sum_w2 / sum_w));
  if (!std::isfinite(d.phi) || !std::isfinite(d.tau2))
    throw input_error("n", -1, "overflow", "the overdispersion estimate overflows (a denominator near 0?)");
  d.p_value = boost::math::cdf(boost::math::complement(boost::math::chi_squared(units), units * d.phi));
  return d;
}

struct Bounds {
  double lower, upper;
};

/// The limits of one kind of indicator around `target`, at n (cases, expected count, or the
/// denominator count) for the normal quantile z.
class LimitRule {
 public:
  LimitRule(Kind kind, const Options& o, double target) : kind_(kind), o_(o), target_(target) {}

  /// Limits without overdispersion by the resolved method; `tail` is one side's probability.
  Bounds unadjusted(double n, double z, double tail) const {
    switch (o_.limit_method) {
      case LimitMethod::exact: return exact(n, tail);
      case LimitMethod::garwood: return garwood(n, tail);
      case LimitMethod::normal: return normal(n, z, 1.0);
      case LimitMethod::transformed: return transformed(n, z, 0.0);
    }
    return {nan, nan};
  }

  /// Multiplicative overdispersion: the normal limits with the variance times phi,
  /// target +/- z sqrt(phi) sigma0 (Spiegelhalter 2005, Stat Med §6.1).
  Bounds multiplicative(double n, double z, double phi) const { return normal(n, z, phi); }

  /// Additive random effects: Y0 +/- z sqrt(s0^2 + tau2) on the transformed scale, transformed
  /// back (Spiegelhalter 2005, QSHC; FunnelPlotR's adjusted limits).
  Bounds additive(double n, double z, double tau2) const { return transformed(n, z, tau2); }

 private:
  /// Both limits are kept within the range of the statistic: where P(R = 0) already exceeds
  /// the tail's probability, the interpolation falls below 0 (r = 0, a > 0), and an upper limit
  /// below 0 would make a unit with no events an outlier.
  Bounds exact(double n, double tail) const {
    const double high = kind_ == Kind::proportion ? 1.0 : HUGE_VAL;
    auto limit = [&](double p) {
      const double v = kind_ == Kind::proportion ? exact_binomial_limit(n, target_, p) : exact_poisson_limit(n, target_, p);
      return std::clamp(v, 0.0, high);
    };
    return {limit(tail), limit(1 - tail)};
  }

  /// FunnelPlotR's unadjusted ratio limits: Garwood's exact Poisson interval for O = E,
  /// chi2(tail; 2E) / 2E and chi2(1 - tail; 2(E + 1)) / 2E.
  Bounds garwood(double n, double tail) const {
    const boost::math::chi_squared lower_dist(2 * n);
    const boost::math::chi_squared upper_dist(2 * (n + 1));
    return {target_ * (boost::math::quantile(lower_dist, tail) / 2) / n,
            target_ * (boost::math::quantile(boost::math::complement(upper_dist, tail)) / 2) / n};
  }

  /// target +/- z sqrt(phi g(target) / n), g the variance function of one case: binomial
  /// theta (1 - theta), Poisson theta, and for a ratio of two counts theta + theta^2 (both
  /// counts Poisson, by the delta method).
  Bounds normal(double n, double z, double phi) const {
    double g = target_;
    if (kind_ == Kind::proportion) g = target_ * (1 - target_);
    if (kind_ == Kind::rate) g = target_ + target_ * target_;
    const double half_width = z * std::sqrt(phi * g / n);
    Bounds b{std::max(0.0, target_ - half_width), target_ + half_width};
    if (kind_ == Kind::proportion) b.upper = std::min(1.0, b.upper);
    return b;
  }

  Bounds transformed(double n, double z, double tau2) const {
    switch (kind_) {
      case Kind::proportion: {
        const double s = 1 / (2 * std::sqrt(n));
        const double centre = std::asin(std::sqrt(target_));
        const double half_width = z * std::sqrt(s * s + tau2);
        double lower = centre - half_width;
        double upper = centre + half_width;
        if (!o_.grid_monotone_fix) {  // an angle past 0 or pi/2 means the limit is 0 or 1
          lower = std::max(lower, 0.0);
          upper = std::min(upper, half_pi);
        }
        return {std::pow(std::sin(lower), 2), std::pow(std::sin(upper), 2)};
      }
      case Kind::ratio:
        if (o_.sr_method == RatioMethod::shmi) {
          const double half_width = z * std::sqrt(1 / n + tau2);
          return {target_ * std::exp(-half_width), target_ * std::exp(half_width)};
        } else {
          const double s = 1 / (2 * std::sqrt(n));
          const double centre = std::sqrt(target_);
          const double half_width = z * std::sqrt(s * s + tau2);
          if (!o_.square_back) return {centre - half_width, centre + half_width};  // FunnelPlotR #33
          const double lower = std::max(0.0, centre - half_width);
          return {lower * lower, (centre + half_width) * (centre + half_width)};
        }
      case Kind::rate: {
        double variance = 1 / (target_ * n) + 1 / n;
        if (!o_.rate_null_variance) {
          const double s = 1 / (2 * std::sqrt(n));
          variance = s * s;
        }
        const double half_width = z * std::sqrt(variance + tau2);
        const double centre = std::log(target_);
        return {std::exp(centre - half_width), std::exp(centre + half_width)};
      }
    }
    return {nan, nan};
  }

  Kind kind_;
  const Options& o_;
  double target_;
};

/// R's seq(from, to, length.out = size): from, from + i (to - from)/(size - 1), ..., to.
std::vector<double> r_seq(double from, double to, int size) {
  std::vector<double> v;
  if (size <= 0) return v;
  v.push_back(from);
  if (size == 1) return v;
  const double step = (to - from) / static_cast<double>(size - 1);
  for (int i = 1; i < size - 1; ++i) v.push_back(from + static_cast<double>(i) * step);
  v.push_back(to);
  return v;
}

/// FunnelPlotR's fix for arcsine limits that turn back at small n: a lower limit above the next
/// grid row's becomes 0, an upper limit below the next row's becomes 1 (using the unfixed values).
void monotone_fix(std::vector<double>& lower, std::vector<double>& upper) {
  const std::vector<double> lower0 = lower;
  const std::vector<double> upper0 = upper;
  for (std::size_t i = 0; i + 1 < lower.size(); ++i) {
    if (lower0[i] > lower0[i + 1]) lower[i] = 0.0;
    if (upper0[i] < upper0[i + 1]) upper[i] = 1.0;
  }
}

/// FunnelPlotR's drawing grid: grid_size points from grid_from to the largest n rounded up,
/// plus every unit's own n, sorted and without repeats (whole numbers for exact binomial limits).
std::vector<double> drawing_grid(const std::vector<double>& unit_n, const Options& o, const Spec& spec) {
  const double largest = *std::max_element(unit_n.begin(), unit_n.end());
  std::vector<double> grid = r_seq(o.grid_from, std::ceil(largest), spec.grid_size);
  if (o.limit_method == LimitMethod::exact && spec.kind == Kind::proportion)
    for (double& n : grid) n = std::max(1.0, std::round(n));
  grid.insert(grid.end(), unit_n.begin(), unit_n.end());
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

/// The limits at every grid n for every coverage: unadjusted, and in use (adjusted when
/// `adjusted`), times multiply.
LimitTable limit_table(std::vector<double> grid, const LimitRule& rule, const Spec& spec, const Options& o,
                       bool adjusted, const Dispersion& d) {
  const std::size_t nc = spec.coverage.size();
  LimitTable table;
  auto sized = [&]() { return std::vector<std::vector<double>>(nc, std::vector<double>(grid.size())); };
  table.lcl_unadjusted = sized();
  table.ucl_unadjusted = sized();
  table.lcl = sized();
  table.ucl = sized();
  // FunnelPlotR's neighbour fix applies to its arcsine limits of proportions.
  const bool fix_plain = o.grid_monotone_fix && spec.kind == Kind::proportion &&
                         o.limit_method == LimitMethod::transformed;
  const bool fix_adjusted = o.grid_monotone_fix && spec.kind == Kind::proportion &&
                            spec.overdispersion == Overdispersion::additive;
  for (std::size_t c = 0; c < nc; ++c) {
    const double coverage = spec.coverage[c];
    double z = z_for_coverage(coverage);
    if (o.literal_z && coverage == 95.0) z = 1.959964;  // FunnelPlotR's constants
    if (o.literal_z && coverage == 99.8) z = 3.090232;
    const double tail = tail_of(coverage);
    // Grid rows are independent and each writes only its own entries (exact limits cost a few
    // cdf evaluations each, so large grids are shared between threads).
    qiscope::detail::parallel_for(grid.size(), spec.n_threads, 256, [&](std::size_t g) {
      const Bounds plain = rule.unadjusted(grid[g], z, tail);
      table.lcl_unadjusted[c][g] = plain.lower;
      table.ucl_unadjusted[c][g] = plain.upper;
      if (!adjusted) return;
      const Bounds wide = spec.overdispersion == Overdispersion::multiplicative
                              ? rule.multiplicative(grid[g], z, d.phi)
                              : rule.additive(grid[g], z, d.tau2);
      table.lcl[c][g] = wide.lower;
      table.ucl[c][g] = wide.upper;
    });
    if (fix_plain) monotone_fix(table.lcl_unadjusted[c], table.ucl_unadjusted[c]);
    if (adjusted && fix_adjusted) monotone_fix(table.lcl[c], table.ucl[c]);
    if (!adjusted) {
      table.lcl[c] = table.lcl_unadjusted[c];
      table.ucl[c] = table.ucl_unadjusted[c];
    }
    for (auto* v : {&table.lcl[c], &table.ucl[c], &table.lcl_unadjusted[c], &table.ucl_unadjusted[c]})
      for (double& x : *v) x = spec.multiply * x;
  }
  table.n = std::move(grid);
  return table;
}

/// One row per unit: its values, its limits read from the grid row of its n, and the outlier
/// flag (inside includes the limits themselves, as FunnelPlotR's outliers_func).
Units unit_rows(const UnitTotals& u, const std::vector<double>& unrounded_n, const Transformed& t,
                const Dispersion& d, const LimitTable& table, const Spec& spec, const Options& o) {
  const std::size_t k = u.code.size();
  const std::size_t nc = spec.coverage.size();
  Units units;
  units.unit = u.code;
  units.row = u.first_row;
  units.y = u.y;
  units.n = u.n;
  units.z = t.z;
  units.z_winsorised = d.z_trimmed;
  units.value.resize(k);
  units.outlier.assign(k, 0);
  units.lcl.assign(nc, std::vector<double>(k));
  units.ucl.assign(nc, std::vector<double>(k));
  const auto judged = static_cast<std::size_t>(
      std::find(spec.coverage.begin(), spec.coverage.end(), o.outlier_coverage) - spec.coverage.begin());
  for (std::size_t i = 0; i < k; ++i) {
    const auto g = static_cast<std::size_t>(std::lower_bound(table.n.begin(), table.n.end(), u.n[i]) - table.n.begin());
    units.value[i] = (u.y[i] / unrounded_n[i]) * spec.multiply;
    for (std::size_t c = 0; c < nc; ++c) {
      units.lcl[c][i] = table.lcl[c][g];
      units.ucl[c][i] = table.ucl[c][g];
    }
    const bool inside = units.value[i] <= units.ucl[judged][i] && units.value[i] >= units.lcl[judged][i];
    units.outlier[i] = inside ? 0 : 1;
  }
  return units;
}

/// Inputs are bounded by max_magnitude, but a denominator near 0 still sends y / n, or a limit
/// (exp of a huge half-width on the log scale), to infinity. Such a unit carries no information
/// about the indicator: it is refused, naming its row, rather than given an infinite limit.
void refuse_overflow(const Result& r) {
  const Units& u = r.units;
  for (std::size_t i = 0; i < u.size(); ++i) {
    bool overflow = std::isinf(u.value[i]);
    for (std::size_t c = 0; c < u.lcl.size(); ++c) overflow = overflow || std::isinf(u.lcl[c][i]) || std::isinf(u.ucl[c][i]);
    if (overflow)
      throw input_error("n", u.row[i], "overflow",
                        "the unit's value or limits overflow at n = " + std::to_string(u.n[i]) +
                            " (a denominator this close to 0 carries no information)");
  }
  for (const auto* table : {&r.limits.lcl, &r.limits.ucl, &r.limits.lcl_unadjusted, &r.limits.ucl_unadjusted})
    for (const auto& column : *table)
      for (double v : column)
        if (std::isinf(v)) throw input_error("n", -1, "overflow", "the limits of the drawing grid overflow");
}

double default_target(const UnitTotals& u, const Spec& spec) {
  if (spec.target) {
    const double t = *spec.target;
    // Bounded away from 0 too: a target of 5e-324 makes the Poisson mean target x n underflow
    // to 0, where no distribution exists.
    const double tiny = 1 / max_magnitude;
    const bool ok = spec.kind == Kind::proportion ? (t >= tiny && t < 1) : (t >= tiny && t <= max_magnitude);
    if (!ok)
      throw input_error("target", -1, "range",
                        spec.kind == Kind::proportion ? "a target proportion must be between 0 and 1"
                                                      : "a target ratio must be positive (at least 1e-100)");
    return t;
  }
  if (spec.kind == Kind::ratio) return 1.0;
  const double total_y = std::accumulate(u.y.begin(), u.y.end(), 0.0);
  const double total_n = std::accumulate(u.n.begin(), u.n.end(), 0.0);
  const double pooled = total_y / total_n;
  if (!(pooled > 0))
    throw input_error("y", -1, "degenerate_target", "no unit has an event, so there is nothing to compare");
  if (spec.kind == Kind::proportion && !(pooled < 1))
    throw input_error("y", -1, "degenerate_target", "every case is an event (y = n in every unit)");
  return pooled;
}

}  // namespace

double z_for_coverage(double coverage) {
  return boost::math::quantile(boost::math::complement(boost::math::normal(), tail_of(coverage)));
}

namespace {
/// The arguments of the public exact-limit functions, checked (they are called directly by C++
/// users, not only through compute()).
void check_exact(double n, double theta, double p, bool proportion) {
  if (!(n > 0 && n <= max_magnitude) || (proportion && n != std::floor(n)))
    throw input_error("n", -1, "range", proportion ? "must be a positive whole number" : "must be positive");
  if (!(theta >= 1 / max_magnitude && (proportion ? theta < 1 : theta <= max_magnitude)))
    throw input_error("target", -1, "range", proportion ? "must be between 0 and 1" : "must be positive");
  if (!(p > 0 && p < 1)) throw input_error("p", -1, "range", "must be a probability between 0 and 1");
}
}  // namespace

double exact_binomial_limit(double n, double theta, double p) {
  check_exact(n, theta, p, true);
  return interpolated_quantile(boost::math::binomial_distribution<double>(n, theta), p) / n;
}

double exact_poisson_limit(double e, double theta, double p) {
  check_exact(e, theta, p, false);
  return interpolated_quantile(boost::math::poisson_distribution<double>(theta * e), p) / e;
}

Options resolve(const Spec& spec) {
  const bool fpr = spec.profile == Profile::funnelplotr;
  Options o{};
  o.sr_method = spec.sr_method.value_or(fpr ? RatioMethod::shmi : RatioMethod::cqc);
  const bool shmi = spec.kind == Kind::ratio && o.sr_method == RatioMethod::shmi;
  o.shmi_rounding = shmi && spec.shmi_rounding.value_or(fpr);
  o.truncate = shmi;
  o.literal_z = fpr;
  o.square_back = !fpr;
  o.grid_monotone_fix = fpr;
  o.rate_null_variance = !fpr;
  o.zero_phi_when_off = fpr;
  o.grid_from = spec.kind == Kind::ratio ? 1.1 : 3.0;
  if (fpr) {
    // FunnelPlotR: arcsine limits for proportions, Garwood for ratios, log for two counts.
    o.limit_method = spec.kind == Kind::ratio ? LimitMethod::garwood : LimitMethod::transformed;
  } else {
    // Spiegelhalter (2005): exact limits where the distribution is known.
    o.limit_method = spec.kind == Kind::rate ? LimitMethod::transformed : LimitMethod::exact;
  }
  if (spec.limit_method) o.limit_method = *spec.limit_method;

  if (o.limit_method == LimitMethod::exact && spec.kind == Kind::rate)
    throw input_error("limit_method", -1, "unsupported",
                      "a ratio of two counts has no exact limits at a given n; use 'transformed' or 'normal'");
  if (o.limit_method == LimitMethod::garwood && spec.kind != Kind::ratio)
    throw input_error("limit_method", -1, "unsupported", "Garwood limits are for standardised ratios only");
  if (spec.coverage.empty()) throw input_error("limits", -1, "required", "give at least one coverage");
  for (double c : spec.coverage)
    if (!(c > 0 && c < 100)) throw input_error("limits", -1, "range", "coverages are percentages between 0 and 100");
  if (spec.outlier_coverage) {
    o.outlier_coverage = *spec.outlier_coverage;
    if (std::find(spec.coverage.begin(), spec.coverage.end(), o.outlier_coverage) == spec.coverage.end())
      throw input_error("outlier_limit", -1, "not_drawn", "must be one of the coverages in limits");
  } else {
    const bool has_998 = std::find(spec.coverage.begin(), spec.coverage.end(), 99.8) != spec.coverage.end();
    o.outlier_coverage = has_998 ? 99.8 : *std::max_element(spec.coverage.begin(), spec.coverage.end());
  }
  if (!(spec.trim_by >= 0 && spec.trim_by < 0.5) || (o.truncate && spec.trim_by == 0))
    throw input_error("trim_by", -1, "range",
                      o.truncate ? "must be in (0, 0.5) for SHMI truncation" : "must be in [0, 0.5)");
  if (!(spec.multiply > 0) || !std::isfinite(spec.multiply))
    throw input_error("multiply", -1, "positive", "must be a positive finite number");
  if (spec.grid_size < 2 || spec.grid_size > max_grid_size)
    throw input_error("grid_size", -1, "range", "must be between 2 and " + std::to_string(max_grid_size));
  if (spec.multiply > max_magnitude) throw input_error("multiply", -1, "overflow", "is too large");
  if (spec.n_threads < 0) throw input_error("n_threads", -1, "range", "must be 0 (one per core) or more");
  for (std::size_t c = 1; c < spec.coverage.size(); ++c)
    if (std::find(spec.coverage.begin(), spec.coverage.begin() + static_cast<std::ptrdiff_t>(c), spec.coverage[c]) !=
        spec.coverage.begin() + static_cast<std::ptrdiff_t>(c))
      throw input_error("limits", -1, "distinct", "each coverage can be drawn once");
  return o;
}

Result compute(const Observations& obs, const Spec& spec) {
  const Options o = resolve(spec);
  check_rows(obs, spec);
  UnitTotals u = sum_by_unit(obs);
  const std::size_t k = u.code.size();
  // SHMI rounding moves where a unit's z-score and limits are taken; its ratio stays O / E
  // unrounded (as FunnelPlotR's rr).
  const std::vector<double> unrounded_n = u.n;
  for (std::size_t i = 0; i < k; ++i) {
    if (o.shmi_rounding) u.n[i] = round_like_r(u.n[i], 2);
    if (!(u.n[i] > 0))
      throw input_error("n", u.first_row[i], "positive",
                        o.shmi_rounding ? "the unit's expected count rounds to 0"
                                        : "the unit's denominator sums to 0");
    if (o.limit_method == LimitMethod::exact && spec.kind == Kind::proportion && u.n[i] != std::floor(u.n[i]))
      throw input_error("n", u.first_row[i], "whole_number",
                        "exact binomial limits need whole numbers of cases; use limit_method='normal' or "
                        "'transformed' for weighted denominators");
  }
  const double target = default_target(u, spec);
  const Transformed t = z_scores(u, spec.kind, o, target);
  const Dispersion d = estimate_dispersion(t, u, o, spec.trim_by);
  const bool requested = spec.overdispersion != Overdispersion::none;
  if (requested && d.used < 2)
    throw input_error("by", -1, "too_few_units", "overdispersion needs at least 2 units to estimate");

  Result res;
  res.spec = spec;
  res.phi = d.phi;
  res.tau2 = d.tau2;
  res.phi_p_value = d.p_value;
  res.n_phi = d.used;
  // Adjust only for overdispersion (phi > 1): never narrow the limits (FunnelPlotR likewise
  // falls back to unadjusted limits when phi <= 1).
  res.adjusted = requested && d.phi > 1;
  if (!requested && o.zero_phi_when_off) {
    res.phi = 0;
    res.tau2 = 0;
    res.phi_p_value = nan;
  }

  const LimitRule rule(spec.kind, o, target);
  res.limits = limit_table(drawing_grid(u.n, o, spec), rule, spec, o, res.adjusted, d);
  res.target = spec.multiply * target;

  res.units = unit_rows(u, unrounded_n, t, d, res.limits, spec, o);
  refuse_overflow(res);
  return res;
}

}  // namespace qiscope::funnel
