// Reading and validating instrument documents. The checks follow
// python/qiscope/culture/instruments/instrument.schema.json one for one (plus the cross-field
// rules a schema cannot express: item IDs that exist, non-overlapping ranges, ...), so that
// every consumer - C++ trust tools included - gets the same errors without a schema library.

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/error.hpp>
#include <qiscope/io/json.hpp>

namespace qiscope::culture {

using nlohmann::json;

bool Scale::is_missing_code(double v) const noexcept {
  return std::any_of(missing_codes.begin(), missing_codes.end(), [v](int c) { return v == c; });
}

bool Scale::is_dna_code(double v) const noexcept {
  return std::any_of(dna_codes.begin(), dna_codes.end(), [v](int c) { return v == c; });
}

std::optional<std::size_t> Instrument::find_item(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return i;
  return std::nullopt;
}

std::optional<std::size_t> Instrument::find_composite(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < composites.size(); ++i)
    if (composites[i].id == id) return i;
  return std::nullopt;
}

std::vector<std::size_t> measure_items(const Instrument& inst, std::string_view measure) {
  if (auto c = inst.find_composite(measure)) return inst.composites[*c].items;
  if (auto i = inst.find_item(measure)) return {*i};
  std::string known;
  for (const auto& c : inst.composites) known += (known.empty() ? "" : ", ") + c.id;
  throw input_error("measure", -1, "unknown_measure",
                    "'" + std::string(measure) + "' is neither a composite nor an item of instrument '" +
                        inst.name + "' (composites: " + (known.empty() ? "none" : known) + ")");
}

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& rule, const std::string& message) {
  throw input_error(path, -1, rule, message);
}

std::string type_name(const json& v) { return v.type_name(); }

void require_object(const json& v, const std::string& path) {
  if (!v.is_object()) fail(path, "type", "must be a JSON object, not " + type_name(v));
}

std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

void only_keys(const json& obj, const std::string& path, std::initializer_list<const char*> allowed) {
  for (const auto& item : obj.items()) {
    const std::string& key = item.key();  // a plain reference: clang < 16 cannot capture a structured binding
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
      // An empty key is named by its object (an input_error always names a field).
      fail(key.empty() ? (path.empty() ? "instrument" : path) : join(path, key.c_str()), "unknown_key",
           "'" + key + "' is not a field of " + (path.empty() ? "an instrument" : path) +
               " (see instrument.schema.json)");
  }
}

std::string get_string(const json& obj, const std::string& path, const char* key, bool required,
                       bool allow_empty = true) {
  const std::string where = join(path, key);
  if (!obj.contains(key)) {
    if (required) fail(where, "required", "is required");
    return {};
  }
  const json& v = obj.at(key);
  if (!v.is_string()) fail(where, "type", "must be a string, not " + type_name(v));
  std::string s = v.get<std::string>();
  if (!allow_empty && s.empty()) fail(where, "empty", "must not be empty");
  return s;
}

int as_int(const json& v, const std::string& where) {
  // An unsigned JSON integer above 2^63 would wrap to a negative int64 (2^64 - 1 reads as -1).
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > 1000000u)
    fail(where, "range", "must be between -1000000 and 1000000");
  if (v.is_number_integer()) {
    const auto x = v.get<std::int64_t>();
    if (x < -1000000 || x > 1000000) fail(where, "range", "must be between -1000000 and 1000000");
    return static_cast<int>(x);
  }
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (std::isfinite(x) && x == std::floor(x) && std::abs(x) <= 1000000) return static_cast<int>(x);
  }
  fail(where, "type", "must be a whole number, not " + v.dump());
}

int get_int(const json& obj, const std::string& path, const char* key, int fallback, int min_value) {
  if (!obj.contains(key) || obj.at(key).is_null()) return fallback;
  const std::string where = join(path, key);
  const int x = as_int(obj.at(key), where);
  if (x < min_value) fail(where, "range", "must be at least " + std::to_string(min_value));
  return x;
}

std::vector<int> get_codes(const json& obj, const std::string& path, const char* key) {
  std::vector<int> out;
  if (!obj.contains(key) || obj.at(key).is_null()) return out;
  const std::string where = join(path, key);
  const json& v = obj.at(key);
  if (!v.is_array()) fail(where, "type", "must be an array of whole numbers");
  for (std::size_t i = 0; i < v.size(); ++i) {
    const int c = as_int(v[i], where + "[" + std::to_string(i) + "]");
    if (std::find(out.begin(), out.end(), c) != out.end())
      fail(where + "[" + std::to_string(i) + "]", "duplicate", "code " + std::to_string(c) + " is listed twice");
    out.push_back(c);
  }
  return out;
}

