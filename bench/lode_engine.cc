// The lode adapter of BenchEngine: a thin layer over lode's public API.
#include <cstdio>
#include <memory>
#include <random>

#include "bench/bench_flags.h"
#include "bench/engine.h"
#include "bench/json_writer.h"
#include "lode/db.h"
#include "lode/encryption.h"
#include "lode/env.h"

namespace lode::bench {

namespace {

class LodeIterator : public BenchIterator {
 public:
  explicit LodeIterator(std::unique_ptr<Iterator> it) : it_(std::move(it)) {}
  void Seek(const Slice& target) override { it_->Seek(target); }
  void SeekToFirst() override { it_->SeekToFirst(); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  Slice key() const override { return it_->key(); }
  Slice value() const override { return it_->value(); }
  Status status() const override { return it_->status(); }

 private:
  std::unique_ptr<Iterator> it_;
};

class LodeEngine : public BenchEngine {
 public:
  LodeEngine(const BenchConfig& config, std::unique_ptr<DB> db)
      : config_(config), db_(std::move(db)) {
    write_options_.sync = config.sync;
    write_options_.disable_wal = config.disable_wal;
    read_options_.verify_checksums = config.verify_checksums;
  }

  std::string Name() const override { return "lode"; }

  std::vector<std::pair<std::string, std::string>> Settings() const override {
    const Options& o = config_.options;
    auto b = [](bool v) { return std::string(v ? "true" : "false"); };
    auto n = [](auto v) { return std::to_string(v); };
    return {
        {"write_buffer_size", n(o.write_buffer_size)},
        {"wal", b(!config_.disable_wal)},
        {"sync", b(config_.sync)},
        {"compression", CompressionName(o.compression)},
        {"block_size", n(o.block_size)},
        {"bloom_bits", n(o.bloom_bits_per_key)},
        {"block_cache_size", n(o.block_cache_capacity)},
        {"level0_file_num_compaction_trigger", n(o.level0_compaction_trigger)},
        {"target_file_size", n(o.target_file_size)},
        {"max_bytes_for_level_base", n(o.max_bytes_for_level_base)},
        {"max_background_jobs", n(o.max_background_jobs)},
        {"compaction_thread_nice", n(o.compaction_thread_nice)},
        {"enable_blob_files", b(o.enable_blob_files)},
        {"min_blob_size", n(o.min_blob_size)},
        {"blob_write_time_separation", b(o.blob_write_time_separation)},
        {"blob_file_size", n(o.blob_file_size)},
        {"blob_compression", CompressionName(o.blob_compression)},
        {"blob_cache_size", n(o.blob_cache_capacity)},
        {"enable_blob_gc", b(o.enable_blob_gc)},
        {"blob_gc_age_cutoff", n(o.blob_gc_age_cutoff)},
        {"blob_gc_garbage_threshold", n(o.blob_gc_garbage_threshold)},
        {"blob_gc_force_threshold", n(o.blob_gc_force_threshold)},
        {"max_space_amplification", n(o.max_space_amplification)},
        {"blob_gc_idle_seconds", n(o.blob_gc_idle_seconds)},
        {"blob_gc_rate_limit", n(o.blob_gc_rate_limit)},
        {"blob_gc_slowdown_writes", b(o.blob_gc_slowdown_writes)},
        {"encryption", b(config_.encryption)},
    };
  }

  Status Put(const Slice& key, const Slice& value) override {
    return db_->Put(write_options_, key, value);
  }
  Status Get(const Slice& key, std::string* value) override {
    return db_->Get(read_options_, key, value);
  }
  Status Delete(const Slice& key) override { return db_->Delete(write_options_, key); }
  std::unique_ptr<BenchIterator> NewIterator() override {
    return std::make_unique<LodeIterator>(db_->NewIterator(read_options_));
  }

  Status WaitForBackgroundWork() override { return db_->WaitForBackgroundWork(); }

  Status CompactAll() override { return db_->CompactRange(nullptr, nullptr); }

