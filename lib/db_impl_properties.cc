// DBImpl: GetProperty and the numbers behind it.
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "lib/db_impl.h"
#include "lib/db_options.h"
#include "lib/util/human_format.h"
#include "lib/version_set.h"

namespace lode {
namespace {

struct BlobTotals {
  uint64_t files = 0, file_bytes = 0, blob_bytes = 0, garbage_bytes = 0;
  uint64_t blob_count = 0, garbage_count = 0;
};

BlobTotals SumBlobFiles(const Version* v) {
  BlobTotals t;
  for (const auto& [number, state] : v->blob_files()) {
    t.files++;
    t.file_bytes += state.meta->file_size;
    t.blob_bytes += state.meta->blob_bytes;
    t.blob_count += state.meta->blob_count;
    t.garbage_bytes += state.garbage_bytes;
    t.garbage_count += state.garbage_count;
  }
  return t;
}

}  // namespace

bool DBImpl::GetProperty(const Slice& property, std::string* value) {
  value->clear();
  std::lock_guard<std::mutex> l(mutex_);
  Slice in = property;
  const Slice prefix("lode.");
  if (!in.starts_with(prefix)) return false;
  in.remove_prefix(prefix.size());
  const Version* v = versions_->current();
  const int num_levels = options_.num_levels;

  if (in.starts_with("num-files-at-level")) {
    in.remove_prefix(strlen("num-files-at-level"));
    std::string digits = in.ToString();
    if (digits.empty() || digits.size() > 3 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    int level = std::stoi(digits);
    if (level >= num_levels) return false;
    *value = std::to_string(v->NumFiles(level));
    return true;
  }
  if (in == "levels") {
    char buf[200];
    value->append("Level  Files       Size   Blob refs\n");
    value->append("-----  -----  ---------  ----------\n");
    for (int level = 0; level < num_levels; level++) {
      uint64_t bytes = 0, blob_ref_bytes = 0;
      for (const FileMetaData* f : v->files(level)) {
        bytes += f->file_size;
        for (const BlobRef& r : f->blob_refs) blob_ref_bytes += r.bytes;
      }
      snprintf(buf, sizeof(buf), "%5d  %5d  %9s  %10s\n", level, v->NumFiles(level),
               HumanBytes(bytes).c_str(), HumanBytes(blob_ref_bytes).c_str());
      value->append(buf);
    }
    return true;
  }
  if (in == "stats") {
    char buf[300];
    value->append("                             Compactions\n");
    value->append("Level  Files       Size    Count   Time(s)      Read   Written  BlobWritten\n");
    value->append("-----  -----  ---------  -------  --------  --------  --------  -----------\n");
    uint64_t table_writes = 0, blob_writes = 0;
    for (int level = 0; level < num_levels; level++) {
      const LevelStats& ls = stats_.levels[static_cast<size_t>(level)];
      table_writes += ls.bytes_written;
      blob_writes += ls.blob_bytes_written;
      const int files = v->NumFiles(level);
      if (files == 0 && ls.compactions == 0 && ls.bytes_written == 0) continue;
      snprintf(buf, sizeof(buf), "%5d  %5d  %9s  %7" PRIu64 "  %8.2f  %8s  %8s  %11s\n", level,
               files, HumanBytes(static_cast<uint64_t>(versions_->NumLevelBytes(level))).c_str(),
               ls.compactions, ls.micros / 1e6, HumanBytes(ls.bytes_read).c_str(),
               HumanBytes(ls.bytes_written).c_str(), HumanBytes(ls.blob_bytes_written).c_str());
      value->append(buf);
    }
    const uint64_t user = stats_.user_bytes_written;
    const uint64_t total_written = stats_.wal_bytes_written + table_writes + blob_writes;
    const BlobTotals bt = SumBlobFiles(v);
    uint64_t table_bytes = 0;
    for (int level = 0; level < num_levels; level++) {
      table_bytes += static_cast<uint64_t>(versions_->NumLevelBytes(level));
    }
    snprintf(buf, sizeof(buf),
             "User bytes written: %s; WAL %s; tables %s; blob files %s\n"
             "Write amplification: %.2f (all bytes written / user bytes)\n"
             "Flushes: %" PRIu64 "; write stalls: %" PRIu64 " (%.2f s); slowdowns: %" PRIu64 "\n",
             HumanBytes(user).c_str(), HumanBytes(stats_.wal_bytes_written).c_str(),
             HumanBytes(table_writes).c_str(), HumanBytes(blob_writes).c_str(),
             user == 0 ? 0.0 : static_cast<double>(total_written) / user, stats_.flushes,
             stats_.write_stalls, stats_.stall_micros / 1e6, stats_.write_slowdowns);
    value->append(buf);
    const uint64_t live = bt.blob_bytes - bt.garbage_bytes;
    snprintf(buf, sizeof(buf),
             "On disk: tables %s, blob files %s (live blobs %s, garbage %s); "
             "blob space amplification %.2f\n",
             HumanBytes(table_bytes).c_str(), HumanBytes(bt.file_bytes).c_str(),
             HumanBytes(live).c_str(), HumanBytes(bt.garbage_bytes).c_str(),
             live == 0 ? 1.0 : static_cast<double>(bt.file_bytes) / live);
    value->append(buf);
    return true;
  }
  const BlobTotals bt = SumBlobFiles(v);
  if (in == "num-blob-files") {
    *value = std::to_string(bt.files);
    return true;
  }
  if (in == "total-blob-bytes") {
    *value = std::to_string(bt.file_bytes);
    return true;
  }
  if (in == "live-blob-bytes") {
    *value = std::to_string(bt.blob_bytes - bt.garbage_bytes);
    return true;
  }
  if (in == "garbage-blob-bytes") {
    *value = std::to_string(bt.garbage_bytes);
    return true;
  }
  if (in == "blob-stats") {
    char buf[400];
    const uint64_t live = bt.blob_bytes - bt.garbage_bytes;
    snprintf(buf, sizeof(buf),
             "Blob files: %" PRIu64 "\nBlob file bytes: %" PRIu64
             " (%s)\n"
             "Blobs: %" PRIu64 " (%" PRIu64
             " garbage)\n"
             "Live blob bytes: %" PRIu64 " (%s)\nGarbage blob bytes: %" PRIu64
             " (%s)\n"
             "Space amplification: %.3f\n"
             "GC: %" PRIu64 " runs, %" PRIu64 " bytes relocated, %" PRIu64 " files dropped\n",
             bt.files, bt.file_bytes, HumanBytes(bt.file_bytes).c_str(), bt.blob_count,
             bt.garbage_count, live, HumanBytes(live).c_str(), bt.garbage_bytes,
             HumanBytes(bt.garbage_bytes).c_str(),
             live == 0 ? 1.0 : static_cast<double>(bt.file_bytes) / live, gc_stats_.runs,
             gc_stats_.bytes_relocated, gc_stats_.files_dropped);
    value->append(buf);
    return true;
  }
  if (in == "options") {
    *value = OptionsToString(options_);
    return true;
  }
  return false;
}

}  // namespace lode
