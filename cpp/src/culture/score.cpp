// Percent positive and mean scores per unit and overall (culture-spec §2.1-§2.2, §3.2-§3.3,
// §3.8), then suppression (§5). Level 0 is every respondent, level g + 1 is unit g.

#include <algorithm>
#include <cmath>
#include <limits>

#include <qiscope/culture/score.hpp>
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

/// Tallies of one item at one level.
struct ItemTally {
  std::int64_t valid = 0, positive = 0, neutral = 0, negative = 0, dna = 0;
  double sum = 0;
};

/// Tallies of one composite at one level.
struct CompositeTally {
  std::int64_t scored = 0;           // respondents with a composite score
  std::int64_t scored_positive = 0;  // ... whose 0-100 score reaches respondent_positive
  double score_sum = 0;              // sum of composite scores (mean of answered items)
  std::int64_t contributing = 0;     // respondents with any answer in the composite
  double influence_sq = 0;           // sum of squared linearised influences (clustered variance)
};

enum class Category { positive, neutral, negative };

Category classify(const Scale& s, double v) {
  if (s.positive.contains(v)) return Category::positive;
  if (s.negative.contains(v)) return Category::negative;
  return Category::neutral;
}

}  // namespace

ScoreTable score(const Responses& responses, const Instrument& inst, const ScoreOptions& options) {
  const double z = detail::z_for(options.conf_level);
  const int min_n = detail::resolve_min_n(options.min_n, inst);
  const detail::Prepared p = detail::prepare(responses, inst, options.reverse_range);
  const std::size_t k = inst.items.size();
  const std::size_t nc = inst.composites.size();
  const std::size_t levels = p.n_units + 1;
  const bool zero_to_hundred = inst.scale_score == ScaleScore::zero_to_hundred;

  // Loops run column by column, the layout of the answers. Level 0 is every respondent,
  // level g + 1 unit g; `level_of[i]` is the row's unit level (0 without units).
  std::vector<std::size_t> level_of(p.n_rows, 0);
  std::vector<std::int64_t> scored(levels, 0);
  for (std::size_t i = 0; i < p.n_rows; ++i) {
    if (p.unit[i] >= 0) level_of[i] = static_cast<std::size_t>(p.unit[i]) + 1;
    if (!p.included[i]) continue;
    ++scored[0];
    if (level_of[i] > 0) ++scored[level_of[i]];
  }

  // Pass 1: item tallies per level.
  std::vector<ItemTally> items(levels * k);
  for (std::size_t j = 0; j < k; ++j) {
    const Scale& s = inst.scale_of(j);
    const double* col = p.x.col(static_cast<Eigen::Index>(j)).data();
    const std::uint8_t* dna = p.dna.col(static_cast<Eigen::Index>(j)).data();
    auto tally = [&](ItemTally& t, double v, bool is_dna) {
      t.dna += is_dna;
      if (std::isnan(v)) return;
      ++t.valid;
      t.sum += v;
      switch (classify(s, v)) {
        case Category::positive: ++t.positive; break;
        case Category::neutral: ++t.neutral; break;
        case Category::negative: ++t.negative; break;
      }
    };
    for (std::size_t i = 0; i < p.n_rows; ++i) {
      if (!p.included[i]) continue;
      tally(items[j], col[i], dna[i] != 0);
      if (level_of[i] > 0) tally(items[level_of[i] * k + j], col[i], dna[i] != 0);
    }
  }

  // Pass 2: composite scores per respondent and, for the item-mean percentage, the
  // respondent-clustered variance: p = (1/m) sum_j x_j / n_j has the linearised influence
  // u_r = (1/m) sum_{j answered by r} (y_rj - p_j) / n_j, and var(p) ~ sum_r u_r^2.
  std::vector<CompositeTally> comps(levels * nc);
  std::vector<double> sum(p.n_rows), u_all(p.n_rows), u_unit(p.n_rows);
  std::vector<int> answered(p.n_rows);
  for (std::size_t c = 0; c < nc; ++c) {
    const auto& comp = inst.composites[c];
    const Scale& s = inst.scale_of(comp.items.front());
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(answered.begin(), answered.end(), 0);
    for (auto j : comp.items) {
      const double* col = p.x.col(static_cast<Eigen::Index>(j)).data();
      for (std::size_t i = 0; i < p.n_rows; ++i)
        if (!std::isnan(col[i])) {
          sum[i] += col[i];
          ++answered[i];
        }
    }
    for (std::size_t i = 0; i < p.n_rows; ++i) {
      if (!p.included[i] || answered[i] == 0) continue;
      ++comps[c].contributing;
      if (level_of[i] > 0) ++comps[level_of[i] * nc + c].contributing;
      if (answered[i] < inst.composite_min_answered) continue;
      // 0-100 score >= threshold, tested on exact integer sums: (sum - min*m)*100 >= T*(max-min)*m.
      const double m = answered[i];
      const bool positive = (sum[i] - s.min * m) * 100.0 >= inst.respondent_positive * (s.max - s.min) * m;
      auto add = [&](CompositeTally& t) {
        ++t.scored;
        t.score_sum += sum[i] / m;
        t.scored_positive += positive;
      };
      add(comps[c]);
      if (level_of[i] > 0) add(comps[level_of[i] * nc + c]);
    }
    if (options.composite != CompositeMethod::item_mean) continue;
    std::vector<int> used(levels, 0);  // items with answers at each level: the m of p
    for (std::size_t l = 0; l < levels; ++l)
      for (auto j : comp.items) used[l] += items[l * k + j].valid > 0;
    std::fill(u_all.begin(), u_all.end(), 0.0);
    std::fill(u_unit.begin(), u_unit.end(), 0.0);
    for (auto j : comp.items) {
      const Scale& sj = inst.scale_of(j);
      const double* col = p.x.col(static_cast<Eigen::Index>(j)).data();
      for (std::size_t i = 0; i < p.n_rows; ++i) {
        if (!p.included[i] || std::isnan(col[i])) continue;
        const double y = sj.positive.contains(col[i]) ? 1.0 : 0.0;
        auto influence = [&](const ItemTally& t) {
          const auto n = static_cast<double>(t.valid);
          return (y - static_cast<double>(t.positive) / n) / n;
        };
        u_all[i] += influence(items[j]);
        if (level_of[i] > 0) u_unit[i] += influence(items[level_of[i] * k + j]);
      }
    }
    for (std::size_t i = 0; i < p.n_rows; ++i) {
      if (!p.included[i]) continue;
      if (used[0] > 0) comps[c].influence_sq += (u_all[i] / used[0]) * (u_all[i] / used[0]);
      const std::size_t l = level_of[i];
      if (l > 0 && used[l] > 0) comps[l * nc + c].influence_sq += (u_unit[i] / used[l]) * (u_unit[i] / used[l]);
    }
  }

  // Assemble the table.
  ScoreTable out;
  out.instrument = inst.name;
  out.min_n = min_n;
  out.conf_level = options.conf_level;
  out.composite = options.composite;
  out.n_rows = static_cast<std::int64_t>(p.n_rows);
  out.n_scored = scored[0];
  out.n_excluded = p.n_excluded;
  out.unit_labels = p.unit_labels;
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
      const ItemTally& t = items[level * k + j];
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
      const CompositeTally& ct = comps[level * nc + c];
      const std::size_t r = add_row(level, k + c, Kind::composite);
      out.n_respondents[r] = ct.scored;
      double pos = 0, neu = 0, neg = 0;
      std::int64_t pooled_valid = 0, pooled_pos = 0, pooled_neu = 0, pooled_neg = 0, dna = 0;
      int m = 0;
      for (auto j : comp.items) {
        const ItemTally& t = items[level * k + j];
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
      if (ct.scored > 0) out.mean[r] = ct.score_sum / static_cast<double>(ct.scored);
      if (m == 0) continue;
      if (options.composite == CompositeMethod::item_mean) {
        const double pp = pos / m;
        out.percent_positive[r] = 100.0 * pp;
        out.percent_neutral[r] = 100.0 * neu / m;
        out.percent_negative[r] = 100.0 * neg / m;
        // Effective sample size: p(1-p)/v (Kish); at p = 0 or 1 (v = 0) the respondents are the
        // independent units; never more than the number of answers.
        double n_eff = static_cast<double>(ct.contributing);
        if (pp > 0 && pp < 1) n_eff = ct.influence_sq > 0 ? pp * (1 - pp) / ct.influence_sq
                                                          : static_cast<double>(pooled_valid);
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
        const CompositeTally& ct = comps[level * nc + c];
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
        out.mean[r] = (ct.score_sum / n - s.min) * 100.0 / (s.max - s.min);
      }
    }
  }

  out.checks = detail::polarity_checks(p, inst);
  detail::apply_score_suppression(out, inst, min_n);
  return out;
}

}  // namespace qiscope::culture
