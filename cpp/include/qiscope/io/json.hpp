#pragma once
/// \file json.hpp
/// JSON for every spec and result (nlohmann/json): `nlohmann::json j = result;` and
/// `auto spec = j.get<qiscope::spc::Spec>();`. Unknown keys and wrong types in a Spec raise
/// qiscope::input_error naming the key; a result whose columns are missing, mistyped or of
/// different lengths raises qiscope::input_error too (never another exception).
///
///     auto r = qiscope::io::parse(text, "result").get<qiscope::spc::Result>();

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <qiscope/spc/funnel.hpp>
#include <qiscope/spc/result.hpp>
#include <qiscope/spc/spec.hpp>

namespace qiscope::io {

/// Parses JSON text. Text that is not JSON (truncated, hostile, or nested deeper than
/// `max_depth` levels) is a qiscope::input_error naming `field`, with the byte offset.
nlohmann::json parse(std::string_view text, const std::string& field = "json");

/// Nesting accepted by parse(): qiscope's documents are at most 4 levels deep.
inline constexpr int max_depth = 64;

}  // namespace qiscope::io

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
