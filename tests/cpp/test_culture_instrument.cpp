// Instrument documents: the built-in files load, and every broken rule names its field.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <qiscope/culture.hpp>

using namespace qiscope::culture;

namespace {

const std::filesystem::path instruments =
    std::filesystem::path(QISCOPE_SOURCE_DIR) / "python" / "qiscope" / "culture" / "instruments";

/// The input_error of parsing `text`, or a test failure.
qiscope::input_error error_of(const std::string& text) {
  try {
    parse_instrument(text);
  } catch (const qiscope::input_error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << text;
  return qiscope::input_error("", -1, "", "");
}

const char* minimal = R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a", "b"]})";

}  // namespace

TEST(CultureInstrument, SopsHospital2Structure) {
  const auto inst = load_instrument(instruments / "sops-hospital-2.0.json");
  EXPECT_EQ(inst.composites.size(), 10u);
  std::size_t in_composites = 0, reversed = 0;
  for (const auto& c : inst.composites) in_composites += c.items.size();
  for (const auto& i : inst.items) reversed += i.reverse ? 1 : 0;
  EXPECT_EQ(in_composites, 32u);
  EXPECT_EQ(reversed, 13u);
  ASSERT_TRUE(inst.find_item("D3"));
  ASSERT_TRUE(inst.find_item("E1"));
  EXPECT_TRUE(inst.scale_of(*inst.find_item("E1")).dna_codes.empty());
  const auto& response_to_error = inst.composites[*inst.find_composite("response_to_error")];
  EXPECT_EQ(response_to_error.items.size(), 4u);
  EXPECT_EQ(inst.min_n, 10);
}

TEST(CultureInstrument, EveryBuiltInLoadsAndRoundTrips) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(instruments)) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "instrument.schema.json") continue;
    const auto inst = load_instrument(entry.path());
    const nlohmann::json j = inst;
    const auto back = j.get<Instrument>();
    EXPECT_EQ(nlohmann::json(back), j) << entry.path();
    ++count;
  }
  EXPECT_GE(count, 4);
}

TEST(CultureInstrument, SaqAndEdmondsonScoringRules) {
  const auto saq = load_instrument(instruments / "saq-short-form.json");
  EXPECT_EQ(saq.scale_score, ScaleScore::zero_to_hundred);
  EXPECT_EQ(saq.respondent_positive, 75);
  for (const char* id : {"q2", "q11", "q36"}) EXPECT_TRUE(saq.items[*saq.find_item(id)].reverse) << id;
  const auto ps = load_instrument(instruments / "edmondson-psychological-safety.json");
  EXPECT_EQ(ps.scales[0].max, 7);
  EXPECT_EQ(ps.scales[0].positive.lo, 5);
  int reversed = 0;
  for (const auto& i : ps.items) reversed += i.reverse;
  EXPECT_EQ(reversed, 3);
}

TEST(CultureInstrument, DefaultRangesFollowTheMidpoint) {
  const auto five = parse_instrument(minimal);
  EXPECT_EQ(five.scales[0].positive.lo, 4);
  EXPECT_EQ(five.scales[0].negative.hi, 2);
  const auto seven = parse_instrument(R"({"name": "x", "scale": {"min": 1, "max": 7}, "items": ["a"]})");
  EXPECT_EQ(seven.scales[0].positive.lo, 5);
  EXPECT_EQ(seven.scales[0].negative.hi, 3);
}

TEST(CultureInstrument, SchemaViolationsNameTheField) {
  struct Case {
    std::string text, field, rule;
  };
  const std::vector<Case> cases{
      {R"({"scale": {"min": 1, "max": 5}, "items": ["a"]})", "name", "required"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a"], "colour": 1})", "colour", "unknown_key"},
      {R"({"name": "x", "scale": {"min": 5, "max": 1}, "items": ["a"]})", "scale.max", "range"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5, "missing_codes": [3]}, "items": ["a"]})",
       "scale.missing_codes[0]", "overlaps_scale"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5, "labels": ["a"]}, "items": ["a"]})", "scale.labels", "length"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5, "positive": [2, 5]}, "items": ["a"]})", "scale.positive", "overlap"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a", "a"]})", "items[1]", "duplicate"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": [{"id": "a", "reverse": "yes"}]})", "items[0].reverse", "type"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a"], "composites": [{"id": "c", "items": ["a", "zz"]}]})",
       "composites[0].items[1]", "unknown_item"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a"], "min_n": 0})", "min_n", "range"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a"], "scale_score": "0-10"})", "scale_score", "unknown_name"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": [{"id": "a", "scale": "freq"}]})", "items[0].scale", "unknown_scale"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "scales": {"s7": {"min": 1, "max": 7}},
           "items": ["a", {"id": "b", "scale": "s7"}], "composites": [{"id": "c", "items": ["a", "b"]}]})",
       "composites[0].items[1]", "mixed_scales"},
      {R"({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a"], "pairs": [{"a": "a", "b": "q"}]})", "pairs[0].b", "unknown_item"},
      {R"(not json)", "instrument", "json"},
  };
  for (const auto& c : cases) {
    const auto e = error_of(c.text);
    EXPECT_EQ(e.field(), c.field) << c.text;
    EXPECT_EQ(e.rule(), c.rule) << c.text;
  }
}
