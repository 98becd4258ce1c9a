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
           {"series_direction", names(s.series_direction, [](Direction d) { return to_string(d); })},
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
           {"confidence_level", s.confidence_level ? json(*s.confidence_level) : json(nullptr)},
           {"lambda", s.lambda},
           {"k", s.k},
           {"h", s.h},
           {"nsigmas", s.nsigmas},
           {"head_start", s.head_start},
           {"center", s.center ? json(*s.center) : json(nullptr)},
           {"sd", s.sd ? json(*s.sd) : json(nullptr)},
           {"sd_method", s.sd_method ? json(std::string(to_string(*s.sd_method))) : json(nullptr)},
           {"odds_ratio", s.odds_ratio},
           {"limit", s.limit},
           {"n_threads", s.n_threads}};
}

void from_json(const json& j, Spec& s) {
  static const std::set<std::string> known{
      "chart", "rules", "direction", "series_direction", "profile", "agg", "multiply", "target", "cl", "part",
      "part_x", "freeze", "exclude", "x_categorical", "y_neg", "screen_mr", "d2", "shift_n",
      "trend_n", "two_of_three", "trend_ties_break", "rule_numbers", "flag_points", "confidence_level", "runs_method", "lambda", "k", "h", "nsigmas",
      "head_start", "center", "sd", "sd_method", "odds_ratio", "limit", "n_threads"};
  check_options(j, known, "spc");
  s = Spec{};
  s.chart = parse_chart(read_name(j, "chart", "run"));
  s.rules = parse_rule_set(read_name(j, "rules", "anhoej"));
  s.direction = parse_direction(read_name(j, "direction", "neutral"));
  // Results written before per-series directions existed have none (the call's direction).
  if (j.contains("series_direction") && !j["series_direction"].is_null())
    names_from(j["series_direction"], s.series_direction, detail::direction_names,
               "series_direction");
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
  read(j, "confidence_level", s.confidence_level);
  read(j, "lambda", s.lambda);
  read(j, "k", s.k);
  read(j, "h", s.h);
  read(j, "nsigmas", s.nsigmas);
  read(j, "head_start", s.head_start);
  read(j, "center", s.center);
  read(j, "sd", s.sd);
  if (j.contains("sd_method") && !j["sd_method"].is_null())
    s.sd_method = parse_sd_method(read_name(j, "sd_method", "rmsdf"));
  read(j, "odds_ratio", s.odds_ratio);
  read(j, "limit", s.limit);
  read(j, "n_threads", s.n_threads);
}

