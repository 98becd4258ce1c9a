// JSON conversions of the funnel-plot spec and result (format "qiscope.funnel.result").

#include <set>
#include <string>

#include <qiscope/error.hpp>
#include <qiscope/io/json.hpp>

#include "io/json_detail.hpp"

namespace qiscope::funnel {

using nlohmann::json;
using namespace qiscope::io::detail;

namespace {

json columns(const std::vector<std::vector<double>>& by_coverage) {
  json a = json::array();
  for (const auto& v : by_coverage) a.push_back(doubles(v));
  return a;
}
void columns_from(const json& j, std::vector<std::vector<double>>& out, const char* field) {
  out.clear();
  for (const auto& v : array_of(j, field)) doubles_from(v, out.emplace_back(), field);
}

/// A result read from JSON is used like a computed one, so its columns must agree: one entry
/// per unit (or grid row) in every column, one column per coverage of the spec.
void check_shape(const Result& r) {
  const auto same = require_length;
  const std::size_t nc = r.spec.coverage.size();
  const Units& u = r.units;
  const std::size_t k = u.unit.size();
  same(u.row.size(), k, "row"); same(u.y.size(), k, "y"); same(u.n.size(), k, "n");
  same(u.value.size(), k, "value"); same(u.z.size(), k, "z"); same(u.z_winsorised.size(), k, "z_winsorised");
  same(u.outlier.size(), k, "outlier");
  same(u.lcl.size(), nc, "lcl"); same(u.ucl.size(), nc, "ucl");
  for (std::size_t c = 0; c < nc; ++c) {
    same(u.lcl[c].size(), k, "lcl");
    same(u.ucl[c].size(), k, "ucl");
  }
  const LimitTable& l = r.limits;
  const std::size_t g = l.n.size();
  for (const auto* table : {&l.lcl, &l.ucl, &l.lcl_unadjusted, &l.ucl_unadjusted}) {
    same(table->size(), nc, "limits");
    for (const auto& column : *table) same(column.size(), g, "limits");
  }
}

}  // namespace

void to_json(json& j, const Spec& s) {
  j = json{{"kind", to_string(s.kind)},
           {"overdispersion", to_string(s.overdispersion)},
           {"profile", to_string(s.profile)},
           {"coverage", s.coverage},
           {"outlier_coverage", optional(s.outlier_coverage)},
           {"sr_method", s.sr_method ? json(std::string(to_string(*s.sr_method))) : json(nullptr)},
           {"limit_method", s.limit_method ? json(std::string(to_string(*s.limit_method))) : json(nullptr)},
           {"shmi_rounding", optional(s.shmi_rounding)},
           {"target", optional(s.target)},
           {"trim_by", s.trim_by},
           {"multiply", s.multiply},
           {"grid_size", s.grid_size},
           {"n_threads", s.n_threads}};
}

void from_json(const json& j, Spec& s) {
  static const std::set<std::string> known{
      "kind", "overdispersion", "profile", "coverage", "outlier_coverage", "sr_method",
      "limit_method", "shmi_rounding", "target", "trim_by", "multiply", "grid_size", "n_threads"};
  check_options(j, known, "funnel");
  s = Spec{};
  s.kind = parse_kind(read_name(j, "kind", "proportion"));
  s.overdispersion = parse_overdispersion(read_name(j, "overdispersion", "none"));
  s.profile = parse_profile(read_name(j, "profile", "qiscope"));
  read(j, "coverage", s.coverage);
  read(j, "outlier_coverage", s.outlier_coverage);
  if (j.contains("sr_method") && !j["sr_method"].is_null())
    s.sr_method = parse_ratio_method(read_name(j, "sr_method", "CQC"));
  if (j.contains("limit_method") && !j["limit_method"].is_null())
    s.limit_method = parse_limit_method(read_name(j, "limit_method", "exact"));
  read(j, "shmi_rounding", s.shmi_rounding);
  read(j, "target", s.target);
  read(j, "trim_by", s.trim_by);
  read(j, "multiply", s.multiply);
  read(j, "grid_size", s.grid_size);
  read(j, "n_threads", s.n_threads);
}

void to_json(json& j, const Result& r) {
  const Units& u = r.units;
  const LimitTable& l = r.limits;
  j = json{{"format", "qiscope.funnel.result"},
           {"version", 1},
           {"spec", r.spec},
           {"target", number(r.target)},
           {"phi", number(r.phi)},
           {"tau2", number(r.tau2)},
           {"phi_p_value", number(r.phi_p_value)},
           {"n_phi", r.n_phi},
           {"adjusted", r.adjusted},
           {"units", {{"unit", u.unit}, {"row", u.row}, {"y", doubles(u.y)}, {"n", doubles(u.n)},
                      {"value", doubles(u.value)}, {"z", doubles(u.z)},
                      {"z_winsorised", doubles(u.z_winsorised)}, {"lcl", columns(u.lcl)},
                      {"ucl", columns(u.ucl)}, {"outlier", u.outlier}}},
           {"limits", {{"n", doubles(l.n)}, {"lcl", columns(l.lcl)}, {"ucl", columns(l.ucl)},
                       {"lcl_unadjusted", columns(l.lcl_unadjusted)},
                       {"ucl_unadjusted", columns(l.ucl_unadjusted)}}}};
}

void from_json(const json& j, Result& r) {
  check_document(j, "qiscope.funnel.result", "funnel");
  try {
    j.at("spec").get_to(r.spec);
    r.target = number_from(j.at("target"), "target");
    r.phi = number_from(j.at("phi"), "phi");
    r.tau2 = number_from(j.at("tau2"), "tau2");
    r.phi_p_value = number_from(j.at("phi_p_value"), "phi_p_value");
    r.n_phi = integer_from<std::int64_t>(j.at("n_phi"), "n_phi");
    const json& adjusted = j.at("adjusted");
    if (!adjusted.is_boolean()) throw input_error("adjusted", -1, "type", "must be true or false");
    r.adjusted = adjusted.get<bool>();
    const json& u = j.at("units");
    integers_from(u.at("unit"), r.units.unit, "unit");
    integers_from(u.at("row"), r.units.row, "row");
    doubles_from(u.at("y"), r.units.y, "y");
    doubles_from(u.at("n"), r.units.n, "n");
    doubles_from(u.at("value"), r.units.value, "value");
    doubles_from(u.at("z"), r.units.z, "z");
    doubles_from(u.at("z_winsorised"), r.units.z_winsorised, "z_winsorised");
    columns_from(u.at("lcl"), r.units.lcl, "lcl");
    columns_from(u.at("ucl"), r.units.ucl, "ucl");
    integers_from(u.at("outlier"), r.units.outlier, "outlier");
    const json& l = j.at("limits");
    doubles_from(l.at("n"), r.limits.n, "n");
    columns_from(l.at("lcl"), r.limits.lcl, "lcl");
    columns_from(l.at("ucl"), r.limits.ucl, "ucl");
    columns_from(l.at("lcl_unadjusted"), r.limits.lcl_unadjusted, "lcl_unadjusted");
    columns_from(l.at("ucl_unadjusted"), r.limits.ucl_unadjusted, "ucl_unadjusted");
  } catch (const json::exception& e) {
    throw input_error("result", -1, "format", std::string("is not a valid funnel result: ") + e.what());
  }
  check_shape(r);
}

}  // namespace qiscope::funnel
