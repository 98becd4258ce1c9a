// Time-weighted charts, whose statistic accumulates over the points of a phase:
//   ewma             EWMA of subgroup means (qcc 2.7 `ewma`, shared/design/spc-spec.md §4;
//                    Roberts 1959; Montgomery, Introduction to SQC, §9.2)
//   cusum            tabular CUSUM of standardised subgroup means (qcc 2.7 `cusum`, §4; Page 1954;
//                    Montgomery §9.1)
//   bernoulli_cusum  upper and lower Bernoulli CUSUMs with reset (qicharts2 0.8.1 `bchart`, §2.5;
//                    Neuburger et al. 2017, BMJ Qual Saf, doi:10.1136/bmjqs-2016-005526)
//   ra_cusum         risk-adjusted CUSUM (Steiner, Cook, Farewell, Treasure 2000, Biostatistics
//                    1:441)
//   vlad             variable life-adjusted display, cumulative expected minus observed
//                    (Lovegrove et al. 1997, Lancet 350:1128)
// The phase's baseline (freeze) gives the in-control parameters and every point of the phase is
// monitored. Missing and excluded points leave the statistic where it was and have no value.
// These charts signal at their own limits only: no runs analysis and no rule set.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include <qiscope/error.hpp>
#include <qiscope/spc/constants.hpp>

#include "spc/engine.hpp"
#include "spc/limits_common.hpp"

