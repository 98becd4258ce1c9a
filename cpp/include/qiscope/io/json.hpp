#pragma once
/// \file json.hpp
/// JSON for every spec and result (nlohmann/json): `nlohmann::json j = result;` and
/// `auto spec = j.get<qiscope::spc::Spec>();`. Unknown keys and wrong types in a Spec raise
/// qiscope::input_error naming the key.

#include <nlohmann/json.hpp>

#include <qiscope/spc/funnel.hpp>
#include <qiscope/spc/result.hpp>
#include <qiscope/spc/spec.hpp>

namespace qiscope::spc {

void to_json(nlohmann::json& j, const Spec& spec);
void from_json(const nlohmann::json& j, Spec& spec);
void to_json(nlohmann::json& j, const Points& points);
void from_json(const nlohmann::json& j, Points& points);
void to_json(nlohmann::json& j, const Phases& phases);
void from_json(const nlohmann::json& j, Phases& phases);
void to_json(nlohmann::json& j, const Result& result);
void from_json(const nlohmann::json& j, Result& result);

}  // namespace qiscope::spc

namespace qiscope::funnel {

void to_json(nlohmann::json& j, const Spec& spec);
void from_json(const nlohmann::json& j, Spec& spec);
void to_json(nlohmann::json& j, const Result& result);
void from_json(const nlohmann::json& j, Result& result);

}  // namespace qiscope::funnel
