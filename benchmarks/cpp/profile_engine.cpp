// A driver for profiling the SPC engine alone (no Python): many series of one chart.
//   g++ -O2 -g -std=c++20 -Icpp/include -Ibuild/cpp/generated -I/usr/include/eigen3 \
//       benchmarks/cpp/profile_engine.cpp build/cpp/libqiscope.a -o build/profile_engine
//   valgrind --tool=callgrind build/profile_engine i 2000 60
// Arguments: chart, series, points per series, threads (default 1), repeat (default 1).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <qiscope/spc.hpp>

int main(int argc, char** argv) {
  const std::string chart = argc > 1 ? argv[1] : "i";
  const std::size_t series = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
  const std::size_t points = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 60;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 1;
  const std::size_t rows = series * points;
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(100, 10);
  std::uniform_int_distribution<int> size(50, 500);
  std::vector<double> y(rows), n(rows);
  std::vector<std::int64_t> by(rows), x(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    by[r] = static_cast<std::int64_t>(r / points);
    x[r] = static_cast<std::int64_t>(r % points);
    n[r] = size(rng);
    y[r] = chart == "p" ? std::binomial_distribution<int>(static_cast<int>(n[r]), 0.2)(rng)
         : chart == "u" ? std::poisson_distribution<int>(0.05 * n[r])(rng)
                        : normal(rng);
  }
  qiscope::spc::Spec spec;
  spec.chart = qiscope::spc::parse_chart(chart);
  spec.n_threads = threads;
  qiscope::spc::Observations obs;
  obs.y = y;
  if (chart == "p" || chart == "u") obs.n = n;
  obs.series = by;
  obs.x = x;
  const int repeat = argc > 5 ? std::atoi(argv[5]) : 1;
  for (int k = 1; k < repeat; ++k) {  // earlier runs, each result freed before the next
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = qiscope::spc::compute(obs, spec);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("run %d: %.4f s\n", k, seconds);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto result = qiscope::spc::compute(obs, spec);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%s: %zu points in %.4f s (%.0f points/s); cl[0] = %.17g\n", chart.c_str(),
              result.points.size(), seconds, static_cast<double>(rows) / seconds, result.points.cl[0]);
  return 0;
}
