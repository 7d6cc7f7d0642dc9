#include "table/two_level_iterator.h"

#include <memory>
#include <string>

namespace lode {

namespace {

class TwoLevelIterator final : public Iterator {
 public:
  TwoLevelIterator(Iterator* index_iter,
                   std::function<Iterator*(const Slice& index_value)> block_function)
      : index_(index_iter), block_function_(std::move(block_function)) {}

  bool Valid() const override { return data_ != nullptr && data_->Valid(); }
  Slice key() const override { return data_->key(); }
  Slice value() const override { return data_->value(); }

  Status status() const override {
    if (!status_.ok()) return status_;
    Status s = index_->status();
    if (!s.ok()) return s;
    if (data_ != nullptr) return data_->status();
    return Status::OK();
  }

  void Seek(const Slice& target) override {
    index_->Seek(target);
    InitDataIterator();
    if (data_ != nullptr) data_->Seek(target);
    SkipEmptyForward();
  }

  void SeekToFirst() override {
    index_->SeekToFirst();
    InitDataIterator();
    if (data_ != nullptr) data_->SeekToFirst();
    SkipEmptyForward();
  }

  void SeekToLast() override {
    index_->SeekToLast();
    InitDataIterator();
    if (data_ != nullptr) data_->SeekToLast();
    SkipEmptyBackward();
  }

  void Next() override {
    if (!Valid()) return;
    data_->Next();
    SkipEmptyForward();
  }

  void Prev() override {
    if (!Valid()) return;
    data_->Prev();
    SkipEmptyBackward();
  }

 private:
  // True (and the walk stopped) if the inner iterator failed.
  bool StopOnError() {
    if (data_ != nullptr && !data_->status().ok()) {
      if (status_.ok()) status_ = data_->status();
      SetData(nullptr);
      return true;
    }
    if (!index_->status().ok()) {
      if (status_.ok()) status_ = index_->status();
      SetData(nullptr);
      return true;
    }
    return false;
  }

  void SkipEmptyForward() {
    while (data_ == nullptr || !data_->Valid()) {
      if (StopOnError()) return;
      if (!index_->Valid()) {
        SetData(nullptr);
        return;
      }
      index_->Next();
      InitDataIterator();
      if (data_ != nullptr) data_->SeekToFirst();
    }
  }

  void SkipEmptyBackward() {
    while (data_ == nullptr || !data_->Valid()) {
      if (StopOnError()) return;
      if (!index_->Valid()) {
        SetData(nullptr);
        return;
      }
      index_->Prev();
      InitDataIterator();
      if (data_ != nullptr) data_->SeekToLast();
    }
  }

  void SetData(Iterator* it) {
    data_.reset(it);
    if (it == nullptr) data_index_value_.clear();
  }

  // Opens the inner iterator of the current index entry, reusing the open
  // one if it is the same entry.
  void InitDataIterator() {
    if (!index_->Valid()) {
      SetData(nullptr);
      return;
    }
    const Slice v = index_->value();
    if (data_ != nullptr && Slice(data_index_value_) == v) return;
    data_index_value_.assign(v.data(), v.size());
    data_.reset(block_function_(v));
  }

  std::unique_ptr<Iterator> index_;
  std::function<Iterator*(const Slice&)> block_function_;
  std::unique_ptr<Iterator> data_;
  std::string data_index_value_;  // index value data_ was opened for
  Status status_;                 // first error met; sticky
};

}  // namespace

Iterator* NewTwoLevelIterator(Iterator* index_iter,
                              std::function<Iterator*(const Slice& index_value)> block_function) {
  return new TwoLevelIterator(index_iter, std::move(block_function));
}

}  // namespace lode
