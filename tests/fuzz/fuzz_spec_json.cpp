// Fuzz target: JSON text -> qiscope::spc::Spec and qiscope::funnel::Spec (the parsers the
// Python bindings and trust tools feed), then resolve() and a lossless round trip of each.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <qiscope/io/json.hpp>
#include <qiscope/spc.hpp>
#include <qiscope/spc/funnel.hpp>

#include "fuzz_common.hpp"

namespace {

template <class Spec, class Resolve>
void parse_spec(const nlohmann::json& j, Resolve resolve) {
  qiscope::fuzz::allowing_input_errors([&] {
    const Spec spec = j.get<Spec>();
    // What was accepted must write out and read back to the same document.
    const nlohmann::json once = spec;
    const nlohmann::json twice = qiscope::io::parse(once.dump(), "spec").get<Spec>();
    if (once != twice) qiscope::fuzz::fail("spec JSON round trip differs: " + once.dump() + " vs " + twice.dump());
    resolve(spec);
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  qiscope::fuzz::allowing_input_errors([&] {
    const nlohmann::json j = qiscope::io::parse(text, "spec");
    parse_spec<qiscope::spc::Spec>(j, [](const qiscope::spc::Spec& s) { (void)qiscope::spc::resolve(s); });
    parse_spec<qiscope::funnel::Spec>(j, [](const qiscope::funnel::Spec& s) { (void)qiscope::funnel::resolve(s); });
  });
  return 0;
}