std::optional<CodeRange> get_range(const json& obj, const std::string& path, const char* key,
                                   const Scale& scale) {
  if (!obj.contains(key) || obj.at(key).is_null()) return std::nullopt;
  const std::string where = join(path, key);
  const json& v = obj.at(key);
  if (!v.is_array() || v.size() != 2)
    fail(where, "type", "must be an inclusive range [lowest, highest] of reverse-scored codes");
  CodeRange r{as_int(v[0], where + "[0]"), as_int(v[1], where + "[1]")};
  if (r.lo > r.hi) fail(where, "range", "lowest code is above the highest");
  if (r.lo < scale.min || r.hi > scale.max)
    fail(where, "range", "must lie within the scale " + std::to_string(scale.min) + ".." +
                             std::to_string(scale.max));
  return r;
}

Scale parse_scale(const json& v, const std::string& path, std::string id) {
  require_object(v, path);
  only_keys(v, path, {"min", "max", "labels", "missing_codes", "dna_codes", "positive", "negative", "title"});
  Scale s;
  s.id = std::move(id);
  if (!v.contains("min")) fail(join(path, "min"), "required", "is required");
  if (!v.contains("max")) fail(join(path, "max"), "required", "is required");
  s.min = as_int(v.at("min"), join(path, "min"));
  s.max = as_int(v.at("max"), join(path, "max"));
  if (s.max <= s.min) fail(join(path, "max"), "range", "must be above min");
  if (s.max - s.min > 100) fail(join(path, "max"), "range", "a scale has at most 101 options");
  if (v.contains("labels") && !v.at("labels").is_null()) {
    const json& labels = v.at("labels");
    const std::string where = join(path, "labels");
    if (!labels.is_array()) fail(where, "type", "must be an array of strings");
    if (labels.size() != static_cast<std::size_t>(s.n_options()))
      fail(where, "length", "must have one label per code " + std::to_string(s.min) + ".." +
                                std::to_string(s.max) + " (" + std::to_string(s.n_options()) + "), not " +
                                std::to_string(labels.size()));
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (!labels[i].is_string()) fail(where + "[" + std::to_string(i) + "]", "type", "must be a string");
      s.labels.push_back(labels[i].get<std::string>());
    }
  }
  s.missing_codes = get_codes(v, path, "missing_codes");
  s.dna_codes = get_codes(v, path, "dna_codes");
  for (const char* key : {"missing_codes", "dna_codes"}) {
    const auto& codes = std::string(key) == "missing_codes" ? s.missing_codes : s.dna_codes;
    for (std::size_t i = 0; i < codes.size(); ++i)
      if (codes[i] >= s.min && codes[i] <= s.max)
        fail(join(path, key) + "[" + std::to_string(i) + "]", "overlaps_scale",
             "code " + std::to_string(codes[i]) + " is an answer on the scale " + std::to_string(s.min) +
                 ".." + std::to_string(s.max) + "; a missing code must lie outside it");
  }
  for (std::size_t i = 0; i < s.dna_codes.size(); ++i)
    if (s.is_missing_code(s.dna_codes[i]))
      fail(join(path, "dna_codes") + "[" + std::to_string(i) + "]", "duplicate",
           "code " + std::to_string(s.dna_codes[i]) + " is also a missing code");
  // Without explicit ranges: the options above the midpoint are positive and those below it
  // negative (5 points: 4-5 / 1-2 as AHRQ SOPS; 7 points: 5-7 / 1-3); an even scale has no neutral.
  const int half = s.n_options() / 2;
  s.positive = get_range(v, path, "positive", s).value_or(CodeRange{s.max - half + 1, s.max});
  s.negative = get_range(v, path, "negative", s).value_or(CodeRange{s.min, s.min + half - 1});
  if (!(s.positive.hi < s.negative.lo || s.negative.hi < s.positive.lo))
    fail(join(path, "positive"), "overlap", "the positive and negative ranges overlap");
  return s;
}

std::size_t item_ref(const Instrument& inst, const json& v, const std::string& where) {
  if (!v.is_string()) fail(where, "type", "must be an item ID (a string)");
  const auto id = v.get<std::string>();
  auto i = inst.find_item(id);
  if (!i) fail(where, "unknown_item", "'" + id + "' is not an item of the instrument");
  return *i;
}

}  // namespace