void to_json(json& j, const Points& p) {
  j = json{{"series", p.series}, {"x", p.x}, {"row", p.row}, {"n_rows", p.n_rows}, {"y", doubles(p.y)},
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
  if (!j.is_object()) throw input_error("points", -1, "type", "must be an object of columns");
  integers_from(j.at("series"), p.series, "series");
  integers_from(j.at("x"), p.x, "x");
  integers_from(j.at("row"), p.row, "row");
  // Results written before n_rows existed do not say how many rows each point combined (0).
  if (j.contains("n_rows")) integers_from(j.at("n_rows"), p.n_rows, "n_rows");
  else p.n_rows.assign(p.row.size(), 0);
  doubles_from(j.at("y"), p.y, "y");
  doubles_from(j.at("n"), p.n, "n");
  integers_from(j.at("y_count"), p.y_count, "y_count");
  doubles_from(j.at("value"), p.value, "value");
  // Results written before the lower statistic existed have none.
  if (j.contains("value_lower")) doubles_from(j.at("value_lower"), p.value_lower, "value_lower");
  else p.value_lower.assign(p.value.size(), std::numeric_limits<double>::quiet_NaN());
  integers_from(j.at("phase"), p.phase, "phase");
  integers_from(j.at("baseline"), p.baseline, "baseline");
  integers_from(j.at("excluded"), p.excluded, "excluded");
  doubles_from(j.at("cl"), p.cl, "cl");
  doubles_from(j.at("lcl"), p.lcl, "lcl");
  doubles_from(j.at("ucl"), p.ucl, "ucl");
  doubles_from(j.at("lcl_95"), p.lcl_95, "lcl_95");
  doubles_from(j.at("ucl_95"), p.ucl_95, "ucl_95");
  integers_from(j.at("sigma_signal"), p.sigma_signal, "sigma_signal");
  integers_from(j.at("runs_signal"), p.runs_signal, "runs_signal");
  integers_from(j.at("signal_member"), p.signal_member, "signal_member");
  integers_from(j.at("special_cause"), p.special_cause, "special_cause");
  integers_from(j.at("rules"), p.rules, "rules");
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
  if (!j.is_object()) throw input_error("phases", -1, "type", "must be an object of columns");
  integers_from(j.at("series"), s.series, "series");
  integers_from(j.at("phase"), s.phase, "phase");
  integers_from(j.at("first"), s.first, "first");
  integers_from(j.at("length"), s.length, "length");
  integers_from(j.at("n_obs"), s.n_obs, "n_obs");
  integers_from(j.at("n_useful"), s.n_useful, "n_useful");
  doubles_from(j.at("cl"), s.cl, "cl");
  doubles_from(j.at("lcl"), s.lcl, "lcl");
  doubles_from(j.at("ucl"), s.ucl, "ucl");
  integers_from(j.at("longest_run"), s.longest_run, "longest_run");
  integers_from(j.at("longest_run_max"), s.longest_run_max, "longest_run_max");
  integers_from(j.at("n_crossings"), s.n_crossings, "n_crossings");
  integers_from(j.at("n_crossings_min"), s.n_crossings_min, "n_crossings_min");
  integers_from(j.at("runs_signal"), s.runs_signal, "runs_signal");
  integers_from(j.at("sigma_signal"), s.sigma_signal, "sigma_signal");
  names_from(j.at("variation"), s.variation, detail::variation_names, "variation");
  names_from(j.at("assurance"), s.assurance, detail::assurance_names, "assurance");
}

namespace {

/// A result read from JSON is used like a computed one (plots index points by phase), so its
/// columns must agree: one length per table, and phases that cover the points in order.
void check_shape(const Result& r) {
  const Points& p = r.points;
  const std::size_t n = p.series.size();  // the first column; every other must match it
  const auto same = require_length;
  same(p.x.size(), n, "x"); same(p.row.size(), n, "row");
  same(p.n_rows.size(), n, "n_rows");
  same(p.y.size(), n, "y"); same(p.n.size(), n, "n"); same(p.y_count.size(), n, "y_count");
  same(p.value.size(), n, "value");
  same(p.value_lower.size(), n, "value_lower"); same(p.phase.size(), n, "phase");
  same(p.baseline.size(), n, "baseline"); same(p.excluded.size(), n, "excluded");
  same(p.cl.size(), n, "cl"); same(p.lcl.size(), n, "lcl"); same(p.ucl.size(), n, "ucl");
  same(p.lcl_95.size(), n, "lcl_95"); same(p.ucl_95.size(), n, "ucl_95");
  same(p.sigma_signal.size(), n, "sigma_signal"); same(p.runs_signal.size(), n, "runs_signal");
  same(p.signal_member.size(), n, "signal_member"); same(p.special_cause.size(), n, "special_cause");
  same(p.rules.size(), n, "rules"); same(p.point_type.size(), n, "point_type");
  const Phases& s = r.phases;
  const std::size_t m = s.series.size();
  same(s.phase.size(), m, "phase"); same(s.first.size(), m, "first"); same(s.length.size(), m, "length");
  same(s.n_obs.size(), m, "n_obs"); same(s.n_useful.size(), m, "n_useful"); same(s.cl.size(), m, "cl");
  same(s.lcl.size(), m, "lcl"); same(s.ucl.size(), m, "ucl"); same(s.longest_run.size(), m, "longest_run");
  same(s.longest_run_max.size(), m, "longest_run_max"); same(s.n_crossings.size(), m, "n_crossings");
  same(s.n_crossings_min.size(), m, "n_crossings_min"); same(s.runs_signal.size(), m, "runs_signal");
  same(s.sigma_signal.size(), m, "sigma_signal"); same(s.variation.size(), m, "variation");
  same(s.assurance.size(), m, "assurance");
  // Phases tile the points: each starts where the previous ended, and the last ends at the end.
  std::int64_t next = 0;
  for (std::size_t k = 0; k < m; ++k) {
    if (s.first[k] != next || s.length[k] < 1 || s.length[k] > static_cast<std::int64_t>(n) - next)
      throw input_error("phases", static_cast<std::int64_t>(k), "format",
                        "do not cover the points in order (first " + std::to_string(s.first[k]) +
                            ", length " + std::to_string(s.length[k]) + ")");
    next += s.length[k];
  }
  if (next != static_cast<std::int64_t>(n))
    throw input_error("phases", -1, "format", "do not cover every point");
}

}  // namespace

void to_json(json& j, const Result& r) {
  j = json{{"format", "qiscope.spc.result"}, {"version", 1}, {"spec", r.spec},
           {"points", r.points}, {"phases", r.phases}};
}

void from_json(const json& j, Result& r) {
  check_document(j, "qiscope.spc.result", "SPC");
  try {
    j.at("spec").get_to(r.spec);
    j.at("points").get_to(r.points);
    j.at("phases").get_to(r.phases);
  } catch (const json::exception& e) {
    throw input_error("result", -1, "format", std::string("is not a valid SPC result: ") + e.what());
  }
  check_shape(r);
}

}  // namespace qiscope::spc
