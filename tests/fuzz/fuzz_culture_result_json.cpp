// Fuzz target: JSON text -> each culture result (ScoreTable, Reliability, Agreement, Gap and the
// PolarityCheck they carry). Whatever is accepted must round-trip losslessly: written out, read
// back and written again it gives the same text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <qiscope/io/json.hpp>
#include <qiscope/io/json_culture.hpp>

#include "fuzz_common.hpp"

namespace {

template <class Result>
void round_trip(const nlohmann::json& doc, const char* name) {
  qiscope::fuzz::allowing_input_errors([&] {
    const nlohmann::json once = doc.get<Result>();
    std::string again;
    try {
      again = nlohmann::json(qiscope::io::parse(once.dump(), "result").get<Result>()).dump();
    } catch (const qiscope::input_error& e) {
      qiscope::fuzz::fail(std::string("an accepted ") + name + ", written out, is refused: " + e.what());
    }
    if (once.dump() != again) qiscope::fuzz::fail(std::string(name) + " JSON round trip differs: " + once.dump());
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qiscope::culture;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  qiscope::fuzz::allowing_input_errors([&] {
    const nlohmann::json doc = qiscope::io::parse(text, "result");
    round_trip<ScoreTable>(doc, "ScoreTable");
    round_trip<Reliability>(doc, "Reliability");
    round_trip<Agreement>(doc, "Agreement");
    round_trip<Gap>(doc, "Gap");
    round_trip<PolarityCheck>(doc, "PolarityCheck");
  });
  return 0;
}
