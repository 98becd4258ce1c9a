// JSON for the culture results: columns as arrays, NaN as null, enumerations by name.

#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <qiscope/error.hpp>
#include <qiscope/io/json_culture.hpp>

#include "json_detail.hpp"

namespace qiscope::culture {

using nlohmann::json;

namespace {

constexpr std::array<std::pair<Reason, std::string_view>, 7> reason_names{{
    {Reason::none, ""},
    {Reason::below_min_n, "below_min_n"},
    {Reason::complementary, "complementary"},
    {Reason::linked, "linked"},
    {Reason::no_valid_answers, "no_valid_answers"},
    {Reason::too_few, "too_few"},
    {Reason::constant, "constant"},
}};
constexpr std::array<std::pair<Kind, std::string_view>, 3> kind_names{{
    {Kind::item, "item"}, {Kind::composite, "composite"}, {Kind::scale, "scale"}}};
constexpr std::array<std::pair<MissingPolicy, std::string_view>, 2> missing_names{{
    {MissingPolicy::listwise, "listwise"}, {MissingPolicy::pairwise, "pairwise"}}};
constexpr std::array<std::pair<CompositeMethod, std::string_view>, 2> composite_names{{
    {CompositeMethod::item_mean, "item_mean"}, {CompositeMethod::pooled, "pooled"}}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return "";
}

/// The member `key` of the object `j`; its absence is an input_error naming the key (the
/// result readers accept only documents these writers could have produced).
const json& member(const json& j, const char* key) {
  if (!j.is_object()) throw input_error(key, -1, "type", "is not inside a JSON object");
  const auto it = j.find(key);
  if (it == j.end()) throw input_error(key, -1, "required", "is required");
  return *it;
}

template <class E, std::size_t N>
E value_of(const std::array<std::pair<E, std::string_view>, N>& table, const json& j, const char* field) {
  if (!j.is_null() && !j.is_string()) throw input_error(field, -1, "type", "must be a name (a string)");
  const auto text = j.is_null() ? std::string() : j.get<std::string>();
  for (const auto& [e, name] : table)
    if (name == text) return e;
  throw input_error(field, -1, "unknown_name", "'" + text + "' is not a known value");
}

using io::detail::number;

// One encode/decode pair per member type: NaN <-> null for doubles, plain JSON otherwise.
// Decoding checks types and ranges (io::detail): a whole number is never truncated or wrapped.
json encode(double v) { return number(v); }
json encode(const std::vector<double>& v) { return io::detail::doubles(v); }
template <class T>
json encode(const T& v) {
  return json(v);
}
void decode(const json& j, double& v, const char* key) { v = io::detail::number_from(j, key); }
void decode(const json& j, std::vector<double>& v, const char* key) { io::detail::doubles_from(j, v, key); }
void decode(const json& j, bool& v, const char* key) {
  if (!j.is_boolean()) throw input_error(key, -1, "type", "must be true or false");
  v = j.get<bool>();
}
void decode(const json& j, std::string& v, const char* key) {
  if (!j.is_string()) throw input_error(key, -1, "type", "must be a string");
  v = j.get<std::string>();
}
void decode(const json& j, std::vector<std::string>& v, const char* key) {
  v.clear();
  for (const auto& x : io::detail::array_of(j, key)) {
    if (!x.is_string()) throw input_error(key, -1, "type", "must be an array of strings");
    v.push_back(x.get<std::string>());
  }
}
template <class Int>
void decode(const json& j, Int& v, const char* key) {
  v = io::detail::integer_from<Int>(j, key);
}
template <class Int>
void decode(const json& j, std::vector<Int>& v, const char* key) {
  io::detail::integers_from(j, v, key);
}

/// A member written under a key: the same table drives to_json and from_json, so each field's
/// name appears once.
template <class S, class M>
using Field = std::pair<const char*, M S::*>;

template <class S, class M, std::size_t N>
void write(json& j, const S& s, const std::array<Field<S, M>, N>& fields) {
  for (const auto& [key, member] : fields) j[key] = encode(s.*member);
}
template <class S, class M, std::size_t N>
void read(const json& j, S& s, const std::array<Field<S, M>, N>& fields) {
  for (const auto& [key, field] : fields) decode(member(j, key), s.*field, key);
}

template <class S, class... Tables>
void write_all(json& j, const S& s, const Tables&... tables) {
  (write(j, s, tables), ...);
}
template <class S, class... Tables>
void read_all(const json& j, S& s, const Tables&... tables) {
  (read(j, s, tables), ...);
}

template <class E, std::size_t N>
json names(const std::array<std::pair<E, std::string_view>, N>& table, const std::vector<E>& v) {
  json out = json::array();
  for (E e : v) out.push_back(std::string(name_of(table, e)));
  return out;
}
template <class E, std::size_t N>
void read_names(const std::array<std::pair<E, std::string_view>, N>& table, const json& j, const char* key,
                std::vector<E>& v) {
  v.clear();
  for (const auto& x : io::detail::array_of(member(j, key), key)) v.push_back(value_of(table, x, key));
}

void check_format(const json& j, const char* format) {
  const auto tag = j.is_object() ? j.find("format") : j.end();
  if (!j.is_object() || tag == j.end() || !tag->is_string() || tag->get<std::string>() != format)
    throw input_error("json", -1, "format", std::string("not a ") + format + " document");
}

/// Throws unless every column of a table read from a document has the length of the first
/// (plots and tables index them together).
void check_lengths(std::size_t expected, std::initializer_list<std::pair<const char*, std::size_t>> columns) {
  for (const auto& [name, size] : columns) io::detail::require_length(size, expected, name);
}

std::vector<PolarityCheck> checks_from(const json& j) {
  std::vector<PolarityCheck> out;
  for (const auto& c : io::detail::array_of(member(j, "checks"), "checks")) out.push_back(c.get<PolarityCheck>());
  return out;
}

}  // namespace

std::string_view to_string(Reason r) noexcept { return name_of(reason_names, r); }
std::string_view to_string(Kind k) noexcept { return name_of(kind_names, k); }
std::string_view to_string(MissingPolicy m) noexcept { return name_of(missing_names, m); }

void to_json(json& j, const PolarityCheck& c) {
  j = json{{"item", c.item}, {"composite", c.composite}, {"r_rest", number(c.r_rest)}, {"n", c.n}};
}
void from_json(const json& j, PolarityCheck& c) {
  decode(member(j, "item"), c.item, "item");
  decode(member(j, "composite"), c.composite, "composite");
  decode(member(j, "r_rest"), c.r_rest, "r_rest");
  decode(member(j, "n"), c.n, "n");
}

// -- score table -------------------------------------------------------------------------------
namespace {
using ST = ScoreTable;
constexpr std::array<Field<ST, std::string>, 1> score_text{{{"instrument", &ST::instrument}}};
constexpr std::array<Field<ST, int>, 1> score_int{{{"min_n", &ST::min_n}}};
constexpr std::array<Field<ST, double>, 1> score_double{{{"conf_level", &ST::conf_level}}};
constexpr std::array<Field<ST, std::int64_t>, 3> score_count{
    {{"n_rows", &ST::n_rows}, {"n_scored", &ST::n_scored}, {"n_excluded", &ST::n_excluded}}};
constexpr std::array<Field<ST, std::vector<std::string>>, 2> score_names{
    {{"measures", &ST::measures}, {"unit_labels", &ST::unit_labels}}};
constexpr std::array<Field<ST, std::vector<std::int64_t>>, 7> score_counts{
    {{"unit", &ST::unit}, {"n_respondents", &ST::n_respondents}, {"n_valid", &ST::n_valid},
     {"n_positive", &ST::n_positive}, {"n_neutral", &ST::n_neutral}, {"n_negative", &ST::n_negative},
     {"n_dna", &ST::n_dna}}};
constexpr std::array<Field<ST, std::vector<std::int32_t>>, 1> score_measure{{{"measure", &ST::measure}}};
constexpr std::array<Field<ST, std::vector<double>>, 6> score_values{
    {{"percent_positive", &ST::percent_positive}, {"percent_neutral", &ST::percent_neutral},
     {"percent_negative", &ST::percent_negative}, {"ci_low", &ST::ci_low}, {"ci_high", &ST::ci_high},
     {"mean", &ST::mean}}};
constexpr std::array<Field<ST, std::vector<std::uint8_t>>, 1> score_flags{{{"suppressed", &ST::suppressed}}};
}  // namespace

void to_json(json& j, const ScoreTable& t) {
  j = json{{"format", "qiscope.culture.ScoreTable/1"},
           {"composite", std::string(name_of(composite_names, t.composite))},
           {"checks", t.checks}};
  write_all(j, t, score_text, score_int, score_double, score_count, score_names);
  json rows{{"kind", names(kind_names, t.kind)}, {"reason", names(reason_names, t.reason)}};
  write_all(rows, t, score_counts, score_measure, score_values, score_flags);
  j["rows"] = rows;
}

void from_json(const json& j, ScoreTable& t) {
  check_format(j, "qiscope.culture.ScoreTable/1");
  t.composite = value_of(composite_names, member(j, "composite"), "composite");
  t.checks = checks_from(j);
  read_all(j, t, score_text, score_int, score_double, score_count, score_names);
  const json& rows = member(j, "rows");
  read_names(kind_names, rows, "kind", t.kind);
  read_names(reason_names, rows, "reason", t.reason);
  read_all(rows, t, score_counts, score_measure, score_values, score_flags);
  const std::size_t n = t.kind.size();
  check_lengths(n, {{"reason", t.reason.size()}, {"unit", t.unit.size()}, {"measure", t.measure.size()},
                    {"n_respondents", t.n_respondents.size()}, {"n_valid", t.n_valid.size()},
                    {"n_positive", t.n_positive.size()}, {"n_neutral", t.n_neutral.size()},
                    {"n_negative", t.n_negative.size()}, {"n_dna", t.n_dna.size()},
                    {"percent_positive", t.percent_positive.size()}, {"percent_neutral", t.percent_neutral.size()},
                    {"percent_negative", t.percent_negative.size()}, {"ci_low", t.ci_low.size()},
                    {"ci_high", t.ci_high.size()}, {"mean", t.mean.size()}, {"suppressed", t.suppressed.size()}});
  for (std::size_t i = 0; i < n; ++i)
    if (t.measure[i] < 0 || static_cast<std::size_t>(t.measure[i]) >= t.measures.size())
      throw input_error("measure", static_cast<std::int64_t>(i), "range", "is not an index into measures");
}

// -- reliability ---------------------------------------------------------------------------------
namespace {
using RE = Reliability;
using IR = ItemReliability;
constexpr std::array<Field<RE, double>, 11> reliability_values{
    {{"conf_level", &RE::conf_level}, {"alpha", &RE::alpha}, {"alpha_ci_low", &RE::alpha_ci_low},
     {"alpha_ci_high", &RE::alpha_ci_high}, {"alpha_ase", &RE::alpha_ase},
     {"alpha_ase_ci_low", &RE::alpha_ase_ci_low}, {"alpha_ase_ci_high", &RE::alpha_ase_ci_high},
     {"std_alpha", &RE::std_alpha}, {"average_r", &RE::average_r}, {"omega", &RE::omega},
     {"omega_mcdonald", &RE::omega_mcdonald}}};
constexpr std::array<Field<RE, std::int64_t>, 2> reliability_counts{
    {{"n_used", &RE::n_used}, {"n_items", &RE::n_items}}};
constexpr std::array<Field<RE, bool>, 2> reliability_flags{
    {{"heywood", &RE::heywood}, {"suppressed", &RE::suppressed}}};
constexpr std::array<Field<RE, int>, 1> reliability_int{{{"min_n", &RE::min_n}}};
constexpr std::array<Field<RE, std::string>, 2> reliability_text{
    {{"measure", &RE::measure}, {"missing_data", &RE::missing_data}}};
constexpr std::array<Field<RE, std::vector<std::string>>, 1> reliability_notes{{{"notes", &RE::notes}}};
constexpr std::array<Field<IR, std::vector<std::string>>, 1> item_names{{{"item", &IR::item}}};
constexpr std::array<Field<IR, std::vector<std::int64_t>>, 1> item_counts{{{"n_valid", &IR::n_valid}}};
constexpr std::array<Field<IR, std::vector<double>>, 7> item_values{
    {{"mean", &IR::mean}, {"sd", &IR::sd}, {"alpha_if_deleted", &IR::alpha_if_deleted},
     {"std_alpha_if_deleted", &IR::std_alpha_if_deleted}, {"average_r_if_deleted", &IR::average_r_if_deleted},
     {"r_drop", &IR::r_drop}, {"loading", &IR::loading}}};
}  // namespace

void to_json(json& j, const Reliability& r) {
  j = json{{"format", "qiscope.culture.Reliability/1"},
           {"missing", std::string(name_of(missing_names, r.missing))},
           {"reason", std::string(name_of(reason_names, r.reason))},
           {"checks", r.checks}};
  write_all(j, r, reliability_values, reliability_counts, reliability_flags, reliability_int, reliability_text,
            reliability_notes);
  json items = json::object();
  write_all(items, r.items, item_names, item_counts, item_values);
  j["items"] = items;
}

void from_json(const json& j, Reliability& r) {
  check_format(j, "qiscope.culture.Reliability/1");
  r.missing = value_of(missing_names, member(j, "missing"), "missing");
  r.reason = value_of(reason_names, member(j, "reason"), "reason");
  r.checks = checks_from(j);
  read_all(j, r, reliability_values, reliability_counts, reliability_flags, reliability_int, reliability_text,
           reliability_notes);
  read_all(member(j, "items"), r.items, item_names, item_counts, item_values);
  const auto& it = r.items;
  check_lengths(it.item.size(), {{"n_valid", it.n_valid.size()}, {"mean", it.mean.size()}, {"sd", it.sd.size()},
                                 {"alpha_if_deleted", it.alpha_if_deleted.size()},
                                 {"std_alpha_if_deleted", it.std_alpha_if_deleted.size()},
                                 {"average_r_if_deleted", it.average_r_if_deleted.size()},
                                 {"r_drop", it.r_drop.size()}, {"loading", it.loading.size()}});
}

// -- agreement -----------------------------------------------------------------------------------
namespace {
using AG = Agreement;
constexpr std::array<Field<AG, double>, 14> agreement_values{
    {{"null_variance", &AG::null_variance}, {"df_between", &AG::df_between}, {"df_within", &AG::df_within},
     {"msb", &AG::msb}, {"msw", &AG::msw}, {"mean_group_size", &AG::mean_group_size}, {"n0", &AG::n0},
     {"icc1", &AG::icc1}, {"icc1_n0", &AG::icc1_n0}, {"icc2", &AG::icc2}, {"icc1_ci_low", &AG::icc1_ci_low},
     {"icc1_ci_high", &AG::icc1_ci_high}, {"icc2_ci_low", &AG::icc2_ci_low}, {"icc2_ci_high", &AG::icc2_ci_high}}};
constexpr std::array<Field<AG, std::int64_t>, 3> agreement_counts{
    {{"n_items", &AG::n_items}, {"icc_n", &AG::icc_n}, {"icc_units", &AG::icc_units}}};
constexpr std::array<Field<AG, int>, 1> agreement_int{{{"min_n", &AG::min_n}}};
constexpr std::array<Field<AG, std::string>, 2> agreement_text{
    {{"measure", &AG::measure}, {"missing_data", &AG::missing_data}}};
constexpr std::array<Field<AG, std::vector<std::string>>, 2> agreement_names{
    {{"unit_labels", &AG::unit_labels}, {"notes", &AG::notes}}};
constexpr std::array<Field<AG, std::vector<std::int64_t>>, 3> unit_counts{
    {{"unit", &AG::unit}, {"n", &AG::n}, {"n_respondents", &AG::n_respondents}}};
constexpr std::array<Field<AG, std::vector<double>>, 4> unit_values{
    {{"mean_item_variance", &AG::mean_item_variance}, {"rwg_j", &AG::rwg_j}, {"rwg_lindell", &AG::rwg_lindell},
     {"ad_m", &AG::ad_m}}};
constexpr std::array<Field<AG, std::vector<std::uint8_t>>, 1> unit_flags{{{"suppressed", &AG::suppressed}}};
}  // namespace

void to_json(json& j, const Agreement& a) {
  j = json{{"format", "qiscope.culture.Agreement/1"}};
  write_all(j, a, agreement_values, agreement_counts, agreement_int, agreement_text, agreement_names);
  json units{{"reason", names(reason_names, a.reason)}};
  write_all(units, a, unit_counts, unit_values, unit_flags);
  j["units"] = units;
}

void from_json(const json& j, Agreement& a) {
  check_format(j, "qiscope.culture.Agreement/1");
  read_all(j, a, agreement_values, agreement_counts, agreement_int, agreement_text, agreement_names);
  const json& units = member(j, "units");
  read_names(reason_names, units, "reason", a.reason);
  read_all(units, a, unit_counts, unit_values, unit_flags);
  check_lengths(a.unit.size(), {{"reason", a.reason.size()}, {"n", a.n.size()},
                                {"n_respondents", a.n_respondents.size()},
                                {"mean_item_variance", a.mean_item_variance.size()}, {"rwg_j", a.rwg_j.size()},
                                {"rwg_lindell", a.rwg_lindell.size()}, {"ad_m", a.ad_m.size()},
                                {"suppressed", a.suppressed.size()}});
}

// -- gap -----------------------------------------------------------------------------------------
namespace {
constexpr std::array<Field<Gap, std::string>, 2> gap_text{{{"a", &Gap::a}, {"b", &Gap::b}}};
constexpr std::array<Field<Gap, std::vector<std::string>>, 1> gap_names{{{"unit_labels", &Gap::unit_labels}}};
constexpr std::array<Field<Gap, int>, 1> gap_int{{{"min_n", &Gap::min_n}}};
constexpr std::array<Field<Gap, double>, 1> gap_double{{{"conf_level", &Gap::conf_level}}};
constexpr std::array<Field<Gap, std::vector<std::int64_t>>, 3> gap_counts{
    {{"unit", &Gap::unit}, {"n", &Gap::n}, {"n_nonzero", &Gap::n_nonzero}}};
constexpr std::array<Field<Gap, std::vector<double>>, 18> gap_values{
    {{"mean_a", &Gap::mean_a}, {"mean_b", &Gap::mean_b}, {"diff", &Gap::diff}, {"sd_diff", &Gap::sd_diff},
     {"diff_ci_low", &Gap::diff_ci_low}, {"diff_ci_high", &Gap::diff_ci_high}, {"t", &Gap::t}, {"df", &Gap::df},
     {"p", &Gap::p}, {"wilcoxon_v", &Gap::wilcoxon_v}, {"wilcoxon_p", &Gap::wilcoxon_p}, {"d_z", &Gap::d_z},
     {"percent_positive_a", &Gap::percent_positive_a}, {"percent_positive_b", &Gap::percent_positive_b},
     {"percent_positive_diff", &Gap::percent_positive_diff}, {"percent_diff_ci_low", &Gap::percent_diff_ci_low},
     {"percent_diff_ci_high", &Gap::percent_diff_ci_high}, {"mcnemar_p", &Gap::mcnemar_p}}};
constexpr std::array<Field<Gap, std::vector<std::uint8_t>>, 2> gap_flags{
    {{"wilcoxon_exact", &Gap::wilcoxon_exact}, {"suppressed", &Gap::suppressed}}};
}  // namespace

void to_json(json& j, const Gap& g) {
  j = json{{"format", "qiscope.culture.Gap/1"}};
  write_all(j, g, gap_text, gap_names, gap_int, gap_double);
  json rows{{"reason", names(reason_names, g.reason)}};
  write_all(rows, g, gap_counts, gap_values, gap_flags);
  j["rows"] = rows;
}

void from_json(const json& j, Gap& g) {
  check_format(j, "qiscope.culture.Gap/1");
  read_all(j, g, gap_text, gap_names, gap_int, gap_double);
  const json& rows = member(j, "rows");
  read_names(reason_names, rows, "reason", g.reason);
  read_all(rows, g, gap_counts, gap_values, gap_flags);
  check_lengths(g.unit.size(), {{"reason", g.reason.size()}, {"n", g.n.size()}, {"n_nonzero", g.n_nonzero.size()},
                                {"wilcoxon_exact", g.wilcoxon_exact.size()}, {"suppressed", g.suppressed.size()}});
  for (const auto& [key, column] : gap_values) io::detail::require_length((g.*column).size(), g.unit.size(), key);
}

}  // namespace qiscope::culture