namespace qiscope::spc::detail {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string chart_name(const Spec& spec) { return "the " + std::string(to_string(spec.chart)) + " chart"; }

/// The point's observation enters the statistic: not excluded and with a value.
bool observed(const Context& ctx, std::size_t i) {
  return !ctx.points.excluded[i] && ctx.points.y_count[i] > 0;
}

/// A baseline point whose observation enters the statistic.
bool observed_baseline(const Context& ctx, std::size_t i) {
  return ctx.points.baseline[i] && observed(ctx, i);
}

/// In-control mean: the grand mean of the baseline rows, Σ n_i x̄_i / Σ n_i (qcc's centre of
/// group statistics). For 0/1 outcomes this is the baseline event rate.
double baseline_mean(const Context& ctx, const Phase& ph) {
  double sum = 0, count = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (observed_baseline(ctx, i)) {
      sum += ctx.sub.y_sum[i];
      count += static_cast<double>(ctx.points.y_count[i]);
    }
  return count > 0 ? sum / count : nan;
}

/// The baseline points whose observations enter the statistic.
std::vector<std::size_t> baseline_points(const Context& ctx, const Phase& ph) {
  std::vector<std::size_t> out;
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (observed_baseline(ctx, i)) out.push_back(i);
  return out;
}

/// Weighted mean of per-subgroup sigma estimates: Σ w_i σ_i / Σ w_i.
template <class Estimate, class Weight>
double weighted_mean(const Context& ctx, const std::vector<std::size_t>& points, Estimate sigma_of,
                     Weight weight_of) {
  double sum = 0, weights = 0;
  for (std::size_t i : points) {
    const int n = static_cast<int>(ctx.points.y_count[i]);
    const double w = weight_of(n);
    sum += w * sigma_of(i, n);
    weights += w;
  }
  return sum / weights;
}

/// Sigma from the subgroups' ranges or standard deviations, qcc 2.7's `sd.xbar` (Montgomery
/// §6.3; ASTM STP 15D). UWAVE: the plain mean of R_i / d2(n_i) or s_i / c4(n_i). MVLUE: the
/// minimum-variance weighted mean, weights (d2 / d3)² for ranges and c4² / (1 − c4²) for SDs,
/// the inverse relative variances of the unbiased estimates. RMSDF: the pooled SD over
/// c4(Σ(n_i − 1) + 1); subgroups of one row add no degrees of freedom.
double subgroup_sigma(const Context& ctx, const std::vector<std::size_t>& points, SdMethod method) {
  const auto& sub = ctx.sub;
  std::unordered_map<int, double> c4_by_size;  // c4 is a gamma ratio: once per size
  const auto c4_of = [&](int n) {
    const auto [it, added] = c4_by_size.try_emplace(n, nan);
    if (added) it->second = c4(n);
    return it->second;
  };
  const auto by_range = [&](std::size_t i, int n) { return sub.y_range[i] / d2_qcc_table(n); };
  const auto by_sd = [&](std::size_t i, int n) { return sub.y_sd[i] / c4_of(n); };
  switch (method) {
    case SdMethod::uwave_r: return weighted_mean(ctx, points, by_range, [](int) { return 1.0; });
    case SdMethod::uwave_sd: return weighted_mean(ctx, points, by_sd, [](int) { return 1.0; });
    case SdMethod::mvlue_r:
      return weighted_mean(ctx, points, by_range, [](int n) {
        const double ratio = d2_qcc_table(n) / d3_qcc_table(n);
        return ratio * ratio;
      });
    case SdMethod::mvlue_sd:
      return weighted_mean(ctx, points, by_sd, [&](int n) {
        const double c = c4_of(n);
        return c * c / (1 - c * c);
      });
    default: break;
  }
  double squares = 0, df = 0;
  for (std::size_t i : points)
    if (ctx.points.y_count[i] > 1) {
      const double d = static_cast<double>(ctx.points.y_count[i] - 1);
      squares += d * sub.y_sd[i] * sub.y_sd[i];
      df += d;
    }
  return std::sqrt(squares / df) / c4(df + 1);
}

/// Sigma of single values, qcc 2.7's `sd.xbar.one`. MR: the mean moving range / d2, exactly the
/// I chart's estimate under the same profile (qcc: d2 = 1.128, unscreened; qiscope: 2/sqrt(pi)).
/// SD: the sample SD of the baseline values over c4(n).
double individuals_sigma(const Context& ctx, const Phase& ph, const std::vector<std::size_t>& points,
                         SdMethod method) {
  if (method == SdMethod::sd) {
    const double n = static_cast<double>(points.size());
    double sum = 0, squares = 0;
    for (std::size_t i : points) sum += ctx.sub.y_mean[i];
    const double mean = sum / n;
    for (std::size_t i : points) squares += (ctx.sub.y_mean[i] - mean) * (ctx.sub.y_mean[i] - mean);
    return std::sqrt(squares / (n - 1)) / c4(n);
  }
  std::vector<double> values(ph.size(), nan);
  for (std::size_t i = ph.begin; i < ph.end; ++i)
    if (observed(ctx, i)) values[i - ph.begin] = ctx.sub.y_mean[i];
  return mean_moving_range(ctx, ph, values) / ctx.options.d2;
}

bool is_individuals_method(SdMethod m) { return m == SdMethod::mr || m == SdMethod::sd; }

/// An explicit sd_method must fit the baseline as qcc requires: single values for mr and sd
/// (qcc's xbar.one), subgroups of at least 2 rows for the others (sd.xbar: "group sizes must
/// be larger than one"), and at most 25 rows for the range methods, beyond qcc's d2 table
/// (where qcc returns NA).
void check_sd_method_fits(const Context& ctx, const std::vector<std::size_t>& points, SdMethod m) {
  const std::string name(to_string(m));
  for (std::size_t i : points) {
    const std::int64_t n = ctx.points.y_count[i], row = ctx.points.row[i];
    if (is_individuals_method(m) && n > 1)
      throw input_error("sd_method", row, "single_values",
                        "'" + name + "' estimates sigma from single values, but this point is a "
                        "subgroup of " + std::to_string(n) + " rows (use 'uwave_r', 'uwave_sd', "
                        "'mvlue_r', 'mvlue_sd' or 'rmsdf')");
    if (!is_individuals_method(m) && n < 2)
      throw input_error("sd_method", row, "subgroups",
                        "'" + name + "' estimates sigma within subgroups, but this point has a "
                        "single row (use 'mr' or 'sd' for single values)");
    if ((m == SdMethod::uwave_r || m == SdMethod::mvlue_r) && n > 25)
      throw input_error("sd_method", row, "subgroup_size",
                        "'" + name + "' needs subgroups of at most 25 rows (qcc's d2 table); "
                        "this one has " + std::to_string(n) + " (use 'uwave_sd', 'mvlue_sd' or 'rmsdf')");
  }
}

/// Process sigma of single values, from the baseline: `sd` if given, else `sd_method`, else
/// the profile's default. Default for individuals (every baseline point one row): "mr".
/// Default for subgroups: "rmsdf", or under profile qcc, when every subgroup has 2 to 25 rows,
/// qcc's own default "uwave_r" (qcc 2.7 `qcc`: "UWAVE-R" unless any size > 25).
double baseline_sigma(const Context& ctx, const Phase& ph) {
  if (ctx.spec.sd) return *ctx.spec.sd;
  const auto points = baseline_points(ctx, ph);
  if (ctx.spec.sd_method) {
    const SdMethod m = *ctx.spec.sd_method;
    check_sd_method_fits(ctx, points, m);
    if (points.empty()) return nan;
    return is_individuals_method(m) ? individuals_sigma(ctx, ph, points, m) : subgroup_sigma(ctx, points, m);
  }
  bool individuals = true, in_d2_table = true;
  for (std::size_t i : points) {
    const std::int64_t n = ctx.points.y_count[i];
    if (n > 1) individuals = false;
    if (n < 2 || n > 25) in_d2_table = false;
  }
  if (individuals) return individuals_sigma(ctx, ph, points, SdMethod::mr);
  const bool qcc_default = in_d2_table && ctx.spec.profile == Profile::qcc;
  return subgroup_sigma(ctx, points, qcc_default ? SdMethod::uwave_r : SdMethod::rmsdf);
}

/// Points of EWMA and CUSUM charts are subgroups: y is the mean of their rows, n their number.
void report_subgroups(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.y[i] = ctx.sub.y_mean[i];
    p.n[i] = p.y_count[i] > 0 ? static_cast<double>(p.y_count[i]) : nan;
  }
}

