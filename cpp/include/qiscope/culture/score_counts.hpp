#pragma once
/// \file score_counts.hpp
/// The additive sufficient statistics behind a score table. `count` tallies a set of
/// respondents; tallies of disjoint sets of respondents (partitions of a survey) add up with
/// `+=`; `score_from_counts` turns the total into the ScoreTable that `score` returns for all
/// the respondents at once. `score` itself is count + score_from_counts, so both paths share
/// every percentage, interval and suppression rule.
///
/// Every tally is an integer (answers are integer codes, so their sums are too) or a minimum /
/// maximum, so adding partitions in any order and grouping gives the same counts, bit for bit.
/// Quantities with fractions (a respondent's composite mean, the rest-score of the polarity
/// check) are kept as integer sums grouped by their integer denominator (the number of items
/// answered) and divided only in score_from_counts.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/responses.hpp>
#include <qiscope/culture/score.hpp>

namespace qiscope::culture {

/// One item at one level (overall or a unit): scored respondents' answers.
struct ItemCounts {
  std::int64_t valid = 0, positive = 0, neutral = 0, negative = 0;
  std::int64_t dna = 0;  ///< "does not apply / don't know" codes
  std::int64_t sum = 0;  ///< sum of the reverse-scored valid answers
  bool operator==(const ItemCounts&) const = default;
};

/// One composite at one level. With q items, the pair tables are q x q, row-major over the
/// composite's items (a, b); the diagonal is the item itself. They give the respondent-clustered
/// variance of the item-mean percentage without a pass over respondents (see score.cpp).
struct CompositeCounts {
  std::int64_t contributing = 0;     ///< scored respondents with any answer in the composite
  std::int64_t scored = 0;           ///< ... with a composite score (composite_min_answered)
  std::int64_t scored_positive = 0;  ///< ... whose 0-100 score reaches respondent_positive
  /// score_sums[m - 1]: sum of the answers of the respondents scored on m answered items (the
  /// sum of their composite scores is sum over m of score_sums[m - 1] / m).
  std::vector<std::int64_t> score_sums;
  std::vector<std::int64_t> co_answered;    ///< [a, b]: respondents who answered a and b
  std::vector<std::int64_t> positive_with;  ///< [a, b]: ... of them positive on a
  std::vector<std::int64_t> both_positive;  ///< [a, b]: ... positive on both
  bool operator==(const CompositeCounts&) const = default;
};

/// The polarity check of one negatively worded item (culture::PolarityCheck): the reversed
/// answer x against the mean of the respondent's other answers in the composite (rest sum R
/// over m answered rest items), over every scored respondent who answered both.
struct PolarityCounts {
  std::int64_t n = 0, sum_x = 0, sum_xx = 0;
  /// By m - 1 (m = rest items answered): sums of R, R^2 and x R.
  std::vector<std::int64_t> rest_sum, rest_sum_sq, cross;
  /// Range of x and of the rest mean R/m (Pearson r is undefined when either is constant).
  double x_min = std::numeric_limits<double>::infinity(), x_max = -std::numeric_limits<double>::infinity();
  double rest_min = std::numeric_limits<double>::infinity(), rest_max = -std::numeric_limits<double>::infinity();
  bool operator==(const PolarityCounts&) const = default;
};

struct CountOptions {
  ReverseRange reverse_range = ReverseRange::scale;
  /// With ReverseRange::observed: one {lo, hi} per scale, the bounds observed over all the
  /// data (a partition alone sees fewer answers). Empty: the bounds of these responses.
  std::vector<std::pair<double, double>> observed_bounds;
};

/// Additive tallies of a score. Level 0 is every respondent, level g + 1 unit g; per-level
/// arrays are level-major (items[level * n_items + item], composites[level * n_composites + c]).
struct ScoreCounts {
  std::string instrument;  ///< the instrument's name (tallies of different instruments never add)
  std::size_t n_items = 0, n_composites = 0, n_units = 0;
  /// Unit labels, one per unit, or empty when units are plain codes. Tallies with labels add by
  /// label (a unit one side lacks is appended), so partitions may hold different units.
  std::vector<std::string> unit_labels;
  ReverseRange reverse_range = ReverseRange::scale;
  /// Per scale: the bounds reverse scoring used, and the smallest and largest answer seen.
  std::vector<double> reverse_lo, reverse_hi, observed_lo, observed_hi;
  std::int64_t n_rows = 0;      ///< rows handed in
  std::int64_t n_excluded = 0;  ///< rows with answers but fewer than min_answered
  std::vector<std::int64_t> scored;  ///< scored respondents per level
  std::vector<ItemCounts> items;
  std::vector<CompositeCounts> composites;
  /// One per negatively worded item of a composite of at least two items, in instrument order
  /// (composites, then their items); every respondent (level 0).
  std::vector<PolarityCounts> polarity;

  std::size_t levels() const noexcept { return n_units + 1; }
  /// Adds the tallies of other respondents. Throws input_error (field "counts") when the two
  /// cannot be added: other instruments, other reverse bounds, labelled and unlabelled units.
  ScoreCounts& operator+=(const ScoreCounts& other);
  bool operator==(const ScoreCounts&) const = default;
};

/// Tallies `responses` (validated as `score` does; the same input_error for bad codes or units).
ScoreCounts count(const Responses& responses, const Instrument& inst, const CountOptions& options = {});

/// `a += b` on a copy.
ScoreCounts merge(ScoreCounts a, const ScoreCounts& b);

/// Puts the units in the order of `labels` (a permutation of counts.unit_labels), the order the
/// score table's units then follow. Throws input_error (field "unit") when it is not one.
void order_units(ScoreCounts& counts, const std::vector<std::string>& labels);

/// The score table of the tallied respondents: exactly what `score` gives for all of them at
/// once. options.reverse_range must be the one the counts were made with; with "observed" the
/// counts must have been reversed with the bounds observed over all of them.
ScoreTable score_from_counts(const ScoreCounts& counts, const Instrument& inst, const ScoreOptions& options = {});

/// A compact binary form (CBOR) for moving tallies between processes, and back. from_bytes
/// throws input_error (field "counts") for anything that is not such a document.
std::vector<std::uint8_t> to_bytes(const ScoreCounts& counts);
ScoreCounts counts_from_bytes(std::span<const std::uint8_t> bytes);

}  // namespace qiscope::culture
