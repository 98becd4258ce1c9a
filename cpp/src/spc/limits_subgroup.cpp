// Xbar and S charts: rows sharing one x form a subgroup of n_i measurements with mean x̄_i
// and standard deviation s_i.
//
// Default (every profile but qcc): Montgomery, Introduction to Statistical Quality Control,
// eqs. 6.29-6.31, as qicharts2 0.8.1 implements them (shared/design/spc-spec.md §2.2):
//   centre Σ n_i x̄_i / Σ n_i; s̄ = mean(s_i) when every subgroup of the phase has the same
//   size, else the pooled sqrt(Σ (n_i - 1) s_i² / Σ (n_i - 1)); Xbar limits x̄̄ ± A3(n_i) s̄,
//   S limits B3(n_i) s̄ and B4(n_i) s̄, with c4 exact (constants.hpp).
// Profile qcc (qcc 2.7, §4): sigma = mean(R_i / d2(n_i)) ("UWAVE-R", tabled d2) when every
//   n_i <= 25, else sqrt(Σ (n_i - 1) s_i² / Σ (n_i - 1)) / c4(Σ (n_i - 1) + 1) ("RMSDF");
//   Xbar limits centre ± 3 sigma / sqrt(n_i). S chart: centre Σ n_i s_i / Σ n_i, sigma =
//   mean(s_i / c4(n_i)) ("UWAVE-SD"), limits centre ± 3 sigma c5(n_i), the lower one >= 0.
//
// A subgroup of one measurement has no s_i: it adds nothing to s̄ and its own limits are
// missing (qcc refuses such data; qicharts2 leaves the limits NA).

#include <cmath>
#include <vector>

#include <qiscope/spc/constants.hpp>

#include "spc/limits_common.hpp"

namespace qiscope::spc::detail {

namespace {

/// Subgroup size of point i (0 when every measurement is missing).
double size_of(const Context& ctx, std::size_t i) {
  return static_cast<double>(ctx.points.y_count[i]);
}

/// qicharts2 treats a subgroup whose every measurement is missing as one of size 0: it makes
/// the sizes vary and takes 1 from the pooled degrees of freedom (n_i - 1 = -1). Its profile
/// keeps that; otherwise an empty subgroup is simply missing.
bool empty_subgroups_count(const Context& ctx) { return ctx.spec.profile == Profile::qicharts2; }

/// Do the subgroups of the phase have different sizes? Judged over every subgroup of the
/// phase, excluded and post-freeze ones included (qicharts2).
bool sizes_vary(const Context& ctx, const Phase& ph) {
  const bool count_empty = empty_subgroups_count(ctx);
  double first = -1;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    const double n = size_of(ctx, i);
    if (n < 1 && !count_empty) continue;
    if (first < 0) first = n;
    if (n != first) return true;
  }
  return false;
}

/// Baseline subgroups that take part in the calculations (with at least one measurement).
std::vector<std::size_t> baseline_subgroups(const Context& ctx, const Phase& ph) {
  std::vector<std::size_t> idx;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (in_baseline_rows(ctx, i) && size_of(ctx, i) >= 1) idx.push_back(i);
  return idx;
}

/// Grand mean Σ n_i x̄_i / Σ n_i (Montgomery eq. 6.30).
double grand_mean(const Context& ctx, const std::vector<std::size_t>& base) {
  double weighted = 0, total = 0;
  for (std::size_t i : base) {
    weighted += size_of(ctx, i) * ctx.sub.y_mean[i];
    total += size_of(ctx, i);
  }
  return total > 0 ? weighted / total : nan;
}

/// sqrt(Σ (n_i - 1) s_i² / Σ (n_i - 1)) over the baseline subgroups of two or more (and, when
/// `count_empty`, with -1 for each empty one, as qicharts2).
double pooled_sd(const Context& ctx, const Phase& ph, bool count_empty, double* df = nullptr) {
  double ss = 0, dof = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    if (!in_baseline_rows(ctx, i)) continue;
    const double n = size_of(ctx, i);
    if (n == 0 && count_empty) dof -= 1;
    if (n < 2) continue;
    ss += (n - 1) * ctx.sub.y_sd[i] * ctx.sub.y_sd[i];
    dof += n - 1;
  }
  if (df) *df = dof;
  return dof > 0 ? std::sqrt(ss / dof) : nan;
}