  Status RunGc(GcResult* result) override {
    BlobGcOptions gc;
    if (config_.gc_full) {
      gc.garbage_threshold = 0;  // every file with any garbage
      result->description =
          "DB::RunBlobGc(garbage_threshold=0): relocate out of every blob file with garbage";
    } else {
      result->description =
          "DB::RunBlobGc(BlobGcOptions{}): relocate out of every eligible blob "
          "file at the configured thresholds, drop dead files";
    }
    Status s = db_->RunBlobGc(gc);
    if (!s.ok()) return s;
    GcReport report;
    s = db_->GetGcReport(&report);
    if (!s.ok()) return s;
    // The totals only (GcReport::ToJson has every file, too long for a JSON line).
    JsonWriter j;
    j.Add("num_blob_files", report.num_blob_files)
        .Add("blob_file_bytes", report.blob_file_bytes)
        .Add("live_blob_bytes", report.live_blob_bytes)
        .Add("garbage_blob_bytes", report.garbage_blob_bytes)
        .Add("space_amplification", report.space_amplification)
        .Add("reclaimable_bytes", report.reclaimable_bytes)
        .Add("rewrite_bytes", report.rewrite_bytes)
        .Add("gc_runs", report.gc_runs)
        .Add("bytes_relocated", report.bytes_relocated)
        .Add("blobs_relocated", report.blobs_relocated)
        .Add("files_dropped", report.files_dropped)
        .Add("bytes_reclaimed", report.bytes_reclaimed)
        .Add("write_slowdowns", report.write_slowdowns)
        .Add("write_slowdown_micros", report.write_slowdown_micros)
        .Add("write_stalls", report.write_stalls)
        .Add("write_stall_micros", report.write_stall_micros);
    result->report_json = j.ToString();
    char text[256];
    std::snprintf(text, sizeof(text),
                  "blob files %llu, bytes %llu, garbage %llu; since open: %llu runs relocated "
                  "%llu bytes, dropped %llu files, reclaimed %llu bytes\n",
                  static_cast<unsigned long long>(report.num_blob_files),
                  static_cast<unsigned long long>(report.blob_file_bytes),
                  static_cast<unsigned long long>(report.garbage_blob_bytes),
                  static_cast<unsigned long long>(report.gc_runs),
                  static_cast<unsigned long long>(report.bytes_relocated),
                  static_cast<unsigned long long>(report.files_dropped),
                  static_cast<unsigned long long>(report.bytes_reclaimed));
    result->report_text = text;
    return Status::OK();
  }

  std::string Stats() override {
    std::string out;
    if (!db_->GetProperty("lode.stats", &out)) out = "(lode.stats not available)\n";
    return out;
  }

 private:
  const BenchConfig config_;
  std::unique_ptr<DB> db_;
  WriteOptions write_options_;
  ReadOptions read_options_;
};

}  // namespace

Status OpenLodeEngine(const BenchConfig& config, const std::string& dir,
                      std::unique_ptr<BenchEngine>* engine) {
  Options options = config.options;
  options.create_if_missing = true;
  if (config.encryption) {
    // A key derived from --seed, so --use_existing_db reopens what an
    // earlier run with the same seed wrote. A benchmark key, not a secret.
    std::string key(32, '\0');
    std::mt19937_64 rng(config.seed);
    for (char& c : key) c = static_cast<char>(rng());
    options.encryption = NewStaticKeyProvider({{1, key}}, 1);
  }
  if (!config.use_existing_db) {
    Env* env = options.env != nullptr ? options.env : Env::Default();
    if (env->FileExists(dir)) {
      Status s = DestroyDB(dir, options);
      if (!s.ok()) return s;
    }
  }
  std::unique_ptr<DB> db;
  Status s = DB::Open(options, dir, &db);
  if (!s.ok()) return s;
  *engine = std::make_unique<LodeEngine>(config, std::move(db));
  return Status::OK();
}

}  // namespace lode::bench
