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

json column(const std::vector<double>& v) {
  json out = json::array();
  for (double x : v) out.push_back(number(x));
  return out;
}
template <class T>
json column(const std::vector<T>& v) {
  return json(v);
}
template <class E, std::size_t N>
json names(const std::array<std::pair<E, std::string_view>, N>& table, const std::vector<E>& v) {
  json out = json::array();
  for (E e : v) out.push_back(std::string(name_of(table, e)));
  return out;
}

void read(const json& j, const char* key, std::vector<double>& v) {
  v.clear();
  for (const auto& x : j.at(key)) v.push_back(number(x));
}
template <class T>
void read(const json& j, const char* key, std::vector<T>& v) {
  v = j.at(key).get<std::vector<T>>();
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

void to_json(json& j, const ScoreTable& t) {
  j = json{{"format", "qiscope.culture.ScoreTable/1"},
           {"instrument", t.instrument},
           {"min_n", t.min_n},
           {"conf_level", t.conf_level},
           {"composite", std::string(name_of(composite_names, t.composite))},
           {"n_rows", t.n_rows},
           {"n_scored", t.n_scored},
           {"n_excluded", t.n_excluded},
           {"measures", t.measures},
           {"unit_labels", t.unit_labels},
           {"checks", t.checks}};
  json rows{{"unit", t.unit},
            {"measure", t.measure},
            {"kind", names(kind_names, t.kind)},
            {"n_respondents", t.n_respondents},
            {"n_valid", t.n_valid},
            {"n_positive", t.n_positive},
            {"n_neutral", t.n_neutral},
            {"n_negative", t.n_negative},
            {"n_dna", t.n_dna},
            {"percent_positive", column(t.percent_positive)},
            {"percent_neutral", column(t.percent_neutral)},
            {"percent_negative", column(t.percent_negative)},
            {"ci_low", column(t.ci_low)},
            {"ci_high", column(t.ci_high)},
            {"mean", column(t.mean)},
            {"suppressed", t.suppressed},
            {"reason", names(reason_names, t.reason)}};
  j["rows"] = rows;
}

void from_json(const json& j, ScoreTable& t) {
  check_format(j, "qiscope.culture.ScoreTable/1");
  t.instrument = j.at("instrument").get<std::string>();
  t.min_n = j.at("min_n").get<int>();
  t.conf_level = j.at("conf_level").get<double>();
  t.composite = value_of(composite_names, j.at("composite"), "composite");
  t.n_rows = j.at("n_rows").get<std::int64_t>();
  t.n_scored = j.at("n_scored").get<std::int64_t>();
  t.n_excluded = j.at("n_excluded").get<std::int64_t>();
  t.measures = j.at("measures").get<std::vector<std::string>>();
  t.unit_labels = j.at("unit_labels").get<std::vector<std::string>>();
  t.checks = j.at("checks").get<std::vector<PolarityCheck>>();
  const json& rows = j.at("rows");
  read(rows, "unit", t.unit);
  read(rows, "measure", t.measure);
  read_names(kind_names, rows, "kind", t.kind);
  read(rows, "n_respondents", t.n_respondents);
  read(rows, "n_valid", t.n_valid);
  read(rows, "n_positive", t.n_positive);
  read(rows, "n_neutral", t.n_neutral);
  read(rows, "n_negative", t.n_negative);
  read(rows, "n_dna", t.n_dna);
  read(rows, "percent_positive", t.percent_positive);
  read(rows, "percent_neutral", t.percent_neutral);
  read(rows, "percent_negative", t.percent_negative);
  read(rows, "ci_low", t.ci_low);
  read(rows, "ci_high", t.ci_high);
  read(rows, "mean", t.mean);
  read(rows, "suppressed", t.suppressed);
  read_names(reason_names, rows, "reason", t.reason);
}

void to_json(json& j, const Reliability& r) {
  j = json{{"format", "qiscope.culture.Reliability/1"},
           {"measure", r.measure},
           {"missing", std::string(name_of(missing_names, r.missing))},
           {"n_used", r.n_used},
           {"n_items", r.n_items},
           {"conf_level", r.conf_level},
           {"alpha", number(r.alpha)},
           {"alpha_ci_low", number(r.alpha_ci_low)},
           {"alpha_ci_high", number(r.alpha_ci_high)},
           {"alpha_ase", number(r.alpha_ase)},
           {"alpha_ase_ci_low", number(r.alpha_ase_ci_low)},
           {"alpha_ase_ci_high", number(r.alpha_ase_ci_high)},
           {"std_alpha", number(r.std_alpha)},
           {"average_r", number(r.average_r)},
           {"omega", number(r.omega)},
           {"omega_mcdonald", number(r.omega_mcdonald)},
           {"heywood", r.heywood},
           {"suppressed", r.suppressed},
           {"reason", std::string(name_of(reason_names, r.reason))},
           {"min_n", r.min_n},
           {"notes", r.notes},
           {"checks", r.checks}};
  j["items"] = json{{"item", r.items.item},
                    {"n_valid", r.items.n_valid},
                    {"mean", column(r.items.mean)},
                    {"sd", column(r.items.sd)},
                    {"alpha_if_deleted", column(r.items.alpha_if_deleted)},
                    {"std_alpha_if_deleted", column(r.items.std_alpha_if_deleted)},
                    {"average_r_if_deleted", column(r.items.average_r_if_deleted)},
                    {"r_drop", column(r.items.r_drop)},
                    {"loading", column(r.items.loading)}};
}

void from_json(const json& j, Reliability& r) {
  check_format(j, "qiscope.culture.Reliability/1");
  r.measure = j.at("measure").get<std::string>();
  r.missing = value_of(missing_names, j.at("missing"), "missing");
  r.n_used = j.at("n_used").get<std::int64_t>();
  r.n_items = j.at("n_items").get<std::int64_t>();
  r.conf_level = j.at("conf_level").get<double>();
  for (auto [key, field] : {std::pair{"alpha", &r.alpha}, {"alpha_ci_low", &r.alpha_ci_low},
                            {"alpha_ci_high", &r.alpha_ci_high}, {"alpha_ase", &r.alpha_ase},
                            {"alpha_ase_ci_low", &r.alpha_ase_ci_low}, {"alpha_ase_ci_high", &r.alpha_ase_ci_high},
                            {"std_alpha", &r.std_alpha}, {"average_r", &r.average_r}, {"omega", &r.omega},
                            {"omega_mcdonald", &r.omega_mcdonald}})
    *field = number(j.at(key));
  r.heywood = j.at("heywood").get<bool>();
  r.suppressed = j.at("suppressed").get<bool>();
  r.reason = value_of(reason_names, j.at("reason"), "reason");
  r.min_n = j.at("min_n").get<int>();
  r.notes = j.at("notes").get<std::vector<std::string>>();
  r.checks = j.at("checks").get<std::vector<PolarityCheck>>();
  const json& items = j.at("items");
  read(items, "item", r.items.item);
  read(items, "n_valid", r.items.n_valid);
  read(items, "mean", r.items.mean);
  read(items, "sd", r.items.sd);
  read(items, "alpha_if_deleted", r.items.alpha_if_deleted);
  read(items, "std_alpha_if_deleted", r.items.std_alpha_if_deleted);
  read(items, "average_r_if_deleted", r.items.average_r_if_deleted);
  read(items, "r_drop", r.items.r_drop);
  read(items, "loading", r.items.loading);
}

void to_json(json& j, const Agreement& a) {
  j = json{{"format", "qiscope.culture.Agreement/1"},
           {"measure", a.measure},
           {"n_items", a.n_items},
           {"null_variance", a.null_variance},
           {"missing_data", a.missing_data},
           {"icc_n", a.icc_n},
           {"icc_units", a.icc_units},
           {"df_between", number(a.df_between)},
           {"df_within", number(a.df_within)},
           {"msb", number(a.msb)},
           {"msw", number(a.msw)},
           {"mean_group_size", number(a.mean_group_size)},
           {"n0", number(a.n0)},
           {"icc1", number(a.icc1)},
           {"icc1_n0", number(a.icc1_n0)},
           {"icc2", number(a.icc2)},
           {"icc1_ci_low", number(a.icc1_ci_low)},
           {"icc1_ci_high", number(a.icc1_ci_high)},
           {"icc2_ci_low", number(a.icc2_ci_low)},
           {"icc2_ci_high", number(a.icc2_ci_high)},
           {"unit_labels", a.unit_labels},
           {"min_n", a.min_n},
           {"notes", a.notes}};
  j["units"] = json{{"unit", a.unit},
                    {"n", a.n},
                    {"n_respondents", a.n_respondents},
                    {"mean_item_variance", column(a.mean_item_variance)},
                    {"rwg_j", column(a.rwg_j)},
                    {"rwg_lindell", column(a.rwg_lindell)},
                    {"ad_m", column(a.ad_m)},
                    {"suppressed", a.suppressed},
                    {"reason", names(reason_names, a.reason)}};
}

void from_json(const json& j, Agreement& a) {
  check_format(j, "qiscope.culture.Agreement/1");
  a.measure = j.at("measure").get<std::string>();
  a.n_items = j.at("n_items").get<std::int64_t>();
  a.null_variance = j.at("null_variance").get<double>();
  a.missing_data = j.at("missing_data").get<std::string>();
  a.icc_n = j.at("icc_n").get<std::int64_t>();
  a.icc_units = j.at("icc_units").get<std::int64_t>();
  for (auto [key, field] : {std::pair{"df_between", &a.df_between}, {"df_within", &a.df_within}, {"msb", &a.msb},
                            {"msw", &a.msw}, {"mean_group_size", &a.mean_group_size}, {"n0", &a.n0},
                            {"icc1", &a.icc1}, {"icc1_n0", &a.icc1_n0}, {"icc2", &a.icc2},
                            {"icc1_ci_low", &a.icc1_ci_low}, {"icc1_ci_high", &a.icc1_ci_high},
                            {"icc2_ci_low", &a.icc2_ci_low}, {"icc2_ci_high", &a.icc2_ci_high}})
    *field = number(j.at(key));
  a.unit_labels = j.at("unit_labels").get<std::vector<std::string>>();
  a.min_n = j.at("min_n").get<int>();
  a.notes = j.at("notes").get<std::vector<std::string>>();
  const json& units = j.at("units");
  read(units, "unit", a.unit);
  read(units, "n", a.n);
  read(units, "n_respondents", a.n_respondents);
  read(units, "mean_item_variance", a.mean_item_variance);
  read(units, "rwg_j", a.rwg_j);
  read(units, "rwg_lindell", a.rwg_lindell);
  read(units, "ad_m", a.ad_m);
  read(units, "suppressed", a.suppressed);
  read_names(reason_names, units, "reason", a.reason);
}

void to_json(json& j, const Gap& g) {
  j = json{{"format", "qiscope.culture.Gap/1"}, {"a", g.a},           {"b", g.b},
           {"unit_labels", g.unit_labels},      {"min_n", g.min_n}, {"conf_level", g.conf_level}};
  j["rows"] = json{{"unit", g.unit},
                   {"n", g.n},
                   {"mean_a", column(g.mean_a)},
                   {"mean_b", column(g.mean_b)},
                   {"diff", column(g.diff)},
                   {"sd_diff", column(g.sd_diff)},
                   {"diff_ci_low", column(g.diff_ci_low)},
                   {"diff_ci_high", column(g.diff_ci_high)},
                   {"t", column(g.t)},
                   {"df", column(g.df)},
                   {"p", column(g.p)},
                   {"wilcoxon_v", column(g.wilcoxon_v)},
                   {"wilcoxon_p", column(g.wilcoxon_p)},
                   {"wilcoxon_exact", g.wilcoxon_exact},
                   {"n_nonzero", g.n_nonzero},
                   {"d_z", column(g.d_z)},
                   {"percent_positive_a", column(g.percent_positive_a)},
                   {"percent_positive_b", column(g.percent_positive_b)},
                   {"percent_positive_diff", column(g.percent_positive_diff)},
                   {"percent_diff_ci_low", column(g.percent_diff_ci_low)},
                   {"percent_diff_ci_high", column(g.percent_diff_ci_high)},
                   {"mcnemar_p", column(g.mcnemar_p)},
                   {"suppressed", g.suppressed},
                   {"reason", names(reason_names, g.reason)}};
}

void from_json(const json& j, Gap& g) {
  check_format(j, "qiscope.culture.Gap/1");
  g.a = j.at("a").get<std::string>();
  g.b = j.at("b").get<std::string>();
  g.unit_labels = j.at("unit_labels").get<std::vector<std::string>>();
  g.min_n = j.at("min_n").get<int>();
  g.conf_level = j.at("conf_level").get<double>();
  const json& rows = j.at("rows");
  read(rows, "unit", g.unit);
  read(rows, "n", g.n);
  for (auto [key, field] : {std::pair{"mean_a", &g.mean_a}, {"mean_b", &g.mean_b}, {"diff", &g.diff},
                            {"sd_diff", &g.sd_diff}, {"diff_ci_low", &g.diff_ci_low}, {"diff_ci_high", &g.diff_ci_high},
                            {"t", &g.t}, {"df", &g.df}, {"p", &g.p}, {"wilcoxon_v", &g.wilcoxon_v},
                            {"wilcoxon_p", &g.wilcoxon_p}, {"d_z", &g.d_z},
                            {"percent_positive_a", &g.percent_positive_a}, {"percent_positive_b", &g.percent_positive_b},
                            {"percent_positive_diff", &g.percent_positive_diff},
                            {"percent_diff_ci_low", &g.percent_diff_ci_low},
                            {"percent_diff_ci_high", &g.percent_diff_ci_high}, {"mcnemar_p", &g.mcnemar_p}})
    read(rows, key, *field);
  read(rows, "wilcoxon_exact", g.wilcoxon_exact);
  read(rows, "n_nonzero", g.n_nonzero);
  read(rows, "suppressed", g.suppressed);
  read_names(reason_names, rows, "reason", g.reason);
}

}  // namespace qiscope::culture
