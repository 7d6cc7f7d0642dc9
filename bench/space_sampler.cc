#include "bench/space_sampler.h"

#include <algorithm>
#include <chrono>

#include "bench/process_stats.h"

namespace lode::bench {

SpaceSampler::SpaceSampler(Env* env, std::string dir, int interval_ms)
    : env_(env), dir_(std::move(dir)), interval_ms_(interval_ms) {
  if (interval_ms_ > 0) thread_ = std::thread([this] { Run(); });
}

SpaceSampler::~SpaceSampler() { Stop(); }

uint64_t SpaceSampler::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> l(mu_);
  return max_bytes_;
}

void SpaceSampler::Run() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_) {
    l.unlock();
    uint64_t bytes = 0;
    const bool ok = DirBytes(env_, dir_, &bytes).ok();
    l.lock();
    if (ok) max_bytes_ = std::max(max_bytes_, bytes);
    cv_.wait_for(l, std::chrono::milliseconds(interval_ms_), [this] { return stop_; });
  }
}

}  // namespace lode::bench
