#pragma once
/// \file culture.hpp
/// Safety-culture survey scoring: instruments as data, percent positive with intervals and
/// privacy protection, reliability, agreement and paired gaps.
///
///     auto inst = qiscope::culture::load_instrument("share/qiscope/instruments/sops-hospital-2.0.json");
///     qiscope::culture::Responses r;  // column-major answers, one column per instrument item
///     r.n_rows = n; r.values = answers; r.unit = unit_codes;
///     qiscope::culture::ScoreTable table = qiscope::culture::score(r, inst);
///     nlohmann::json j = table;       // #include <qiscope/error.hpp>
#include <qiscope/io/json_culture.hpp>

#include <qiscope/culture/agreement.hpp>
#include <qiscope/culture/gap.hpp>
#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/reliability.hpp>
#include <qiscope/culture/responses.hpp>
#include <qiscope/culture/score.hpp>
#include <qiscope/culture/score_counts.hpp>
#include <qiscope/error.hpp>
#include <qiscope/io/json_culture.hpp>
