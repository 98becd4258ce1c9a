// Control-chart constants (Montgomery, Introduction to Statistical Quality Control, App. VI).

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>

#include <qiscope/spc/constants.hpp>

namespace qiscope::spc {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

double c4(double n) {
  if (!(n > 1) || !std::isfinite(n)) return nan;
  // Gamma(n/2) / Gamma((n-1)/2) by Boost's ratio, which is accurate for large n and, unlike
  // std::lgamma, does not write the global `signgam` (series run on several threads).
  return std::sqrt(2.0 / (n - 1)) * boost::math::tgamma_ratio(n / 2, (n - 1) / 2);
}

double c5(double n) {
  const double c = c4(n);
  return std::sqrt(1 - c * c);
}

double a3(double n, double k) { return k / (c4(n) * std::sqrt(n)); }

double b3(double n, double k) {
  const double b = 1 - k * c5(n) / c4(n);
  return std::isnan(b) ? nan : std::max(0.0, b);
}

double b4(double n, double k) { return 1 + k * c5(n) / c4(n); }

double d2_qcc_table(int n) {
  // qcc 2.7, qcc.options("exp.R.unscaled")[2:25].
  static constexpr std::array<double, 24> table{
      1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336,
      3.407, 3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931};
  if (n < 2 || n > 25) return nan;
  return table[static_cast<std::size_t>(n - 2)];
}

double d3_qcc_table(int n) {
  // qcc 2.7, qcc.options("se.R.unscaled")[2:50].
  static constexpr std::array<double, 49> table{
      0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378, 0.8078413,
      0.7970584, 0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217, 0.7499188, 0.7440627,
      0.7386021, 0.7334929, 0.7286980, 0.7241851, 0.7199267, 0.7158987, 0.7120802, 0.7084528,
      0.7050004, 0.7017086, 0.6985648, 0.6955576, 0.6926770, 0.6899137, 0.6872596, 0.6847074,
      0.6822502, 0.6798821, 0.6775973, 0.6753910, 0.6732584, 0.6711952, 0.6691976, 0.6672619,
      0.6653848, 0.6635632, 0.6617943, 0.6600754, 0.6584041, 0.6567780, 0.6551950, 0.6536532,
      0.6521506};
  if (n < 2 || n > 50) return nan;
  return table[static_cast<std::size_t>(n - 2)];
}

}  // namespace qiscope::spc
