// Fuzz target: JSON text -> qiscope::spc::Result (a result saved by one tool and read by
// another). Whatever is accepted must be shaped like a computed result and round-trip losslessly.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <qiscope/io/json.hpp>
#include <qiscope/spc.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  qiscope::fuzz::allowing_input_errors([&] {
    const auto r = qiscope::io::parse(text, "result").get<qiscope::spc::Result>();
    const auto& p = r.points;
    for (std::size_t size_of : {p.series.size(), p.y.size(), p.cl.size(), p.point_type.size(), p.rules.size()})
      if (size_of != p.size()) qiscope::fuzz::fail("accepted a result whose columns differ in length");
    const nlohmann::json once = r;
    const nlohmann::json twice = qiscope::io::parse(once.dump(), "result").get<qiscope::spc::Result>();
    if (once.dump() != twice.dump()) qiscope::fuzz::fail("SPC result JSON round trip differs");
  });
  return 0;
}