/// s̄: the mean of s_i with equal sizes, the pooled SD when sizes vary (Montgomery 6.29/6.31).
double s_bar(const Context& ctx, const Phase& ph, const std::vector<std::size_t>& base) {
  if (sizes_vary(ctx, ph)) return pooled_sd(ctx, ph, empty_subgroups_count(ctx));
  std::vector<double> s;
  for (std::size_t i : base)
    if (std::isfinite(ctx.sub.y_sd[i])) s.push_back(ctx.sub.y_sd[i]);
  return mean_of(s);
}

/// qcc 2.7's default process sigma for the Xbar chart.
double qcc_xbar_sigma(const Context& ctx, const Phase& ph, const std::vector<std::size_t>& base) {
  bool large = false;
  for (std::size_t i : base) large = large || size_of(ctx, i) > 25;
  if (large) {
    double dof = 0;
    const double pooled = pooled_sd(ctx, ph, false, &dof);
    return pooled / c4(dof + 1);
  }
  std::vector<double> scaled;  // R_i / d2(n_i), "UWAVE-R"
  for (std::size_t i : base) {
    const double n = size_of(ctx, i);
    if (n >= 2) scaled.push_back(ctx.sub.y_range[i] / d2_qcc_table(static_cast<int>(n)));
  }
  return mean_of(scaled);
}

/// qcc 2.7's S-chart sigma: mean(s_i / c4(n_i)) ("UWAVE-SD").
double qcc_s_sigma(const Context& ctx, const std::vector<std::size_t>& base) {
  std::vector<double> scaled;
  for (std::size_t i : base) {
    const double n = size_of(ctx, i);
    if (n >= 2) scaled.push_back(ctx.sub.y_sd[i] / c4(n));
  }
  return mean_of(scaled);
}

}  // namespace

void limits_xbar(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  const auto base = baseline_subgroups(ctx, ph);
  double cl;
  if (!fixed_cl(ctx, cl)) cl = grand_mean(ctx, base);
  if (ctx.spec.profile == Profile::qcc) {
    const double sigma = qcc_xbar_sigma(ctx, ph, base);
    const double tail = probability_tail(ctx);
    const double z = std::isnan(tail) ? nan : normal_multiple(tail);
    for (std::size_t i = ph.begin; i < ph.end; ++i) {
      const double n = size_of(ctx, i);
      // qcc needs every subgroup to have two or more measurements; a single one gets none.
      const double se = n >= 2 ? sigma / std::sqrt(n) : nan;
      set_limits(p, i, cl, se);
      if (!std::isnan(tail)) set_probability_limits(p, i, {cl - z * se, cl + z * se});
    }
    return;
  }
  const double s = s_bar(ctx, ph, base);
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    const double n = size_of(ctx, i);
    p.cl[i] = cl;
    p.lcl[i] = cl - a3(n) * s;
    p.ucl[i] = cl + a3(n) * s;
    p.lcl_95[i] = cl - a3(n, 2) * s;
    p.ucl_95[i] = cl + a3(n, 2) * s;
  }
}

void limits_s(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  const auto base = baseline_subgroups(ctx, ph);
  double cl;
  const bool fixed = fixed_cl(ctx, cl);
  if (ctx.spec.profile == Profile::qcc) {
    if (!fixed) {
      double weighted = 0, total = 0;
      for (std::size_t i : base)
        if (std::isfinite(ctx.sub.y_sd[i])) {
          weighted += size_of(ctx, i) * ctx.sub.y_sd[i];
          total += size_of(ctx, i);
        }
      cl = total > 0 ? weighted / total : nan;
    }
    const double sigma = qcc_s_sigma(ctx, base);
    const double tail = probability_tail(ctx);
    ProbabilityLimitsBySize by_size;
    for (std::size_t i = ph.begin; i < ph.end; ++i) {
      const double n = size_of(ctx, i);
      set_limits(p, i, cl, sigma * c5(n));
      clip_limits(p, i, 0, HUGE_VAL);  // an SD is never negative
      if (!std::isnan(tail))
        set_probability_limits(p, i, by_size.get(n, [&] { return sd_limits(sigma, n, tail, p.row[i]); }));
    }
    return;
  }
  if (!fixed) cl = s_bar(ctx, ph, base);
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    const double n = size_of(ctx, i);
    p.cl[i] = cl;
    p.lcl[i] = b3(n) * cl;  // B3 >= 0: the lower limit is never negative
    p.ucl[i] = b4(n) * cl;
    p.lcl_95[i] = b3(n, 2) * cl;
    p.ucl_95[i] = b4(n, 2) * cl;
  }
}

}  // namespace qiscope::spc::detail
