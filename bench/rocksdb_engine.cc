// The RocksDB adapter of BenchEngine: plain RocksDB ("rocksdb") or its
// integrated BlobDB ("rocksdb-blob"), configured from the same flags as lode
// so both run the same workload with the same memory, WAL and sync settings.
// The only file of lode that includes RocksDB headers.
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>

#include "bench/bench_flags.h"
#include "bench/engine.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"

namespace lode::bench {

namespace {

rocksdb::Slice ToRocks(const Slice& s) { return rocksdb::Slice(s.data(), s.size()); }
Slice FromRocks(const rocksdb::Slice& s) { return Slice(s.data(), s.size()); }

Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::OK();
  const std::string msg = "rocksdb: " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  if (s.IsNotSupported()) return Status::NotSupported(msg);
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(msg);
  return Status::IOError(msg);
}

rocksdb::CompressionType ToRocks(Compression c) {
  return c == Compression::kLZ4 ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
}

class RocksDbIterator : public BenchIterator {
 public:
  explicit RocksDbIterator(rocksdb::Iterator* it) : it_(it) {}
  void Seek(const Slice& target) override { it_->Seek(ToRocks(target)); }
  void SeekToFirst() override { it_->SeekToFirst(); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  Slice key() const override { return FromRocks(it_->key()); }
  Slice value() const override { return FromRocks(it_->value()); }
  Status status() const override { return FromRocks(it_->status()); }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
};

class RocksDbEngine : public BenchEngine {
 public:
  RocksDbEngine(const BenchConfig& config, bool with_blob, const rocksdb::Options& options,
                std::unique_ptr<rocksdb::DB> db)
      : config_(config), with_blob_(with_blob), options_(options), db_(std::move(db)) {
    write_options_.sync = config.sync;
    write_options_.disableWAL = config.disable_wal;
    read_options_.verify_checksums = config.verify_checksums;
  }

  std::string Name() const override { return with_blob_ ? "rocksdb-blob" : "rocksdb"; }

  std::vector<std::pair<std::string, std::string>> Settings() const override {
    const rocksdb::Options& o = options_;
    auto b = [](bool v) { return std::string(v ? "true" : "false"); };
    auto n = [](auto v) { return std::to_string(v); };
    auto c = [](rocksdb::CompressionType t) {
      return std::string(t == rocksdb::kLZ4Compression  ? "lz4"
                         : t == rocksdb::kNoCompression ? "none"
                                                        : "other");
    };
    std::vector<std::pair<std::string, std::string>> s = {
        {"rocksdb_version", std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) +
                                "." + std::to_string(ROCKSDB_PATCH)},
        {"write_buffer_size", n(o.write_buffer_size)},
        {"max_write_buffer_number", n(o.max_write_buffer_number)},
        {"wal", b(!config_.disable_wal)},
        {"sync", b(config_.sync)},
        {"compression", c(o.compression)},
        {"block_size", n(config_.options.block_size)},
        {"bloom_bits", n(config_.options.bloom_bits_per_key)},
        {"block_cache_size", n(config_.options.block_cache_capacity)},
        {"level0_file_num_compaction_trigger", n(o.level0_file_num_compaction_trigger)},
        {"target_file_size", n(o.target_file_size_base)},
        {"max_bytes_for_level_base", n(o.max_bytes_for_level_base)},
        {"max_background_jobs", n(o.max_background_jobs)},
        {"enable_blob_files", b(o.enable_blob_files)},
    };
    if (with_blob_) {
      s.insert(s.end(),
               {
                   {"min_blob_size", n(o.min_blob_size)},
                   {"blob_file_size", n(o.blob_file_size)},
                   {"blob_compression", c(o.blob_compression_type)},
                   {"blob_cache_size", n(config_.options.blob_cache_capacity)},
                   {"enable_blob_gc", b(o.enable_blob_garbage_collection)},
                   {"blob_gc_age_cutoff", n(o.blob_garbage_collection_age_cutoff)},
                   {"blob_gc_force_threshold", n(o.blob_garbage_collection_force_threshold)},
               });
    }
    return s;
  }

  Status Put(const Slice& key, const Slice& value) override {
    return FromRocks(db_->Put(write_options_, ToRocks(key), ToRocks(value)));
  }
  Status Get(const Slice& key, std::string* value) override {
    return FromRocks(db_->Get(read_options_, ToRocks(key), value));
  }
  Status Delete(const Slice& key) override {
    return FromRocks(db_->Delete(write_options_, ToRocks(key)));
  }
  std::unique_ptr<BenchIterator> NewIterator() override {
    return std::make_unique<RocksDbIterator>(db_->NewIterator(read_options_));
  }

