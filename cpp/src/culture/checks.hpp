#pragma once
// Data-quality checks run before scoring (culture-spec §6.8).

#include <vector>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/score.hpp>
#include <qiscope/culture/score_counts.hpp>

#include "prepare.hpp"

namespace qiscope::culture::detail {

/// Negatively worded items that, after reversal, correlate negatively beyond chance (Pearson r
/// whose 95% Fisher-z interval lies below 0; respondents who answered the item and at least one
/// other item of the composite, at least 4) with the mean of the rest of their composite: the
/// signature of answers that were already reversed before they reached qiscope.
std::vector<PolarityCheck> polarity_checks(const Prepared& p, const Instrument& inst);

/// The additive tallies of those checks (ScoreCounts::polarity), and the checks from them.
std::vector<PolarityCounts> polarity_counts(const Prepared& p, const Instrument& inst);
std::vector<PolarityCheck> polarity_checks(const std::vector<PolarityCounts>& counts, const Instrument& inst);

}  // namespace qiscope::culture::detail
