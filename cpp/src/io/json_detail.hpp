#pragma once
// Helpers shared by the JSON conversions (not installed). Missing numbers (NaN) are written as
// null, so that the text is valid JSON and reads back exactly; enums as their names.

#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qiscope/error.hpp>
#include <qiscope/spc/types.hpp>

namespace qiscope::io::detail {

using nlohmann::json;

inline json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
inline double number_from(const json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

inline json doubles(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(number(x));
  return a;
}
inline void doubles_from(const json& j, std::vector<double>& v) {
  v.clear();
  for (const auto& x : j) v.push_back(number_from(x));
}

template <class E, class F>
json names(const std::vector<E>& v, F to_name) {
  json a = json::array();
  for (E e : v) a.push_back(std::string(to_name(e)));
  return a;
}
template <class E, std::size_t N>
void names_from(const json& j, std::vector<E>& v, const spc::detail::NameTable<E, N>& table, const char* field) {
  v.clear();
  for (const auto& x : j) v.push_back(spc::detail::parse_name(table, x.get<std::string>(), field));
}

/// Reads key `key` of `j` into `out` if present, naming the key when its type is wrong.
template <class T>
void read(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  try {
    out = it->get<T>();
  } catch (const json::exception& e) {
    throw input_error(key, -1, "type", std::string("has the wrong type: ") + e.what());
  }
}
template <class T>
void read(const json& j, const char* key, std::optional<T>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  T value{};
  read(j, key, value);
  out = value;
}
inline std::string read_name(const json& j, const char* key, std::string fallback) {
  read(j, key, fallback);
  return fallback;
}

/// Throws unless `j` is an object whose keys are all in `known`, naming the first unknown key.
inline void check_options(const json& j, const std::set<std::string>& known, const char* of) {
  if (!j.is_object()) throw input_error("spec", -1, "type", "must be a JSON object");
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) throw input_error(key, -1, "unknown_option", std::string("is not an option of ") + of);
}

/// An optional value as JSON (null when unset).
template <class T>
json optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace qiscope::io::detail
