// Additive score tallies: count + score_from_counts is score; tallies of parts add up to the
// tallies of the whole, in any order; the statistics made from them match respondent-level
// computations done here independently.
#include <algorithm>
#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include <qiscope/culture.hpp>

#include "culture_fixtures.hpp"

using namespace qiscope::culture;
using namespace culture_fixtures;

namespace {

/// The culture_test rows with some blanks and a DNA-free missing code (9), so that respondents
/// answer different numbers of the composite's items.
std::vector<Row> rows_with_blanks() {
  auto rows = culture_test_rows();
  rows[1].i2 = na;
  rows[4].i4r = 9;
  rows[7].i1 = na;
  rows[7].i3 = na;
  rows[10].i4r = na;
  rows[13].i2 = 9;
  rows[16].i1 = na;
  return rows;
}

/// Answers of `rows` with their own unit labels (the units present, in first-appearance order),
/// as a partition of a survey would have them.
struct Part {
  Data data;
  std::vector<std::string> labels;
  Responses responses() const {
    Responses r = data.responses();
    r.unit_labels = labels;
    return r;
  }
};

Part part_of(const std::vector<Row>& rows) {
  static const char* names[] = {"A", "B", "C"};
  Part p;
  std::map<int, std::int64_t> code;
  std::vector<Row> recoded = rows;
  for (auto& r : recoded) {
    auto [it, added] = code.emplace(r.unit, static_cast<std::int64_t>(code.size()));
    if (added) p.labels.push_back(names[r.unit]);
    r.unit = static_cast<int>(it->second);
  }
  p.data = make_data(recoded);
  return p;
}

void expect_same_table(const ScoreTable& a, const ScoreTable& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.measure, b.measure);
  EXPECT_EQ(a.n_respondents, b.n_respondents);
  EXPECT_EQ(a.n_valid, b.n_valid);
  EXPECT_EQ(a.n_positive, b.n_positive);
  EXPECT_EQ(a.n_neutral, b.n_neutral);
  EXPECT_EQ(a.n_negative, b.n_negative);
  EXPECT_EQ(a.n_dna, b.n_dna);
  EXPECT_EQ(a.suppressed, b.suppressed);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.unit_labels, b.unit_labels);
  EXPECT_EQ(a.n_rows, b.n_rows);
  EXPECT_EQ(a.n_scored, b.n_scored);
  EXPECT_EQ(a.n_excluded, b.n_excluded);
  for (auto col : {&ScoreTable::percent_positive, &ScoreTable::percent_neutral, &ScoreTable::percent_negative,
                   &ScoreTable::ci_low, &ScoreTable::ci_high, &ScoreTable::mean})
    for (std::size_t r = 0; r < a.size(); ++r) {
      const double x = (a.*col)[r], y = (b.*col)[r];
      if (std::isnan(x) || std::isnan(y)) EXPECT_TRUE(std::isnan(x) && std::isnan(y)) << r;
      else EXPECT_EQ(x, y) << r;  // bit for bit: the tallies are integers
    }
  ASSERT_EQ(a.checks.size(), b.checks.size());
  for (std::size_t i = 0; i < a.checks.size(); ++i) EXPECT_EQ(a.checks[i].r_rest, b.checks[i].r_rest);
}


}  // namespace

TEST(CultureCounts, ScoreIsCountThenScoreFromCounts) {
  const auto data = make_data(rows_with_blanks());
  const auto inst = culture_test_instrument(4);
  for (auto method : {CompositeMethod::item_mean, CompositeMethod::pooled}) {
    ScoreOptions options;
    options.composite = method;
    options.conf_level = 0.9;
    expect_same_table(score_from_counts(count(data.responses(), inst), inst, options),
                      score(data.responses(), inst, options));
  }
}

