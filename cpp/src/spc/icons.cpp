// What the signals mean: point types from the improvement direction, and the Making Data Count
// variation and assurance icons (shared/design/spc-spec.md §3.2, §3.4).

#include <cmath>

#include "spc/engine.hpp"

namespace qiscope::spc::detail {

namespace {

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

}  // namespace

void assign_icons(Context& ctx, const std::vector<Phase>& phases) {
  if (phases.empty()) return;
  auto& p = ctx.points;
  const Direction direction = ctx.spec.direction;
  for (const auto& ph : phases)
    for (std::size_t i = ph.begin; i < ph.end; ++i)
      p.point_type[i] = p.special_cause[i] ? type_of(direction, ctx.signal_side[i]) : PointType::common_cause;

  // Icons come from the series' last point; the summary carries them on its last phase.
  const Phase& last = phases.back();
  const std::size_t i = last.end - 1;
  // No icon, rather than a "common cause" nobody assessed, when the last point has nothing to be
  // judged by: no value (a missing month), no centre line (no usable data), or neither limits
  // nor a runs analysis (a phase of one point).
  const bool has_limits = std::isfinite(p.lcl[i]) || std::isfinite(p.ucl[i]);
  if (!std::isfinite(p.value[i]) || !std::isfinite(p.cl[i]) ||
      (!has_limits && ctx.phases.n_useful[last.index] == 0))
    return;
  int side = ctx.signal_side[i];
  if (side == 0 && std::isfinite(p.value[i]) && std::isfinite(p.cl[i]))
    side = (p.value[i] > p.cl[i]) - (p.value[i] < p.cl[i]);
  ctx.phases.variation[last.index] = variation_of(p.point_type[i], side);

  // Assurance: can the process reliably meet the target? Compare it with the last limits.
  // Not for time-weighted charts: their limits bound a smoothed or cumulative statistic,
  // not the values a single period can take.
  const double target = ctx.sub.target[i];  // on the plotted scale, as the limits
  if (direction == Direction::neutral || is_time_weighted(ctx.spec.chart) ||
      !std::isfinite(target) || !std::isfinite(p.lcl[i]) || !std::isfinite(p.ucl[i]))
    return;
  const bool above = target > p.ucl[i], below = target < p.lcl[i];
  Assurance a = Assurance::hit_and_miss;
  if (above) a = direction == Direction::increase ? Assurance::fail : Assurance::pass;
  if (below) a = direction == Direction::increase ? Assurance::pass : Assurance::fail;
  ctx.phases.assurance[last.index] = a;
}

}  // namespace qiscope::spc::detail
