// The space slowdown's arithmetic (gc/space_slowdown.h): where it starts,
// what it counts, and how the delay grows.
#include "gc/space_slowdown.h"

#include <gtest/gtest.h>

namespace lode {
namespace {

constexpr uint64_t kMiB = 1 << 20;

TEST(SpaceSlowdownTest, LimitsFollowTheCeiling) {
  const SpaceSlowdownLimits l = SpaceSlowdownLimitsFor(1.2);
  EXPECT_TRUE(l.enabled());
  EXPECT_DOUBLE_EQ(1.3, l.soft);
  EXPECT_DOUBLE_EQ(1.4, l.hard);
  const SpaceSlowdownLimits loose = SpaceSlowdownLimitsFor(2.0);
  EXPECT_DOUBLE_EQ(2.5, loose.soft);
  EXPECT_DOUBLE_EQ(3.0, loose.hard);
}

TEST(SpaceSlowdownTest, NoCeilingMeansNoSlowdown) {
  EXPECT_FALSE(SpaceSlowdownLimitsFor(0).enabled());
  EXPECT_FALSE(SpaceSlowdownLimitsFor(1.0).enabled());
  EXPECT_FALSE(StallForSpace(SpaceSlowdownLimitsFor(0), 5.0));
}

TEST(SpaceSlowdownTest, AFreshLoadIsNeverSlowed) {
  // No counted garbage: however much may be hidden, writes go on.
  EXPECT_EQ(0, SlowdownSpaceAmp(100 * kMiB, 100 * kMiB, 90 * kMiB, 0, 0, 1.2));
  EXPECT_EQ(0, SlowdownSpaceAmp(0, 0, 0, 0, 0, 1.2));
  // Garbage, but the version is still under the ceiling.
  EXPECT_EQ(0, SlowdownSpaceAmp(119 * kMiB, 100 * kMiB, 50 * kMiB, 0, 0, 1.2));
}

TEST(SpaceSlowdownTest, PossiblyHiddenGarbageCountsAgainstLive) {
  EXPECT_DOUBLE_EQ(1.3, SlowdownSpaceAmp(130 * kMiB, 100 * kMiB, 0, 0, 0, 1.2));
  // What upper levels may have made garbage unseen is not counted as live.
  EXPECT_DOUBLE_EQ(1.5, SlowdownSpaceAmp(120 * kMiB, 100 * kMiB, 20 * kMiB, 0, 0, 1.2));
  // A bound that covers everything is no information.
  EXPECT_DOUBLE_EQ(1.3, SlowdownSpaceAmp(130 * kMiB, 100 * kMiB, 100 * kMiB, 0, 0, 1.2));
}

TEST(SpaceSlowdownTest, GarbageTheFlushesFoundStartsTheSlowdownBeforeACompactionCountsIt) {
  // 130 MiB of files, 125 MiB counted live, 40 MiB referenced from upper
  // levels: a fresh load looks like this, and is not slowed...
  EXPECT_EQ(0, SlowdownSpaceAmp(130 * kMiB, 125 * kMiB, 40 * kMiB, 0, 0, 1.2));
  // ...nor with too little estimated garbage to pass the ceiling...
  EXPECT_EQ(0, SlowdownSpaceAmp(130 * kMiB, 125 * kMiB, 40 * kMiB, 10 * kMiB, 0, 1.2));
  // ...but overwrites whose flushes found 25 MiB of older blobs are: the
  // version is 1.3x of what is likely live. Past the gate the amplification
  // is the usual bound.
  EXPECT_DOUBLE_EQ(130.0 / 85,
                   SlowdownSpaceAmp(130 * kMiB, 125 * kMiB, 40 * kMiB, 25 * kMiB, 0, 1.2));
  // The estimate never counts for more than the upper bound.
  EXPECT_EQ(0, SlowdownSpaceAmp(130 * kMiB, 125 * kMiB, 5 * kMiB, 25 * kMiB, 0, 1.2));
}

TEST(SpaceSlowdownTest, MemTableBlobFilesCountAsSpaceButNeverStartTheSlowdown) {
  // Write-time files in no version yet are on disk: they raise the amp.
  EXPECT_DOUBLE_EQ(1.5, SlowdownSpaceAmp(130 * kMiB, 100 * kMiB, 0, 0, 20 * kMiB, 1.2));
  // But a version under the ceiling is never slowed, whatever a load has
  // written since (a fresh load's files are all new).
  EXPECT_EQ(0, SlowdownSpaceAmp(100 * kMiB, 100 * kMiB, 0, 0, 500 * kMiB, 1.2));
}

TEST(SpaceSlowdownTest, DelayGrowsFromNothingAtTheSoftLimitToTheSlowestRateAtTheHardOne) {
  const SpaceSlowdownLimits l = SpaceSlowdownLimitsFor(1.2);
  const uint64_t bytes = 16 << 10;
  EXPECT_EQ(0u, SpaceSlowdownMicros(l, 1.0, bytes));
  EXPECT_EQ(0u, SpaceSlowdownMicros(l, l.soft, bytes));
  uint64_t last = 0;
  for (double amp = l.soft + 0.01; amp < l.hard; amp += 0.01) {
    const uint64_t d = SpaceSlowdownMicros(l, amp, bytes);
    EXPECT_GT(d, last) << amp;
    last = d;
  }
  const uint64_t at_hard = bytes * 1000000 / kSlowestRate;  // 244 us for 16 KiB
  EXPECT_NEAR(static_cast<double>(at_hard),
              static_cast<double>(SpaceSlowdownMicros(l, l.hard, bytes)), 1.0);
  // Past the hard limit the rate stays at its slowest (the caller stalls).
  EXPECT_EQ(SpaceSlowdownMicros(l, l.hard, bytes), SpaceSlowdownMicros(l, 3.0, bytes));
  // In proportion to the bytes written.
  const double mid = (l.soft + l.hard) / 2;
  EXPECT_NEAR(2.0 * static_cast<double>(SpaceSlowdownMicros(l, mid, bytes)),
              static_cast<double>(SpaceSlowdownMicros(l, mid, 2 * bytes)), 1.0);
}

TEST(SpaceSlowdownTest, StallsAtTheHardLimitOnly) {
  const SpaceSlowdownLimits l = SpaceSlowdownLimitsFor(1.2);
  EXPECT_FALSE(StallForSpace(l, 1.39));
  EXPECT_TRUE(StallForSpace(l, 1.4));
  EXPECT_TRUE(StallForSpace(l, 2.0));
}

TEST(SpaceSlowdownTest, SmallChargesAreSpreadAndLargerOnesPaidWholeUpToACap) {
  // Never more than is owed.
  EXPECT_EQ(0u, SpaceSlowdownPayment(0, 3000));
  EXPECT_EQ(30u, SpaceSlowdownPayment(30, 10));
  // Charges under the spread cap: a debt is paid a cap's worth at a time.
  EXPECT_EQ(kSpreadMicros, SpaceSlowdownPayment(400, 20));
  // A charge between the spread and the payment cap (16 KiB halfway to the
  // hard limit owes ~120 us) is paid whole by the next group, so writes keep
  // pace with what they owe.
  const SpaceSlowdownLimits l = SpaceSlowdownLimitsFor(1.2);
  const double mid = (l.soft + l.hard) / 2;
  const uint64_t charge16 = SpaceSlowdownMicros(l, mid, 16 << 10);
  ASSERT_GT(charge16, kSpreadMicros);
  ASSERT_LT(charge16, kMaxPaymentMicros);
  EXPECT_EQ(charge16, SpaceSlowdownPayment(charge16, charge16));
  uint64_t debt = 0;
  for (int i = 0; i < 1000; i++) {
    debt = AddSpaceSlowdownCharge(debt, charge16);
    ASSERT_LE(debt, charge16) << i;
    debt -= SpaceSlowdownPayment(debt, charge16);
  }
  EXPECT_EQ(0u, debt);
  // A 64 KiB write near the hard limit owes ~1 ms: no group waits more than
  // the payment cap for it, and the debt stops at its own cap.
  const uint64_t charge64 = SpaceSlowdownMicros(l, l.hard - 0.001, 64 << 10);
  ASSERT_GT(charge64, 4 * kMaxPaymentMicros);
  EXPECT_EQ(kMaxPaymentMicros, SpaceSlowdownPayment(charge64, charge64));
  debt = 0;
  for (int i = 0; i < 1000; i++) {
    debt = AddSpaceSlowdownCharge(debt, charge64);
    ASSERT_LE(debt, kMaxDebtMicros) << i;
    const uint64_t pay = SpaceSlowdownPayment(debt, charge64);
    ASSERT_EQ(kMaxPaymentMicros, pay) << i;  // every group pays the cap
    debt -= pay;
  }
}

}  // namespace
}  // namespace lode
