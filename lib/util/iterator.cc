#include "lode/iterator.h"

namespace lode {

Iterator::~Iterator() {
  for (auto& fn : cleanups_) fn();
}

void Iterator::RegisterCleanup(std::function<void()> fn) { cleanups_.push_back(std::move(fn)); }

namespace {
class EmptyIterator final : public Iterator {
 public:
  explicit EmptyIterator(const Status& s) : status_(s) {}
  bool Valid() const override { return false; }
  void SeekToFirst() override {}
  void SeekToLast() override {}
  void Seek(const Slice&) override {}
  void Next() override {}
  void Prev() override {}
  Slice key() const override { return Slice(); }
  Slice value() const override { return Slice(); }
  Status status() const override { return status_; }

 private:
  Status status_;
};
}  // namespace

Iterator* NewEmptyIterator(const Status& s) { return new EmptyIterator(s); }

}  // namespace lode