TEST(CultureCounts, HalvesAddUpToTheWholeInEitherOrder) {
  const auto rows = rows_with_blanks();
  const auto inst = culture_test_instrument();
  // Rows 0-8 hold units A and B, rows 9-17 units B and C: the units of the parts differ.
  const std::vector<Row> first(rows.begin(), rows.begin() + 9), second(rows.begin() + 9, rows.end());
  const Part whole = part_of(rows), a = part_of(first), b = part_of(second);
  ASSERT_EQ(whole.labels, (std::vector<std::string>{"A", "B", "C"}));
  const ScoreCounts all = count(whole.responses(), inst);
  const ScoreCounts ca = count(a.responses(), inst), cb = count(b.responses(), inst);
  EXPECT_EQ(merge(ca, cb), all);  // every field, bit for bit
  ScoreCounts reversed = merge(cb, ca);
  EXPECT_EQ(reversed.unit_labels, (std::vector<std::string>{"B", "C", "A"}));
  EXPECT_NE(reversed, all);
  order_units(reversed, {"A", "B", "C"});
  EXPECT_EQ(reversed, all);
  expect_same_table(score_from_counts(reversed, inst), score(whole.responses(), inst));
  // Associative: one row at a time, from the back, gives the same tallies.
  ScoreCounts one_by_one = count(part_of({rows.back()}).responses(), inst);
  for (std::size_t i = rows.size() - 1; i-- > 0;) one_by_one += count(part_of({rows[i]}).responses(), inst);
  order_units(one_by_one, {"A", "B", "C"});
  EXPECT_EQ(one_by_one, all);
  // Adding nobody changes nothing; adding a tally to itself doubles it.
  EXPECT_EQ(merge(all, count(part_of({}).responses(), inst)), all);
  ScoreCounts twice = all;
  twice += twice;
  EXPECT_EQ(twice.n_rows, 2 * all.n_rows);
  EXPECT_EQ(twice.items[0].sum, 2 * all.items[0].sum);
}

TEST(CultureCounts, PlainUnitCodesAddByPosition) {
  const auto rows = rows_with_blanks();
  const auto inst = culture_test_instrument();
  Data whole = make_data(rows);
  Data first = make_data({rows.begin(), rows.begin() + 9});
  Data second = make_data({rows.begin() + 9, rows.end()});
  auto unlabelled = [](const Data& d) {
    Responses r = d.responses();
    r.unit_labels.clear();
    return r;
  };
  EXPECT_EQ(merge(count(unlabelled(second), inst), count(unlabelled(first), inst)), count(unlabelled(whole), inst));
  EXPECT_THROW(merge(count(unlabelled(first), inst), count(whole.responses(), inst)), qiscope::input_error);
}

TEST(CultureCounts, CompositeStatisticsMatchRespondentLevelComputation) {
  const auto rows = rows_with_blanks();
  const auto data = make_data(rows);
  const auto inst = culture_test_instrument();
  const auto t = score(data.responses(), inst);
  const auto c = row_of(t, -1, "c", Kind::composite);
  // Each respondent's answers (reverse-scored i4r), NaN where not on the scale.
  std::vector<std::array<double, 4>> x;
  for (const auto& r : rows) {
    auto valid = [](double v) { return std::isnan(v) || v == 9 ? na : v; };
    x.push_back({valid(r.i1), valid(r.i2), valid(r.i3), 6 - valid(r.i4r)});
  }
  double n[4] = {0, 0, 0, 0}, pos[4] = {0, 0, 0, 0}, mean_sum = 0;
  for (const auto& a : x) {
    double s = 0, m = 0;
    for (int j = 0; j < 4; ++j)
      if (!std::isnan(a[j])) {
        n[j] += 1;
        pos[j] += a[j] >= 4;
        s += a[j];
        m += 1;
      }
    mean_sum += s / m;
  }
  EXPECT_NEAR(t.mean[c], mean_sum / 18, 1e-13);
  double pc = 0;
  for (int j = 0; j < 4; ++j) pc += pos[j] / n[j] / 4;
  EXPECT_NEAR(t.percent_positive[c], 100 * pc, 1e-12);
  double v = 0;  // sum over respondents of the squared linearised influence
  for (const auto& a : x) {
    double u = 0;
    for (int j = 0; j < 4; ++j)
      if (!std::isnan(a[j])) u += ((a[j] >= 4 ? 1.0 : 0.0) - pos[j] / n[j]) / n[j];
    v += (u / 4) * (u / 4);
  }
  const double n_eff = pc * (1 - pc) / v;
  expect_wilson_ci(t, c, pc, n_eff);
}

