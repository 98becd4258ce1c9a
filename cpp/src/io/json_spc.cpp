// JSON conversions of the SPC spec and result. Enums are written as their names; missing
// numbers (NaN) as null, so that the text is valid JSON and reads back exactly.

#include <set>
#include <string>

#include <qiscope/error.hpp>
#include <qiscope/io/json.hpp>

#include "io/json_detail.hpp"

namespace qiscope::spc {

using nlohmann::json;

using namespace qiscope::io::detail;

void to_json(json& j, const Spec& s) {
  j = json{{"chart", to_string(s.chart)},
           {"rules", to_string(s.rules)},
           {"direction", to_string(s.direction)},
           {"profile", to_string(s.profile)},
           {"agg", to_string(s.agg)},
           {"multiply", s.multiply},
           {"target", s.target ? json(*s.target) : json(nullptr)},
           {"cl", s.cl ? json(*s.cl) : json(nullptr)},
           {"part", s.part},
           {"part_x", s.part_x},
           {"freeze", s.freeze ? json(*s.freeze) : json(nullptr)},
           {"exclude", s.exclude},
           {"x_categorical", s.x_categorical},
           {"y_neg", s.y_neg},
           {"screen_mr", s.screen_mr ? json(*s.screen_mr) : json(nullptr)},
           {"d2", s.d2 ? json(*s.d2) : json(nullptr)},
           {"shift_n", s.shift_n ? json(*s.shift_n) : json(nullptr)},
           {"trend_n", s.trend_n ? json(*s.trend_n) : json(nullptr)},
           {"two_of_three", s.two_of_three ? json(std::string(to_string(*s.two_of_three))) : json(nullptr)},
           {"trend_ties_break", s.trend_ties_break ? json(*s.trend_ties_break) : json(nullptr)},
           {"rule_numbers", s.rule_numbers},
           {"runs_method", std::string(to_string(s.runs_method))},
           {"flag_points", s.flag_points ? json(std::string(to_string(*s.flag_points))) : json(nullptr)},
           {"lambda", s.lambda},
           {"k", s.k},
           {"h", s.h},
           {"nsigmas", s.nsigmas},
           {"head_start", s.head_start},
           {"center", s.center ? json(*s.center) : json(nullptr)},
           {"sd", s.sd ? json(*s.sd) : json(nullptr)},
           {"odds_ratio", s.odds_ratio},
           {"limit", s.limit},
           {"n_threads", s.n_threads}};
}

void from_json(const json& j, Spec& s) {
  static const std::set<std::string> known{
      "chart", "rules", "direction", "profile", "agg", "multiply", "target", "cl", "part",
      "part_x", "freeze", "exclude", "x_categorical", "y_neg", "screen_mr", "d2", "shift_n",
      "trend_n", "two_of_three", "trend_ties_break", "rule_numbers", "flag_points", "runs_method", "lambda", "k", "h", "nsigmas",
      "head_start", "center", "sd", "odds_ratio", "limit", "n_threads"};
  check_options(j, known, "spc");
  s = Spec{};
  s.chart = parse_chart(read_name(j, "chart", "run"));
  s.rules = parse_rule_set(read_name(j, "rules", "anhoej"));
  s.direction = parse_direction(read_name(j, "direction", "neutral"));
  s.profile = parse_profile(read_name(j, "profile", "qiscope"));
  s.agg = parse_aggregate(read_name(j, "agg", "mean"));
  read(j, "multiply", s.multiply);
  read(j, "target", s.target);
  read(j, "cl", s.cl);
  read(j, "part", s.part);
  read(j, "part_x", s.part_x);
  read(j, "freeze", s.freeze);
  read(j, "exclude", s.exclude);
  read(j, "x_categorical", s.x_categorical);
  read(j, "y_neg", s.y_neg);
  read(j, "screen_mr", s.screen_mr);
  read(j, "d2", s.d2);
  read(j, "shift_n", s.shift_n);
  read(j, "trend_n", s.trend_n);
  if (j.contains("two_of_three") && !j["two_of_three"].is_null())
    s.two_of_three = parse_two_of_three(read_name(j, "two_of_three", "2023"));
  read(j, "trend_ties_break", s.trend_ties_break);
  read(j, "rule_numbers", s.rule_numbers);
  s.runs_method = parse_runs_method(read_name(j, "runs_method", "anhoej"));
  if (j.contains("flag_points") && !j["flag_points"].is_null())
    s.flag_points = parse_flag_points(read_name(j, "flag_points", "pattern"));
  read(j, "lambda", s.lambda);
  read(j, "k", s.k);
  read(j, "h", s.h);
  read(j, "nsigmas", s.nsigmas);
  read(j, "head_start", s.head_start);
  read(j, "center", s.center);
  read(j, "sd", s.sd);
  read(j, "odds_ratio", s.odds_ratio);
  read(j, "limit", s.limit);
  read(j, "n_threads", s.n_threads);
}

void to_json(json& j, const Points& p) {
  j = json{{"series", p.series}, {"x", p.x}, {"row", p.row}, {"y", doubles(p.y)},
           {"n", doubles(p.n)}, {"y_count", p.y_count}, {"value", doubles(p.value)},
           {"value_lower", doubles(p.value_lower)},
           {"phase", p.phase}, {"baseline", p.baseline}, {"excluded", p.excluded},
           {"cl", doubles(p.cl)}, {"lcl", doubles(p.lcl)}, {"ucl", doubles(p.ucl)},
           {"lcl_95", doubles(p.lcl_95)}, {"ucl_95", doubles(p.ucl_95)},
           {"sigma_signal", p.sigma_signal}, {"runs_signal", p.runs_signal},
           {"signal_member", p.signal_member}, {"special_cause", p.special_cause},
           {"rules", p.rules},
           {"point_type", names(p.point_type, [](PointType t) { return to_string(t); })}};
}

void from_json(const json& j, Points& p) {
  j.at("series").get_to(p.series);
  j.at("x").get_to(p.x);
  j.at("row").get_to(p.row);
  doubles_from(j.at("y"), p.y);
  doubles_from(j.at("n"), p.n);
  j.at("y_count").get_to(p.y_count);
  doubles_from(j.at("value"), p.value);
  // Results written before the lower statistic existed have none.
  if (j.contains("value_lower")) doubles_from(j.at("value_lower"), p.value_lower);
  else p.value_lower.assign(p.value.size(), std::numeric_limits<double>::quiet_NaN());
  j.at("phase").get_to(p.phase);
  j.at("baseline").get_to(p.baseline);
  j.at("excluded").get_to(p.excluded);
  doubles_from(j.at("cl"), p.cl);
  doubles_from(j.at("lcl"), p.lcl);
  doubles_from(j.at("ucl"), p.ucl);
  doubles_from(j.at("lcl_95"), p.lcl_95);
  doubles_from(j.at("ucl_95"), p.ucl_95);
  j.at("sigma_signal").get_to(p.sigma_signal);
  j.at("runs_signal").get_to(p.runs_signal);
  j.at("signal_member").get_to(p.signal_member);
  j.at("special_cause").get_to(p.special_cause);
  j.at("rules").get_to(p.rules);
  names_from(j.at("point_type"), p.point_type, detail::point_type_names, "point_type");
}

void to_json(json& j, const Phases& s) {
  j = json{{"series", s.series}, {"phase", s.phase}, {"first", s.first}, {"length", s.length},
           {"n_obs", s.n_obs}, {"n_useful", s.n_useful}, {"cl", doubles(s.cl)},
           {"lcl", doubles(s.lcl)}, {"ucl", doubles(s.ucl)}, {"longest_run", s.longest_run},
           {"longest_run_max", s.longest_run_max}, {"n_crossings", s.n_crossings},
           {"n_crossings_min", s.n_crossings_min}, {"runs_signal", s.runs_signal},
           {"sigma_signal", s.sigma_signal},
           {"variation", names(s.variation, [](Variation v) { return to_string(v); })},
           {"assurance", names(s.assurance, [](Assurance a) { return to_string(a); })}};
}

void from_json(const json& j, Phases& s) {
  j.at("series").get_to(s.series);
  j.at("phase").get_to(s.phase);
  j.at("first").get_to(s.first);
  j.at("length").get_to(s.length);
  j.at("n_obs").get_to(s.n_obs);
  j.at("n_useful").get_to(s.n_useful);
  doubles_from(j.at("cl"), s.cl);
  doubles_from(j.at("lcl"), s.lcl);
  doubles_from(j.at("ucl"), s.ucl);
  j.at("longest_run").get_to(s.longest_run);
  j.at("longest_run_max").get_to(s.longest_run_max);
  j.at("n_crossings").get_to(s.n_crossings);
  j.at("n_crossings_min").get_to(s.n_crossings_min);
  j.at("runs_signal").get_to(s.runs_signal);
  j.at("sigma_signal").get_to(s.sigma_signal);
  names_from(j.at("variation"), s.variation, detail::variation_names, "variation");
  names_from(j.at("assurance"), s.assurance, detail::assurance_names, "assurance");
}

void to_json(json& j, const Result& r) {
  j = json{{"format", "qiscope.spc.result"}, {"version", 1}, {"spec", r.spec},
           {"points", r.points}, {"phases", r.phases}};
}

void from_json(const json& j, Result& r) {
  if (j.value("format", "") != "qiscope.spc.result")
    throw input_error("format", -1, "format", "is not a qiscope SPC result");
  try {
    j.at("spec").get_to(r.spec);
    j.at("points").get_to(r.points);
    j.at("phases").get_to(r.phases);
  } catch (const json::exception& e) {
    throw input_error("result", -1, "format", std::string("is not a valid SPC result: ") + e.what());
  }
}

}  // namespace qiscope::spc
