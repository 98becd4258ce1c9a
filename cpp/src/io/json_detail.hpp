#pragma once
// Helpers shared by the JSON conversions (not installed). Missing numbers (NaN) are written as
// null, so that the text is valid JSON and reads back exactly; enums as their names.

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <qiscope/error.hpp>
#include <qiscope/spc/types.hpp>

namespace qiscope::io::detail {

using nlohmann::json;

inline json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

/// A JSON number as a double. Parsing refuses 1e999, but a document built in C++ can hold an
/// infinity, which no field accepts (missing numbers are written as null).
inline double finite_from(const json& j, const char* field) {
  const double v = j.get<double>();
  if (!std::isfinite(v)) throw input_error(field, -1, "finite", "must be a finite number");
  return v;
}

/// A number of a document, or NaN for null; anything else is an input_error naming `field`.
inline double number_from(const json& j, const char* field = "result") {
  if (j.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!j.is_number()) throw input_error(field, -1, "type", "must be a number or null");
  return finite_from(j, field);
}

/// A whole number that fits `Int`. JSON has one number type, so 3.0 is accepted, but 3.5,
/// 1e300 or text are input_errors: converting them would truncate or overflow (undefined
/// behaviour for a float out of the integer's range).
template <class Int>
Int integer_from(const json& j, const char* field) {
  static_assert(std::is_integral_v<Int>);
  if (j.is_number_integer()) {  // signed or unsigned, as nlohmann stores it
    if (j.is_number_unsigned()) {
      const auto v = j.get<std::uint64_t>();
      if (v <= static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) return static_cast<Int>(v);
    } else {
      const auto v = j.get<std::int64_t>();
      if (std::in_range<Int>(v)) return static_cast<Int>(v);
    }
    throw input_error(field, -1, "range", "is outside the range of its integer type");
  }
  if (j.is_number_float()) {
    const double v = j.get<double>();
    // The range test is on doubles, so that no out-of-range value is ever converted. The bound
    // above is max + 1: exact for the small types, and 2^63 for int64 (whose max rounds to 2^63).
    const double low = static_cast<double>(std::numeric_limits<Int>::min());
    const double above = static_cast<double>(std::numeric_limits<Int>::max()) + 1.0;
    if (std::isfinite(v) && v == std::floor(v) && v >= low && v < above) return static_cast<Int>(v);
    throw input_error(field, -1, "integer", "must be a whole number in range");
  }
  throw input_error(field, -1, "type", "must be a whole number");
}

/// Throws unless `j` is a JSON array (columns and lists are arrays, never scalars or objects).
inline const json& array_of(const json& j, const char* field) {
  if (!j.is_array()) throw input_error(field, -1, "type", "must be an array");
  return j;
}

inline json doubles(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(number(x));
  return a;
}
inline void doubles_from(const json& j, std::vector<double>& v, const char* field = "result") {
  v.clear();
  for (const auto& x : array_of(j, field)) v.push_back(number_from(x, field));
}
template <class Int>
void integers_from(const json& j, std::vector<Int>& v, const char* field) {
  v.clear();
  for (const auto& x : array_of(j, field)) v.push_back(integer_from<Int>(x, field));
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
  for (const auto& x : array_of(j, field)) {
    if (!x.is_string()) throw input_error(field, -1, "type", "must be an array of names");
    v.push_back(spc::detail::parse_name(table, x.get<std::string>(), field));
  }
}

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

/// Reads key `key` of `j` into `out` if present, naming the key when its type or value does
/// not fit (integers are checked for range, never truncated).
template <class T>
void read(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  if constexpr (std::is_same_v<T, bool>) {
    if (!it->is_boolean()) throw input_error(key, -1, "type", "must be true or false");
    out = it->get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    out = integer_from<T>(*it, key);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!it->is_number()) throw input_error(key, -1, "type", "must be a number");
    out = finite_from(*it, key);
  } else if constexpr (is_vector<T>::value && std::is_integral_v<typename T::value_type>) {
    integers_from(*it, out, key);
  } else if constexpr (is_vector<T>::value && std::is_floating_point_v<typename T::value_type>) {
    out.clear();
    for (const auto& x : array_of(*it, key)) {
      if (!x.is_number()) throw input_error(key, -1, "type", "must be an array of numbers");
      out.push_back(finite_from(x, key));
    }
  } else {
    static_assert(std::is_same_v<T, std::string>, "read() handles numbers, booleans, strings and their arrays");
    if (!it->is_string()) throw input_error(key, -1, "type", "must be a string");
    out = it->get<std::string>();
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
    if (!known.count(key))
      throw input_error(key.empty() ? "spec" : key, -1, "unknown_option",
                        "'" + key + "' is not an option of " + of);
}

/// Throws unless a column read from a result document has the length of its table.
inline void require_length(std::size_t size, std::size_t expected, const char* column) {
  if (size != expected)
    throw input_error(column, -1, "length",
                      "has " + std::to_string(size) + " entries where " + std::to_string(expected) +
                          " are expected (the columns of a result have one length)");
}

/// Throws unless `j` is a result document of `format` (a version this library reads).
inline void check_document(const json& j, const char* format, const std::string& what) {
  const auto tag = j.is_object() ? j.find("format") : j.end();
  if (!j.is_object() || tag == j.end() || !tag->is_string() || tag->get<std::string>() != format)
    throw input_error("format", -1, "format", "is not a qiscope " + what + " result");
  const auto version = j.find("version");
  if (version != j.end() && !version->is_null() && integer_from<int>(*version, "version") > 1)
    throw input_error("version", -1, "format", "was written by a newer qiscope (version " + version->dump() + ")");
}

/// An optional value as JSON (null when unset).
template <class T>
json optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace qiscope::io::detail
