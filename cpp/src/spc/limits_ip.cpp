// Taylor's I' (I prime) chart: an individuals chart of subgroup means y_i with unequal sizes
// n_i (Taylor 2018, "The I' chart", as qicharts2 0.8.1 implements it; spc-spec.md §2.2).
//   centre  Σ y_i n_i / Σ n_i over the baseline;
//   each pair of neighbours gives a unit-level sigma estimate
//           s_i = sqrt(pi / 2) |y_i - y_{i-1}| / sqrt(1 / n_{i-1} + 1 / n_i)
//   (sqrt(pi / 2) = 1 / d2 for two normal values, since Var(y_i - y_{i-1}) = sigma² (1/n_{i-1}
//   + 1/n_i)); screened like moving ranges when the profile screens them, at D4 = 3.2665;
//   sigma_i = mean(s) / sqrt(n_i); limits centre ± 3 sigma_i, not truncated.
// Which neighbours: the consecutive baseline points of the phase (excluded points dropped
// first), as for the I chart. qicharts2 instead uses every point of the phase - excluded and
// post-freeze ones too - and its profile reproduces that.

#include <cmath>
#include <vector>

#include "spc/limits_common.hpp"

namespace qiscope::spc::detail {

namespace {
/// D4 for ranges of two, to four decimals (Taylor; qicharts2's I' chart).
constexpr double ip_screen_multiple = 3.2665;
}  // namespace

void limits_ip(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  double cl;
  if (!fixed_cl(ctx, cl)) {
    double weighted = 0, total = 0;
    for (std::size_t i = ph.begin; i < ph.end; ++i)
      if (in_baseline_rows(ctx, i) && std::isfinite(p.value[i]) && std::isfinite(p.n[i])) {
        weighted += p.value[i] * p.n[i];
        total += p.n[i];
      }
    cl = weighted / total;
  }

  const bool whole_phase = ctx.spec.profile == Profile::qicharts2;
  const double half_pi_root = std::sqrt(std::acos(-1.0) / 2);
  std::vector<double> s;
  bool have_prev = false;
  std::size_t prev = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    if (!whole_phase && !in_baseline_rows(ctx, i)) continue;
    if (have_prev) {
      const double d = std::abs(p.value[i] - p.value[prev]) / std::sqrt(1 / p.n[prev] + 1 / p.n[i]);
      if (std::isfinite(d)) s.push_back(half_pi_root * d);  // a missing neighbour gives none
    }
    prev = i;
    have_prev = true;
  }
  const double s_bar = ctx.options.screen_mr ? screened_mean(s, ip_screen_multiple) : mean_of(s);
  for (std::size_t i = ph.begin; i < ph.end; ++i) set_limits(p, i, cl, s_bar / std::sqrt(p.n[i]));
}

}  // namespace qiscope::spc::detail
