// BenchEngine: the one small interface lode_bench drives, so that the same
// workload runs on lode and on RocksDB.
//
// Adapters: lode_engine.cc (lode's public API) and rocksdb_engine.cc (the only
// file that includes RocksDB headers; built when CMake finds librocksdb-dev).
// An engine is opened by OpenEngine and closed by destroying it. Put, Get,
// Delete and NewIterator may be called from many threads at once; the other
// calls from one thread while no operation runs.
#ifndef LODE_BENCH_ENGINE_H_
#define LODE_BENCH_ENGINE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_config.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode::bench {

// A forward iterator over the engine's current state. One thread at a time.
class BenchIterator {
 public:
  virtual ~BenchIterator() = default;
  virtual void Seek(const Slice& target) = 0;
  virtual void SeekToFirst() = 0;
  virtual bool Valid() const = 0;
  // REQUIRES: Valid()
  virtual void Next() = 0;
  // REQUIRES: Valid(). Valid until the iterator moves.
  virtual Slice key() const = 0;
  virtual Slice value() const = 0;
  virtual Status status() const = 0;
};

// What a gc benchmark did, for the report.
struct GcResult {
  std::string description;  // what the call was, one line
  std::string report_json;  // a JSON object (may be "{}")
  std::string report_text;  // for the terminal; may be empty
};

class BenchEngine {
 public:
  virtual ~BenchEngine() = default;

  // "lode", "rocksdb" or "rocksdb-blob".
  virtual std::string Name() const = 0;
  // The settings in force, as name/value pairs in a stable order, printed
  // with the results and put in every JSON line.
  virtual std::vector<std::pair<std::string, std::string>> Settings() const = 0;

  virtual Status Put(const Slice& key, const Slice& value) = 0;
  // NotFound if key is absent.
  virtual Status Get(const Slice& key, std::string* value) = 0;
  virtual Status Delete(const Slice& key) = 0;
  virtual std::unique_ptr<BenchIterator> NewIterator() = 0;

  // Waits until no flush or compaction is pending or running.
  virtual Status WaitForBackgroundWork() = 0;
  // Compacts the whole key range (the compact benchmark).
  virtual Status CompactAll() = 0;
  // Runs garbage collection on demand (the gc benchmark).
  virtual Status RunGc(GcResult* result) = 0;
  // The engine's own statistics text (for --stats).
  virtual std::string Stats() = 0;
};

// Opens config.engine in dir, destroying what is there first unless
// config.use_existing_db. InvalidArgument for an unknown engine name;
// NotSupported for a RocksDB engine when built without RocksDB.
Status OpenEngine(const BenchConfig& config, const std::string& dir,
                  std::unique_ptr<BenchEngine>* engine);

// The adapters behind OpenEngine.
Status OpenLodeEngine(const BenchConfig& config, const std::string& dir,
                      std::unique_ptr<BenchEngine>* engine);
#ifdef LODE_WITH_ROCKSDB
// with_blob: integrated BlobDB ("rocksdb-blob") instead of plain RocksDB.
Status OpenRocksDbEngine(const BenchConfig& config, const std::string& dir, bool with_blob,
                         std::unique_ptr<BenchEngine>* engine);
#endif

}  // namespace lode::bench

#endif  // LODE_BENCH_ENGINE_H_
