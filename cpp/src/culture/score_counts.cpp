// Additive tallies of a score (score_counts.hpp): counting a set of respondents, adding the
// tallies of two sets, and their binary form. The statistics are made from them in score.cpp.

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include <qiscope/culture/score_counts.hpp>
#include <qiscope/error.hpp>

#include "checks.hpp"
#include "prepare.hpp"

namespace qiscope::culture {

namespace {

[[noreturn]] void cannot_add(const std::string& why) {
  throw input_error("counts", -1, "incompatible", "the tallies cannot be added: " + why);
}

template <class T>
void add_to(std::vector<T>& into, const std::vector<T>& from) {
  if (into.size() != from.size()) cannot_add("their tables have different sizes");
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}

ItemCounts& operator+=(ItemCounts& a, const ItemCounts& b) {
  a.valid += b.valid;
  a.positive += b.positive;
  a.neutral += b.neutral;
  a.negative += b.negative;
  a.dna += b.dna;
  a.sum += b.sum;
  return a;
}

CompositeCounts& operator+=(CompositeCounts& a, const CompositeCounts& b) {
  a.contributing += b.contributing;
  a.scored += b.scored;
  a.scored_positive += b.scored_positive;
  add_to(a.score_sums, b.score_sums);
  add_to(a.co_answered, b.co_answered);
  add_to(a.positive_with, b.positive_with);
  add_to(a.both_positive, b.both_positive);
  return a;
}

PolarityCounts& operator+=(PolarityCounts& a, const PolarityCounts& b) {
  a.n += b.n;
  a.sum_x += b.sum_x;
  a.sum_xx += b.sum_xx;
  add_to(a.rest_sum, b.rest_sum);
  add_to(a.rest_sum_sq, b.rest_sum_sq);
  add_to(a.cross, b.cross);
  a.x_min = std::min(a.x_min, b.x_min);
  a.x_max = std::max(a.x_max, b.x_max);
  a.rest_min = std::min(a.rest_min, b.rest_min);
  a.rest_max = std::max(a.rest_max, b.rest_max);
  return a;
}

/// Tallies of nobody, shaped as `shape`.
CompositeCounts zero_like(const CompositeCounts& shape) {
  CompositeCounts t;
  t.score_sums.assign(shape.score_sums.size(), 0);
  t.co_answered.assign(shape.co_answered.size(), 0);
  t.positive_with.assign(shape.positive_with.size(), 0);
  t.both_positive.assign(shape.both_positive.size(), 0);
  return t;
}

/// The same instrument and the same reverse scoring, else the sums would mix different things.
void check_compatible(const ScoreCounts& a, const ScoreCounts& b) {
  if (a.instrument != b.instrument || a.n_items != b.n_items || a.n_composites != b.n_composites ||
      a.polarity.size() != b.polarity.size())
    cannot_add("they come from different instruments ('" + a.instrument + "', '" + b.instrument + "')");
  if (a.reverse_range != b.reverse_range || a.reverse_lo != b.reverse_lo || a.reverse_hi != b.reverse_hi)
    cannot_add("their negatively worded items were reversed with different bounds (with reverse_by "
               "\"observed\", count every part with the bounds observed over all the data)");
  if (a.n_units > 0 && b.n_units > 0 && a.unit_labels.empty() != b.unit_labels.empty())
    cannot_add("one has unit labels, the other plain unit codes");
}

}  // namespace

ScoreCounts count(const Responses& responses, const Instrument& inst, const CountOptions& options) {
  const detail::Prepared p = detail::prepare(responses, inst, options.reverse_range, options.observed_bounds);
  const std::size_t k = inst.items.size();
  const std::size_t nc = inst.composites.size();
  ScoreCounts out;
  out.instrument = inst.name;
  out.n_items = k;
  out.n_composites = nc;
  out.n_units = p.n_units;
  out.unit_labels = p.unit_labels;
  out.reverse_range = options.reverse_range;
  out.reverse_lo = p.reverse_lo;
  out.reverse_hi = p.reverse_hi;
  out.observed_lo = p.observed_lo;
  out.observed_hi = p.observed_hi;
  out.n_rows = static_cast<std::int64_t>(p.n_rows);
  out.n_excluded = p.n_excluded;
  const std::size_t levels = out.levels();

  // Loops run column by column, the layout of the answers. `level_of[i]` is the row's unit
  // level (0 without units); every tally goes to level 0 and to the row's unit level.
  std::vector<std::size_t> level_of(p.n_rows, 0);
  out.scored.assign(levels, 0);
  for (std::size_t i = 0; i < p.n_rows; ++i) {
    if (p.unit[i] >= 0) level_of[i] = static_cast<std::size_t>(p.unit[i]) + 1;
    if (!p.included[i]) continue;
    ++out.scored[0];
    if (level_of[i] > 0) ++out.scored[level_of[i]];
  }

  // Items: valid answers by category, DNA codes, sums of the (reverse-scored, integer) answers.
  out.items.assign(levels * k, ItemCounts{});
  for (std::size_t j = 0; j < k; ++j) {
    const Scale& s = inst.scale_of(j);
    const double* col = p.x.col(static_cast<Eigen::Index>(j)).data();
    const std::uint8_t* dna = p.dna.col(static_cast<Eigen::Index>(j)).data();
    auto tally = [&](ItemCounts& t, double v, bool is_dna) {
      t.dna += is_dna;
      if (std::isnan(v)) return;
      ++t.valid;
      t.sum += static_cast<std::int64_t>(v);
      if (s.positive.contains(v)) ++t.positive;
      else if (s.negative.contains(v)) ++t.negative;
      else ++t.neutral;
    };
    for (std::size_t i = 0; i < p.n_rows; ++i) {
      if (!p.included[i]) continue;
      tally(out.items[j], col[i], dna[i] != 0);
      if (level_of[i] > 0) tally(out.items[level_of[i] * k + j], col[i], dna[i] != 0);
    }
  }

  // Composites: respondents' scores (grouped by items answered), and the pair tables.
  out.composites.resize(levels * nc);
  std::vector<std::int64_t> sum(p.n_rows);
  std::vector<int> answered(p.n_rows);
  std::vector<std::uint8_t> has(p.n_rows), pos(p.n_rows);  // one item's answered / positive flags
  std::vector<std::vector<std::uint8_t>> has_item, pos_item;
  for (std::size_t c = 0; c < nc; ++c) {
    const auto& comp = inst.composites[c];
    const std::size_t q = comp.items.size();
    const Scale& s = inst.scale_of(comp.items.front());
    for (std::size_t l = 0; l < levels; ++l) {
      CompositeCounts& t = out.composites[l * nc + c];
      t.score_sums.assign(q, 0);
      for (auto* table : {&t.co_answered, &t.positive_with, &t.both_positive}) table->assign(q * q, 0);
    }
    std::fill(sum.begin(), sum.end(), 0);
    std::fill(answered.begin(), answered.end(), 0);
    has_item.assign(q, std::vector<std::uint8_t>(p.n_rows, 0));
    pos_item.assign(q, std::vector<std::uint8_t>(p.n_rows, 0));
    for (std::size_t a = 0; a < q; ++a) {
      const std::size_t j = comp.items[a];
      const Scale& sj = inst.scale_of(j);
      const double* col = p.x.col(static_cast<Eigen::Index>(j)).data();
      for (std::size_t i = 0; i < p.n_rows; ++i)
        if (p.included[i] && !std::isnan(col[i])) {
          sum[i] += static_cast<std::int64_t>(col[i]);
          ++answered[i];
          has_item[a][i] = 1;
          pos_item[a][i] = sj.positive.contains(col[i]);
        }
    }
    // Respondent by respondent, so that each one touches its unit's tables once.
    std::vector<std::size_t> mine;  // the respondent's answered items (positions in the composite)
    for (std::size_t i = 0; i < p.n_rows; ++i) {
      if (answered[i] == 0) continue;  // (excluded rows have no answers here)
      const int m = answered[i];
      const bool scored = m >= inst.composite_min_answered;
      // 0-100 score >= threshold, tested on exact integer sums: (sum - min*m)*100 >= T*(max-min)*m.
      const bool positive = (static_cast<double>(sum[i]) - s.min * m) * 100.0 >=
                            inst.respondent_positive * (s.max - s.min) * m;
      mine.clear();
      for (std::size_t a = 0; a < q; ++a)
        if (has_item[a][i]) mine.push_back(a);
      auto add = [&](CompositeCounts& t) {
        ++t.contributing;
        for (std::size_t a : mine) {
          const std::int64_t pa = pos_item[a][i];
          for (std::size_t b : mine) {
            ++t.co_answered[a * q + b];
            t.positive_with[a * q + b] += pa;
            t.both_positive[a * q + b] += pa & pos_item[b][i];
          }
        }
        if (!scored) return;
        ++t.scored;
        t.scored_positive += positive;
        t.score_sums[static_cast<std::size_t>(m) - 1] += sum[i];
      };
      add(out.composites[c]);
      if (level_of[i] > 0) add(out.composites[level_of[i] * nc + c]);
    }
  }

  out.polarity = detail::polarity_counts(p, inst);
  return out;
}

ScoreCounts& ScoreCounts::operator+=(const ScoreCounts& other) {
  if (&other == this) return *this += ScoreCounts(other);  // the loops below read other while growing *this
  check_compatible(*this, other);
  const std::size_t k = n_items, nc = n_composites;
  // Where each of other's levels goes: level 0 to level 0; units by label (or by code when
  // both use plain codes); a unit this side lacks becomes a new level at the end.
  std::vector<std::size_t> target(other.levels(), 0);
  if (other.n_units > 0) {
    if (n_units == 0) unit_labels = {};
    const bool by_label = !other.unit_labels.empty();
    std::map<std::string, std::size_t> level_of;
    std::vector<std::uint8_t> taken;  // levels other's units already went to
    for (std::size_t u = 0; u < unit_labels.size(); ++u) {
      if (!level_of.emplace(unit_labels[u], u + 1).second)
        throw input_error("counts", -1, "duplicate_unit", "the unit label '" + unit_labels[u] + "' occurs twice");
    }
    for (std::size_t u = 0; u < other.n_units; ++u) {
      std::size_t level = u + 1;
      if (by_label) {
        auto [it, added] = level_of.emplace(other.unit_labels[u], levels());
        taken.resize(std::max(taken.size(), it->second + 1), 0);
        if (taken[it->second]++ > 0)
          throw input_error("counts", -1, "duplicate_unit",
                            "the unit label '" + other.unit_labels[u] + "' occurs twice");
        level = it->second;
        if (added) unit_labels.push_back(other.unit_labels[u]);
      }
      if (level > n_units) {  // a new unit (with plain codes, level == n_units + 1 here)
        scored.push_back(0);
        items.insert(items.end(), k, ItemCounts{});
        for (std::size_t c = 0; c < nc; ++c) composites.push_back(zero_like(other.composites[c]));
        ++n_units;
      }
      target[u + 1] = level;
    }
  }
  for (std::size_t l = 0; l < other.levels(); ++l) {
    const std::size_t to = target[l];
    scored[to] += other.scored[l];
    for (std::size_t j = 0; j < k; ++j) items[to * k + j] += other.items[l * k + j];
    for (std::size_t c = 0; c < nc; ++c) composites[to * nc + c] += other.composites[l * nc + c];
  }
  for (std::size_t i = 0; i < polarity.size(); ++i) polarity[i] += other.polarity[i];
  for (std::size_t s = 0; s < observed_lo.size(); ++s) {
    observed_lo[s] = std::min(observed_lo[s], other.observed_lo[s]);
    observed_hi[s] = std::max(observed_hi[s], other.observed_hi[s]);
  }
  n_rows += other.n_rows;
  n_excluded += other.n_excluded;
  return *this;
}

ScoreCounts merge(ScoreCounts a, const ScoreCounts& b) {
  a += b;
  return a;
}

}  // namespace qiscope::culture

