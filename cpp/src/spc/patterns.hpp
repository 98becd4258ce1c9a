#pragma once
// The building blocks of every rule set (internal): where each point lies against the centre
// line and the sigma zones, and finders for the patterns the rules look for. A finder walks
// one segment (the positions of the points that take part, in time order) and marks the
// points of every pattern it finds; the rule sets in rules.cpp combine them.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <qiscope/spc/rules.hpp>

namespace qiscope::spc::detail {

/// Positions (0-based, within the phase) of points that take part, in time order. Patterns
/// never cross from one segment to the next.
using Segment = std::vector<std::size_t>;

/// Where each point lies: +1 above, -1 below, 0 neither (or unknown: a missing value or limit).
struct Zones {
  std::vector<std::int8_t> side;     ///< against the centre line
  std::vector<std::int8_t> beyond1;  ///< strictly beyond cl -/+ 1 sigma
  std::vector<std::int8_t> beyond2;  ///< strictly beyond lcl_95 / ucl_95
  std::vector<std::int8_t> beyond3;  ///< strictly beyond lcl / ucl
  std::vector<std::int8_t> within1;  ///< 1: inside the 1-sigma zone, boundaries included
};

/// Classifies every point of the phase (zones as documented in rules.hpp).
Zones classify(const PhaseView& phase);

/// The points one rule marked, and the side each was marked with.
struct Marks {
  explicit Marks(std::size_t n) : member(n, 0), side(n, 0) {}
  std::vector<std::uint8_t> member;
  std::vector<std::int8_t> side;
  void mark(std::size_t pos, int s) {
    member[pos] = 1;
    side[pos] = static_cast<std::int8_t>(s);
  }
};

/// Runs of at least `length` consecutive points with the same nonzero `sign` (a shift, a run on
/// one side, 15 within 1 sigma). A zero either ends the run (`zero_breaks`) or is skipped: it
/// neither counts nor is flagged. Marked with the run's sign when `directional`, else 0.
void find_runs(const Segment& seg, std::span<const std::int8_t> sign, int length, bool zero_breaks,
               bool directional, FlagPoints flag, Marks& out);

/// Trends: at least `length` points each higher (or each lower) than the one before. A
/// repeated value ends the trend (`ties_break`) or neither adds to nor breaks it. Points are
/// marked with the trend's direction; a point shared by two trends (a peak) takes the later.
void find_trends(const Segment& seg, std::span<const double> value, int length, bool ties_break,
                 FlagPoints flag, Marks& out);

/// Relabels the marked trend points as NHSRplotthedots 0.2.2 does (Options::ptd_trend_labels):
/// by the step to the next point when that is marked too, else by the step from the previous
/// point; a step that is not a rise counts as a fall.
void label_trends_like_ptd(const Segment& seg, std::span<const double> value, Marks& trends);

/// At least `length` points alternating up and down (Nelson 4); a repeated value breaks it.
void find_alternating(const Segment& seg, std::span<const double> value, int length, FlagPoints flag,
                      Marks& out);

/// Windows of `m` consecutive points with at least `k` beyond a zone on the same side (2 of 3
/// beyond 2 sigma, 4 of 5 beyond 1 sigma). With `all_on_side`, every point of the window must
/// also be on that side of the centre line (Making Data Count). The points beyond the zone
/// are marked; with FlagPoints::completing only the window's newest point, if it is beyond.
void find_k_of_m(const Segment& seg, std::span<const std::int8_t> beyond, int k, int m,
                 std::span<const std::int8_t> all_on_side, FlagPoints flag, Marks& out);

/// Windows of `length` consecutive points all beyond 1 sigma with both sides represented
/// (Nelson 8). Marked without a direction.
void find_mixture(const Segment& seg, std::span<const std::int8_t> beyond1, int length, FlagPoints flag,
                  Marks& out);

}  // namespace qiscope::spc::detail
