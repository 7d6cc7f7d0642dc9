// RateLimiter: the debt it charges, not wall-clock timing.
#include "lib/util/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace lode {
namespace {

TEST(RateLimiterTest, ZeroRateNeverWaits) {
  RateLimiter limiter(0);
  for (int i = 0; i < 100; i++) limiter.Request(64 << 20);
  EXPECT_EQ(0u, limiter.paced_micros());
}

TEST(RateLimiterTest, ChargesTheTimeTheBytesTakeAtTheRate) {
  RateLimiter limiter(10 << 20);  // 10 MiB/s
  limiter.Request(1 << 20);       // 1 MiB: about 100 ms, less the tiny burst allowance
  EXPECT_GE(limiter.paced_micros(), 90'000u);
  EXPECT_LE(limiter.paced_micros(), 110'000u);
}

TEST(RateLimiterTest, ConcurrentRequestersShareOneRate) {
  RateLimiter limiter(16 << 20);  // 16 MiB/s
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&limiter] {
      for (int i = 0; i < 4; i++) limiter.Request(256 << 10);
    });
  }
  for (auto& t : threads) t.join();
  // 4 MiB at 16 MiB/s is 250 ms of pacing in total, whoever waited: debt
  // queues up instead of each thread getting the full rate.
  EXPECT_GE(limiter.paced_micros(), 200'000u);
}

TEST(RateLimiterTest, SetRateToZeroStopsPacing) {
  RateLimiter limiter(1 << 20);
  limiter.SetRate(0);
  limiter.Request(64 << 20);
  EXPECT_EQ(0u, limiter.paced_micros());
  EXPECT_EQ(0u, limiter.rate());
}

}  // namespace
}  // namespace lode
