#pragma once
// Test helper: the same random permutation applied to several row columns (so that the engine
// must restore the order itself).

#include <cstddef>
#include <numeric>
#include <random>
#include <vector>

namespace qiscope::testing {

template <class First, class... Rest>
void shuffle_rows(std::mt19937_64& rng, std::vector<First>& first, std::vector<Rest>&... rest) {
  std::vector<std::size_t> perm(first.size());
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  std::shuffle(perm.begin(), perm.end(), rng);
  auto permute = [&](auto& v) {
    auto copy = v;
    for (std::size_t r = 0; r < perm.size(); ++r) v[r] = copy[perm[r]];
  };
  permute(first);
  (permute(rest), ...);
}

}  // namespace qiscope::testing
