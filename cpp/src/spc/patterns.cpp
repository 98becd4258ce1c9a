// Pattern finders shared by the rule sets (see patterns.hpp). Definitions:
// shared/design/spc-spec.md §3.2 (Making Data Count), §4 and §5 (Western Electric 1956,
// Nelson 1984, IHI).

#include <algorithm>
#include <cmath>

#include "spc/patterns.hpp"

namespace qiscope::spc::detail {

namespace {

int sign(double v) { return (v > 0) - (v < 0); }

/// +1 strictly above `upper`, -1 strictly below `lower`, else 0 (also with a missing bound).
std::int8_t beyond(double value, double lower, double upper) {
  return static_cast<std::int8_t>((value > upper) - (value < lower));
}

/// The point's 1-sigma half-width recovered from its 3-sigma limits: the larger half, because
/// truncating a limit at 0 (or a proportion's at 1) only ever shrinks one half.
double sigma_of(double cl, double lcl, double ucl) {
  const double up = (ucl - cl) / 3, down = (cl - lcl) / 3;
  if (!std::isfinite(up)) return down;
  if (!std::isfinite(down)) return up;
  return std::max(up, down);
}

}  // namespace

Zones classify(const PhaseView& ph) {
  const std::size_t n = ph.value.size();
  Zones z;
  for (auto* v : {&z.side, &z.beyond1, &z.beyond2, &z.beyond3, &z.within1}) v->assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = ph.value[i], cl = ph.cl[i];
    if (!std::isfinite(v) || !std::isfinite(cl)) continue;
    z.side[i] = static_cast<std::int8_t>(sign(v - cl));
    z.beyond3[i] = beyond(v, ph.lcl[i], ph.ucl[i]);
    z.beyond2[i] = beyond(v, ph.lcl_95[i], ph.ucl_95[i]);
    const double s = sigma_of(cl, ph.lcl[i], ph.ucl[i]);
    // Kept inside the 2-sigma limits, so a 2-sigma limit truncated at 0 truncates this zone too.
    double lower1 = cl - s, upper1 = cl + s;
    if (std::isfinite(ph.lcl_95[i])) lower1 = std::max(lower1, ph.lcl_95[i]);
    if (std::isfinite(ph.ucl_95[i])) upper1 = std::min(upper1, ph.ucl_95[i]);
    z.beyond1[i] = beyond(v, lower1, upper1);
    z.within1[i] = v >= lower1 && v <= upper1;
  }
  return z;
}

void find_runs(const Segment& seg, std::span<const std::int8_t> sign_of, int length, bool zero_breaks,
               bool directional, FlagPoints flag, Marks& out) {
  const auto need = static_cast<std::size_t>(length);
  std::vector<std::size_t> run;
  int run_sign = 0;
  auto close = [&] {
    if (run.size() >= need) {
      const std::size_t from = flag == FlagPoints::pattern ? 0 : need - 1;
      for (std::size_t k = from; k < run.size(); ++k) out.mark(run[k], directional ? run_sign : 0);
    }
    run.clear();
  };
  for (std::size_t pos : seg) {
    const int s = sign_of[pos];
    if (s == 0) {
      if (zero_breaks) {
        close();
        run_sign = 0;
      }
      continue;
    }
    if (s != run_sign) close();
    run_sign = s;
    run.push_back(pos);
  }
  close();
}

void find_trends(const Segment& seg, std::span<const double> value, int length, bool ties_break,
                 FlagPoints flag, Marks& out) {
  std::size_t start = 0;  // index in seg of the current trend's first point
  int counted = 1;        // its points, a repeated value counted once
  int dir = 0;
  std::size_t marked_to = 0;  // the trend's points up to here are already marked
  for (std::size_t k = 1; k < seg.size(); ++k) {
    const int d = sign(value[seg[k]] - value[seg[k - 1]]);
    if (d == 0) {
      if (ties_break) {
        start = k;
        counted = 1;
        dir = 0;
      }
      continue;
    }
    if (d == dir) {
      ++counted;
    } else {
      // A new trend starts at the previous point (the last of any repeated values before it).
      start = k - 1;
      counted = 2;
      dir = d;
    }
    if (counted < length) continue;
    if (flag == FlagPoints::completing) {
      out.mark(seg[k], dir);
      continue;
    }
    // The whole trend when it completes, then each further point (with any repeated values
    // before it). Marking overwrites, so a peak shared with an earlier trend takes this one's
    // direction, as NHSRplotthedots colours it.
    const std::size_t from = counted == length ? start : marked_to + 1;
    for (std::size_t m = from; m <= k; ++m) out.mark(seg[m], dir);
    marked_to = k;
  }
}

