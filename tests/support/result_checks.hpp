#pragma once
// Invariants every computed result must satisfy, shared by the fuzz targets (tests/fuzz) and the
// GoogleTest suite. Each check returns "" when the result is sound, else what is wrong.

#include <cmath>
#include <string>
#include <vector>

#include <qiscope/io/json.hpp>
#include <qiscope/spc.hpp>
#include <qiscope/spc/funnel.hpp>

namespace qiscope::checks {

namespace checks_detail {
inline std::string infinite_in(const std::vector<double>& column, const char* name) {
  for (std::size_t i = 0; i < column.size(); ++i)
    if (std::isinf(column[i])) return std::string(name) + "[" + std::to_string(i) + "] is infinite";
  return "";
}
}  // namespace checks_detail

/// A computed SPC result: columns of one length, phases that tile the points, no infinite
/// number anywhere (overflow must be an input_error, a missing value NaN), signals only where a
/// value and a limit exist, and a lossless JSON round trip.
inline std::string check_spc_result(const spc::Result& r) {
  using checks_detail::infinite_in;
  const auto& p = r.points;
  const std::size_t n = p.size();
  for (std::size_t size : {p.series.size(), p.x.size(), p.row.size(), p.n_rows.size(), p.y.size(), p.n.size(),
                           p.y_count.size(), p.value_lower.size(), p.phase.size(), p.baseline.size(),
                           p.excluded.size(), p.cl.size(), p.lcl.size(), p.ucl.size(), p.lcl_95.size(),
                           p.ucl_95.size(), p.sigma_signal.size(), p.runs_signal.size(),
                           p.signal_member.size(), p.special_cause.size(), p.rules.size(),
                           p.point_type.size()})
    if (size != n) return "points columns differ in length";
  struct Named { const std::vector<double>* column; const char* name; };
  for (const Named& c : {Named{&p.y, "y"}, Named{&p.n, "n"}, Named{&p.value, "value"},
                         Named{&p.value_lower, "value_lower"}, Named{&p.cl, "cl"}, Named{&p.lcl, "lcl"},
                         Named{&p.ucl, "ucl"}, Named{&p.lcl_95, "lcl_95"}, Named{&p.ucl_95, "ucl_95"},
                         Named{&r.phases.cl, "phases.cl"}, Named{&r.phases.lcl, "phases.lcl"},
                         Named{&r.phases.ucl, "phases.ucl"}})
    if (auto e = infinite_in(*c.column, c.name); !e.empty()) return e;
  for (std::size_t i = 0; i < n; ++i) {
    if (p.sigma_signal[i]) {
      // At or beyond a limit: strictly for Shewhart charts, at it for the likelihood CUSUMs.
      const double low = std::isfinite(p.value_lower[i]) ? p.value_lower[i] : p.value[i];
      const bool upper = std::isfinite(p.value[i]) && std::isfinite(p.ucl[i]) && p.value[i] >= p.ucl[i];
      const bool lower = std::isfinite(low) && std::isfinite(p.lcl[i]) && low <= p.lcl[i];
      if (!upper && !lower) return "sigma_signal without a value beyond a limit at point " + std::to_string(i);
    }
    if (p.n_rows[i] < 1) return "a point combines no input row at point " + std::to_string(i);
    if (p.special_cause[i] != (p.rules[i] != 0)) return "special_cause disagrees with rules at point " + std::to_string(i);
    if (p.point_type[i] != spc::PointType::common_cause && !p.special_cause[i])
      return "a common-cause point has a signal type at point " + std::to_string(i);
  }
  const auto& s = r.phases;
  std::int64_t next = 0;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (s.first[k] != next || s.length[k] < 1) return "phases do not tile the points";
    if (s.n_useful[k] > s.n_obs[k] || s.n_obs[k] > s.length[k]) return "phase counts out of order";
    next += s.length[k];
  }
  if (next != static_cast<std::int64_t>(n)) return "phases do not cover the points";
  const nlohmann::json j = r;
  const std::string text = j.dump();
  const nlohmann::json again = io::parse(text, "result").get<spc::Result>();
  if (again.dump() != text) return "JSON round trip is not lossless";
  return "";
}

/// A computed funnel result: columns of one length, no infinite value or limit, and a lossless
/// JSON round trip.
inline std::string check_funnel_result(const funnel::Result& r) {
  using checks_detail::infinite_in;
  const auto& u = r.units;
  const std::size_t k = u.size();
  const std::size_t nc = r.spec.coverage.size();
  for (std::size_t size : {u.row.size(), u.y.size(), u.n.size(), u.value.size(), u.z.size(),
                           u.z_winsorised.size(), u.outlier.size()})
    if (size != k) return "units columns differ in length";
  if (u.lcl.size() != nc || u.ucl.size() != nc) return "one limit column per coverage expected";
  for (std::size_t c = 0; c < nc; ++c) {
    if (u.lcl[c].size() != k || u.ucl[c].size() != k) return "unit limits differ in length";
    if (auto e = infinite_in(u.lcl[c], "units.lcl"); !e.empty()) return e;
    if (auto e = infinite_in(u.ucl[c], "units.ucl"); !e.empty()) return e;
    for (const auto* t : {&r.limits.lcl, &r.limits.ucl, &r.limits.lcl_unadjusted, &r.limits.ucl_unadjusted}) {
      if ((*t)[c].size() != r.limits.n.size()) return "grid limits differ in length";
      if (auto e = infinite_in((*t)[c], "limits"); !e.empty()) return e;
    }
  }
  if (auto e = infinite_in(u.value, "value"); !e.empty()) return e;
  if (auto e = infinite_in(u.y, "y"); !e.empty()) return e;
  if (auto e = infinite_in(u.n, "n"); !e.empty()) return e;
  if (std::isinf(r.target) || std::isinf(r.phi) || std::isinf(r.tau2)) return "an infinite summary statistic";
  const nlohmann::json j = r;
  const std::string text = j.dump();
  const nlohmann::json again = io::parse(text, "result").get<funnel::Result>();
  if (again.dump() != text) return "JSON round trip is not lossless";
  return "";
}

}  // namespace qiscope::checks
