#pragma once
/// \file score.hpp
/// Percent positive, neutral and negative, intervals and mean scores per unit and overall
/// (AHRQ SOPS conventions, culture-spec §2-§3), with small-cell suppression applied before
/// anything leaves the function (culture-spec §5).

#include <cstdint>
#include <string>
#include <vector>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/responses.hpp>

namespace qiscope::culture {

/// What a row of the score table describes.
enum class Kind : std::uint8_t {
  item,       ///< one question
  composite,  ///< a composite: % positive = unweighted mean of its items' % (AHRQ)
  scale       ///< a composite's 0-100 respondent score (instruments with scale_score "0-100")
};

/// How a composite's percentages combine its items.
enum class CompositeMethod : std::uint8_t {
  item_mean,  ///< AHRQ: the unweighted mean of the item percentages, each on its own valid n
  pooled      ///< all positive answers over all valid answers of the composite's items
};

struct ScoreOptions {
  int min_n = 0;  ///< threshold of valid answers for a released cell; 0: the instrument's min_n
  double conf_level = 0.95;
  CompositeMethod composite = CompositeMethod::item_mean;
  ReverseRange reverse_range = ReverseRange::scale;
};

/// A respondent-level check that a negatively worded item's answers look already reversed:
/// after reversal it correlates negatively, beyond chance (95% Fisher-z interval below 0), with
/// the rest of its composite (the double-reversal error of culture-spec §2.1). Raw answers are
/// never changed; the check only reports.
struct PolarityCheck {
  std::string item;
  std::string composite;
  double r_rest = 0;  ///< Pearson r of the reversed item with the mean of the composite's other items
  std::int64_t n = 0;
};

/// The score table: one row per (unit, measure, kind); unit -1 is every respondent. Rows come
/// in the order overall, then units 0, 1, ...; within each, items (instrument order), then
/// composites, then scale rows. Percentages and intervals are in percent (0-100).
///
/// - n_respondents: items: scored respondents of the unit; composites and scale rows:
///   respondents with a composite score (enough of its items answered).
/// - n_valid: answers on the scale (DNA/DK and missing excluded); composites: the sum over its
///   items (the pooled number of answers); scale rows: scored respondents.
/// - ci_low/ci_high: items and pooled composites: Wilson score interval; item-mean composites:
///   Wilson interval on the effective sample size p(1 - p)/v of the respondent-clustered
///   (linearised) variance v of the item-mean estimator (respondents answer several items of a
///   composite, so its answers are not independent); scale rows: Wilson on respondents.
/// - mean: the mean reverse-scored answer (items), the mean respondent composite score
///   (composites), the mean 0-100 score (scale rows).
/// - suppressed cells hold NaN statistics and -1 counts (n_respondents and n_valid stay),
///   with `reason` saying why.
struct ScoreTable {
  std::vector<std::int64_t> unit;
  std::vector<std::int32_t> measure;  ///< index into `measures`
  std::vector<Kind> kind;
  std::vector<std::int64_t> n_respondents, n_valid, n_positive, n_neutral, n_negative, n_dna;
  std::vector<double> percent_positive, percent_neutral, percent_negative, ci_low, ci_high, mean;
  std::vector<std::uint8_t> suppressed;
  std::vector<Reason> reason;

  std::vector<std::string> measures;     ///< item IDs, then composite IDs
  std::vector<std::string> unit_labels;  ///< from Responses::unit_labels (may be empty)
  std::string instrument;
  int min_n = 0;
  double conf_level = 0.95;
  CompositeMethod composite = CompositeMethod::item_mean;
  std::int64_t n_rows = 0;      ///< rows handed in
  std::int64_t n_scored = 0;    ///< respondents scored (answered at least min_answered items)
  std::int64_t n_excluded = 0;  ///< rows with answers but fewer than min_answered
  std::vector<PolarityCheck> checks;

  std::size_t size() const noexcept { return unit.size(); }
};

/// Scores `responses` by `inst`. Throws input_error for codes outside an item's scale (naming
/// the item and row), for rows without a unit, and for bad options.
ScoreTable score(const Responses& responses, const Instrument& inst, const ScoreOptions& options = {});

/// The threshold presets of culture-spec §5: "default" (10), "ahrq" (5), "nss" (11, NHS Staff
/// Survey). Throws input_error for other names.
int min_n_preset(std::string_view name);

}  // namespace qiscope::culture