/// z_t = λ x̄_t + (1 − λ) z_{t−1}, z_0 = centre; Var z_t = (σ² / n_t) (λ / (2 − λ)) (1 − (1 − λ)^{2t})
/// with t the number of subgroups absorbed so far (the exact, time-varying limits of qcc).
void ewma(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  const double lambda = ctx.spec.lambda, width = ctx.spec.nsigmas;
  const double center = ctx.spec.center ? *ctx.spec.center : baseline_mean(ctx, ph);
  const double sigma = baseline_sigma(ctx, ph);
  report_subgroups(ctx, ph);
  double z = center;
  int t = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.cl[i] = center;
    if (!observed(ctx, i)) continue;
    ++t;
    z = lambda * ctx.sub.y_mean[i] + (1 - lambda) * z;
    const double se = sigma / std::sqrt(static_cast<double>(p.y_count[i])) *
                      std::sqrt(lambda / (2 - lambda) * (1 - std::pow(1 - lambda, 2 * t)));
    p.value[i] = z;
    p.lcl[i] = center - width * se;
    p.ucl[i] = center + width * se;
    p.lcl_95[i] = center - 2 * se;
    p.ucl_95[i] = center + 2 * se;
  }
}

/// Tabular CUSUM in standard errors: z_i = (x̄_i − centre) / (σ / √n_i),
/// C⁺_i = max(0, C⁺_{i−1} + z_i − k), C⁻_i = max(0, C⁻_{i−1} − z_i − k), both starting at the
/// head start (fast initial response, Lucas & Crosier 1982). `value` is C⁺ and `value_lower`
/// is −C⁻, against the decision interval ±h. As in qcc, the sums carry on after a signal.
void tabular_cusum(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  const double center = ctx.spec.center ? *ctx.spec.center : baseline_mean(ctx, ph);
  const double sigma = baseline_sigma(ctx, ph);
  if (sigma == 0)
    throw input_error("sd", p.row[ph.begin], "positive",
                      "the process sigma of the baseline is 0 (every value is the same); give sd=");
  report_subgroups(ctx, ph);
  const double k = ctx.spec.k, h = ctx.spec.h;
  // Too few baseline points to estimate centre or sigma: no statistic (as the I chart's limits).
  const bool defined = std::isfinite(center) && std::isfinite(sigma);
  double upper = ctx.spec.head_start, lower = ctx.spec.head_start;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.cl[i] = 0;
    p.ucl[i] = h;
    p.lcl[i] = -h;
    if (!defined || !observed(ctx, i)) continue;
    const double z = (ctx.sub.y_mean[i] - center) / (sigma / std::sqrt(static_cast<double>(p.y_count[i])));
    upper = std::max(0.0, upper + z - k);
    lower = std::max(0.0, lower - z - k);
    p.value[i] = upper;
    p.value_lower[i] = lower > 0 ? -lower : 0.0;  // never -0.0
  }
}

