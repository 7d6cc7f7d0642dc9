// DBIter: the user-facing iterator. Turns a merged stream of internal keys
// (memtables and tables, newest first per user key) into user keys and
// values as of one sequence number, hiding deletions and older versions, and
// resolving blob indexes lazily on value().
#ifndef LODE_LIB_DB_ITER_H_
#define LODE_LIB_DB_ITER_H_

#include <memory>

#include "lib/dbformat.h"
#include "lode/iterator.h"
#include "lode/options.h"

namespace lode {

class BlobSource;

// Takes ownership of internal_iter. blob_source must outlive the iterator.
Iterator* NewDBIterator(const Comparator* user_cmp, Iterator* internal_iter,
                        SequenceNumber sequence, BlobSource* blob_source,
                        const ReadOptions& read_options);

}  // namespace lode

#endif  // LODE_LIB_DB_ITER_H_
