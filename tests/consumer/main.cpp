// An I chart of twelve points (one missing) through the installed package, printed with its
// JSON round trip. The expected centre line is qicharts2's (spc-spec.md §8.3).
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include <qiscope/qiscope.hpp>

int main() {
  const double na = std::nan("");
  std::vector<double> y{5, 3, na, 4, 6, 2, 5, 4, 3, 6, 5, 4};
  qiscope::spc::Observations obs;
  obs.y = y;
  qiscope::spc::Spec spec;
  spec.chart = qiscope::spc::Chart::i;
  spec.profile = qiscope::spc::Profile::qicharts2;
  const auto result = qiscope::spc::compute(obs, spec);
  const nlohmann::json j = result;
  const auto back = j.get<qiscope::spc::Result>();
  std::cout << std::setprecision(10) << "qiscope " << qiscope::version << " cl=" << back.points.cl[0]
            << " lcl=" << back.points.lcl[0] << " ucl=" << back.points.ucl[0] << "\n";
  // A built-in instrument from the installed share/qiscope/instruments.
  const auto sops = qiscope::culture::load_instrument(std::string(QISCOPE_INSTRUMENT_DIR) + "/sops-hospital-2.0.json");
  std::cout << sops.name << " composites=" << sops.composites.size() << "\n";
  return std::abs(back.points.cl[0] - 4.2727272727) < 1e-6 && sops.composites.size() == 10 ? 0 : 1;
}
