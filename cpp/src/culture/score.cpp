// Percent positive and mean scores per unit and overall (culture-spec §2.1-§2.2, §3.2-§3.3,
// §3.8), then suppression (§5), from the additive tallies of score_counts.cpp. Level 0 is every
// respondent, level g + 1 is unit g.

#include <algorithm>
#include <cmath>
#include <limits>

#include <qiscope/culture/score.hpp>
#include <qiscope/culture/score_counts.hpp>
#include <qiscope/error.hpp>

#include "checks.hpp"
#include "prepare.hpp"
#include "privacy.hpp"
#include "stats.hpp"

namespace qiscope::culture {

int min_n_preset(std::string_view name) {
  if (name == "default") return 10;
  if (name == "ahrq") return 5;
  if (name == "nss") return 11;
  throw input_error("min_n", -1, "unknown_name",
                    "'" + std::string(name) + "' is not a preset; use a number or \"default\" (10), "
                    "\"ahrq\" (5) or \"nss\" (11)");
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The tallies must be of this instrument, and made with the reverse scoring asked for.
void check_counts(const ScoreCounts& counts, const Instrument& inst, const ScoreOptions& options) {
  bool same = counts.instrument == inst.name && counts.n_items == inst.items.size() &&
              counts.n_composites == inst.composites.size() && counts.reverse_lo.size() == inst.scales.size();
  std::size_t reversed = 0;  // the polarity tallies: one per reverse item of a composite of 2+ items
  for (std::size_t c = 0; same && c < inst.composites.size(); ++c) {
    const auto& items = inst.composites[c].items;
    same = counts.composites[c].score_sums.size() == items.size();
    if (items.size() >= 2)
      for (auto j : items) reversed += inst.items[j].reverse;
  }
  same = same && counts.polarity.size() == reversed;
  if (!same)
    throw input_error("counts", -1, "instrument", "the tallies were not made with instrument '" + inst.name + "'");
  if (counts.reverse_range != options.reverse_range)
    throw input_error("reverse_by", -1, "counts", "the tallies were made with the other reverse scoring");
  if (options.reverse_range != ReverseRange::observed) return;
  // psych's reversal uses the bounds of all the answers: a part counted with its own bounds
  // would be scored differently from the whole.
  for (std::size_t j = 0; j < inst.items.size(); ++j) {
    const std::size_t s = inst.items[j].scale;
    if (inst.items[j].reverse &&
        (counts.reverse_lo[s] != counts.observed_lo[s] || counts.reverse_hi[s] != counts.observed_hi[s]))
      throw input_error("reverse_by", -1, "counts",
                        "with reverse_by \"observed\" every part must be counted with the bounds observed "
                        "over all the answers (CountOptions::observed_bounds)");
  }
}

/// Sum of respondents' composite scores (mean of their answered items): the integer sums of
/// respondents scored on m items, each divided by m.
double score_sum(const CompositeCounts& t) {
  double total = 0;
  for (std::size_t m = 1; m <= t.score_sums.size(); ++m)
    total += static_cast<double>(t.score_sums[m - 1]) / static_cast<double>(m);
  return total;
}

/// Respondent-clustered variance of the item-mean percentage p = (1/M) sum_a x_a / n_a over the
/// M items with answers. Its linearised influence is u_r = (1/M) sum_{a answered by r}
/// (y_ra - p_a) / n_a and var(p) ~ sum_r u_r^2 = (1/M^2) sum_{a,b} S_ab / (n_a n_b) with
/// S_ab = sum_{r answered a, b} (y_ra - p_a)(y_rb - p_b)
///      = both_positive_ab - p_b positive_with_ab - p_a positive_with_ba + p_a p_b co_answered_ab
/// (Kish 1965; Wolter, Introduction to Variance Estimation, 2007, ch. 6).
double clustered_variance(const CompositeCounts& t, const std::vector<const ItemCounts*>& items) {
  const std::size_t q = items.size();
  double total = 0;
  int used = 0;
  for (std::size_t a = 0; a < q; ++a) {
    if (items[a]->valid == 0) continue;
    ++used;
    const auto na = static_cast<double>(items[a]->valid);
    const double pa = static_cast<double>(items[a]->positive) / na;
    for (std::size_t b = 0; b < q; ++b) {
      if (items[b]->valid == 0) continue;
      const auto nb = static_cast<double>(items[b]->valid);
      const double pb = static_cast<double>(items[b]->positive) / nb;
      const double s_ab = static_cast<double>(t.both_positive[a * q + b]) -
                          pb * static_cast<double>(t.positive_with[a * q + b]) -
                          pa * static_cast<double>(t.positive_with[b * q + a]) +
                          pa * pb * static_cast<double>(t.co_answered[a * q + b]);
      total += s_ab / (na * nb);
    }
  }
  if (used == 0) return 0;
  return std::max(0.0, total) / (static_cast<double>(used) * used);
}

}  // namespace

ScoreTable score(const Responses& responses, const Instrument& inst, const ScoreOptions& options) {
  detail::resolve_min_n(options.min_n, inst);  // bad options fail before the data are read
  detail::z_for(options.conf_level);
  CountOptions counting;
  counting.reverse_range = options.reverse_range;
  return score_from_counts(count(responses, inst, counting), inst, options);
}

ScoreTable score_from_counts(const ScoreCounts& counts, const Instrument& inst, const ScoreOptions& options) {
  const double z = detail::z_for(options.conf_level);
  const int min_n = detail::resolve_min_n(options.min_n, inst);
  check_counts(counts, inst, options);
  const std::size_t k = inst.items.size();
  const std::size_t nc = inst.composites.size();
  const std::size_t levels = counts.levels();
  const bool zero_to_hundred = inst.scale_score == ScaleScore::zero_to_hundred;
  const std::vector<std::int64_t>& scored = counts.scored;
  const std::vector<ItemCounts>& items = counts.items;
  const std::vector<CompositeCounts>& comps = counts.composites;

  // Assemble the table.
  ScoreTable out;
  out.instrument = inst.name;
  out.min_n = min_n;
  out.conf_level = options.conf_level;
  out.composite = options.composite;
  out.n_rows = counts.n_rows;
  out.n_scored = scored[0];
  out.n_excluded = counts.n_excluded;
  out.unit_labels = counts.unit_labels;
  for (const auto& item : inst.items) out.measures.push_back(item.id);
  for (const auto& comp : inst.composites) out.measures.push_back(comp.id);

  auto add_row = [&](std::size_t level, std::size_t measure, Kind kind) {
    out.unit.push_back(static_cast<std::int64_t>(level) - 1);
    out.measure.push_back(static_cast<std::int32_t>(measure));
    out.kind.push_back(kind);
    for (auto* col : {&out.n_respondents, &out.n_valid, &out.n_positive, &out.n_neutral, &out.n_negative, &out.n_dna})
      col->push_back(0);
    for (auto* col : {&out.percent_positive, &out.percent_neutral, &out.percent_negative, &out.ci_low,
                      &out.ci_high, &out.mean})
      col->push_back(nan);
    out.suppressed.push_back(0);
    out.reason.push_back(Reason::none);
    return out.unit.size() - 1;
  };

  for (std::size_t level = 0; level < levels; ++level) {
    for (std::size_t j = 0; j < k; ++j) {
      const ItemCounts& t = items[level * k + j];
      const std::size_t r = add_row(level, j, Kind::item);
      out.n_respondents[r] = scored[level];
      out.n_valid[r] = t.valid;
      out.n_positive[r] = t.positive;
      out.n_neutral[r] = t.neutral;
      out.n_negative[r] = t.negative;
      out.n_dna[r] = t.dna;
      if (t.valid == 0) continue;
      const auto n = static_cast<double>(t.valid);
      out.percent_positive[r] = 100.0 * static_cast<double>(t.positive) / n;
      out.percent_neutral[r] = 100.0 * static_cast<double>(t.neutral) / n;
      out.percent_negative[r] = 100.0 * static_cast<double>(t.negative) / n;
      const auto [lo, hi] = detail::wilson(static_cast<double>(t.positive), n, z);
      out.ci_low[r] = 100.0 * lo;
      out.ci_high[r] = 100.0 * hi;
      out.mean[r] = t.sum / n;
    }
    for (std::size_t c = 0; c < nc; ++c) {
      const auto& comp = inst.composites[c];
      const CompositeCounts& ct = comps[level * nc + c];
      const std::size_t r = add_row(level, k + c, Kind::composite);
      std::vector<const ItemCounts*> comp_items;
      for (auto j : comp.items) comp_items.push_back(&items[level * k + j]);
      out.n_respondents[r] = ct.scored;
      double pos = 0, neu = 0, neg = 0;
      std::int64_t pooled_valid = 0, pooled_pos = 0, pooled_neu = 0, pooled_neg = 0, dna = 0;
      int m = 0;
      for (auto j : comp.items) {
        const ItemCounts& t = items[level * k + j];
        dna += t.dna;
        if (t.valid == 0) continue;  // an item nobody answered here is left out (AHRQ)
        ++m;
        const auto n = static_cast<double>(t.valid);
        pos += static_cast<double>(t.positive) / n;
        neu += static_cast<double>(t.neutral) / n;
        neg += static_cast<double>(t.negative) / n;
        pooled_valid += t.valid;
        pooled_pos += t.positive;
        pooled_neu += t.neutral;
        pooled_neg += t.negative;
      }
      out.n_valid[r] = pooled_valid;
      out.n_positive[r] = pooled_pos;
      out.n_neutral[r] = pooled_neu;
      out.n_negative[r] = pooled_neg;
      out.n_dna[r] = dna;
      if (ct.scored > 0) out.mean[r] = score_sum(ct) / static_cast<double>(ct.scored);
      if (m == 0) continue;
      if (options.composite == CompositeMethod::item_mean) {
        const double pp = pos / m;
        out.percent_positive[r] = 100.0 * pp;
        out.percent_neutral[r] = 100.0 * neu / m;
        out.percent_negative[r] = 100.0 * neg / m;
        // Effective sample size: p(1-p)/v (Kish); at p = 0 or 1 (v = 0) the respondents are the
        // independent units; never more than the number of answers.
        double n_eff = static_cast<double>(ct.contributing);
        if (pp > 0 && pp < 1) {
          const double v = clustered_variance(ct, comp_items);
          n_eff = v > 0 ? pp * (1 - pp) / v : static_cast<double>(pooled_valid);
        }
        n_eff = std::min(n_eff, static_cast<double>(pooled_valid));
        const auto [lo, hi] = detail::wilson(pp * n_eff, n_eff, z);
        out.ci_low[r] = 100.0 * lo;
        out.ci_high[r] = 100.0 * hi;
      } else {
        const auto n = static_cast<double>(pooled_valid);
        out.percent_positive[r] = 100.0 * static_cast<double>(pooled_pos) / n;
        out.percent_neutral[r] = 100.0 * static_cast<double>(pooled_neu) / n;
        out.percent_negative[r] = 100.0 * static_cast<double>(pooled_neg) / n;
        const auto [lo, hi] = detail::wilson(static_cast<double>(pooled_pos), n, z);
        out.ci_low[r] = 100.0 * lo;
        out.ci_high[r] = 100.0 * hi;
      }
    }
    if (zero_to_hundred) {
      for (std::size_t c = 0; c < nc; ++c) {
        const CompositeCounts& ct = comps[level * nc + c];
        const Scale& s = inst.scale_of(inst.composites[c].items.front());
        const std::size_t r = add_row(level, k + c, Kind::scale);
        out.n_respondents[r] = ct.scored;
        out.n_valid[r] = ct.scored;
        out.n_positive[r] = ct.scored_positive;
        out.n_neutral[r] = -1;  // a 0-100 score is positive or not: no neutral or negative share
        out.n_negative[r] = -1;
        out.n_dna[r] = -1;
        if (ct.scored == 0) continue;
        const auto n = static_cast<double>(ct.scored);
        out.percent_positive[r] = 100.0 * static_cast<double>(ct.scored_positive) / n;
        const auto [lo, hi] = detail::wilson(static_cast<double>(ct.scored_positive), n, z);
        out.ci_low[r] = 100.0 * lo;
        out.ci_high[r] = 100.0 * hi;
        out.mean[r] = (score_sum(ct) / n - s.min) * 100.0 / (s.max - s.min);
      }
    }
  }

  out.checks = detail::polarity_checks(counts.polarity, inst);
  detail::apply_score_suppression(out, inst, min_n);
  return out;
}

}  // namespace qiscope::culture
