// LevelIterator: the tables of one sorted level (> 0, disjoint key ranges)
// walked as one ordered sequence of internal keys. Opens one table at a time
// through the TableCache, when the walk reaches it.
//
// Not thread-safe (one thread at a time, like every Iterator). The
// FileMetaData pointed to must outlive the iterator: keep the version that
// holds them referenced.
#ifndef LODE_LIB_LEVEL_ITERATOR_H_
#define LODE_LIB_LEVEL_ITERATOR_H_

#include <vector>

#include "lib/dbformat.h"
#include "lib/version_edit.h"
#include "lode/iterator.h"
#include "lode/options.h"

namespace lode {

class TableCache;

// files: sorted by smallest key, non-overlapping.
Iterator* NewLevelIterator(TableCache* table_cache, const InternalKeyComparator* icmp,
                           const ReadOptions& ro, std::vector<FileMetaData*> files);

// Index of the first file whose largest key is >= ikey (files.size() if none).
// REQUIRES: files sorted by smallest key, non-overlapping.
size_t FindFile(const InternalKeyComparator& icmp, const std::vector<FileMetaData*>& files,
                const Slice& ikey);

}  // namespace lode

#endif  // LODE_LIB_LEVEL_ITERATOR_H_