/// Steiner et al. (2000), eq. 2: the log-likelihood ratio of outcome y (0/1) of a case with
/// predicted risk p, between the odds of p multiplied by `odds_ratio` and the odds of p:
/// W = y ln(OR) − ln(1 − p + OR·p). With a constant p0 it equals bchart's increment
/// x ln(p1/p0) + (1 − x) ln((1 − p1)/(1 − p0)), p1 = odds⁻¹(OR · odds(p0)).
double log_likelihood_ratio(double y, double p, double odds_ratio) {
  return y * std::log(odds_ratio) - std::log(1 - p + odds_ratio * p);
}

/// Two one-sided CUSUMs of log-likelihood ratios with reset: the upper tests the odds
/// multiplied by OR (deterioration for OR > 1), X_t = max(0, X_{t−1} + W_t(OR)); the lower tests
/// them divided by OR and is drawn below zero, Z_t = min(0, Z_{t−1} − W_t(1/OR)). A sum that
/// reaches ±limit signals and the next case starts again from 0 (bchart; Steiner et al.).
template <class Risk>
void likelihood_cusum(Context& ctx, const Phase& ph, Risk risk_of) {
  auto& p = ctx.points;
  const double limit = ctx.spec.limit, odds_ratio = ctx.spec.odds_ratio;
  double upper = 0, lower = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.cl[i] = 0;
    p.ucl[i] = limit;
    p.lcl[i] = -limit;
    if (!observed(ctx, i)) continue;
    const double y = ctx.sub.y_sum[i], risk = risk_of(i);
    upper = std::max(0.0, upper + log_likelihood_ratio(y, risk, odds_ratio));
    lower = std::min(0.0, lower - log_likelihood_ratio(y, risk, 1 / odds_ratio));
    p.value[i] = upper;
    p.value_lower[i] = lower;
    if (upper >= limit) upper = 0;
    if (lower <= -limit) lower = 0;
  }
}

/// bchart: the in-control probability p0 is `target`, else the event rate of the baseline
/// (qicharts2's `target = n` is `freeze = n` here).
void bernoulli_cusum(Context& ctx, const Phase& ph) {
  const double p0 = ctx.spec.target ? *ctx.spec.target : baseline_mean(ctx, ph);
  if (!(p0 > 0 && p0 < 1))
    throw input_error(ctx.spec.target ? "target" : "y", ctx.spec.target ? -1 : ctx.points.row[ph.begin],
                      "probability",
                      "the in-control event probability p0 = " + std::to_string(p0) +
                          " must be strictly between 0 and 1 (give target= or a baseline with "
                          "both events and non-events)");
  likelihood_cusum(ctx, ph, [p0](std::size_t) { return p0; });
}