void label_trends_like_ptd(const Segment& seg, std::span<const double> value, Marks& trends) {
  for (std::size_t k = 0; k < seg.size(); ++k) {
    if (!trends.member[seg[k]]) continue;
    const bool next_in_trend = k + 1 < seg.size() && trends.member[seg[k + 1]];
    double step = 0;
    if (next_in_trend) step = value[seg[k + 1]] - value[seg[k]];
    else if (k > 0) step = value[seg[k]] - value[seg[k - 1]];
    trends.side[seg[k]] = step > 0 ? 1 : -1;
  }
}

void find_alternating(const Segment& seg, std::span<const double> value, int length, FlagPoints flag,
                      Marks& out) {
  std::size_t start = 0;  // index in seg of the alternating stretch's first point
  int points = 0;         // points in the stretch (0: none yet)
  for (std::size_t k = 2; k < seg.size(); ++k) {
    const int before = sign(value[seg[k - 1]] - value[seg[k - 2]]);
    const int now = sign(value[seg[k]] - value[seg[k - 1]]);
    if (before * now >= 0) {  // same direction, or a repeated value
      points = 0;
      continue;
    }
    if (points == 0) {
      start = k - 2;
      points = 2;
    }
    ++points;
    if (points < length) continue;
    if (flag == FlagPoints::completing) {
      out.mark(seg[k], 0);
      continue;
    }
    const std::size_t from = points == length ? start : k;
    for (std::size_t m = from; m <= k; ++m) out.mark(seg[m], 0);
  }
}

void find_k_of_m(const Segment& seg, std::span<const std::int8_t> beyond_zone, int k, int m,
                 std::span<const std::int8_t> all_on_side, FlagPoints flag, Marks& out) {
  const auto width = static_cast<std::size_t>(m);
  for (std::size_t w = 0; w + width <= seg.size(); ++w) {
    for (int s : {1, -1}) {
      int count = 0;
      bool same_side = true;
      for (std::size_t j = w; j < w + width; ++j) {
        count += beyond_zone[seg[j]] == s;
        if (!all_on_side.empty() && all_on_side[seg[j]] != s) same_side = false;
      }
      if (count < k || !same_side) continue;
      if (flag == FlagPoints::completing) {
        const std::size_t newest = seg[w + width - 1];
        if (beyond_zone[newest] == s) out.mark(newest, s);
        continue;
      }
      for (std::size_t j = w; j < w + width; ++j)
        if (beyond_zone[seg[j]] == s) out.mark(seg[j], s);
    }
  }
}

void find_mixture(const Segment& seg, std::span<const std::int8_t> beyond1, int length, FlagPoints flag,
                  Marks& out) {
  const auto width = static_cast<std::size_t>(length);
  for (std::size_t w = 0; w + width <= seg.size(); ++w) {
    bool all_beyond = true, above = false, below = false;
    for (std::size_t j = w; j < w + width; ++j) {
      const int b = beyond1[seg[j]];
      all_beyond = all_beyond && b != 0;
      above = above || b > 0;
      below = below || b < 0;
    }
    if (!(all_beyond && above && below)) continue;
    if (flag == FlagPoints::completing) {
      out.mark(seg[w + width - 1], 0);
      continue;
    }
    for (std::size_t j = w; j < w + width; ++j) out.mark(seg[j], 0);
  }
}

}  // namespace qiscope::spc::detail
