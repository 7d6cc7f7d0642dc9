#include "gc/space_slowdown.h"

#include <algorithm>

namespace lode {

SpaceSlowdownLimits SpaceSlowdownLimitsFor(double ceiling) {
  SpaceSlowdownLimits l;
  if (!(ceiling > 1.0)) return l;
  l.soft = 1 + 1.5 * (ceiling - 1);
  l.hard = 1 + 2.0 * (ceiling - 1);
  return l;
}

double SlowdownSpaceAmp(uint64_t blob_file_bytes, uint64_t live_blob_bytes,
                        uint64_t shadowing_bytes, uint64_t shadowed_bytes, uint64_t unflushed_bytes,
                        double ceiling) {
  const uint64_t likely_live =
      live_blob_bytes - std::min(live_blob_bytes, std::min(shadowing_bytes, shadowed_bytes));
  if (likely_live == 0 ||
      static_cast<double>(blob_file_bytes) < ceiling * static_cast<double>(likely_live)) {
    return 0;
  }
  // What is surely live; if the bound swallows everything, it says nothing.
  const uint64_t live =
      shadowing_bytes < live_blob_bytes ? live_blob_bytes - shadowing_bytes : live_blob_bytes;
  return static_cast<double>(blob_file_bytes + unflushed_bytes) / static_cast<double>(live);
}

uint64_t SpaceSlowdownMicros(const SpaceSlowdownLimits& limits, double amp, uint64_t bytes) {
  if (!(amp > limits.soft)) return 0;
  const double frac = std::min(1.0, (amp - limits.soft) / (limits.hard - limits.soft));
  return static_cast<uint64_t>(static_cast<double>(bytes) * frac * 1e6 /
                               static_cast<double>(kSlowestRate));
}

bool StallForSpace(const SpaceSlowdownLimits& limits, double amp) {
  return limits.enabled() && amp >= limits.hard;
}

uint64_t SpaceSlowdownPayment(uint64_t debt, uint64_t last_charge) {
  return std::min(debt, std::clamp(last_charge, kSpreadMicros, kMaxPaymentMicros));
}

uint64_t AddSpaceSlowdownCharge(uint64_t debt, uint64_t charge) {
  return std::min(kMaxDebtMicros, debt + charge);
}

}  // namespace lode
