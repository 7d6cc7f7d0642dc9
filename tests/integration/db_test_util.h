// Helpers for tests that drive a whole DB through the public API.
#ifndef LODE_TESTS_INTEGRATION_DB_TEST_UTIL_H_
#define LODE_TESTS_INTEGRATION_DB_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lode/db.h"
#include "tests/util/test_util.h"

namespace lode::test {

// Counts positioned reads, in total and of files whose name ends in
// `suffix` (e.g. ".blob"), so a test can see how much I/O a read path does.
class ReadCountingEnv : public EnvWrapper {
 public:
  ReadCountingEnv(Env* target, std::string suffix)
      : EnvWrapper(target), suffix_(std::move(suffix)) {}

  std::atomic<uint64_t> reads{0};           // every RandomAccessFile::Read
  std::atomic<uint64_t> matching_reads{0};  // those of files ending in suffix
  std::atomic<uint64_t> matching_bytes{0};  // bytes those returned

  Status NewRandomAccessFile(const std::string& f, std::unique_ptr<RandomAccessFile>* r) override {
    std::unique_ptr<RandomAccessFile> base;
    Status s = target()->NewRandomAccessFile(f, &base);
    if (!s.ok()) return s;
    const bool match = f.size() >= suffix_.size() &&
                       f.compare(f.size() - suffix_.size(), suffix_.size(), suffix_) == 0;
    *r = std::make_unique<File>(std::move(base), this, match);
    return s;
  }

 private:
  class File final : public RandomAccessFile {
   public:
    File(std::unique_ptr<RandomAccessFile> base, ReadCountingEnv* env, bool match)
        : base_(std::move(base)), env_(env), match_(match) {}
    Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
      Status s = base_->Read(offset, n, result, scratch);
      env_->reads++;
      if (match_) {
        env_->matching_reads++;
        env_->matching_bytes += result->size();
      }
      return s;
    }
    void Prefetch(uint64_t offset, size_t n) const override { base_->Prefetch(offset, n); }

   private:
    std::unique_ptr<RandomAccessFile> base_;
    ReadCountingEnv* env_;
    bool match_;
  };
  const std::string suffix_;
};

// Options small enough that a test exercises flushes, several files and
// levels with little data.
inline Options SmallOptions() {
  Options o;
  o.write_buffer_size = 256 << 10;
  o.target_file_size = 128 << 10;
  o.max_bytes_for_level_base = 512 << 10;
  o.blob_file_size = 1 << 20;
  o.min_blob_size = 1024;
  o.block_cache_capacity = 1 << 20;
  return o;
}

class DBTest : public ::testing::Test {
 protected:
  void Open(const Options& o = SmallOptions()) {
    options_ = o;
    db_.reset();
    Status s = DB::Open(options_, dir_.path(), &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void Reopen() {
    db_.reset();
    Open(options_);
  }
  void Put(const std::string& k, const std::string& v, bool sync = false) {
    WriteOptions wo;
    wo.sync = sync;
    Status s = db_->Put(wo, k, v);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void Delete(const std::string& k) {
    Status s = db_->Delete(WriteOptions(), k);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // The value, "NOT_FOUND", or "ERROR: ..." .
  std::string Get(const std::string& k, const Snapshot* snap = nullptr) {
    ReadOptions ro;
    ro.snapshot = snap;
    std::string v;
    Status s = db_->Get(ro, k, &v);
    if (s.IsNotFound()) return "NOT_FOUND";
    if (!s.ok()) return "ERROR: " + s.ToString();
    return v;
  }
  // Every key/value the iterator yields, forward.
  std::map<std::string, std::string> Contents(const Snapshot* snap = nullptr) {
    ReadOptions ro;
    ro.snapshot = snap;
    std::map<std::string, std::string> r;
    auto it = db_->NewIterator(ro);
    for (it->SeekToFirst(); it->Valid(); it->Next())
      r[it->key().ToString()] = it->value().ToString();
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return r;
  }
  int FilesAtLevel(int level) {
    std::string v;
    EXPECT_TRUE(db_->GetProperty("lode.num-files-at-level" + std::to_string(level), &v));
    return std::stoi(v);
  }
  uint64_t IntProperty(const std::string& name) {
    std::string v;
    EXPECT_TRUE(db_->GetProperty(name, &v)) << name;
    return std::stoull(v);
  }

  // Names (not paths) of the files in the DB directory ending in suffix
  // (".blob", ".sst"), sorted.
  std::vector<std::string> DbFiles(const std::string& suffix) {
    std::vector<std::string> children, r;
    EXPECT_TRUE(Env::Default()->GetChildren(dir_.path(), &children).ok());
    for (const auto& c : children) {
      if (c.size() >= suffix.size() &&
          c.compare(c.size() - suffix.size(), suffix.size(), suffix) == 0) {
        r.push_back(c);
      }
    }
    std::sort(r.begin(), r.end());
    return r;
  }

  TempDir dir_;
  Options options_;
  std::unique_ptr<DB> db_;
};

}  // namespace lode::test

#endif  // LODE_TESTS_INTEGRATION_DB_TEST_UTIL_H_
