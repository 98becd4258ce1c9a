// Validation and reverse scoring of raw answers (culture-spec §2.1, §3.1).

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include <qiscope/error.hpp>

#include "prepare.hpp"

namespace qiscope::culture::detail {

namespace {

std::string code_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

Prepared prepare(const Responses& r, const Instrument& inst, ReverseRange reverse,
                 std::span<const std::pair<double, double>> observed_bounds) {
  const std::size_t n = r.n_rows;
  const std::size_t k = inst.items.size();
  if (r.values.size() != n * k)
    throw input_error("responses", -1, "shape",
                      "expected " + std::to_string(n) + " rows x " + std::to_string(k) +
                          " items = " + std::to_string(n * k) + " answers, got " +
                          std::to_string(r.values.size()));
  Prepared p;
  p.n_rows = n;
  p.x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  p.dna.setZero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  const double nan = std::numeric_limits<double>::quiet_NaN();

  // Units: a code for every row, all within the label table.
  p.unit.assign(n, -1);
  if (!r.unit.empty()) {
    if (r.unit.size() != n)
      throw input_error("unit", -1, "length", "has " + std::to_string(r.unit.size()) + " values for " +
                                                  std::to_string(n) + " rows");
    std::int64_t largest = -1;
    for (std::size_t i = 0; i < n; ++i) {
      if (r.unit[i] < 0)
        throw input_error("unit", static_cast<std::int64_t>(i), "missing",
                          "the unit label is missing; every respondent needs a unit (or pass no unit)");
      if (!r.unit_labels.empty() && static_cast<std::size_t>(r.unit[i]) >= r.unit_labels.size())
        throw input_error("unit", static_cast<std::int64_t>(i), "range", "unit code has no label");
      largest = std::max(largest, r.unit[i]);
      p.unit[i] = r.unit[i];
    }
    p.n_units = r.unit_labels.empty() ? static_cast<std::size_t>(largest + 1) : r.unit_labels.size();
    p.unit_labels = r.unit_labels;
  }

  // Answers: on the scale, a missing code, a DNA code or blank; nothing else.
  p.observed_lo.assign(inst.scales.size(), std::numeric_limits<double>::infinity());
  p.observed_hi.assign(inst.scales.size(), -std::numeric_limits<double>::infinity());
  for (std::size_t j = 0; j < k; ++j) {
    const Scale& s = inst.scale_of(j);
    double& lo = p.observed_lo[inst.items[j].scale];
    double& hi = p.observed_hi[inst.items[j].scale];
    const double* col = r.values.data() + j * n;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = col[i];
      const auto ii = static_cast<Eigen::Index>(i);
      const auto jj = static_cast<Eigen::Index>(j);
      if (std::isnan(v) || s.is_missing_code(v)) {
        p.x(ii, jj) = nan;
      } else if (s.is_dna_code(v)) {
        p.x(ii, jj) = nan;
        p.dna(ii, jj) = 1;
      } else if (!std::isfinite(v) || v != std::floor(v) || v < s.min || v > s.max) {
        std::string codes;
        for (int c : s.missing_codes) codes += " " + std::to_string(c);
        for (int c : s.dna_codes) codes += " " + std::to_string(c);
        throw input_error(inst.items[j].id, static_cast<std::int64_t>(i), "scale",
                          "answer " + code_text(v) + " to item '" + inst.items[j].id + "' is not a code of its scale " +
                              std::to_string(s.min) + ".." + std::to_string(s.max) +
                              (codes.empty() ? std::string(" (the scale has no missing codes)")
                                             : " or one of its missing codes (" + codes.substr(1) + ")"));
      } else {
        p.x(ii, jj) = v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }

  // Reverse scoring: min + max - x with the scale's bounds, or (psych's way) with the smallest
  // and largest answer observed on any item of the same scale.
  std::vector<double>& lo = p.reverse_lo;
  std::vector<double>& hi = p.reverse_hi;
  if (reverse == ReverseRange::observed && !observed_bounds.empty()) {
    if (observed_bounds.size() != inst.scales.size())
      throw input_error("reverse_by", -1, "length",
                        "observed bounds are given for " + std::to_string(observed_bounds.size()) +
                            " scales; the instrument has " + std::to_string(inst.scales.size()));
    for (const auto& [l, h] : observed_bounds) {
      lo.push_back(l);
      hi.push_back(h);
    }
  } else if (reverse == ReverseRange::observed) {
    lo = p.observed_lo;
    hi = p.observed_hi;
  } else {
    for (const Scale& s : inst.scales) {
      lo.push_back(s.min);
      hi.push_back(s.max);
    }
  }
  for (std::size_t j = 0; j < k; ++j) {
    if (!inst.items[j].reverse) continue;
    const double sum = lo[inst.items[j].scale] + hi[inst.items[j].scale];
    p.x.col(static_cast<Eigen::Index>(j)) = (sum - p.x.col(static_cast<Eigen::Index>(j)).array()).matrix();
  }

  // Inclusion: enough answered items (AHRQ's "completed survey" rule with min_answered = 1).
  std::vector<int> answered(n, 0);
  for (std::size_t j = 0; j < k; ++j) {
    const double* col = p.x.col(static_cast<Eigen::Index>(j)).data();
    for (std::size_t i = 0; i < n; ++i) answered[i] += std::isnan(col[i]) ? 0 : 1;
  }
  p.included.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (answered[i] >= inst.min_answered) p.included[i] = 1;
    else if (answered[i] == 0) ++p.n_empty;
    else ++p.n_excluded;
  }
  return p;
}

double respondent_mean(const Prepared& p, std::size_t row, std::span<const std::size_t> items, int min_answered) {
  double sum = 0;
  int count = 0;
  for (auto j : items) {
    const double v = p.x(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j));
    if (std::isnan(v)) continue;
    sum += v;
    ++count;
  }
  if (count == 0 || count < min_answered) return std::numeric_limits<double>::quiet_NaN();
  return sum / count;
}

int resolve_min_n(int requested, const Instrument& inst) {
  if (requested < 0) throw input_error("min_n", -1, "range", "must be at least 1");
  return requested > 0 ? requested : inst.min_n;
}

}  // namespace qiscope::culture::detail
