// Options and helpers shared by the torture suite (power loss, I/O fault
// sweep, lode_stress): a small DB where flushes, compactions and blob GC
// happen every few hundred writes, and a "quiet" variant for the reopen that
// verifies, in which no compaction is due so the open's files stay put.
#ifndef LODE_TESTS_UTIL_TORTURE_OPTIONS_H_
#define LODE_TESTS_UTIL_TORTURE_OPTIONS_H_

#include <map>
#include <string>

#include "lode/db.h"
#include "lode/options.h"

namespace lode::test {

inline constexpr WalRecoveryMode kAllWalRecoveryModes[] = {
    WalRecoveryMode::kTolerateCorruptedTailRecords, WalRecoveryMode::kAbsoluteConsistency,
    WalRecoveryMode::kPointInTimeRecovery, WalRecoveryMode::kSkipAnyCorruptedRecords};

// 64 KiB memtables, tables and blob files (the validated minimums), values
// >= 1 KiB in blob files, two L0 files trigger a compaction, low GC
// thresholds. env may be nullptr (the default Env).
inline Options GcHeavyOptions(Env* env) {
  Options o;
  o.env = env;
  o.write_buffer_size = 64 << 10;
  o.target_file_size = 64 << 10;
  o.max_bytes_for_level_base = 256 << 10;
  o.level0_compaction_trigger = 2;
  o.min_blob_size = 1024;
  o.blob_file_size = 64 << 10;
  o.block_cache_capacity = 256 << 10;
  o.enable_blob_gc = true;
  o.blob_gc_age_cutoff = 0.5;
  o.blob_gc_garbage_threshold = 0.2;
  o.blob_gc_force_threshold = 0.4;
  return o;
}

// o with no compaction or GC ever due.
inline Options QuietOptions(Options o) {
  o.level0_compaction_trigger = 1000;
  o.level0_slowdown_writes_trigger = 1000;
  o.level0_stop_writes_trigger = 1000;
  o.max_bytes_for_level_base = uint64_t{1} << 40;
  o.enable_blob_gc = false;
  return o;
}

// Every key/value a forward scan yields; *status is the iterator's status.
inline std::map<std::string, std::string> ScanAll(DB* db, Status* status) {
  std::map<std::string, std::string> r;
  auto it = db->NewIterator(ReadOptions());
  for (it->SeekToFirst(); it->Valid(); it->Next()) r[it->key().ToString()] = it->value().ToString();
  *status = it->status();
  return r;
}

}  // namespace lode::test

#endif  // LODE_TESTS_UTIL_TORTURE_OPTIONS_H_
