#pragma once
// Group-parallel for-each on std::thread. Each task writes only its own slice of preallocated
// output, so no locking is needed and the result does not depend on the thread count.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace qiscope::detail {

/// Runs fn(i) for i in [0, count) on up to `n_threads` threads (0: one per core). If tasks
/// throw, the exception of the lowest index is rethrown after all threads have joined, so
/// errors are deterministic too.
template <class Fn>
void parallel_for(std::size_t count, int n_threads, std::size_t min_per_thread, Fn&& fn) {
  std::size_t threads = n_threads > 0 ? static_cast<std::size_t>(n_threads)
                                      : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, std::max<std::size_t>(1, count / std::max<std::size_t>(1, min_per_thread)));
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  // Threads take blocks of consecutive indices. Neighbouring tasks write neighbouring output
  // (series share cache lines of the one-byte flag columns), so handing out single indices
  // in turn would make the threads fight over those lines; 16 blocks a thread still balance
  // unequal tasks.
  const std::size_t block = std::max<std::size_t>(1, count / (threads * 16));
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::size_t> error_index(threads, count);
  auto worker = [&](std::size_t w) {
    for (;;) {
      const std::size_t first = next.fetch_add(block, std::memory_order_relaxed);
      if (first >= count) return;
      for (std::size_t i = first; i < std::min(count, first + block); ++i) {
        try {
          fn(i);
        } catch (...) {
          if (i < error_index[w]) {
            error_index[w] = i;
            errors[w] = std::current_exception();
          }
        }
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (std::size_t w = 1; w < threads; ++w) {
    try {
      pool.emplace_back(worker, w);
    } catch (const std::system_error&) {
      break;  // the system has no more threads to give: the ones started share the work
    }
  }
  worker(0);
  for (auto& t : pool) t.join();
  std::size_t first = count;
  std::exception_ptr error;
  for (std::size_t w = 0; w < threads; ++w)
    if (errors[w] && error_index[w] < first) {
      first = error_index[w];
      error = errors[w];
    }
  if (error) std::rethrow_exception(error);
}

/// Runs fn(begin, end) over [0, count) cut into ranges of `chunk` indices, in parallel as
/// parallel_for (an exception of the lowest range wins, so a range that checks its indices in
/// order reports the lowest failing index overall). For passes over every input row.
template <class Fn>
void parallel_ranges(std::size_t count, std::size_t chunk, int n_threads, Fn&& fn) {
  chunk = std::max<std::size_t>(chunk, 1);
  parallel_for((count + chunk - 1) / chunk, n_threads, 1,
               [&](std::size_t t) { fn(t * chunk, std::min(count, (t + 1) * chunk)); });
}

/// How many i in [0, count) satisfy pred(i), counted in parallel.
template <class Pred>
std::size_t parallel_count_where(std::size_t count, int n_threads, Pred&& pred) {
  constexpr std::size_t chunk = std::size_t{1} << 16;
  std::vector<std::size_t> hits((count + chunk - 1) / chunk, 0);
  parallel_ranges(count, chunk, n_threads, [&](std::size_t begin, std::size_t end) {
    std::size_t found = 0;
    for (std::size_t i = begin; i < end; ++i) found += pred(i) ? 1 : 0;
    hits[begin / chunk] = found;
  });
  std::size_t total = 0;
  for (auto h : hits) total += h;
  return total;
}

/// The indices i in [0, count) where pred(i) holds, in increasing order, found in parallel
/// (one pass counts each range's hits, a second writes them at their offsets).
template <class Pred>
std::vector<std::size_t> parallel_indices_where(std::size_t count, int n_threads, Pred&& pred) {
  constexpr std::size_t chunk = std::size_t{1} << 16;
  const std::size_t ranges = (count + chunk - 1) / chunk;
  std::vector<std::size_t> offset(ranges + 1, 0);
  parallel_ranges(count, chunk, n_threads, [&](std::size_t begin, std::size_t end) {
    std::size_t hits = 0;
    for (std::size_t i = begin; i < end; ++i) hits += pred(i) ? 1 : 0;
    offset[begin / chunk + 1] = hits;
  });
  for (std::size_t t = 0; t < ranges; ++t) offset[t + 1] += offset[t];
  std::vector<std::size_t> indices(offset[ranges]);
  parallel_ranges(count, chunk, n_threads, [&](std::size_t begin, std::size_t end) {
    std::size_t next = offset[begin / chunk];
    for (std::size_t i = begin; i < end; ++i)
      if (pred(i)) indices[next++] = i;
  });
  return indices;
}

}  // namespace qiscope::detail