/// VLAD: the running total of expected minus observed events, Σ (p_t − y_t), from 0 in each
/// phase; above zero means fewer events than the risk model predicts. No limits.
void vlad(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  double total = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    p.cl[i] = 0;
    if (!observed(ctx, i)) continue;
    total += ctx.sub.risk[i] - ctx.sub.y_sum[i];
    p.value[i] = total;
  }
}

bool positive_finite(double v) { return std::isfinite(v) && v > 0; }

void require(bool ok, const char* option, const std::string& message) {
  if (!ok) throw input_error(option, -1, "range", message);
}

void reject_if(bool given, const char* option, const std::string& message) {
  if (given) throw input_error(option, -1, "not_applicable", message);
}

}  // namespace

void validate_time_weighted(const Observations& obs, const Spec& spec) {
  const Chart c = spec.chart;
  const std::string name = chart_name(spec);
  reject_if(!obs.risk.empty() && c != Chart::ra_cusum && c != Chart::vlad, "risk",
            name + " takes no predicted risk (ra_cusum and vlad do)");
  const bool measurements = c == Chart::ewma || c == Chart::cusum;
  reject_if(!measurements && spec.sd_method.has_value(), "sd_method",
            name + " takes no sd_method= (ewma and cusum do)");
  if (!is_time_weighted(c)) return;
  const bool case_level = is_case_level(c);

  reject_if(spec.rules != RuleSet::anhoej, "rules",
            name + " signals at its own limits; rule sets do not apply");
  reject_if(spec.x_categorical, "x",
            name + " accumulates over time: x must be dates or numbers, or omitted (row order)");
  reject_if(spec.cl.has_value(), "cl", name + " has no fixed centre line option (ewma and cusum take center=)");
  reject_if(!spec.y_neg, "y_neg", name + " never truncates its limits");
  // `none` is natural for all of them: a case-level chart never combines rows anyway, and
  // EWMA/CUSUM then chart single values (subgroups of one row).
  reject_if(spec.agg != Aggregate::mean && spec.agg != Aggregate::none, "agg",
            case_level ? name + " never combines rows: each row is one case"
                       : name + " charts the mean of the rows sharing an x (its subgroup), or each "
                                "row with agg='none'");
  reject_if(!obs.n.empty(), "n",
            case_level ? name + " takes one 0/1 outcome per row; a denominator does not apply"
                       : name + " charts subgroup means (rows sharing an x); a denominator does not apply");
  reject_if(c != Chart::ewma && spec.multiply != 1.0, "multiply",
            name + " is on its own scale (standard errors, log-likelihood ratios or cases)");
  reject_if(c != Chart::bernoulli_cusum && (spec.target.has_value() || !obs.target.empty()), "target",
            name + " has no target (bernoulli_cusum takes its in-control probability as target=)");
  reject_if(c == Chart::bernoulli_cusum && !obs.target.empty(), "target",
            name + " takes one in-control probability as target=, not a column");
  reject_if(!measurements && (spec.center.has_value() || spec.sd.has_value()),
            spec.center ? "center" : "sd", name + " takes no center= or sd= (ewma and cusum do)");

  // One source of sigma: a given sd and a method to estimate it would contradict each other.
  reject_if(spec.sd.has_value() && spec.sd_method.has_value(), "sd_method",
            "give either sd= (a known sigma) or sd_method= (how to estimate it), not both");
  if (spec.center) require(std::isfinite(*spec.center), "center", "must be a finite number");
  if (spec.sd) require(positive_finite(*spec.sd), "sd", "must be a positive number");
  switch (c) {
    case Chart::ewma:
      require(spec.lambda > 0 && spec.lambda <= 1, "lam", "the EWMA weight must be in (0, 1]");
      require(positive_finite(spec.nsigmas), "nsigmas", "must be a positive number");
      break;
    case Chart::cusum:
      require(std::isfinite(spec.k) && spec.k >= 0, "k", "the reference value must be >= 0");
      require(positive_finite(spec.h), "h", "the decision interval must be positive");
      require(std::isfinite(spec.head_start) && spec.head_start >= 0 && spec.head_start < spec.h,
              "head_start", "must be >= 0 and below the decision interval h");
      break;
    case Chart::bernoulli_cusum:
    case Chart::ra_cusum:
      require(positive_finite(spec.odds_ratio) && spec.odds_ratio != 1, "odds_ratio",
              "must be a positive number other than 1 (the change in odds to detect)");
      require(positive_finite(spec.limit), "limit", "the control limit must be positive");
      break;
    default: break;
  }
  if (case_level)
    for (std::size_t r = 0; r < obs.y.size(); ++r)
      if (!std::isnan(obs.y[r]) && obs.y[r] != 0 && obs.y[r] != 1)
        throw input_error("y", static_cast<std::int64_t>(r), "binary",
                          "is " + std::to_string(obs.y[r]) + "; " + name +
                              " needs one outcome per case, 0 or 1");
}