  // RocksDB 7.8 has no WaitForCompact: poll its counters until nothing is
  // pending or running (a benchmark driver may poll; the engines do not).
  Status WaitForBackgroundWork() override {
    static const char* const kBusy[] = {"rocksdb.mem-table-flush-pending",
                                        "rocksdb.num-running-flushes", "rocksdb.compaction-pending",
                                        "rocksdb.num-running-compactions"};
    while (true) {
      bool busy = false;
      for (const char* property : kBusy) {
        uint64_t v = 0;
        if (db_->GetIntProperty(property, &v) && v != 0) busy = true;
      }
      uint64_t bg_errors = 0;
      if (db_->GetIntProperty("rocksdb.background-errors", &bg_errors) && bg_errors != 0) {
        return Status::IOError("rocksdb: background error");
      }
      if (!busy) return Status::OK();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // CompactRange with RocksDB's default options, as db_bench's "compact":
  // blob GC as configured, the bottommost level left alone when nothing
  // above it overlaps.
  Status CompactAll() override {
    return FromRocks(db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr));
  }

  // A full manual compaction. On rocksdb-blob, blob GC is forced on for it
  // with the configured age cutoff, so live blobs in the oldest
  // blob_gc_age_cutoff fraction of blob files are relocated and files left
  // with only garbage are deleted; the bottommost level is rewritten too
  // (kForce) so no table keeps old blob files alive. On plain rocksdb it only
  // drops overwritten and deleted values from the tables.
  Status RunGc(GcResult* result) override {
    rocksdb::CompactRangeOptions cro;
    cro.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    if (with_blob_) {
      cro.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
      const double cutoff = config_.gc_full ? 1.0 : config_.options.blob_gc_age_cutoff;
      cro.blob_garbage_collection_age_cutoff = cutoff;
      result->description =
          "CompactRange(all, bottommost=kForce, blob_garbage_collection_policy=kForce, "
          "blob_garbage_collection_age_cutoff=" +
          std::to_string(cutoff) + ")";
    } else {
      result->description = "CompactRange(all, bottommost=kForce)";
    }
    Status s = FromRocks(db_->CompactRange(cro, nullptr, nullptr));
    if (!s.ok()) return s;
    uint64_t files = 0, total = 0, live = 0, garbage = 0;
    db_->GetIntProperty("rocksdb.num-blob-files", &files);
    db_->GetIntProperty("rocksdb.total-blob-file-size", &total);
    db_->GetIntProperty("rocksdb.live-blob-file-size", &live);
    db_->GetIntProperty("rocksdb.live-blob-file-garbage-size", &garbage);
    result->report_json = "{\"num_blob_files\":" + std::to_string(files) +
                          ",\"blob_file_bytes\":" + std::to_string(total) +
                          ",\"live_blob_file_bytes\":" + std::to_string(live) +
                          ",\"garbage_blob_bytes\":" + std::to_string(garbage) + "}";
    result->report_text = "blob files " + std::to_string(files) + ", bytes " +
                          std::to_string(total) + ", garbage " + std::to_string(garbage) + "\n";
    return Status::OK();
  }

  std::string Stats() override {
    std::string out;
    if (!db_->GetProperty("rocksdb.stats", &out)) out = "(rocksdb.stats not available)\n";
    return out;
  }

 private:
  const BenchConfig config_;
  const bool with_blob_;
  const rocksdb::Options options_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions write_options_;
  rocksdb::ReadOptions read_options_;
};

rocksdb::Options MakeOptions(const BenchConfig& config, bool with_blob) {
  const Options& lo = config.options;
  rocksdb::Options o;
  o.create_if_missing = true;
  o.paranoid_checks = lo.paranoid_checks;
  o.write_buffer_size = lo.write_buffer_size;
  o.max_write_buffer_number = 2;  // lode: one active and one immutable memtable
  o.compression = ToRocks(lo.compression);
  o.num_levels = lo.num_levels;
  o.level0_file_num_compaction_trigger = lo.level0_compaction_trigger;
  o.level0_slowdown_writes_trigger = lo.level0_slowdown_writes_trigger;
  o.level0_stop_writes_trigger = lo.level0_stop_writes_trigger;
  o.target_file_size_base = lo.target_file_size;
  o.max_bytes_for_level_base = lo.max_bytes_for_level_base;
  o.max_bytes_for_level_multiplier = lo.max_bytes_for_level_multiplier;
  o.max_background_jobs = lo.max_background_jobs;
  o.max_open_files = lo.max_open_files;
  o.keep_log_file_num = 2;  // the info LOG counts toward on-disk bytes; keep it small

  rocksdb::BlockBasedTableOptions table;
  table.block_size = lo.block_size;
  table.block_cache =
      lo.block_cache_capacity > 0 ? rocksdb::NewLRUCache(lo.block_cache_capacity) : nullptr;
  table.no_block_cache = lo.block_cache_capacity == 0;
  if (lo.bloom_bits_per_key > 0) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(lo.bloom_bits_per_key));
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  o.enable_blob_files = with_blob;
  if (with_blob) {
    o.min_blob_size = lo.min_blob_size;
    o.blob_file_size = lo.blob_file_size;
    o.blob_compression_type = ToRocks(lo.blob_compression);
    o.enable_blob_garbage_collection = lo.enable_blob_gc;
    o.blob_garbage_collection_age_cutoff = lo.blob_gc_age_cutoff;
    o.blob_garbage_collection_force_threshold = lo.blob_gc_force_threshold;
    if (lo.blob_cache_capacity > 0) o.blob_cache = rocksdb::NewLRUCache(lo.blob_cache_capacity);
  }
  return o;
}

}  // namespace

Status OpenRocksDbEngine(const BenchConfig& config, const std::string& dir, bool with_blob,
                         std::unique_ptr<BenchEngine>* engine) {
  rocksdb::Options options = MakeOptions(config, with_blob);
  if (!config.use_existing_db) {
    Status s = FromRocks(rocksdb::DestroyDB(dir, options));
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  rocksdb::DB* raw = nullptr;
  Status s = FromRocks(rocksdb::DB::Open(options, dir, &raw));
  if (!s.ok()) return s;
  *engine = std::make_unique<RocksDbEngine>(config, with_blob, options,
                                            std::unique_ptr<rocksdb::DB>(raw));
  return Status::OK();
}

}  // namespace lode::bench