namespace qiscope::culture {

void order_units(ScoreCounts& counts, const std::vector<std::string>& labels) {
  const std::size_t k = counts.n_items, nc = counts.n_composites;
  std::map<std::string, std::size_t> old_level;
  for (std::size_t u = 0; u < counts.unit_labels.size(); ++u) old_level.emplace(counts.unit_labels[u], u + 1);
  if (labels.size() != counts.n_units || old_level.size() != counts.unit_labels.size())
    throw input_error("unit", -1, "order", "the new unit order must list each of the " +
                                               std::to_string(counts.n_units) + " units once");
  ScoreCounts out = counts;
  for (std::size_t u = 0; u < labels.size(); ++u) {
    const auto it = old_level.find(labels[u]);
    if (it == old_level.end())
      throw input_error("unit", -1, "order", "'" + labels[u] + "' is not a unit of the tallies (or occurs twice)");
    const std::size_t from = it->second, to = u + 1;
    old_level.erase(it);
    out.scored[to] = counts.scored[from];
    std::copy_n(counts.items.begin() + static_cast<std::ptrdiff_t>(from * k), k,
                out.items.begin() + static_cast<std::ptrdiff_t>(to * k));
    std::copy_n(counts.composites.begin() + static_cast<std::ptrdiff_t>(from * nc), nc,
                out.composites.begin() + static_cast<std::ptrdiff_t>(to * nc));
  }
  out.unit_labels = labels;
  counts = std::move(out);
}

// -- binary form ------------------------------------------------------------------------------

namespace {

using nlohmann::json;

json items_json(const std::vector<ItemCounts>& items) {
  json out = json::array();
  for (const auto& t : items) out.push_back({t.valid, t.positive, t.neutral, t.negative, t.dna, t.sum});
  return out;
}

json composites_json(const std::vector<CompositeCounts>& comps) {
  json out = json::array();
  for (const auto& t : comps)
    out.push_back({t.contributing, t.scored, t.scored_positive, t.score_sums, t.co_answered, t.positive_with,
                   t.both_positive});
  return out;
}

json polarity_json(const std::vector<PolarityCounts>& pol) {
  json out = json::array();
  for (const auto& t : pol)
    out.push_back({t.n, t.sum_x, t.sum_xx, t.rest_sum, t.rest_sum_sq, t.cross, t.x_min, t.x_max, t.rest_min,
                   t.rest_max});
  return out;
}

[[noreturn]] void malformed(const std::string& why) {
  throw input_error("counts", -1, "format", "not a score tally document: " + why);
}

/// The document's shape must be the one its sizes claim (it may come from another process).
void check_shape(const ScoreCounts& c) {
  const std::size_t levels = c.levels();
  const std::size_t scales = c.reverse_lo.size();
  if (c.n_items > c.items.size() || c.n_composites > c.composites.size() ||  // (no overflow below)
      c.scored.size() != levels || c.items.size() != levels * c.n_items ||
      c.composites.size() != levels * c.n_composites || (!c.unit_labels.empty() && c.unit_labels.size() != c.n_units) ||
      c.reverse_hi.size() != scales || c.observed_lo.size() != scales || c.observed_hi.size() != scales)
    malformed("its tables do not have the sizes it declares");
  for (std::size_t l = 0; l < levels; ++l)
    for (std::size_t cc = 0; cc < c.n_composites; ++cc) {
      const CompositeCounts& t = c.composites[l * c.n_composites + cc];
      const CompositeCounts& first = c.composites[cc];
      const std::size_t q = t.score_sums.size();
      if (q != first.score_sums.size() || t.co_answered.size() != q * q || t.positive_with.size() != q * q ||
          t.both_positive.size() != q * q)
        malformed("a composite's tables do not have one size");
    }
  for (const auto& t : c.polarity)
    if (t.rest_sum_sq.size() != t.rest_sum.size() || t.cross.size() != t.rest_sum.size())
      malformed("a polarity tally's tables do not have one size");
}

}  // namespace

std::vector<std::uint8_t> to_bytes(const ScoreCounts& c) {
  const json doc = {{"format", "qiscope.score_counts/1"},
                    {"instrument", c.instrument},
                    {"n_items", c.n_items},
                    {"n_composites", c.n_composites},
                    {"n_units", c.n_units},
                    {"unit_labels", c.unit_labels},
                    {"reverse_range", static_cast<int>(c.reverse_range)},
                    {"reverse_lo", c.reverse_lo},
                    {"reverse_hi", c.reverse_hi},
                    {"observed_lo", c.observed_lo},
                    {"observed_hi", c.observed_hi},
                    {"n_rows", c.n_rows},
                    {"n_excluded", c.n_excluded},
                    {"scored", c.scored},
                    {"items", items_json(c.items)},
                    {"composites", composites_json(c.composites)},
                    {"polarity", polarity_json(c.polarity)}};
  return json::to_cbor(doc);
}

ScoreCounts counts_from_bytes(std::span<const std::uint8_t> bytes) {
  ScoreCounts c;
  try {
    const json doc = json::from_cbor(bytes.begin(), bytes.end());
    if (!doc.is_object() || doc.value("format", "") != "qiscope.score_counts/1") malformed("no format tag");
    doc.at("instrument").get_to(c.instrument);
    doc.at("n_items").get_to(c.n_items);
    doc.at("n_composites").get_to(c.n_composites);
    doc.at("n_units").get_to(c.n_units);
    doc.at("unit_labels").get_to(c.unit_labels);
    const int reverse = doc.at("reverse_range").get<int>();
    if (reverse != 0 && reverse != 1) malformed("unknown reverse range");
    c.reverse_range = static_cast<ReverseRange>(reverse);
    doc.at("reverse_lo").get_to(c.reverse_lo);
    doc.at("reverse_hi").get_to(c.reverse_hi);
    doc.at("observed_lo").get_to(c.observed_lo);
    doc.at("observed_hi").get_to(c.observed_hi);
    doc.at("n_rows").get_to(c.n_rows);
    doc.at("n_excluded").get_to(c.n_excluded);
    doc.at("scored").get_to(c.scored);
    for (const auto& t : doc.at("items")) {
      const auto v = t.get<std::vector<std::int64_t>>();
      if (v.size() != 6) malformed("an item tally needs 6 numbers");
      c.items.push_back({v[0], v[1], v[2], v[3], v[4], v[5]});
    }
    for (const auto& t : doc.at("composites")) {
      if (!t.is_array() || t.size() != 7) malformed("a composite tally needs 7 entries");
      c.composites.push_back({t[0].get<std::int64_t>(), t[1].get<std::int64_t>(), t[2].get<std::int64_t>(),
                              t[3].get<std::vector<std::int64_t>>(), t[4].get<std::vector<std::int64_t>>(),
                              t[5].get<std::vector<std::int64_t>>(), t[6].get<std::vector<std::int64_t>>()});
    }
    for (const auto& t : doc.at("polarity")) {
      if (!t.is_array() || t.size() != 10) malformed("a polarity tally needs 10 entries");
      PolarityCounts p;
      t[0].get_to(p.n);
      t[1].get_to(p.sum_x);
      t[2].get_to(p.sum_xx);
      t[3].get_to(p.rest_sum);
      t[4].get_to(p.rest_sum_sq);
      t[5].get_to(p.cross);
      t[6].get_to(p.x_min);
      t[7].get_to(p.x_max);
      t[8].get_to(p.rest_min);
      t[9].get_to(p.rest_max);
      c.polarity.push_back(std::move(p));
    }
  } catch (const json::exception& e) {
    malformed(e.what());
  }
  check_shape(c);
  return c;
}

}  // namespace qiscope::culture
