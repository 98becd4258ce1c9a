#pragma once
/// \file spc.hpp
/// Statistical process control: run charts, Shewhart charts and their rule sets.
///
///     qiscope::spc::Spec spec; spec.chart = qiscope::spc::Chart::u; spec.multiply = 1000;
///     qiscope::spc::Result r = qiscope::spc::compute(observations, spec);

#include <qiscope/spc/constants.hpp>
#include <qiscope/spc/gaps.hpp>
#include <qiscope/spc/observations.hpp>
#include <qiscope/spc/result.hpp>
#include <qiscope/spc/rules.hpp>
#include <qiscope/spc/runs.hpp>
#include <qiscope/spc/spec.hpp>
#include <qiscope/spc/types.hpp>

namespace qiscope::spc {

/// Computes every series of `obs` under `spec`. Series run in parallel (spec.n_threads); the
/// result does not depend on the thread count. Throws qiscope::input_error for bad input.
Result compute(const Observations& obs, const Spec& spec);
/// As above, filling only the point columns `columns.keep` (unknown names: input_error on
/// `point_columns`), in batches of whole series (bounded working memory; same numbers).
Result compute(const Observations& obs, const Spec& spec, const PointColumns& columns);

}  // namespace qiscope::spc
