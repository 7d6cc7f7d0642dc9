// SpaceSlowdown: how long a foreground write waits when blob space runs past
// the ceiling faster than GC can bring it back.
//
// Relocation shares the disk with the writes it cleans up after, and its
// output must be on disk (fsynced) before its edit installs, while writes
// with sync off only reach the page cache. A writer that fills the disk's
// bandwidth on its own therefore outruns GC: on a 2-core machine space
// climbed to 1.6-1.8x of the live bytes within each 1 GiB overwrite pass
// (bench/RESULTS.md) and only came back once the pass ended. Past a soft
// limit each write group now waits in proportion to its bytes, more the
// closer space is to a hard limit; at the hard limit writes wait for GC to
// install work (they stall). Writers then run at the pace GC sustains, and
// space stays under the hard limit.
//
// With ceiling c (Options::max_space_amplification):
//   soft = 1 + 1.5 (c - 1)     hard = 1 + 2 (c - 1)
// so 1.3x and 1.4x at the default 1.2, which leaves room for the tables,
// the memtables' write-time files and GC's copies in flight (none of them
// in the version yet) under 1.5x on disk.
//
// Pure functions; thread-compatible.
#ifndef LODE_GC_SPACE_SLOWDOWN_H_
#define LODE_GC_SPACE_SLOWDOWN_H_

#include <cstdint>

namespace lode {

struct SpaceSlowdownLimits {
  double soft = 0;  // 0: no slowdown
  double hard = 0;

  bool enabled() const { return soft > 1.0; }
};

// ceiling <= 1 (no ceiling): disabled limits.
SpaceSlowdownLimits SpaceSlowdownLimitsFor(double ceiling);

// Blob space amplification as the slowdown sees it, or 0 when writes need
// no slowing. blob_file_bytes and live_blob_bytes are the version's (live =
// blob bytes minus counted garbage); shadowing_bytes are the blob bytes
// referenced above the bottom level, an upper bound of the garbage no
// compaction has counted yet (gc/blob_gc_scheduler.h), counted here as
// not live: GC only reveals hidden garbage when a compaction slot is free.
// unflushed_bytes are the memtables' write-time blob files, on disk but in
// no version yet: they count as space (they are), not as live bytes (the
// versions they replace are still counted live until a compaction meets
// them).
//
// The slowdown only acts once the version is past the ceiling by counted
// garbage and shadowed_bytes, what the flushes found their tables shadow
// (an estimate of the hidden garbage: FileMetaData::shadowed_blob_bytes).
// So a fresh load, whose new bytes all look like possible garbage but
// shadow nothing, is never slowed, while overwrites are slowed before a
// compaction has met them.
double SlowdownSpaceAmp(uint64_t blob_file_bytes, uint64_t live_blob_bytes,
                        uint64_t shadowing_bytes, uint64_t shadowed_bytes, uint64_t unflushed_bytes,
                        double ceiling);

// Microseconds a write group of `bytes` waits at space amplification amp:
// 0 below the soft limit, then bytes at a rate falling from unlimited to
// kSlowestRate as amp goes from soft to hard. REQUIRES: limits.enabled().
// At or past hard the caller stalls instead (see StallForSpace).
uint64_t SpaceSlowdownMicros(const SpaceSlowdownLimits& limits, double amp, uint64_t bytes);

// True when writes must wait for GC: amp at or past the hard limit.
bool StallForSpace(const SpaceSlowdownLimits& limits, double amp);

// Microseconds a write group waits to pay off `debt`, the delay the groups
// before it ran up, the last of which was charged `last_charge`: what is
// owed, but at least kSpreadMicros (when that much is owed) and at most
// kMaxPaymentMicros, and within those bounds last_charge. Charges of a few
// microseconds are spread thin over many writes (short waits keep p99
// low); a charge up to kMaxPaymentMicros is paid whole by the next group,
// so the debt cannot outgrow what writes pay (with only the spread cap,
// 64 KiB writes owing up to ms each paid 50 us of it, ran on to the hard
// limit and stalled there, up to 12 times a run: bench/RESULTS.md, session
// 6). A larger charge is paid kMaxPaymentMicros at a time: a 64 KiB write
// near the hard limit owes ~1 ms, and one group waiting that long in one
// piece set the put p99.9 (bench/RESULTS.md, session 8).
uint64_t SpaceSlowdownPayment(uint64_t debt, uint64_t last_charge);
constexpr uint64_t kSpreadMicros = 50;
constexpr uint64_t kMaxPaymentMicros = 150;

// The debt after a group is charged `charge` microseconds: at most
// kMaxDebtMicros. What a writer owes past that is forgiven rather than paid
// on for many groups after space has come back: the slowdown smooths the
// writer's pace, and if it cannot hold space, the stall at the hard limit
// does (StallForSpace).
uint64_t AddSpaceSlowdownCharge(uint64_t debt, uint64_t charge);
constexpr uint64_t kMaxDebtMicros = 4 * kMaxPaymentMicros;

// Bytes per second a writer is charged for just under the hard limit:
// 16 KiB then costs ~250 us, 64 KiB ~1 ms (paid kMaxPaymentMicros at a
// time, see above). A few percent past the soft limit it costs
// microseconds, which is where writers and GC settle. (16 MiB/s, with
// every charge paid whole, made 64 KiB writes wait ~2 ms each halfway to
// the hard limit: p99.9 2-4 ms.)
constexpr uint64_t kSlowestRate = 64 << 20;

}  // namespace lode

#endif  // LODE_GC_SPACE_SLOWDOWN_H_