TEST(CultureCounts, PolarityCorrelationMatchesPearson) {
  auto rows = rows_with_blanks();
  for (auto& r : rows)
    if (r.i4r != 9) r.i4r = 6 - r.i4r;  // pre-reversed: the check fires
  const auto t = score(make_data(rows).responses(), culture_test_instrument());
  ASSERT_EQ(t.checks.size(), 1u);
  std::vector<double> item, rest;
  for (const auto& r : rows) {
    if (std::isnan(r.i4r) || r.i4r == 9) continue;
    double s = 0, m = 0;
    for (double v : {r.i1, r.i2, r.i3})
      if (!std::isnan(v) && v != 9) {
        s += v;
        m += 1;
      }
    if (m == 0) continue;
    item.push_back(6 - r.i4r);
    rest.push_back(s / m);
  }
  const auto k = static_cast<double>(item.size());
  double mi = 0, mr = 0;
  for (std::size_t i = 0; i < item.size(); ++i) {
    mi += item[i] / k;
    mr += rest[i] / k;
  }
  double sir = 0, sii = 0, srr = 0;
  for (std::size_t i = 0; i < item.size(); ++i) {
    sir += (item[i] - mi) * (rest[i] - mr);
    sii += (item[i] - mi) * (item[i] - mi);
    srr += (rest[i] - mr) * (rest[i] - mr);
  }
  EXPECT_EQ(t.checks[0].n, static_cast<std::int64_t>(item.size()));
  EXPECT_NEAR(t.checks[0].r_rest, sir / std::sqrt(sii * srr), 1e-12);
}

TEST(CultureCounts, ObservedReversalNeedsTheBoundsOfAllTheData) {
  auto rows = culture_test_rows();
  rows[1].i4r = rows[4].i4r = 2;  // unit A (rows 0-5) now answers 2-5 only, unit B 1-5
  const std::vector<Row> first(rows.begin(), rows.begin() + 6), second(rows.begin() + 6, rows.end());
  const auto inst = culture_test_instrument();
  const Part whole = part_of(rows), a = part_of(first), b = part_of(second);
  CountOptions observed;
  observed.reverse_range = ReverseRange::observed;
  ScoreOptions options;
  options.reverse_range = ReverseRange::observed;
  const ScoreCounts ca = count(a.responses(), inst, observed), cb = count(b.responses(), inst, observed);
  ASSERT_NE(ca.reverse_lo, cb.reverse_lo);
  EXPECT_THROW(merge(ca, cb), qiscope::input_error);
  EXPECT_THROW(score_from_counts(ca, inst, ScoreOptions{}), qiscope::input_error);  // other reverse_by
  // Counted with the bounds of all the data, the parts add up to the whole.
  const ScoreCounts all = count(whole.responses(), inst, observed);
  observed.observed_bounds = {{all.observed_lo[0], all.observed_hi[0]}};
  const ScoreCounts fa = count(a.responses(), inst, observed), fb = count(b.responses(), inst, observed);
  EXPECT_EQ(merge(fa, fb), all);
  expect_same_table(score_from_counts(merge(fa, fb), inst, options), score(whole.responses(), inst, options));
  // A part counted with its own bounds is not scored as if they were everyone's.
  ScoreCounts own = ca;
  own.observed_lo = {1};
  EXPECT_THROW(score_from_counts(own, inst, options), qiscope::input_error);
}

TEST(CultureCounts, BytesRoundTripAndRejectOtherInput) {
  const auto data = make_data(rows_with_blanks());
  const auto inst = culture_test_instrument();
  const ScoreCounts c = count(data.responses(), inst);
  const auto bytes = to_bytes(c);
  EXPECT_EQ(counts_from_bytes(bytes), c);
  auto truncated = bytes;
  truncated.resize(bytes.size() / 2);
  EXPECT_THROW(counts_from_bytes(truncated), qiscope::input_error);
  const std::vector<std::uint8_t> not_cbor = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_THROW(counts_from_bytes(not_cbor), qiscope::input_error);
  // Tallies of another instrument are neither added nor scored.
  const auto other = parse_instrument(R"({"name": "other", "scale": {"min": 1, "max": 5, "missing_codes": [9]}, "items": ["i1", "i2", "i3", "i4r"],
                                          "composites": [{"id": "c", "items": ["i1", "i2"]}]})");
  const ScoreCounts oc = count(data.responses(), other);
  EXPECT_THROW(merge(c, oc), qiscope::input_error);
  EXPECT_THROW(score_from_counts(oc, inst), qiscope::input_error);
  ScoreCounts mislabelled = c;
  EXPECT_THROW(order_units(mislabelled, {"A", "B", "D"}), qiscope::input_error);
  EXPECT_THROW(order_units(mislabelled, {"A", "B"}), qiscope::input_error);
}
