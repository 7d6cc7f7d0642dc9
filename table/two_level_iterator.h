// A two-level iterator: an index iterator whose values name inner iterators
// (table index -> data blocks; level file list -> tables), walked as one
// sequence.
//
// Owns the index iterator and every inner iterator it opens. Empty inner
// iterators are skipped in both directions. The first error (of the index or
// of an inner iterator, including one block_function returns with a bad
// status) ends the walk: Valid() becomes false and status() reports it from
// then on. Used by one thread at a time.
#ifndef LODE_TABLE_TWO_LEVEL_ITERATOR_H_
#define LODE_TABLE_TWO_LEVEL_ITERATOR_H_

#include <functional>

#include "lode/iterator.h"

namespace lode {

// block_function(index_value) returns a new inner iterator (never null; an
// error is reported as an iterator with that status, e.g. NewEmptyIterator).
Iterator* NewTwoLevelIterator(Iterator* index_iter,
                              std::function<Iterator*(const Slice& index_value)> block_function);

}  // namespace lode

#endif  // LODE_TABLE_TWO_LEVEL_ITERATOR_H_
