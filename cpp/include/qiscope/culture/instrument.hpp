#pragma once
/// \file instrument.hpp
/// A survey instrument as data: its response scales, items (with their polarity), composites
/// and the rules that turn answers into "percent positive". Instruments are JSON documents
/// (python/qiscope/culture/instruments/instrument.schema.json describes the format) validated
/// on load; the built-in ones (AHRQ SOPS Hospital 2.0, SAQ short form, Edmondson's team
/// psychological safety, the leader-vulnerability pair) ship as such files.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace qiscope::culture {

/// An inclusive range of answer codes [lo, hi]; empty when hi < lo.
struct CodeRange {
  int lo = 0;
  int hi = -1;
  bool contains(double v) const noexcept { return v >= lo && v <= hi; }
  bool empty() const noexcept { return hi < lo; }
};

/// A response scale: the codes min..max are answers; the other codes an instrument knows
/// mean "not answered" (missing_codes, e.g. a blank typed as -99) or "does not apply / don't
/// know" (dna_codes, e.g. AHRQ's 9). Both are left out of every denominator (AHRQ SOPS
/// convention); DNA answers are counted separately. `positive` and `negative` are ranges of the
/// reverse-scored value; every other answer is neutral.
struct Scale {
  std::string id;
  int min = 1;
  int max = 5;
  std::vector<std::string> labels;  ///< empty, or one label per code min..max
  std::vector<int> missing_codes;
  std::vector<int> dna_codes;
  CodeRange positive{4, 5};
  CodeRange negative{1, 2};

  int n_options() const noexcept { return max - min + 1; }
  bool is_missing_code(double v) const noexcept;
  bool is_dna_code(double v) const noexcept;
};

/// One question, stored by its ID (the column name in the responses). Negatively worded items
/// have `reverse` set; the raw answers are never modified, scoring applies min + max - x.
struct Item {
  std::string id;
  std::string title;
  bool reverse = false;
  std::size_t scale = 0;  ///< index into Instrument::scales
};

/// A named group of items scored together (an AHRQ composite, an SAQ domain, a scale).
struct Composite {
  std::string id;
  std::string title;
  std::vector<std::size_t> items;  ///< indices into Instrument::items
};

/// Two items asked of the same respondents to be compared pairwise (e.g. "I want colleagues to
/// show vulnerability" against "I show vulnerability").
struct ItemPair {
  std::string id;
  std::size_t a = 0;
  std::size_t b = 0;
};

/// How respondents' composite scores are also expressed, besides the mean of their answers.
enum class ScaleScore : std::uint8_t {
  none,
  zero_to_hundred  ///< (mean - min) x 100 / (max - min), the SAQ's 0-100 score
};

struct Instrument {
  std::string name;         ///< short identifier, e.g. "sops-hospital-2.0"
  std::string title;
  std::string version;      ///< scores of different versions of one family are not comparable
  std::string family;
  std::string source;       ///< where the structure and scoring rules come from
  std::string description;
  std::vector<Scale> scales;  ///< scales[0] is the default scale of items
  std::vector<Item> items;
  std::vector<Composite> composites;
  std::vector<ItemPair> pairs;
  int min_n = 10;                   ///< fewest valid answers behind any released cell
  int min_answered = 1;             ///< a respondent is scored when they answered this many items
  int composite_min_answered = 1;   ///< answered items a composite score needs
  ScaleScore scale_score = ScaleScore::none;
  double respondent_positive = 75;  ///< 0-100 score at or above which a respondent is positive

  const Scale& scale_of(std::size_t item) const { return scales.at(items.at(item).scale); }
  std::optional<std::size_t> find_item(std::string_view id) const noexcept;
  std::optional<std::size_t> find_composite(std::string_view id) const noexcept;
};

/// The items a measure stands for: a composite's items, or one item. Throws input_error
/// (field "measure") when the name is neither.
std::vector<std::size_t> measure_items(const Instrument& inst, std::string_view measure);

/// Reads and validates an instrument document. Every violation of the format raises
/// qiscope::input_error whose field is the JSON path of the offending value
/// (e.g. "composites[2].items[1]") and whose rule names the check.
Instrument instrument_from_json(const nlohmann::json& doc);
/// The same from JSON text (a parse error is an input_error with field "instrument").
Instrument parse_instrument(std::string_view json_text);
/// Reads an instrument file (for instance `<prefix>/share/qiscope/instruments/<name>.json`).
Instrument load_instrument(const std::filesystem::path& file);

/// The canonical JSON form (every field written out); instrument_from_json reads it back.
void to_json(nlohmann::json& j, const Instrument& inst);
void from_json(const nlohmann::json& j, Instrument& inst);

}  // namespace qiscope::culture
