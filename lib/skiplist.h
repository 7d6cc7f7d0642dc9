// SkipList: an ordered set of keys in an Arena, for the memtable.
//
// Threads: one writer at a time calls Insert (the caller serialises writers);
// any number of readers call Contains and use Iterators concurrently with it,
// without locks. The list never removes a key; its memory lives in the Arena,
// which must outlive the list and every Iterator over it.
//
// Key is a small copyable value (the memtable uses const char*). Compare is a
// functor: int operator()(const Key& a, const Key& b) const, <0, 0, >0.
//
// Invariants:
//   (1) A node, once linked, is never unlinked, moved or freed before the
//       Arena is destroyed, so a reader holding a Node* may follow it forever.
//   (2) The list at level i is a sorted sublist of the list at level i-1;
//       level 0 holds every key, strictly increasing (no duplicates).
//   (3) A node's key and all its own next pointers are written before the
//       node is published; publication is a release store into a
//       predecessor's next pointer, and readers load next pointers with
//       acquire, so a reader that reaches a node sees it fully built.
//   (4) Nodes are linked bottom-up: a node reachable at level i is already
//       reachable at every level below i.
//   (5) max_height_ only grows. A reader may see a stale value: a too small
//       one only skips the new top levels; a too large one finds nullptr in
//       head_'s new levels (head_ is built with every level nullptr) or the
//       new node, and both are correct.
#ifndef LODE_LIB_SKIPLIST_H_
#define LODE_LIB_SKIPLIST_H_

#include <atomic>
#include <cassert>
#include <cstddef>
#include <new>

#include "lib/util/arena.h"
#include "lib/util/random.h"

namespace lode {

template <typename Key, class Compare>
class SkipList {
 private:
  struct Node;

 public:
  // arena is not owned and must outlive the list.
  SkipList(Compare cmp, Arena* arena);
  SkipList(const SkipList&) = delete;
  SkipList& operator=(const SkipList&) = delete;

  // REQUIRES: no key equal to key is in the list; one writer at a time.
  void Insert(const Key& key);

  // True if a key equal to key is in the list. Any thread.
  bool Contains(const Key& key) const;

  // Iterator over the list, usable by one thread; many iterators may run
  // concurrently with each other and with the writer. Keys inserted during
  // iteration may or may not be seen, but order is always respected.
  class Iterator {
   public:
    explicit Iterator(const SkipList* list) : list_(list), node_(nullptr) {}

    bool Valid() const { return node_ != nullptr; }
    // REQUIRES: Valid()
    const Key& key() const {
      assert(Valid());
      return node_->key;
    }
    // REQUIRES: Valid()
    void Next() {
      assert(Valid());
      node_ = node_->Next(0);
    }
    // REQUIRES: Valid(). No back links: searches for the last node before key.
    void Prev() {
      assert(Valid());
      node_ = list_->FindLessThan(node_->key);
      if (node_ == list_->head_) node_ = nullptr;
    }
    // Positions at the first key >= target.
    void Seek(const Key& target) { node_ = list_->FindGreaterOrEqual(target, nullptr); }
    void SeekToFirst() { node_ = list_->head_->Next(0); }
    void SeekToLast() {
      node_ = list_->FindLast();
      if (node_ == list_->head_) node_ = nullptr;
    }

   private:
    const SkipList* list_;
    Node* node_;
  };

 private:
  static constexpr int kMaxHeight = 12;
  static constexpr uint64_t kBranching = 4;  // 1 in kBranching nodes grows a level

  int MaxHeight() const { return max_height_.load(std::memory_order_relaxed); }
  Node* NewNode(const Key& key, int height);
  int RandomHeight();
  bool Equal(const Key& a, const Key& b) const { return compare_(a, b) == 0; }
  // True if key sorts after the key of n (nullptr is +infinity).
  bool KeyIsAfterNode(const Key& key, const Node* n) const {
    return n != nullptr && compare_(n->key, key) < 0;
  }
  // First node with key >= key, or nullptr. Fills prev[level] with the last
  // node before it at each level when prev is not nullptr.
  Node* FindGreaterOrEqual(const Key& key, Node** prev) const;
  // Last node with key < key, or head_.
  Node* FindLessThan(const Key& key) const;
  // Last node, or head_ if the list is empty.
  Node* FindLast() const;