Instrument instrument_from_json(const json& doc) {
  require_object(doc, "instrument");
  only_keys(doc, "", {"$schema", "$comment", "format", "name", "title", "version", "family", "source",
                      "description", "scale", "scales", "items", "composites", "pairs", "min_n",
                      "min_answered", "composite_min_answered", "scale_score", "respondent_positive"});
  if (doc.contains("format")) {
    const auto f = get_string(doc, "", "format", true);
    if (f != "qiscope.instrument/1")
      fail("format", "format", "'" + f + "' is not 'qiscope.instrument/1'");
  }
  Instrument inst;
  inst.name = get_string(doc, "", "name", true, false);
  inst.title = get_string(doc, "", "title", false);
  inst.version = get_string(doc, "", "version", false);
  inst.family = get_string(doc, "", "family", false);
  inst.source = get_string(doc, "", "source", false);
  inst.description = get_string(doc, "", "description", false);

  if (!doc.contains("scale")) fail("scale", "required", "is required (the default response scale)");
  inst.scales.push_back(parse_scale(doc.at("scale"), "scale", "default"));
  if (doc.contains("scales") && !doc.at("scales").is_null()) {
    const json& scales = doc.at("scales");
    require_object(scales, "scales");
    for (const auto& [key, value] : scales.items()) {
      if (key == "default") fail("scales.default", "reserved", "'default' names the instrument's own scale");
      inst.scales.push_back(parse_scale(value, "scales." + key, key));
    }
  }
  auto find_scale = [&](const std::string& id) -> std::optional<std::size_t> {
    for (std::size_t s = 0; s < inst.scales.size(); ++s)
      if (inst.scales[s].id == id) return s;
    return std::nullopt;
  };

  if (!doc.contains("items")) fail("items", "required", "is required");
  const json& items = doc.at("items");
  if (!items.is_array() || items.empty()) fail("items", "type", "must be a non-empty array of items");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    const json& v = items[i];
    Item item;
    if (v.is_string()) {
      item.id = v.get<std::string>();
    } else {
      require_object(v, path);
      only_keys(v, path, {"id", "title", "reverse", "scale"});
      item.id = get_string(v, path, "id", true, false);
      item.title = get_string(v, path, "title", false);
      if (v.contains("reverse")) {
        if (!v.at("reverse").is_boolean()) fail(path + ".reverse", "type", "must be true or false");
        item.reverse = v.at("reverse").get<bool>();
      }
      if (v.contains("scale")) {
        const auto sid = get_string(v, path, "scale", true, false);
        auto s = find_scale(sid);
        if (!s) fail(path + ".scale", "unknown_scale", "'" + sid + "' is not 'default' or a key of scales");
        item.scale = *s;
      }
    }
    if (item.id.empty()) fail(path, "empty", "an item ID must not be empty");
    if (inst.find_item(item.id)) fail(path, "duplicate", "item ID '" + item.id + "' is listed twice");
    inst.items.push_back(std::move(item));
  }

  if (doc.contains("composites") && !doc.at("composites").is_null()) {
    const json& comps = doc.at("composites");
    if (!comps.is_array()) fail("composites", "type", "must be an array of composites");
    for (std::size_t c = 0; c < comps.size(); ++c) {
      const std::string path = "composites[" + std::to_string(c) + "]";
      require_object(comps[c], path);
      only_keys(comps[c], path, {"id", "title", "items"});
      Composite comp;
      comp.id = get_string(comps[c], path, "id", true, false);
      comp.title = get_string(comps[c], path, "title", false);
      if (inst.find_composite(comp.id))
        fail(path + ".id", "duplicate", "composite ID '" + comp.id + "' is listed twice");
      if (inst.find_item(comp.id))
        fail(path + ".id", "duplicate", "'" + comp.id + "' is already an item ID; a measure name must be unique");
      if (!comps[c].contains("items")) fail(path + ".items", "required", "is required");
      const json& ids = comps[c].at("items");
      if (!ids.is_array() || ids.empty()) fail(path + ".items", "type", "must be a non-empty array of item IDs");
      for (std::size_t k = 0; k < ids.size(); ++k) {
        const std::string where = path + ".items[" + std::to_string(k) + "]";
        const std::size_t idx = item_ref(inst, ids[k], where);
        if (std::find(comp.items.begin(), comp.items.end(), idx) != comp.items.end())
          fail(where, "duplicate", "item '" + inst.items[idx].id + "' is listed twice");
        const Scale& first = inst.scale_of(comp.items.empty() ? idx : comp.items.front());
        const Scale& this_one = inst.scale_of(idx);
        if (first.min != this_one.min || first.max != this_one.max)
          fail(where, "mixed_scales", "item '" + inst.items[idx].id +
                                          "' is on another scale than the composite's first item; a "
                                          "composite's mean needs one scale");
        comp.items.push_back(idx);
      }
      inst.composites.push_back(std::move(comp));
    }
  }

  if (doc.contains("pairs") && !doc.at("pairs").is_null()) {
    const json& pairs = doc.at("pairs");
    if (!pairs.is_array()) fail("pairs", "type", "must be an array of {a, b} item pairs");
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const std::string path = "pairs[" + std::to_string(p) + "]";
      require_object(pairs[p], path);
      only_keys(pairs[p], path, {"id", "a", "b"});
      if (!pairs[p].contains("a")) fail(path + ".a", "required", "is required");
      if (!pairs[p].contains("b")) fail(path + ".b", "required", "is required");
      ItemPair pair;
      pair.a = item_ref(inst, pairs[p].at("a"), path + ".a");
      pair.b = item_ref(inst, pairs[p].at("b"), path + ".b");
      if (pair.a == pair.b) fail(path + ".b", "same_item", "a pair needs two different items");
      pair.id = get_string(pairs[p], path, "id", false);
      if (pair.id.empty()) pair.id = inst.items[pair.a].id + "-" + inst.items[pair.b].id;
      inst.pairs.push_back(std::move(pair));
    }
  }

  inst.min_n = get_int(doc, "", "min_n", 10, 1);
  inst.min_answered = get_int(doc, "", "min_answered", 1, 1);
  if (inst.min_answered > static_cast<int>(inst.items.size()))
    fail("min_answered", "range", "is larger than the number of items");
  inst.composite_min_answered = get_int(doc, "", "composite_min_answered", 1, 1);
  if (doc.contains("scale_score") && !doc.at("scale_score").is_null()) {
    const auto s = get_string(doc, "", "scale_score", true);
    if (s == "0-100") inst.scale_score = ScaleScore::zero_to_hundred;
    else if (s != "none") fail("scale_score", "unknown_name", "must be \"0-100\" or \"none\", not '" + s + "'");
  }
  if (doc.contains("respondent_positive") && !doc.at("respondent_positive").is_null()) {
    const json& v = doc.at("respondent_positive");
    if (!v.is_number()) fail("respondent_positive", "type", "must be a number");
    inst.respondent_positive = v.get<double>();
    if (!(inst.respondent_positive >= 0 && inst.respondent_positive <= 100))
      fail("respondent_positive", "range", "must be between 0 and 100");
  }
  return inst;
}

