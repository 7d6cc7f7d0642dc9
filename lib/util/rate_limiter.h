// RateLimiter: paces background I/O to a number of bytes per second.
//
// A token bucket refilled continuously; Request(n) takes n tokens and sleeps
// the calling thread while the bucket is in debt. Background jobs call it
// outside the DB mutex, so pacing never holds up a writer. A rate of 0 means
// unlimited. Thread-safe.
#ifndef LODE_LIB_UTIL_RATE_LIMITER_H_
#define LODE_LIB_UTIL_RATE_LIMITER_H_

#include <chrono>
#include <cstdint>
#include <mutex>

namespace lode {

class RateLimiter {
 public:
  explicit RateLimiter(uint64_t bytes_per_second) { SetRate(bytes_per_second); }

  void SetRate(uint64_t bytes_per_second);
  uint64_t rate() const;

  // Accounts n bytes; returns after the time they take at the rate.
  void Request(uint64_t n);

  // Microseconds Request has slept in total.
  uint64_t paced_micros() const;

 private:
  using Clock = std::chrono::steady_clock;
  mutable std::mutex mu_;
  uint64_t rate_ = 0;
  double tokens_ = 0;  // may go negative: debt paid by sleeping
  Clock::time_point last_;
  uint64_t paced_micros_ = 0;
};

}  // namespace lode

#endif  // LODE_LIB_UTIL_RATE_LIMITER_H_
