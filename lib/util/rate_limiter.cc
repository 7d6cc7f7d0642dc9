#include "lib/util/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace lode {
namespace {
// The bucket holds at most this many seconds of tokens, so a burst after a
// quiet spell stays short.
constexpr double kBurstSeconds = 0.05;
}  // namespace

void RateLimiter::SetRate(uint64_t bytes_per_second) {
  std::lock_guard<std::mutex> l(mu_);
  rate_ = bytes_per_second;
  tokens_ = 0;
  last_ = Clock::now();
}

uint64_t RateLimiter::rate() const {
  std::lock_guard<std::mutex> l(mu_);
  return rate_;
}

uint64_t RateLimiter::paced_micros() const {
  std::lock_guard<std::mutex> l(mu_);
  return paced_micros_;
}

void RateLimiter::Request(uint64_t n) {
  std::chrono::microseconds wait{0};
  {
    std::lock_guard<std::mutex> l(mu_);
    if (rate_ == 0) return;
    const Clock::time_point now = Clock::now();
    const double rate = static_cast<double>(rate_);
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(tokens_ + elapsed * rate, rate * kBurstSeconds);
    tokens_ -= static_cast<double>(n);
    if (tokens_ < 0) {
      wait = std::chrono::microseconds(static_cast<int64_t>(-tokens_ / rate * 1e6));
      paced_micros_ += static_cast<uint64_t>(wait.count());
    }
  }
  // Pacing is the point here: the sleep is the rate, not a synchronisation.
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
}

}  // namespace lode
