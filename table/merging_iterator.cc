#include "table/merging_iterator.h"

#include <memory>

namespace lode {

namespace {

class MergingIterator final : public Iterator {
 public:
  MergingIterator(const Comparator* cmp, std::vector<Iterator*> children) : cmp_(cmp) {
    children_.reserve(children.size());
    for (Iterator* c : children) children_.emplace_back(c);
  }

  bool Valid() const override { return current_ != nullptr && status_.ok(); }
  Slice key() const override { return current_->key(); }
  Slice value() const override { return current_->value(); }
  Status status() const override { return status_; }

  void SeekToFirst() override {
    for (auto& c : children_) c->SeekToFirst();
    direction_ = kForward;
    FindSmallest();
    CheckAll();
  }

  void SeekToLast() override {
    for (auto& c : children_) c->SeekToLast();
    direction_ = kReverse;
    FindLargest();
    CheckAll();
  }

  void Seek(const Slice& target) override {
    for (auto& c : children_) c->Seek(target);
    direction_ = kForward;
    FindSmallest();
    CheckAll();
  }

  void Next() override {
    if (!Valid()) return;
    if (direction_ != kForward) {
      // Every other child sits before key(); move each to the first entry
      // after key() so that the smallest child is the true successor.
      const std::string k = key().ToString();
      for (auto& c : children_) {
        if (c.get() == current_) continue;
        c->Seek(k);
        if (c->Valid() && cmp_->Compare(k, c->key()) == 0) c->Next();
      }
      direction_ = kForward;
      current_->Next();
      FindSmallest();
      CheckAll();
      return;
    }
    current_->Next();
    FindSmallest();
    CheckAll();
  }

  void Prev() override {
    if (!Valid()) return;
    if (direction_ != kReverse) {
      // Every other child sits at or after key(); move each to the last entry
      // before key().
      const std::string k = key().ToString();
      for (auto& c : children_) {
        if (c.get() == current_) continue;
        c->Seek(k);
        if (c->Valid()) {
          c->Prev();
        } else if (c->status().ok()) {
          c->SeekToLast();  // every entry of c is before k
        }
      }
      direction_ = kReverse;
    }
    current_->Prev();
    FindLargest();
    CheckAll();
  }

 private:
  enum Direction { kForward, kReverse };

  void FindSmallest() {
    current_ = nullptr;
    for (auto& c : children_) {
      if (!c->Valid()) continue;
      if (current_ == nullptr || cmp_->Compare(c->key(), current_->key()) < 0) current_ = c.get();
    }
  }

  void FindLargest() {
    current_ = nullptr;
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
      Iterator* c = it->get();
      if (!c->Valid()) continue;
      if (current_ == nullptr || cmp_->Compare(c->key(), current_->key()) > 0) current_ = c;
    }
  }

  // Records the first child error; the merge is invalid from then on.
  void CheckAll() {
    if (!status_.ok()) return;
    for (auto& c : children_) {
      Status s = c->status();
      if (!s.ok()) {
        status_ = s;
        return;
      }
    }
  }

  const Comparator* const cmp_;
  std::vector<std::unique_ptr<Iterator>> children_;
  Iterator* current_ = nullptr;
  Direction direction_ = kForward;
  Status status_;
};

}  // namespace

Iterator* NewMergingIterator(const Comparator* cmp, std::vector<Iterator*> children) {
  if (children.empty()) return NewEmptyIterator();
  if (children.size() == 1) return children[0];
  return new MergingIterator(cmp, std::move(children));
}

}  // namespace lode
