#pragma once
/// \file json_culture.hpp
/// JSON for the culture results (nlohmann/json): `nlohmann::json j = table;` and back with
/// `j.get<qiscope::culture::ScoreTable>()`. Enumerations are written as their names; a NaN
/// statistic is written as null and read back as NaN.

#include <string_view>

#include <nlohmann/json.hpp>

#include <qiscope/culture/agreement.hpp>
#include <qiscope/culture/gap.hpp>
#include <qiscope/culture/reliability.hpp>
#include <qiscope/culture/score.hpp>

namespace qiscope::culture {

std::string_view to_string(Reason r) noexcept;
std::string_view to_string(Kind k) noexcept;
std::string_view to_string(MissingPolicy m) noexcept;

void to_json(nlohmann::json& j, const PolarityCheck& c);
void from_json(const nlohmann::json& j, PolarityCheck& c);
void to_json(nlohmann::json& j, const ScoreTable& t);
void from_json(const nlohmann::json& j, ScoreTable& t);
void to_json(nlohmann::json& j, const Reliability& r);
void from_json(const nlohmann::json& j, Reliability& r);
void to_json(nlohmann::json& j, const Agreement& a);
void from_json(const nlohmann::json& j, Agreement& a);
void to_json(nlohmann::json& j, const Gap& g);
void from_json(const nlohmann::json& j, Gap& g);

}  // namespace qiscope::culture
