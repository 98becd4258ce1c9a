// rwg, rwg(j), r*wg(j), AD_M per unit and ICC(1)/ICC(2) (culture-spec §3.6-§3.7).

#include <cmath>
#include <limits>

#include <qiscope/culture/agreement.hpp>
#include <qiscope/error.hpp>

#include "prepare.hpp"
#include "stats.hpp"

namespace qiscope::culture {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

Agreement agreement(const Responses& responses, const Instrument& inst, std::string_view measure,
                    const AgreementOptions& options) {
  const std::vector<std::size_t> items = measure_items(inst, measure);
  if (responses.unit.empty())
    throw input_error("unit", -1, "required", "agreement compares respondents within units: give a unit column");
  const detail::Prepared p = detail::prepare(responses, inst, options.reverse_range);
  const std::size_t J = items.size();
  const Scale& scale = inst.scale_of(items.front());
  const double a = scale.n_options();

  Agreement out;
  out.measure = std::string(measure);
  out.n_items = static_cast<std::int64_t>(J);
  out.null_variance = (a * a - 1) / 12;
  out.min_n = detail::resolve_min_n(options.min_n, inst);
  out.unit_labels = p.unit_labels;
  out.missing_data = J == 1 ? "rwg: each unit's answers to the item; ICC: every respondent's answer"
                            : "rwg_j, rwg_lindell, ad_m: each unit's complete rows on the measure's items "
                              "(listwise, as multilevel::rwg.j); ICC: respondents' composite scores, the mean "
                              "of their answered items";
  const int min_answered = J == 1 ? 1 : inst.composite_min_answered;

  // Group the rows used by each unit.
  std::vector<std::vector<std::size_t>> complete(p.n_units);   // all J items answered
  std::vector<std::vector<double>> scores(p.n_units);          // composite scores
  for (std::size_t i = 0; i < p.n_rows; ++i) {
    if (!p.included[i]) continue;
    const auto g = static_cast<std::size_t>(p.unit[i]);
    const double s = detail::respondent_mean(p, i, items, min_answered);
    if (std::isnan(s)) continue;
    scores[g].push_back(s);
    bool all = true;
    for (auto j : items) all = all && p.answered(i, j);
    if (all) complete[g].push_back(i);
  }

  for (std::size_t g = 0; g < p.n_units; ++g) {
    const auto& rows = complete[g];
    const double n = static_cast<double>(rows.size());
    out.unit.push_back(static_cast<std::int64_t>(g));
    out.n.push_back(static_cast<std::int64_t>(rows.size()));
    out.n_respondents.push_back(static_cast<std::int64_t>(scores[g].size()));
    double var_sum = 0, ad_sum = 0;
    for (auto j : items) {
      double mean = 0;
      for (auto i : rows) mean += p.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      mean /= n;
      double ss = 0, ad = 0;
      for (auto i : rows) {
        const double d = p.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) - mean;
        ss += d * d;
        ad += std::abs(d);
      }
      var_sum += ss / (n - 1);
      ad_sum += ad / n;
    }
    const double s2 = var_sum / static_cast<double>(J);
    out.mean_item_variance.push_back(rows.size() >= 2 ? s2 : nan);
    out.ad_m.push_back(rows.empty() ? nan : ad_sum / static_cast<double>(J));
    Reason why = Reason::none;
    if (rows.empty()) why = Reason::no_valid_answers;
    else if (rows.size() < 2) why = Reason::too_few;
    if (rows.size() >= 2) {
      // Observed variance above the null's is truncated to it (agreement 0), as multilevel does.
      const double ratio = std::min(s2, out.null_variance) / out.null_variance;
      const double j = static_cast<double>(J);
      out.rwg_j.push_back(J == 1 ? 1 - ratio : j * (1 - ratio) / (j * (1 - ratio) + ratio));
      out.rwg_lindell.push_back(1 - s2 / out.null_variance);
    } else {
      out.rwg_j.push_back(nan);
      out.rwg_lindell.push_back(nan);
    }
    // Statistics of a unit below the threshold are withheld like its scores.
    const bool hide = !rows.empty() && static_cast<int>(rows.size()) < out.min_n;
    if (hide) {
      why = Reason::below_min_n;
      out.rwg_j.back() = out.rwg_lindell.back() = out.ad_m.back() = out.mean_item_variance.back() = nan;
    }
    out.suppressed.push_back(hide ? 1 : 0);
    out.reason.push_back(why);
  }

  // One-way ANOVA on respondents' scores (units without respondents do not count).
  double grand = 0, n_total = 0, sum_n2 = 0, ss_within = 0;
  std::int64_t groups = 0;
  std::vector<double> group_mean(p.n_units, nan);
  for (std::size_t g = 0; g < p.n_units; ++g) {
    if (scores[g].empty()) continue;
    ++groups;
    double m = 0;
    for (double s : scores[g]) m += s;
    grand += m;
    const double ng = static_cast<double>(scores[g].size());
    n_total += ng;
    sum_n2 += ng * ng;
    m /= ng;
    group_mean[g] = m;
    for (double s : scores[g]) ss_within += (s - m) * (s - m);
  }
  out.icc_n = static_cast<std::int64_t>(n_total);
  out.icc_units = groups;
  for (double* v : {&out.msb, &out.msw, &out.icc1, &out.icc1_n0, &out.icc2, &out.mean_group_size, &out.n0,
                    &out.icc1_ci_low, &out.icc1_ci_high, &out.icc2_ci_low, &out.icc2_ci_high})
    *v = nan;
  out.df_between = static_cast<double>(groups - 1);
  out.df_within = n_total - static_cast<double>(groups);
  if (groups < 2 || out.df_within < 1) {
    out.notes.push_back("ICC needs at least two units and more respondents than units");
    return out;
  }
  if (static_cast<int>(n_total) < out.min_n) {
    out.notes.push_back("ICC withheld: fewer respondents than min_n");
    return out;
  }
  grand /= n_total;
  double ss_between = 0;
  for (std::size_t g = 0; g < p.n_units; ++g)
    if (!scores[g].empty())
      ss_between += static_cast<double>(scores[g].size()) * (group_mean[g] - grand) * (group_mean[g] - grand);
  out.msb = ss_between / out.df_between;
  out.msw = ss_within / out.df_within;
  out.mean_group_size = n_total / static_cast<double>(groups);
  out.n0 = (n_total - sum_n2 / n_total) / out.df_between;
  out.icc1 = (out.msb - out.msw) / (out.msb + (out.mean_group_size - 1) * out.msw);
  out.icc1_n0 = (out.msb - out.msw) / (out.msb + (out.n0 - 1) * out.msw);
  out.icc2 = (out.msb - out.msw) / out.msb;
  // F-based limits as psych::statsBy: F = MSB/MSW with df (G - 1, N - G).
  const double f = out.msb / out.msw;
  const double g = 1 - options.conf_level;
  const double f_low = f / detail::f_quantile(1 - g / 2, out.df_between, out.df_within);
  const double f_high = f * detail::f_quantile(1 - g / 2, out.df_within, out.df_between);
  const double k = out.mean_group_size;
  out.icc1_ci_low = (f_low - 1) / (f_low + k - 1);
  out.icc1_ci_high = (f_high - 1) / (f_high + k - 1);
  out.icc2_ci_low = 1 - 1 / f_low;
  out.icc2_ci_high = 1 - 1 / f_high;
  return out;
}

}  // namespace qiscope::culture
