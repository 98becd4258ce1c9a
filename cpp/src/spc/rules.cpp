// The rule sets (rules.hpp), and the engine step that applies them to each phase. The runs
// analysis (longest run, crossings) is reported for every chart, as qicharts2 does; the rule
// set decides which points are special causes.
// Definitions: shared/design/spc-spec.md §2.3 (Anhøj), §3.2-3.3 (Making Data Count),
// §4 (qcc), §5 (IHI, Western Electric, Nelson) and §5.1 (ties, points on the line, gaps).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include <qiscope/spc/rules.hpp>
#include <qiscope/spc/runs.hpp>

#include "spc/engine.hpp"
#include "spc/patterns.hpp"

namespace qiscope::spc {

namespace {

using detail::Marks;
using detail::Segment;

/// Adds one rule's marks. A point keeps the side of the first rule that gave it one, so the
/// order of the calls is the precedence of the rules; patterns without a direction never
/// decide the side.
void add(SpecialCauses& out, const Marks& marks, std::uint32_t bit) {
  for (std::size_t i = 0; i < marks.member.size(); ++i) {
    if (!marks.member[i]) continue;
    out.rules[i] |= bit;
    if (out.side[i] == 0) out.side[i] = marks.side[i];
  }
}

/// Anhøj's runs analysis over the useful points (usable and not on the centre line, which
/// neither break nor count); with `localise`, marks every run longer than the limit and, with
/// too few crossings, every useful point.
RunsAnalysis runs_analysis(const Segment& usable, const detail::Zones& z, bool ordered, bool localise,
                           Marks& long_runs, Marks& crossings) {
  std::vector<std::size_t> useful;
  for (std::size_t pos : usable)
    if (z.side[pos] != 0) useful.push_back(pos);
  RunsAnalysis r;
  r.n_useful = static_cast<std::int64_t>(useful.size());
  r.longest_run_max = longest_run_max(r.n_useful);
  r.n_crossings_min = crossings_min(r.n_useful);
  if (useful.empty()) return r;
  std::int64_t longest = 0, runs = 0, current = 0;
  for (std::size_t k = 0; k < useful.size(); ++k) {
    current = (k > 0 && z.side[useful[k]] == z.side[useful[k - 1]]) ? current + 1 : 1;
    if (current == 1) ++runs;
    longest = std::max(longest, current);
  }
  r.longest_run = longest;
  r.n_crossings = runs - 1;
  const bool long_run = longest > r.longest_run_max;
  const bool few_crossings = r.n_crossings < r.n_crossings_min;
  // Runs tests need a time order: none for categorical x, nor on the MR chart (as qicharts2).
  r.signal = ordered && (long_run || few_crossings);
  if (r.signal && localise) {
    detail::find_runs(useful, z.side, static_cast<int>(r.longest_run_max) + 1, true, true,
                      FlagPoints::pattern, long_runs);
    if (few_crossings)
      for (std::size_t pos : useful) crossings.mark(pos, 0);
  }
  return r;
}

/// IHI: too few or too many runs among the useful points (n >= 10), from the runs table.
void runs_count_rule(const Segment& usable, const detail::Zones& z, const RunsAnalysis& r, Marks& out) {
  if (r.n_useful < 10) return;
  const auto [lower, upper] = ihi_runs_range(r.n_useful);
  const std::int64_t runs = r.n_crossings + 1;
  if (runs >= lower && runs <= upper) return;
  for (std::size_t pos : usable)
    if (z.side[pos] != 0) out.mark(pos, 0);
}

}  // namespace

SpecialCauses find_special_causes(const PhaseView& ph, RuleSet rules, const Options& o) {
  const std::size_t n = ph.value.size();
  SpecialCauses out;
  out.rules.assign(n, 0);
  out.side.assign(n, 0);
  const detail::Zones z = detail::classify(ph);

  // The points that take part, and the stretches patterns may span (§5.1: a missing or
  // excluded point is skipped, or ends every pattern with Options::missing_breaks).
  Segment usable;
  std::vector<Segment> segments(1);
  for (std::size_t i = 0; i < n; ++i) {
    const bool takes_part = (ph.excluded.empty() || !ph.excluded[i]) && std::isfinite(ph.value[i]) &&
                            std::isfinite(ph.cl[i]);
    if (takes_part) {
      usable.push_back(i);
      segments.back().push_back(i);
    } else if (o.missing_breaks && !segments.back().empty()) {
      segments.emplace_back();
    }
  }

  auto marks = [n] { return Marks(n); };
  // Rule 1 of every set: a point beyond the 3-sigma limits, on its side of the centre line.
  Marks outside = marks();
  for (std::size_t i : usable)
    if (z.beyond3[i] != 0) outside.mark(i, z.side[i]);

  Marks long_runs = marks(), few_crossings = marks();
  out.runs = runs_analysis(usable, z, ph.ordered, rules == RuleSet::anhoej, long_runs, few_crossings);

  const FlagPoints flag = o.flag_points;
  auto each_segment = [&](auto&& find) {
    if (!ph.ordered) return;  // patterns in time need a time order
    for (const auto& seg : segments) find(seg);
  };
  auto runs_on_one_side = [&](int length, Marks& m) {
    each_segment([&](const Segment& s) { detail::find_runs(s, z.side, length, o.on_cl_breaks, true, flag, m); });
  };
  auto trends = [&](int length, Marks& m) {
    each_segment([&](const Segment& s) { detail::find_trends(s, ph.value, length, o.trend_ties_break, flag, m); });
  };
  auto k_of_m = [&](std::span<const std::int8_t> zone, int k, int m_, bool all_on_side, Marks& m) {
    std::span<const std::int8_t> sides = all_on_side ? std::span<const std::int8_t>(z.side) : std::span<const std::int8_t>();
    each_segment([&](const Segment& s) { detail::find_k_of_m(s, zone, k, m_, sides, flag, m); });
  };
  auto rule_on = [&](int number) { return (o.rule_mask >> (number - 1)) & 1u; };

  switch (rules) {
    case RuleSet::anhoej:
      add(out, outside, rule_bits::sigma);
      add(out, long_runs, rule_bits::long_run);
      add(out, few_crossings, rule_bits::few_crossings);
      break;
    case RuleSet::ihi: {
      // The astronomical point is taken as beyond 3 sigma (a chart without limits has none).
      Marks shift = marks(), trend = marks(), runs_count = marks();
      runs_on_one_side(o.shift_n, shift);
      trends(o.trend_n, trend);
      if (ph.ordered) runs_count_rule(usable, z, out.runs, runs_count);
      add(out, outside, rule_bits::sigma);
      add(out, shift, rule_bits::shift);
      add(out, trend, rule_bits::trend);
      add(out, runs_count, rule_bits::runs_count);
      break;
    }
    case RuleSet::mdc: {
      // Two of three: PTD 0.2.2 ("legacy") counts only points between 2 and 3 sigma; since
      // November 2023 MDC counts every point beyond 2 sigma. All three on one side of the mean.
      std::vector<std::int8_t> near_limit = z.beyond2;
      if (o.two_of_three == TwoOfThree::legacy)
        for (std::size_t i = 0; i < n; ++i)
          if (z.beyond3[i] != 0) near_limit[i] = 0;
      Marks trend = marks(), two_of_three = marks(), shift = marks();
      trends(o.trend_n, trend);
      if (o.ptd_trend_labels)
        each_segment([&](const Segment& s) { detail::label_trends_like_ptd(s, ph.value, trend); });
      k_of_m(near_limit, 2, 3, true, two_of_three);
      runs_on_one_side(o.shift_n, shift);
      // Precedence (NHSRplotthedots' special_cause_type): outside > trend > 2-of-3 > shift.
      add(out, outside, rule_bits::sigma);
      add(out, trend, rule_bits::trend);
      add(out, two_of_three, rule_bits::two_of_three);
      add(out, shift, rule_bits::shift);
      break;
    }
    case RuleSet::western_electric: {
      // Precedence by rule number (qcc 3.0): the lower rule gives the side.
      Marks two_of_three = marks(), four_of_five = marks(), one_side = marks();
      if (rule_on(2)) k_of_m(z.beyond2, 2, 3, false, two_of_three);
      if (rule_on(3)) k_of_m(z.beyond1, 4, 5, false, four_of_five);
      if (rule_on(4)) runs_on_one_side(o.shift_n, one_side);
      if (rule_on(1)) add(out, outside, rule_bits::sigma);
      add(out, two_of_three, rule_bits::two_of_three);
      add(out, four_of_five, rule_bits::four_of_five);
      add(out, one_side, rule_bits::one_side);
      break;
    }
    case RuleSet::nelson: {
      Marks one_side = marks(), trend = marks(), alternating = marks(), two_of_three = marks(),
            four_of_five = marks(), hugging = marks(), mixture = marks();
      if (rule_on(2)) runs_on_one_side(o.shift_n, one_side);
      if (rule_on(3)) trends(o.trend_n, trend);
      if (rule_on(4))
        each_segment([&](const Segment& s) { detail::find_alternating(s, ph.value, 14, flag, alternating); });
      if (rule_on(5)) k_of_m(z.beyond2, 2, 3, false, two_of_three);
      if (rule_on(6)) k_of_m(z.beyond1, 4, 5, false, four_of_five);
      if (rule_on(7))
        each_segment([&](const Segment& s) { detail::find_runs(s, z.within1, 15, true, false, flag, hugging); });
      if (rule_on(8))
        each_segment([&](const Segment& s) { detail::find_mixture(s, z.beyond1, 8, flag, mixture); });
      if (rule_on(1)) add(out, outside, rule_bits::sigma);
      add(out, one_side, rule_bits::one_side);
      add(out, trend, rule_bits::trend);
      add(out, alternating, rule_bits::alternating);
      add(out, two_of_three, rule_bits::two_of_three);
      add(out, four_of_five, rule_bits::four_of_five);
      add(out, hugging, rule_bits::hugging);
      add(out, mixture, rule_bits::mixture);
      break;
    }
  }
  return out;
}

namespace detail {

namespace {

/// The phase's summary row from its points: signal counts and the centre line and limits
/// where they are constant over the phase.
void summarise(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  auto& s = ctx.phases;
  const std::size_t j = ph.index;
  std::int64_t n_obs = 0, sigma = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.special_cause[i] = p.rules[i] != 0;
    n_obs += !p.excluded[i];
    sigma += p.sigma_signal[i];
  }
  s.n_obs[j] = n_obs;
  s.sigma_signal[j] = sigma;
  auto constant = [&](const std::vector<double>& col) {
    const double first = col[ph.begin];
    for (std::size_t i = ph.begin; i < ph.end; ++i)
      if (!(col[i] == first)) return std::numeric_limits<double>::quiet_NaN();
    return first;
  };
  s.cl[j] = constant(p.cl);
  s.lcl[j] = constant(p.lcl);
  s.ucl[j] = constant(p.ucl);
}

}  // namespace

void apply_rules(Context& ctx, const Phase& ph) {
  if (is_time_weighted(ctx.spec.chart)) {
    time_weighted_rules(ctx, ph);  // beyond-limit signals only, no runs analysis
    summarise(ctx, ph);
    return;
  }
  auto& p = ctx.points;
  auto& s = ctx.phases;
  auto slice = [&](const auto& column) { return std::span(column).subspan(ph.begin, ph.size()); };
  PhaseView view;
  view.value = slice(p.value);
  view.cl = slice(p.cl);
  view.lcl = slice(p.lcl);
  view.ucl = slice(p.ucl);
  view.lcl_95 = slice(p.lcl_95);
  view.ucl_95 = slice(p.ucl_95);
  view.excluded = slice(p.excluded);
  view.ordered = !ctx.spec.x_categorical && ctx.spec.chart != Chart::mr;
  const SpecialCauses found = find_special_causes(view, ctx.spec.rules, ctx.options);

  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    const std::uint32_t bits = found.rules[i - ph.begin];
    p.rules[i] = bits;
    p.signal_member[i] = (bits & ~rule_bits::sigma) != 0;
    p.runs_signal[i] = found.runs.signal;
    ctx.signal_side[i] = found.side[i - ph.begin];
  }
  const std::size_t j = ph.index;
  s.n_useful[j] = found.runs.n_useful;
  s.longest_run[j] = found.runs.longest_run;
  s.longest_run_max[j] = found.runs.longest_run_max;
  s.n_crossings[j] = found.runs.n_crossings;
  s.n_crossings_min[j] = found.runs.n_crossings_min;
  s.runs_signal[j] = found.runs.signal;
  summarise(ctx, ph);
}

}  // namespace detail

}  // namespace qiscope::spc
