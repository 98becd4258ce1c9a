#pragma once
// Small hand-checked survey data for the culture tests: the `culture_test` set of
// shared/design/culture-spec.md §4 (18 respondents in units A, B, C; i4r negatively worded),
// whose reference values were reproduced there in R (psych 2.2.9, multilevel 2.7) and numpy.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <qiscope/culture.hpp>

namespace culture_fixtures {

inline const double na = std::nan("");

/// Raw answers (unit, i1, i2, i3, i4r), one row per respondent.
struct Row {
  int unit;
  double i1, i2, i3, i4r;
};

inline std::vector<Row> culture_test_rows() {
  return {{0, 4, 4, 5, 2}, {0, 5, 4, 4, 1}, {0, 4, 3, 4, 2}, {0, 3, 4, 4, 3}, {0, 5, 5, 5, 1}, {0, 4, 4, 3, 2},
          {1, 2, 3, 2, 4}, {1, 3, 2, 3, 4}, {1, 2, 2, 1, 5}, {1, 3, 3, 3, 3}, {1, 2, 1, 2, 4}, {1, 4, 3, 3, 3},
          {2, 4, 3, 4, 3}, {2, 3, 3, 2, 3}, {2, 5, 4, 4, 2}, {2, 2, 3, 3, 4}, {2, 4, 5, 4, 2}, {2, 3, 2, 3, 3}};
}

inline qiscope::culture::Instrument culture_test_instrument(int min_n = 1) {
  return qiscope::culture::parse_instrument(R"({
    "name": "culture_test",
    "scale": {"min": 1, "max": 5, "missing_codes": [9], "positive": [4, 5], "negative": [1, 2]},
    "items": ["i1", "i2", "i3", {"id": "i4r", "reverse": true}],
    "composites": [{"id": "c", "items": ["i1", "i2", "i3", "i4r"]}],
    "min_n": )" + std::to_string(min_n) + "}");
}

/// Column-major answers and unit codes kept alive for a Responses view.
struct Data {
  std::vector<double> values;
  std::vector<std::int64_t> unit;
  qiscope::culture::Responses responses() const {
    qiscope::culture::Responses r;
    r.n_rows = unit.size();
    r.values = values;
    r.unit = unit;
    r.unit_labels = {"A", "B", "C"};
    return r;
  }
};

/// Row index of (unit, measure name, kind) in a score table; unit -1 is the overall row.
inline std::size_t row_of(const qiscope::culture::ScoreTable& t, std::int64_t unit, const std::string& measure,
                          qiscope::culture::Kind kind) {
  for (std::size_t r = 0; r < t.size(); ++r)
    if (t.unit[r] == unit && t.measures[static_cast<std::size_t>(t.measure[r])] == measure && t.kind[r] == kind)
      return r;
  ADD_FAILURE() << "no row " << unit << " " << measure;
  return 0;
}

inline Data make_data(const std::vector<Row>& rows) {
  Data d;
  const std::size_t n = rows.size();
  d.values.resize(4 * n);
  for (std::size_t i = 0; i < n; ++i) {
    d.values[i] = rows[i].i1;
    d.values[n + i] = rows[i].i2;
    d.values[2 * n + i] = rows[i].i3;
    d.values[3 * n + i] = rows[i].i4r;
    d.unit.push_back(rows[i].unit);
  }
  return d;
}

/// The composite's CI of row `c` is Wilson's 95% interval for proportion `pc` at the effective
/// number of answers `n_eff` (computed independently in the test from the respondents).
inline void expect_wilson_ci(const qiscope::culture::ScoreTable& t, std::size_t c, double pc, double n_eff) {
  const double z = 1.959963984540054;
  const double centre = (pc + z * z / (2 * n_eff)) / (1 + z * z / n_eff);
  const double half = z * std::sqrt(pc * (1 - pc) / n_eff + z * z / (4 * n_eff * n_eff)) / (1 + z * z / n_eff);
  EXPECT_NEAR(t.ci_low[c], 100 * (centre - half), 1e-10);
  EXPECT_NEAR(t.ci_high[c], 100 * (centre + half), 1e-10);
}

}  // namespace culture_fixtures
