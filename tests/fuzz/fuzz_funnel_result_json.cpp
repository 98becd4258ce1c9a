// Fuzz target: JSON text -> qiscope::funnel::Result. Whatever is accepted must be shaped like a
// computed result and round-trip losslessly.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <qiscope/io/json.hpp>
#include <qiscope/spc/funnel.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  qiscope::fuzz::allowing_input_errors([&] {
    const auto r = qiscope::io::parse(text, "result").get<qiscope::funnel::Result>();
    const auto& u = r.units;
    if (u.lcl.size() != r.spec.coverage.size()) qiscope::fuzz::fail("accepted limits without one column per coverage");
    for (const auto& column : u.lcl)
      if (column.size() != u.size()) qiscope::fuzz::fail("accepted unit limits of another length");
    const nlohmann::json once = r;
    const nlohmann::json twice = qiscope::io::parse(once.dump(), "result").get<qiscope::funnel::Result>();
    if (once.dump() != twice.dump()) qiscope::fuzz::fail("funnel result JSON round trip differs");
  });
  return 0;
}
