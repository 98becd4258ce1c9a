// JSON text to a document, with every failure as an input_error (specs and results arrive from
// files, other tools and the network: truncated or hostile text must not escape as a parser
// exception or exhaust the stack).

#include <string>

#include <qiscope/error.hpp>
#include <qiscope/io/json.hpp>

namespace qiscope::io {

nlohmann::json parse(std::string_view text, const std::string& field) {
  using nlohmann::json;
  // Depth is checked as the parser opens each array or object, before anything deeper is read.
  const json::parser_callback_t limit_depth = [&field](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= max_depth)
      throw input_error(field, -1, "json", "is nested more than " + std::to_string(max_depth) + " levels deep");
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), limit_depth);
  } catch (const json::exception& e) {
    // parse_error for bad syntax, out_of_range for a number beyond the double range (1e999).
    throw input_error(field, -1, "json", std::string("is not valid JSON: ") + e.what());
  }
}

}  // namespace qiscope::io
