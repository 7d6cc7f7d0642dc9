// Comparator: a total order over keys, used by blocks, tables and the
// memtable. lode orders user keys bytewise; the internal-key order is built
// on top of it (lib/dbformat.h). Implementations are thread-safe.
#ifndef LODE_LIB_UTIL_COMPARATOR_H_
#define LODE_LIB_UTIL_COMPARATOR_H_

#include <string>

#include "lode/slice.h"

namespace lode {

class Comparator {
 public:
  virtual ~Comparator() = default;
  virtual int Compare(const Slice& a, const Slice& b) const = 0;
  virtual const char* Name() const = 0;
  // Shortens *start to a key in [*start, limit) if one is shorter (index keys).
  virtual void FindShortestSeparator(std::string* start, const Slice& limit) const = 0;
  // Shortens *key to a key >= *key.
  virtual void FindShortSuccessor(std::string* key) const = 0;
};

// The bytewise order of user keys. Never deleted.
const Comparator* BytewiseComparator();

}  // namespace lode

#endif  // LODE_LIB_UTIL_COMPARATOR_H_
