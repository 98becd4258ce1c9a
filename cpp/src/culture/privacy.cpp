#include <algorithm>
#include <cstddef>
#include <limits>
#include <numeric>

#include "privacy.hpp"

namespace qiscope::culture::detail {

bool suppress(Cell& cell, Reason why) {
  if (cell.suppressed) return false;
  cell.suppressed = true;
  cell.reason = why;
  return true;
}

void primary(Cell& cell, int min_n) {
  if (cell.n <= 0) {
    cell.reason = Reason::no_valid_answers;
  } else if (cell.n < min_n) {
    suppress(cell, Reason::below_min_n);
  }
}

bool protect_siblings(Cell& parent, const std::vector<Cell*>& children, int min_n) {
  bool changed = false;
  for (;;) {
    if (parent.suppressed) return changed;
    int n_hidden = 0;
    std::int64_t n_hidden_answers = 0;
    Cell* smallest_released = nullptr;
    for (Cell* c : children) {
      if (c->n <= 0) continue;  // an empty unit adds nothing to the total
      if (c->suppressed) {
        ++n_hidden;
        n_hidden_answers += c->n;
      } else if (smallest_released == nullptr || c->n < smallest_released->n) {
        smallest_released = c;
      }
    }
    if (n_hidden == 0 || (n_hidden >= 2 && n_hidden_answers >= min_n)) return changed;
    if (smallest_released != nullptr) {
      suppress(*smallest_released, Reason::complementary);
    } else {
      suppress(parent, Reason::complementary);
    }
    changed = true;
  }
}

}  // namespace qiscope::culture::detail

namespace qiscope::culture::detail {

void apply_score_suppression(ScoreTable& t, const Instrument& inst, int min_n) {
  const std::size_t k = inst.items.size();
  const std::size_t nc = inst.composites.size();
  const std::size_t n_measures = k + nc;
  std::int64_t levels = 0;
  for (auto u : t.unit) levels = std::max(levels, u + 2);
  // cell index of (level, measure, kind); -1 when the table has no such row
  auto slot = [&](std::int64_t level, std::size_t measure, Kind kind) {
    return (static_cast<std::size_t>(level) * n_measures + measure) * 3 + static_cast<std::size_t>(kind);
  };
  std::vector<std::ptrdiff_t> where(static_cast<std::size_t>(levels) * n_measures * 3, -1);
  std::vector<Cell> cells(t.size());
  for (std::size_t r = 0; r < t.size(); ++r) {
    where[slot(t.unit[r] + 1, static_cast<std::size_t>(t.measure[r]), t.kind[r])] = static_cast<std::ptrdiff_t>(r);
    cells[r].n = t.kind[r] == Kind::item ? t.n_valid[r] : t.n_respondents[r];
    primary(cells[r], min_n);
  }
  auto cell = [&](std::int64_t level, std::size_t measure, Kind kind) -> Cell* {
    const auto r = where[slot(level, measure, kind)];
    return r < 0 ? nullptr : &cells[static_cast<std::size_t>(r)];
  };

  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t m = 0; m < n_measures; ++m)
      for (Kind kind : {Kind::item, Kind::composite, Kind::scale}) {
        Cell* parent = cell(0, m, kind);
        if (parent == nullptr) continue;
        std::vector<Cell*> children;
        for (std::int64_t level = 1; level < levels; ++level)
          if (Cell* c = cell(level, m, kind)) children.push_back(c);
        changed |= protect_siblings(*parent, children, min_n);
      }
    for (std::int64_t level = 0; level < levels; ++level)
      for (std::size_t c = 0; c < nc; ++c) {
        Cell* comp = cell(level, k + c, Kind::composite);
        Cell* scale = cell(level, k + c, Kind::scale);
        if (comp == nullptr) continue;
        Cell* smallest = nullptr;
        bool item_hidden = false;
        for (std::size_t j : inst.composites[c].items) {
          Cell* item = cell(level, j, Kind::item);
          if (item == nullptr || item->n <= 0) continue;
          if (item->suppressed) item_hidden = true;
          else if (smallest == nullptr || item->n < smallest->n) smallest = item;
        }
        if (item_hidden) changed |= suppress(*comp, Reason::linked);
        if (scale != nullptr) {
          if (scale->suppressed) changed |= suppress(*comp, Reason::linked);
          if (comp->suppressed) changed |= suppress(*scale, Reason::linked);
        }
        if (comp->suppressed && !item_hidden && smallest != nullptr) changed |= suppress(*smallest, Reason::linked);
      }
  }

  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t r = 0; r < t.size(); ++r) {
    t.reason[r] = cells[r].reason;
    if (!cells[r].suppressed) continue;
    t.suppressed[r] = 1;
    for (auto* col : {&t.percent_positive, &t.percent_neutral, &t.percent_negative, &t.ci_low, &t.ci_high, &t.mean})
      (*col)[r] = nan;
    for (auto* col : {&t.n_positive, &t.n_neutral, &t.n_negative, &t.n_dna}) (*col)[r] = -1;
  }
}

}  // namespace qiscope::culture::detail
