#pragma once
// Small-cell suppression (culture-spec §5): the primary rule marks cells based on fewer valid
// answers than the threshold; the complementary rule makes sure no suppressed cell can be
// recovered by subtracting released siblings from a released total.

#include <cstdint>
#include <vector>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/responses.hpp>
#include <qiscope/culture/score.hpp>

namespace qiscope::culture::detail {

/// One releasable cell: the number of answers behind it and its suppression state.
struct Cell {
  std::int64_t n = 0;
  bool suppressed = false;
  Reason reason = Reason::none;
};

/// Marks `cell` suppressed for `why` unless it already is; returns whether it changed.
bool suppress(Cell& cell, Reason why);

/// The primary rule: a cell with answers but fewer than min_n of them is suppressed.
/// A cell with no answers is marked no_valid_answers (nothing to hide, nothing to show).
void primary(Cell& cell, int min_n);

/// Complementary suppression for a parent (the total over all units) and its children (the
/// units; they partition the parent's respondents). A released parent minus its released
/// children gives the suppressed children's combined value, so the suppressed children must be
/// at least two and have at least min_n answers together. Children are added smallest first
/// (ties: the first); when none is left, the parent is suppressed. Returns whether anything
/// changed.
bool protect_siblings(Cell& parent, const std::vector<Cell*>& children, int min_n);

/// Applies every rule to a score table, then blanks the statistics of suppressed rows:
/// - primary: items on their valid answers, composites and scale rows on their respondents;
/// - complementary: per measure and kind, the units against the overall row;
/// - linked: a composite is suppressed with any of its items (its % is their mean), a
///   suppressed composite hides at least one of its items (else it is their mean), and a
///   composite and its 0-100 scale row share one fate (one is a rescaling of the other).
/// The rules repeat until nothing changes (each step only adds suppressions, so this ends).
void apply_score_suppression(ScoreTable& table, const Instrument& inst, int min_n);

}  // namespace qiscope::culture::detail
