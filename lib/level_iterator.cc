#include "lib/level_iterator.h"

#include <memory>

#include "lib/table_cache.h"

namespace lode {

size_t FindFile(const InternalKeyComparator& icmp, const std::vector<FileMetaData*>& files,
                const Slice& ikey) {
  size_t lo = 0, hi = files.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (icmp.Compare(files[mid]->largest.Encode(), ikey) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

namespace {

class LevelIterator final : public Iterator {
 public:
  LevelIterator(TableCache* tc, const InternalKeyComparator* icmp, const ReadOptions& ro,
                std::vector<FileMetaData*> files)
      : tc_(tc), icmp_(icmp), ro_(ro), files_(std::move(files)), index_(files_.size()) {}

  bool Valid() const override { return file_iter_ != nullptr && file_iter_->Valid(); }

  void SeekToFirst() override {
    OpenFile(0);
    if (file_iter_ != nullptr) file_iter_->SeekToFirst();
    SkipEmptyForward();
  }
  void SeekToLast() override {
    OpenFile(files_.empty() ? 0 : files_.size() - 1);
    if (file_iter_ != nullptr) file_iter_->SeekToLast();
    SkipEmptyBackward();
  }
  void Seek(const Slice& target) override {
    OpenFile(FindFile(*icmp_, files_, target));
    if (file_iter_ != nullptr) file_iter_->Seek(target);
    SkipEmptyForward();
  }
  void Next() override {
    file_iter_->Next();
    SkipEmptyForward();
  }
  void Prev() override {
    file_iter_->Prev();
    SkipEmptyBackward();
  }
  Slice key() const override { return file_iter_->key(); }
  Slice value() const override { return file_iter_->value(); }
  Status status() const override {
    if (!status_.ok()) return status_;
    if (file_iter_ != nullptr) return file_iter_->status();
    return Status::OK();
  }

 private:
  // Opens files_[i] (closing the current one); i == files_.size() closes.
  void OpenFile(size_t i) {
    if (file_iter_ != nullptr && i == index_) return;
    if (file_iter_ != nullptr && status_.ok()) status_ = file_iter_->status();
    file_iter_.reset();
    index_ = i;
    if (i < files_.size()) {
      file_iter_.reset(tc_->NewIterator(ro_, files_[i]->number, files_[i]->file_size));
    }
  }
  void SkipEmptyForward() {
    while (file_iter_ != nullptr && !file_iter_->Valid()) {
      // A file that failed stops the walk: skipping it would hide its keys.
      if (!file_iter_->status().ok()) return;
      if (index_ + 1 >= files_.size()) {
        OpenFile(files_.size());
        return;
      }
      OpenFile(index_ + 1);
      file_iter_->SeekToFirst();
    }
  }
  void SkipEmptyBackward() {
    while (file_iter_ != nullptr && !file_iter_->Valid()) {
      if (!file_iter_->status().ok()) return;
      if (index_ == 0) {
        OpenFile(files_.size());
        return;
      }
      OpenFile(index_ - 1);
      file_iter_->SeekToLast();
    }
  }

  TableCache* const tc_;
  const InternalKeyComparator* const icmp_;
  const ReadOptions ro_;
  const std::vector<FileMetaData*> files_;
  size_t index_;
  std::unique_ptr<Iterator> file_iter_;
  Status status_;  // first error of a file iterator already closed
};

}  // namespace

Iterator* NewLevelIterator(TableCache* table_cache, const InternalKeyComparator* icmp,
                           const ReadOptions& ro, std::vector<FileMetaData*> files) {
  return new LevelIterator(table_cache, icmp, ro, std::move(files));
}

}  // namespace lode
