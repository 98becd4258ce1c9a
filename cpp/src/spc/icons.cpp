// What the signals mean: point types from the improvement direction, and the Making Data Count
// variation and assurance icons (shared/design/spc-spec.md §3.2, §3.4; NHSRplotthedots 0.2.2
// ptd_point_type, ptd_get_icons, ptd_calculate_assurance_type). They read only a point's
// value, limits and signal side, so they work for every chart.

#include <cmath>

#include "spc/engine.hpp"

namespace qiscope::spc::detail {

namespace {

/// +1 (high side or rising) is an improvement when higher is better, a concern when lower is.
/// Without a direction, or for a pattern without one, the point is `neutral`.
PointType type_of(Direction direction, int side) {
  if (side == 0 || direction == Direction::neutral) return PointType::neutral;
  const int good = direction == Direction::increase ? 1 : -1;
  return side == good ? PointType::improvement : PointType::concern;
}

Variation variation_of(PointType type, int side) {
  const bool high = side > 0;
  switch (type) {
    case PointType::common_cause: return Variation::common_cause;
    case PointType::improvement: return high ? Variation::improvement_high : Variation::improvement_low;
    case PointType::concern: return high ? Variation::concern_high : Variation::concern_low;
    case PointType::neutral: return high ? Variation::neutral_high : Variation::neutral_low;
  }
  return Variation::none;
}

/// Can the process reliably meet the target? PTD compares the target with the process limits:
/// beyond the limit on the good side every point meets it (pass), beyond the other limit
/// none does (fail); between the limits, or exactly on one, it will be hit and missed.
Assurance assurance_of(Direction direction, double target, double lcl, double ucl) {
  if (direction == Direction::neutral || !std::isfinite(target) || !std::isfinite(lcl) ||
      !std::isfinite(ucl))
    return Assurance::none;
  const bool increase = direction == Direction::increase;
  if (target > ucl) return increase ? Assurance::fail : Assurance::pass;
  if (target < lcl) return increase ? Assurance::pass : Assurance::fail;
  return Assurance::hit_and_miss;
}

}  // namespace

void assign_icons(Context& ctx, const std::vector<Phase>& phases) {
  if (phases.empty()) return;
  auto& p = ctx.points;
  const Direction direction = direction_of(ctx.spec, p.series[phases.front().begin]);
  for (const auto& ph : phases)
    for (std::size_t i = ph.begin; i < ph.end; ++i)
      p.point_type[i] = p.special_cause[i] ? type_of(direction, ctx.signal_side[i]) : PointType::common_cause;

  // The icons describe the latest observation: the series' last point with a value that is
  // not excluded (a trailing month without data does not reset them to common cause). The
  // summary carries them on the series' last phase.
  const Phase& last = phases.back();
  std::size_t i = last.end;
  while (i > phases.front().begin && !usable(p, i - 1)) --i;
  if (i == phases.front().begin) return;
  --i;
  // No icon, rather than a "common cause" nobody assessed, when that point has nothing to be
  // judged by: neither limits nor a runs analysis in its phase (a phase of one point).
  const Phase* home = &phases.back();
  for (const auto& ph : phases)
    if (i >= ph.begin && i < ph.end) home = &ph;
  const bool has_limits = std::isfinite(p.lcl[i]) || std::isfinite(p.ucl[i]);
  if (!has_limits && ctx.phases.n_useful[home->index] == 0) return;
  int side = ctx.signal_side[i];
  if (side == 0 && std::isfinite(p.cl[i])) side = (p.value[i] > p.cl[i]) - (p.value[i] < p.cl[i]);
  ctx.phases.variation[last.index] = variation_of(p.point_type[i], side);
  // Assurance: can the process reliably meet the target? Not for time-weighted charts: their
  // limits bound a smoothed or cumulative statistic, not the values one period can take.
  // The target is on the plotted scale (after `multiply`), as the limits are.
  if (is_time_weighted(ctx.spec.chart)) return;
  ctx.phases.assurance[last.index] = assurance_of(direction, ctx.sub.target_at(i), p.lcl[i], p.ucl[i]);
}

}  // namespace qiscope::spc::detail
