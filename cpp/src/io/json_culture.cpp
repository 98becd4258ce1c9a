// JSON for the culture results: columns as arrays, NaN as null, enumerations by name.

#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <qiscope/error.hpp>
#include <qiscope/io/json_culture.hpp>

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

template <class E, std::size_t N>
E value_of(const std::array<std::pair<E, std::string_view>, N>& table, const json& j, const char* field) {
  const auto text = j.is_null() ? std::string() : j.get<std::string>();
  for (const auto& [e, name] : table)
    if (name == text) return e;
  throw input_error(field, -1, "unknown_name", "'" + text + "' is not a known value");
}

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double number(const json& j) { return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>(); }

// One encode/decode pair per member type: NaN <-> null for doubles, plain JSON otherwise.
json encode(double v) { return number(v); }
json encode(const std::vector<double>& v) {
  json out = json::array();
  for (double x : v) out.push_back(number(x));
  return out;
}
template <class T>
json encode(const T& v) {
  return json(v);
}
void decode(const json& j, double& v) { v = number(j); }
void decode(const json& j, std::vector<double>& v) {
  v.clear();
  for (const auto& x : j) v.push_back(number(x));
}
template <class T>
void decode(const json& j, T& v) {
  v = j.get<T>();
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
  for (const auto& [key, member] : fields) decode(j.at(key), s.*member);
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
  for (const auto& x : j.at(key)) v.push_back(value_of(table, x, key));
}

void check_format(const json& j, const char* format) {
  if (!j.is_object() || j.value("format", std::string()) != format)
    throw input_error("json", -1, "format", std::string("not a ") + format + " document");
}

}  // namespace

std::string_view to_string(Reason r) noexcept { return name_of(reason_names, r); }
std::string_view to_string(Kind k) noexcept { return name_of(kind_names, k); }
std::string_view to_string(MissingPolicy m) noexcept { return name_of(missing_names, m); }

void to_json(json& j, const PolarityCheck& c) {
  j = json{{"item", c.item}, {"composite", c.composite}, {"r_rest", number(c.r_rest)}, {"n", c.n}};
}
void from_json(const json& j, PolarityCheck& c) {
  c.item = j.at("item").get<std::string>();
  c.composite = j.at("composite").get<std::string>();
  c.r_rest = number(j.at("r_rest"));
  c.n = j.at("n").get<std::int64_t>();
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
  t.composite = value_of(composite_names, j.at("composite"), "composite");
  t.checks = j.at("checks").get<std::vector<PolarityCheck>>();
  read_all(j, t, score_text, score_int, score_double, score_count, score_names);
  const json& rows = j.at("rows");
  read_names(kind_names, rows, "kind", t.kind);
  read_names(reason_names, rows, "reason", t.reason);
  read_all(rows, t, score_counts, score_measure, score_values, score_flags);
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
  r.missing = value_of(missing_names, j.at("missing"), "missing");
  r.reason = value_of(reason_names, j.at("reason"), "reason");
  r.checks = j.at("checks").get<std::vector<PolarityCheck>>();
  read_all(j, r, reliability_values, reliability_counts, reliability_flags, reliability_int, reliability_text,
           reliability_notes);
  read_all(j.at("items"), r.items, item_names, item_counts, item_values);
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
  const json& units = j.at("units");
  read_names(reason_names, units, "reason", a.reason);
  read_all(units, a, unit_counts, unit_values, unit_flags);
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
  const json& rows = j.at("rows");
  read_names(reason_names, rows, "reason", g.reason);
  read_all(rows, g, gap_counts, gap_values, gap_flags);
}

}  // namespace qiscope::culture
