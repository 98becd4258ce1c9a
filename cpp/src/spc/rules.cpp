// Runs analysis and rule sets, per phase. The runs analysis (longest run, crossings) is reported
// for every chart, as qicharts2 does; the rule set decides which points are special causes.
// Definitions: shared/design/spc-spec.md §2.3 (Anhøj), §5 (IHI, Western Electric, Nelson),
// §3.2-3.3 (Making Data Count).

#include <cmath>
#include <cstdint>
#include <vector>

#include <qiscope/error.hpp>
#include <qiscope/spc/runs.hpp>

#include "spc/engine.hpp"

namespace qiscope::spc::detail {

namespace {

int sign(double v) { return (v > 0) - (v < 0); }

/// Points of the phase that take part in runs: included and with a value (not on the CL is
/// checked where it matters).
std::vector<std::size_t> usable_points(const Context& ctx, const Phase& ph) {
  std::vector<std::size_t> idx;
  idx.reserve(ph.size());  // one allocation per phase, not one per doubling
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (usable(ctx.points, i) && std::isfinite(ctx.points.cl[i])) idx.push_back(i);
  return idx;
}

void mark(Context& ctx, std::size_t i, std::uint32_t bit, int side) {
  ctx.points.signal_member[i] = 1;
  ctx.points.rules[i] |= bit;
  if (ctx.signal_side[i] == 0) ctx.signal_side[i] = static_cast<std::int8_t>(side);
}

/// Anhøj's runs analysis: points on the centre line neither break nor count in runs.
/// Fills the summary columns; returns true when the phase signals.
bool anhoej(Context& ctx, const Phase& ph, bool flag_members) {
  auto& p = ctx.points;
  auto& s = ctx.phases;
  std::int64_t n_obs = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) n_obs += !p.excluded[i];
  std::vector<std::size_t> useful;
  std::vector<int> signs;
  useful.reserve(ph.size());
  signs.reserve(ph.size());
  for (std::size_t i : usable_points(ctx, ph)) {
    const int sg = sign(p.value[i] - p.cl[i]);
    if (sg == 0) continue;
    useful.push_back(i);
    signs.push_back(sg);
  }
  const auto n = static_cast<std::int64_t>(useful.size());
  std::int64_t longest = 0, runs = 0, current = 0;
  for (std::size_t k = 0; k < signs.size(); ++k) {
    current = (k > 0 && signs[k] == signs[k - 1]) ? current + 1 : 1;
    if (current == 1) ++runs;
    longest = std::max(longest, current);
  }
  const std::size_t j = ph.index;
  s.n_obs[j] = n_obs;
  s.n_useful[j] = n;
  s.longest_run[j] = n > 0 ? longest : -1;
  s.n_crossings[j] = n > 0 ? runs - 1 : -1;
  s.longest_run_max[j] = longest_run_max(n);
  s.n_crossings_min[j] = crossings_min(n);
  const bool long_run = n > 0 && longest > s.longest_run_max[j];
  const bool few_crossings = n > 0 && runs - 1 < s.n_crossings_min[j];
  // Runs tests need an order: none for categorical x, nor on the MR chart (as qicharts2).
  const bool applies = !ctx.spec.x_categorical && ctx.spec.chart != Chart::mr;
  const bool signal = applies && (long_run || few_crossings);
  if (signal && flag_members) {
    // Localise the signal: the points of every run longer than the limit; with too few
    // crossings, every useful point of the phase.
    std::size_t start = 0;
    for (std::size_t k = 0; k <= signs.size(); ++k) {
      if (k == signs.size() || (k > 0 && signs[k] != signs[k - 1])) {
        if (static_cast<std::int64_t>(k - start) > s.longest_run_max[j])
          for (std::size_t m = start; m < k; ++m) mark(ctx, useful[m], rule_bits::long_run, signs[m]);
        start = k;
      }
    }
    if (few_crossings)
      for (std::size_t m = 0; m < useful.size(); ++m) mark(ctx, useful[m], rule_bits::few_crossings, 0);
  }
  return signal;
}

/// A shift: at least `length` consecutive points on one side of the centre line. With
/// `on_cl_breaks`, a point on the line ends the run; otherwise it is skipped.
void shift_rule(Context& ctx, const Phase& ph, int length, bool on_cl_breaks) {
  const auto& p = ctx.points;
  std::vector<std::size_t> run;
  int run_sign = 0;
  auto close = [&] {
    if (static_cast<int>(run.size()) >= length)
      for (std::size_t i : run) mark(ctx, i, rule_bits::shift, run_sign);
    run.clear();
  };
  for (std::size_t i : usable_points(ctx, ph)) {
    const int sg = sign(p.value[i] - p.cl[i]);
    if (sg == 0) {
      if (on_cl_breaks) {
        close();
        run_sign = 0;
      }
      continue;
    }
    if (sg != run_sign) close();
    run_sign = sg;
    run.push_back(i);
  }
  close();
}

/// A trend: at least `length` points each higher (or lower) than the one before. With
/// `ties_break`, a repeated value ends the trend; otherwise it neither adds to nor breaks it.
void trend_rule(Context& ctx, const Phase& ph, int length, bool ties_break) {
  const auto& p = ctx.points;
  const auto idx = usable_points(ctx, ph);
  std::size_t start = 0;  // position in idx where the current trend starts
  int counted = 1, dir = 0;
  for (std::size_t k = 1; k < idx.size(); ++k) {
    const int d = sign(p.value[idx[k]] - p.value[idx[k - 1]]);
    if (d == 0) {
      if (ties_break) {
        start = k;
        counted = 1;
        dir = 0;
      }
      continue;
    }
    if (d == dir) {
      ++counted;
    } else {
      // A new trend starts at the previous point (the last of any tied values before it).
      start = k - 1;
      counted = 2;
      dir = d;
    }
    if (counted >= length)
      for (std::size_t m = start; m <= k; ++m) mark(ctx, idx[m], rule_bits::trend, dir);
  }
}

/// IHI: too few or too many runs among the useful points (n >= 10).
void runs_count_rule(Context& ctx, const Phase& ph) {
  const auto& s = ctx.phases;
  const std::int64_t n = s.n_useful[ph.index];
  if (n < 10 || ctx.spec.x_categorical) return;
  const auto [lower, upper] = ihi_runs_range(n);
  const std::int64_t runs = s.n_crossings[ph.index] + 1;
  if (runs >= lower && runs <= upper) return;
  for (std::size_t i : usable_points(ctx, ph))
    if (ctx.points.value[i] != ctx.points.cl[i]) mark(ctx, i, rule_bits::runs_count, 0);
}

void sigma_rule(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (p.sigma_signal[i] && !p.excluded[i]) {
      p.rules[i] |= rule_bits::sigma;
      ctx.signal_side[i] = static_cast<std::int8_t>(sign(p.value[i] - p.cl[i]));
    }
}

void summarise(Context& ctx, const Phase& ph, bool runs_signal) {
  auto& p = ctx.points;
  auto& s = ctx.phases;
  const std::size_t j = ph.index;
  s.runs_signal[j] = runs_signal;
  std::int64_t sigma = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.runs_signal[i] = runs_signal;
    sigma += p.sigma_signal[i];
    p.special_cause[i] = p.rules[i] != 0;
  }
  s.sigma_signal[j] = sigma;
  // Centre line and limits where they are constant over the phase.
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
    summarise(ctx, ph, /*runs_signal=*/false);
    return;
  }
  const RuleSet rules = ctx.spec.rules;
  const bool runs_signal = anhoej(ctx, ph, rules == RuleSet::anhoej);
  switch (rules) {
    case RuleSet::anhoej:
      sigma_rule(ctx, ph);
      break;
    case RuleSet::ihi:
      sigma_rule(ctx, ph);
      shift_rule(ctx, ph, ctx.options.shift_n, /*on_cl_breaks=*/false);
      trend_rule(ctx, ph, ctx.options.trend_n, ctx.options.trend_ties_break);
      runs_count_rule(ctx, ph);
      break;
    default:
      throw input_error("rules", -1, "not_implemented",
                        "the '" + std::string(to_string(rules)) + "' rule set is not implemented yet");
  }
  summarise(ctx, ph, runs_signal);
}

}  // namespace qiscope::spc::detail
