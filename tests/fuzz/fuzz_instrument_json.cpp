// Fuzz target: JSON text -> qiscope::culture::Instrument (parse_instrument, the reader behind
// qiscope.culture.Instrument.from_json and trust tools' instrument files). An accepted instrument
// must write out and read back to an equal instrument, and must score a small fixed response
// table (built from its own scales) into a sound score table.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <qiscope/culture.hpp>
#include <qiscope/io/json_culture.hpp>

#include "fuzz_common.hpp"

namespace {

using namespace qiscope::culture;
using qiscope::fuzz::fail;

bool same_scale(const Scale& a, const Scale& b) {
  return a.id == b.id && a.min == b.min && a.max == b.max && a.labels == b.labels &&
         a.missing_codes == b.missing_codes && a.dna_codes == b.dna_codes && a.positive.lo == b.positive.lo &&
         a.positive.hi == b.positive.hi && a.negative.lo == b.negative.lo && a.negative.hi == b.negative.hi;
}

/// Field-by-field equality (the round trip is checked on the objects, not only on their JSON).
bool same_instrument(const Instrument& a, const Instrument& b) {
  if (a.name != b.name || a.title != b.title || a.version != b.version || a.family != b.family ||
      a.source != b.source || a.description != b.description || a.min_n != b.min_n ||
      a.min_answered != b.min_answered || a.composite_min_answered != b.composite_min_answered ||
      a.scale_score != b.scale_score || a.respondent_positive != b.respondent_positive ||
      a.scales.size() != b.scales.size() || a.items.size() != b.items.size() ||
      a.composites.size() != b.composites.size() || a.pairs.size() != b.pairs.size())
    return false;
  for (std::size_t s = 0; s < a.scales.size(); ++s)
    if (!same_scale(a.scales[s], b.scales[s])) return false;
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (a.items[i].id != b.items[i].id || a.items[i].title != b.items[i].title ||
        a.items[i].reverse != b.items[i].reverse || a.items[i].scale != b.items[i].scale)
      return false;
  for (std::size_t c = 0; c < a.composites.size(); ++c)
    if (a.composites[c].id != b.composites[c].id || a.composites[c].title != b.composites[c].title ||
        a.composites[c].items != b.composites[c].items)
      return false;
  for (std::size_t p = 0; p < a.pairs.size(); ++p)
    if (a.pairs[p].id != b.pairs[p].id || a.pairs[p].a != b.pairs[p].a || a.pairs[p].b != b.pairs[p].b) return false;
  return true;
}

/// The structural facts every score table must satisfy, whatever the instrument.
void check_table(const ScoreTable& t, const Instrument& inst) {
  const std::size_t n = t.size();
  for (std::size_t size : {t.measure.size(), t.kind.size(), t.n_respondents.size(), t.n_valid.size(),
                           t.n_positive.size(), t.n_neutral.size(), t.n_negative.size(), t.n_dna.size(),
                           t.percent_positive.size(), t.percent_neutral.size(), t.percent_negative.size(),
                           t.ci_low.size(), t.ci_high.size(), t.mean.size(), t.suppressed.size(), t.reason.size()})
    if (size != n) fail("score table columns of different lengths");
  if (t.measures.size() != inst.items.size() + inst.composites.size()) fail("score table measures do not match");
  for (std::size_t i = 0; i < n; ++i) {
    if (t.measure[i] < 0 || static_cast<std::size_t>(t.measure[i]) >= t.measures.size()) fail("measure index");
    for (double v : {t.percent_positive[i], t.percent_neutral[i], t.percent_negative[i], t.ci_low[i], t.ci_high[i]})
      if (!std::isnan(v) && !(v >= 0 && v <= 100)) fail("a percentage outside [0, 100]: " + std::to_string(v));
    if (std::isinf(t.mean[i])) fail("an infinite mean");
    if (t.suppressed[i] && !std::isnan(t.percent_positive[i])) fail("a suppressed cell with a value");
  }
  // The table itself must survive its JSON round trip.
  const nlohmann::json once = t;
  const nlohmann::json twice = once.get<ScoreTable>();
  if (once.dump() != twice.dump()) fail("score table JSON round trip differs");
}

/// Scores 12 respondents in 2 units. Answer (i, j) cycles through the item's scale codes, its
/// missing and DNA codes and a blank, so every branch of the answer check is taken.
void score_fixed_table(const Instrument& inst) {
  constexpr std::size_t rows = 12;
  const std::size_t k = inst.items.size();
  std::vector<double> values(rows * k);
  for (std::size_t j = 0; j < k; ++j) {
    const Scale& s = inst.scale_of(j);
    std::vector<double> codes;
    for (int c = s.min; c <= s.max; ++c) codes.push_back(c);
    codes.insert(codes.end(), s.missing_codes.begin(), s.missing_codes.end());
    codes.insert(codes.end(), s.dna_codes.begin(), s.dna_codes.end());
    codes.push_back(std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < rows; ++i) values[j * rows + i] = codes[(i * 7 + j * 3) % codes.size()];
  }
  std::vector<std::int64_t> unit(rows);
  for (std::size_t i = 0; i < rows; ++i) unit[i] = static_cast<std::int64_t>(i % 2);
  const Responses responses{rows, values, unit, {"A", "B"}};

  check_table(score(responses, inst), inst);
  ScoreOptions other;
  other.min_n = 1;
  other.composite = CompositeMethod::pooled;
  other.reverse_range = ReverseRange::observed;
  check_table(score(responses, inst, other), inst);
  for (const auto& c : inst.composites)
    if (measure_items(inst, c.id) != c.items) fail("measure_items of a composite differs from its items");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  qiscope::fuzz::allowing_input_errors([&] {
    const Instrument inst = parse_instrument(text);
    const nlohmann::json once = inst;
    Instrument back;
    try {
      back = parse_instrument(once.dump());
    } catch (const qiscope::input_error& e) {
      fail(std::string("an accepted instrument, written out, is refused: ") + e.what());
    }
    if (!same_instrument(inst, back)) fail("instrument round trip differs: " + once.dump());
    if (nlohmann::json(back) != once) fail("instrument JSON round trip differs: " + once.dump());
    score_fixed_table(inst);
  });
  return 0;
}
