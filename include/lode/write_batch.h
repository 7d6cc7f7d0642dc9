// WriteBatch: updates applied atomically by DB::Write.
//
// Updates apply in the order they were added. A WriteBatch is not
// thread-safe: one thread at a time, or external synchronisation.
#ifndef LODE_INCLUDE_WRITE_BATCH_H_
#define LODE_INCLUDE_WRITE_BATCH_H_

#include <string>

#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class WriteBatch {
 public:
  WriteBatch();
  WriteBatch(const WriteBatch&) = default;
  WriteBatch& operator=(const WriteBatch&) = default;
  ~WriteBatch() = default;

  void Put(const Slice& key, const Slice& value);
  void Delete(const Slice& key);
  void Clear();
  size_t Count() const;
  // Bytes of the batch's representation (about the bytes it writes to the WAL).
  size_t ApproximateSize() const { return rep_.size(); }
  // Appends the updates of source.
  void Append(const WriteBatch& source);

  // Visits every update in order.
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void Put(const Slice& key, const Slice& value) = 0;
    virtual void Delete(const Slice& key) = 0;
  };
  Status Iterate(Handler* handler) const;

 private:
  friend class WriteBatchInternal;
  // sequence (fixed64) | count (fixed32) | records (see doc/wal_format.md)
  std::string rep_;
};

}  // namespace lode

#endif  // LODE_INCLUDE_WRITE_BATCH_H_