  Compare const compare_;
  Arena* const arena_;
  Node* const head_;
  std::atomic<int> max_height_;  // height of the tallest node; written by the writer only
  Random rnd_;                   // writer only
};

// A node is followed in memory by `height` atomic next pointers (links()).
template <typename Key, class Compare>
struct alignas(std::atomic<void*>) SkipList<Key, Compare>::Node {
  explicit Node(const Key& k) : key(k) {}

  Key const key;

  std::atomic<Node*>* links() {
    return reinterpret_cast<std::atomic<Node*>*>(reinterpret_cast<char*>(this) + sizeof(Node));
  }
  // Acquire: see the node pointed to fully initialised (invariant 3).
  Node* Next(int level) { return links()[level].load(std::memory_order_acquire); }
  // Release: publish a fully built node.
  void SetNext(int level, Node* x) { links()[level].store(x, std::memory_order_release); }
  // For a node not yet published: no ordering needed.
  Node* NextRelaxed(int level) { return links()[level].load(std::memory_order_relaxed); }
  void SetNextRelaxed(int level, Node* x) { links()[level].store(x, std::memory_order_relaxed); }
};

template <typename Key, class Compare>
typename SkipList<Key, Compare>::Node* SkipList<Key, Compare>::NewNode(const Key& key, int height) {
  static_assert(sizeof(Node) % alignof(std::atomic<Node*>) == 0);
  char* mem = arena_->AllocateAligned(sizeof(Node) + sizeof(std::atomic<Node*>) * height);
  Node* n = new (mem) Node(key);
  for (int i = 0; i < height; i++) new (&n->links()[i]) std::atomic<Node*>(nullptr);
  return n;
}

template <typename Key, class Compare>
SkipList<Key, Compare>::SkipList(Compare cmp, Arena* arena)
    : compare_(cmp),
      arena_(arena),
      head_(NewNode(Key() /* never compared */, kMaxHeight)),
      max_height_(1),
      rnd_(0x5eed5eedULL) {}

template <typename Key, class Compare>
int SkipList<Key, Compare>::RandomHeight() {
  int height = 1;
  while (height < kMaxHeight && rnd_.OneIn(kBranching)) height++;
  return height;
}

template <typename Key, class Compare>
typename SkipList<Key, Compare>::Node* SkipList<Key, Compare>::FindGreaterOrEqual(
    const Key& key, Node** prev) const {
  Node* x = head_;
  int level = MaxHeight() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (KeyIsAfterNode(key, next)) {
      x = next;  // keep walking right at this level
    } else {
      if (prev != nullptr) prev[level] = x;
      if (level == 0) return next;
      level--;
    }
  }
}

template <typename Key, class Compare>
typename SkipList<Key, Compare>::Node* SkipList<Key, Compare>::FindLessThan(const Key& key) const {
  Node* x = head_;
  int level = MaxHeight() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr && compare_(next->key, key) < 0) {
      x = next;
    } else {
      if (level == 0) return x;
      level--;
    }
  }
}

template <typename Key, class Compare>
typename SkipList<Key, Compare>::Node* SkipList<Key, Compare>::FindLast() const {
  Node* x = head_;
  int level = MaxHeight() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr) {
      x = next;
    } else {
      if (level == 0) return x;
      level--;
    }
  }
}

template <typename Key, class Compare>
void SkipList<Key, Compare>::Insert(const Key& key) {
  Node* prev[kMaxHeight];
  Node* x = FindGreaterOrEqual(key, prev);
  assert(x == nullptr || !Equal(key, x->key));
  (void)x;

  const int height = RandomHeight();
  const int old_height = MaxHeight();
  if (height > old_height) {
    for (int i = old_height; i < height; i++) prev[i] = head_;
    // Relaxed is enough: see invariant (5).
    max_height_.store(height, std::memory_order_relaxed);
  }

  Node* n = NewNode(key, height);
  for (int i = 0; i < height; i++) {
    // n is private until the release store below publishes it at level i.
    n->SetNextRelaxed(i, prev[i]->NextRelaxed(i));
    prev[i]->SetNext(i, n);
  }
}

template <typename Key, class Compare>
bool SkipList<Key, Compare>::Contains(const Key& key) const {
  Node* x = FindGreaterOrEqual(key, nullptr);
  return x != nullptr && Equal(key, x->key);
}

}  // namespace lode

#endif  // LODE_LIB_SKIPLIST_H_
