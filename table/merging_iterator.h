// A merging iterator: the sorted union of several child iterators.
//
// Owns its children. Keys equal across children are assumed not to occur
// (internal keys are unique); if they do, each copy is yielded once going
// forward. Works in both directions and repositions the children on a change
// of direction. If any child reports an error the merged iterator becomes
// invalid and status() returns the first child's error, so a caller never
// sees a merge with a silently missing source. Used by one thread at a time.
#ifndef LODE_TABLE_MERGING_ITERATOR_H_
#define LODE_TABLE_MERGING_ITERATOR_H_

#include <vector>

#include "lib/util/comparator.h"
#include "lode/iterator.h"

namespace lode {

// REQUIRES: cmp outlives the iterator; children are non-null.
Iterator* NewMergingIterator(const Comparator* cmp, std::vector<Iterator*> children);

}  // namespace lode

#endif  // LODE_TABLE_MERGING_ITERATOR_H_
