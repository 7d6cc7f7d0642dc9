// In-memory files and a vector-backed iterator for the table tests.
#ifndef LODE_TESTS_TABLE_TABLE_TEST_UTIL_H_
#define LODE_TESTS_TABLE_TABLE_TEST_UTIL_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/util/comparator.h"
#include "lode/env.h"
#include "lode/iterator.h"

namespace lode::test {

// A WritableFile appending to a string.
class StringSink final : public WritableFile {
 public:
  Status Append(const Slice& data) override {
    contents_.append(data.data(), data.size());
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  std::string& contents() { return contents_; }

 private:
  std::string contents_;
};

// A WritableFile that fails every Append after `ok_appends` succeed.
class FailingSink final : public WritableFile {
 public:
  explicit FailingSink(int ok_appends) : left_(ok_appends) {}
  Status Append(const Slice&) override {
    if (left_ <= 0) return Status::IOError("injected append failure");
    left_--;
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }

 private:
  int left_;
};

// A RandomAccessFile over a string; counts reads so tests can see the cache work.
class StringSource final : public RandomAccessFile {
 public:
  explicit StringSource(std::string contents, std::atomic<int>* reads = nullptr)
      : contents_(std::move(contents)), reads_(reads) {}
  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    if (reads_ != nullptr) (*reads_)++;
    if (offset > contents_.size()) {
      *result = Slice();
      return Status::OK();
    }
    n = std::min<size_t>(n, contents_.size() - offset);
    if (n > 0) memcpy(scratch, contents_.data() + offset, n);
    *result = Slice(scratch, n);
    return Status::OK();
  }

 private:
  const std::string contents_;
  std::atomic<int>* reads_;
};

// An iterator over a sorted vector of pairs (ordered by cmp); optionally
// reports an error once it reaches entry `fail_at`.
class VectorIterator final : public Iterator {
 public:
  VectorIterator(const Comparator* cmp, std::vector<std::pair<std::string, std::string>> entries)
      : cmp_(cmp), entries_(std::move(entries)), pos_(entries_.size()) {}

  void FailAt(size_t index) { fail_at_ = index; }

  bool Valid() const override { return pos_ < entries_.size(); }
  void SeekToFirst() override { Set(0); }
  void SeekToLast() override { Set(entries_.empty() ? 0 : entries_.size() - 1); }
  void Seek(const Slice& target) override {
    size_t i = 0;
    while (i < entries_.size() && cmp_->Compare(entries_[i].first, target) < 0) i++;
    Set(i);
  }
  void Next() override { Set(pos_ + 1); }
  void Prev() override { Set(pos_ == 0 ? entries_.size() : pos_ - 1); }
  Slice key() const override { return entries_[pos_].first; }
  Slice value() const override { return entries_[pos_].second; }
  Status status() const override { return status_; }

 private:
  void Set(size_t p) {
    pos_ = std::min(p, entries_.size());
    if (pos_ < entries_.size() && pos_ == fail_at_) {
      status_ = Status::Corruption("injected child error");
      pos_ = entries_.size();
    }
  }

  const Comparator* cmp_;
  std::vector<std::pair<std::string, std::string>> entries_;
  size_t pos_;
  size_t fail_at_ = SIZE_MAX;
  Status status_;
};

}  // namespace lode::test

#endif  // LODE_TESTS_TABLE_TABLE_TEST_UTIL_H_
