// Helpers shared by the blob tests: write a blob file from (key, value)
// pairs, and an Env that counts and can fail file operations.
#ifndef LODE_TESTS_BLOB_BLOB_TEST_UTIL_H_
#define LODE_TESTS_BLOB_BLOB_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "blob/blob_file_writer.h"
#include "blob/blob_index.h"
#include "lode/env.h"

namespace lode::test {

using KVs = std::vector<std::pair<std::string, std::string>>;

// Writes a finished blob file holding kvs; fills *indexes in order.
inline void WriteBlobFile(Env* env, const std::string& fname, uint64_t number,
                          Compression compression, const KVs& kvs,
                          std::vector<BlobIndex>* indexes) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env->NewWritableFile(fname, &file).ok());
  BlobFileWriter writer(std::move(file), fname, number, compression);
  ASSERT_TRUE(writer.Open().ok());
  for (const auto& [k, v] : kvs) {
    BlobIndex index;
    Status s = writer.AddBlob(k, v, &index);
    ASSERT_TRUE(s.ok()) << s.ToString();
    indexes->push_back(index);
  }
  Status s = writer.Finish();
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// Counts reads, random-access opens and writable files; can make Append
// fail once a byte budget is spent.
class CountingEnv : public EnvWrapper {
 public:
  explicit CountingEnv(Env* target) : EnvWrapper(target) {}

  std::atomic<int> random_opens{0};
  std::atomic<int> reads{0};
  std::atomic<int64_t> append_budget{-1};  // -1: unlimited
  std::atomic<int> writebacks{0};          // StartWriteback calls

  Status NewRandomAccessFile(const std::string& f, std::unique_ptr<RandomAccessFile>* r) override {
    std::unique_ptr<RandomAccessFile> base;
    Status s = target()->NewRandomAccessFile(f, &base);
    if (!s.ok()) return s;
    random_opens++;
    *r = std::make_unique<CountingFile>(std::move(base), &reads);
    return s;
  }
  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override {
    std::unique_ptr<WritableFile> base;
    Status s = target()->NewWritableFile(f, &base);
    if (!s.ok()) return s;
    *r = std::make_unique<BudgetFile>(std::move(base), &append_budget, &writebacks);
    return s;
  }

 private:
  class CountingFile : public RandomAccessFile {
   public:
    CountingFile(std::unique_ptr<RandomAccessFile> base, std::atomic<int>* reads)
        : base_(std::move(base)), reads_(reads) {}
    Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
      (*reads_)++;
      return base_->Read(offset, n, result, scratch);
    }

   private:
    std::unique_ptr<RandomAccessFile> base_;
    std::atomic<int>* reads_;
  };
  class BudgetFile : public WritableFileWrapper {
   public:
    BudgetFile(std::unique_ptr<WritableFile> base, std::atomic<int64_t>* budget,
               std::atomic<int>* writebacks)
        : WritableFileWrapper(std::move(base)), budget_(budget), writebacks_(writebacks) {}
    Status Append(const Slice& data) override {
      int64_t b = budget_->load();
      if (b >= 0) {
        if (static_cast<int64_t>(data.size()) > b) return Status::IOError("injected: disk full");
        *budget_ -= static_cast<int64_t>(data.size());
      }
      return WritableFileWrapper::Append(data);
    }
    Status StartWriteback() override {
      (*writebacks_)++;
      return WritableFileWrapper::StartWriteback();
    }

   private:
    std::atomic<int64_t>* budget_;
    std::atomic<int>* writebacks_;
  };
};

}  // namespace lode::test

#endif  // LODE_TESTS_BLOB_BLOB_TEST_UTIL_H_
