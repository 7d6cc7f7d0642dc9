// Iterator: an ordered walk over key/value pairs.
//
// An Iterator is not thread-safe: one thread at a time. It holds the files it
// reads alive until it is destroyed; destroy it before its DB. key() and
// value() stay valid until the next call that moves the iterator.
#ifndef LODE_INCLUDE_ITERATOR_H_
#define LODE_INCLUDE_ITERATOR_H_

#include <functional>
#include <vector>

#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class Iterator {
 public:
  Iterator() = default;
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  virtual ~Iterator();

  virtual bool Valid() const = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // Positions at the first key >= target.
  virtual void Seek(const Slice& target) = 0;
  // REQUIRES: Valid()
  virtual void Next() = 0;
  // REQUIRES: Valid()
  virtual void Prev() = 0;
  // REQUIRES: Valid()
  virtual Slice key() const = 0;
  // REQUIRES: Valid(). May read a blob file; on failure returns an empty
  // slice and status() reports the error.
  virtual Slice value() const = 0;
  virtual Status status() const = 0;

  // Runs fn when the iterator is destroyed (used to release what it pins).
  void RegisterCleanup(std::function<void()> fn);

 private:
  std::vector<std::function<void()>> cleanups_;
};

// An iterator over nothing, reporting status s.
Iterator* NewEmptyIterator(const Status& s = Status::OK());

}  // namespace lode

#endif  // LODE_INCLUDE_ITERATOR_H_