void compute_time_weighted(Context& ctx, const Phase& ph) {
  switch (ctx.spec.chart) {
    case Chart::ewma: ewma(ctx, ph); return;
    case Chart::cusum: tabular_cusum(ctx, ph); return;
    case Chart::bernoulli_cusum: bernoulli_cusum(ctx, ph); return;
    case Chart::ra_cusum:
      likelihood_cusum(ctx, ph, [&ctx](std::size_t i) { return ctx.sub.risk[i]; });
      return;
    case Chart::vlad: vlad(ctx, ph); return;
    default: return;
  }
}

void finish_time_weighted(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  const double m = ctx.spec.multiply;  // 1 except for EWMA (validated)
  const Chart c = ctx.spec.chart;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    for (auto* col : {&p.value, &p.value_lower, &p.cl, &p.lcl, &p.ucl, &p.lcl_95, &p.ucl_95}) (*col)[i] *= m;
    // qcc flags EWMA and CUSUM points strictly beyond the limits; bchart and Steiner et al.
    // signal when a likelihood CUSUM reaches its limit. A missing value never signals.
    switch (c) {
      case Chart::ewma: p.sigma_signal[i] = p.value[i] > p.ucl[i] || p.value[i] < p.lcl[i]; break;
      case Chart::cusum: p.sigma_signal[i] = p.value[i] > p.ucl[i] || p.value_lower[i] < p.lcl[i]; break;
      case Chart::bernoulli_cusum:
      case Chart::ra_cusum:
        p.sigma_signal[i] = p.value[i] >= p.ucl[i] || p.value_lower[i] <= p.lcl[i];
        break;
      default: p.sigma_signal[i] = 0; break;
    }
  }
}

void time_weighted_rules(Context& ctx, const Phase& ph) {
  auto& p = ctx.points;
  auto& s = ctx.phases;
  const std::size_t j = ph.index;
  std::int64_t n_obs = 0, n_useful = 0;
  for (std::size_t i = ph.begin; i < ph.end; ++i) {
    n_obs += !p.excluded[i];
    n_useful += usable(p, i);
    if (!p.sigma_signal[i]) continue;
    p.rules[i] |= rule_bits::sigma;
    // Which side signalled: the upper statistic (or an EWMA above its centre) is +1.
    const bool two_sided = std::isfinite(p.value_lower[i]);
    const bool high = two_sided ? p.value[i] >= p.ucl[i] : p.value[i] > p.cl[i];
    ctx.signal_side[i] = static_cast<std::int8_t>(high ? 1 : -1);
  }
  s.n_obs[j] = n_obs;
  s.n_useful[j] = n_useful;
  // No runs analysis: successive values of an accumulated statistic are dependent by design.
  s.longest_run[j] = s.longest_run_max[j] = s.n_crossings[j] = s.n_crossings_min[j] = -1;
}

}  // namespace qiscope::spc::detail
