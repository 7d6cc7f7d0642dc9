// The live snapshots of a DB: a list ordered by sequence number.
//
// Guarded by the DB mutex: every method REQUIRES it held.
#ifndef LODE_LIB_SNAPSHOT_LIST_H_
#define LODE_LIB_SNAPSHOT_LIST_H_

#include <list>
#include <vector>

#include "lib/dbformat.h"
#include "lode/db.h"

namespace lode {

class SnapshotImpl final : public Snapshot {
 public:
  explicit SnapshotImpl(SequenceNumber s) : sequence_(s) {}
  SequenceNumber sequence() const { return sequence_; }

 private:
  friend class SnapshotList;
  const SequenceNumber sequence_;
  std::list<SnapshotImpl*>::iterator pos_;
};

class SnapshotList {
 public:
  SnapshotList() = default;
  SnapshotList(const SnapshotList&) = delete;
  SnapshotList& operator=(const SnapshotList&) = delete;
  ~SnapshotList() {
    for (SnapshotImpl* s : list_) delete s;
  }

  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }

  // REQUIRES: s >= every sequence in the list (sequences only grow).
  SnapshotImpl* New(SequenceNumber s) {
    assert(list_.empty() || list_.back()->sequence_ <= s);
    auto* snap = new SnapshotImpl(s);
    list_.push_back(snap);
    snap->pos_ = std::prev(list_.end());
    return snap;
  }

  void Delete(const SnapshotImpl* s) {
    list_.erase(s->pos_);
    delete s;
  }

  // Sequence numbers of all live snapshots, ascending.
  std::vector<SequenceNumber> Sequences() const {
    std::vector<SequenceNumber> r;
    r.reserve(list_.size());
    for (const SnapshotImpl* s : list_) r.push_back(s->sequence_);
    return r;
  }

 private:
  std::list<SnapshotImpl*> list_;
};

}  // namespace lode

#endif  // LODE_LIB_SNAPSHOT_LIST_H_
