// SpaceSampler: measures a DB directory's size every few milliseconds on a
// thread of its own while a benchmark runs, and keeps the largest sample, so
// the report can show the peak space a workload needed and not only the size
// once background work has settled.
//
// Starts in the constructor; Stop (or the destructor) joins the thread. One
// owner thread.
#ifndef LODE_BENCH_SPACE_SAMPLER_H_
#define LODE_BENCH_SPACE_SAMPLER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "lode/env.h"

namespace lode::bench {

class SpaceSampler {
 public:
  // interval_ms <= 0: no thread, Stop returns 0.
  SpaceSampler(Env* env, std::string dir, int interval_ms);
  ~SpaceSampler();
  SpaceSampler(const SpaceSampler&) = delete;
  SpaceSampler& operator=(const SpaceSampler&) = delete;

  // Stops sampling; the largest size seen.
  uint64_t Stop();

 private:
  void Run();

  Env* const env_;
  const std::string dir_;
  const int interval_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t max_bytes_ = 0;
  std::thread thread_;
};

}  // namespace lode::bench

#endif  // LODE_BENCH_SPACE_SAMPLER_H_