Instrument parse_instrument(std::string_view json_text) {
  // io::parse turns every parser exception into an input_error (a number beyond the double
  // range is nlohmann's out_of_range, not a parse_error) and bounds the nesting depth.
  return instrument_from_json(io::parse(json_text, "instrument"));
}

Instrument load_instrument(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw input_error("instrument", -1, "file", "cannot read instrument file " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  return parse_instrument(text.str());
}

namespace {
json scale_json(const Scale& s) {
  json j{{"min", s.min}, {"max", s.max}, {"missing_codes", s.missing_codes}, {"dna_codes", s.dna_codes},
         {"positive", {s.positive.lo, s.positive.hi}}, {"negative", {s.negative.lo, s.negative.hi}}};
  if (!s.labels.empty()) j["labels"] = s.labels;
  return j;
}
}  // namespace

void to_json(json& j, const Instrument& inst) {
  j = json::object();
  j["format"] = "qiscope.instrument/1";
  j["name"] = inst.name;
  for (auto [key, value] : {std::pair{"title", &inst.title}, {"version", &inst.version},
                            {"family", &inst.family}, {"source", &inst.source},
                            {"description", &inst.description}})
    if (!value->empty()) j[key] = *value;
  j["scale"] = scale_json(inst.scales.at(0));
  if (inst.scales.size() > 1) {
    json scales = json::object();
    for (std::size_t s = 1; s < inst.scales.size(); ++s) scales[inst.scales[s].id] = scale_json(inst.scales[s]);
    j["scales"] = scales;
  }
  json items = json::array();
  for (const auto& item : inst.items) {
    json v{{"id", item.id}, {"reverse", item.reverse}};
    if (!item.title.empty()) v["title"] = item.title;
    if (item.scale != 0) v["scale"] = inst.scales[item.scale].id;
    items.push_back(v);
  }
  j["items"] = items;
  json comps = json::array();
  for (const auto& c : inst.composites) {
    json ids = json::array();
    for (auto i : c.items) ids.push_back(inst.items[i].id);
    json v{{"id", c.id}, {"items", ids}};
    if (!c.title.empty()) v["title"] = c.title;
    comps.push_back(v);
  }
  j["composites"] = comps;
  json pairs = json::array();
  for (const auto& p : inst.pairs)
    pairs.push_back({{"id", p.id}, {"a", inst.items[p.a].id}, {"b", inst.items[p.b].id}});
  j["pairs"] = pairs;
  j["min_n"] = inst.min_n;
  j["min_answered"] = inst.min_answered;
  j["composite_min_answered"] = inst.composite_min_answered;
  j["scale_score"] = inst.scale_score == ScaleScore::zero_to_hundred ? "0-100" : "none";
  j["respondent_positive"] = inst.respondent_positive;
}

void from_json(const json& j, Instrument& inst) { inst = instrument_from_json(j); }

}  // namespace qiscope::culture
