#include "lib/util/cache.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>

#include "lib/util/checksum.h"

namespace lode {

// An entry; its key bytes follow it in the same allocation, so an insert is
// one allocation and a lookup none.
struct Cache::Handle {
  void* value = nullptr;
  size_t charge = 0;
  Deleter deleter = nullptr;
  Handle* next_hash = nullptr;  // chain in the shard's table
  Handle* prev = nullptr;       // on the lru list (refs == 1) or in-use list
  Handle* next = nullptr;
  uint64_t hash = 0;  // of the key: picks the shard and the bucket
  uint32_t key_size = 0;
  uint32_t refs = 0;  // the cache's own reference counts while in_cache
  bool in_cache = false;

  char* key_data() { return reinterpret_cast<char*>(this + 1); }
  Slice key() { return Slice(key_data(), key_size); }

  static Handle* New(const Slice& key, uint64_t hash) {
    void* mem = ::operator new(sizeof(Handle) + key.size());
    auto* e = new (mem) Handle();
    e->hash = hash;
    e->key_size = static_cast<uint32_t>(key.size());
    if (!key.empty()) memcpy(e->key_data(), key.data(), key.size());
    return e;
  }
  static void Free(Handle* e) {
    e->~Handle();
    ::operator delete(e);
  }
};

namespace {

// Chained hash table of handles keyed by (hash, key bytes); grows at half
// full, because every entry walked on a chain is a cache miss (a lookup that
// finds nothing walks the whole chain).
class HandleTable {
 public:
  HandleTable() { Resize(16); }

  Cache::Handle* Lookup(const Slice& key, uint64_t hash) { return *FindPointer(key, hash); }

  // Inserts e; returns the entry of the same key it replaced, or nullptr.
  Cache::Handle* Insert(Cache::Handle* e) {
    Cache::Handle** ptr = FindPointer(e->key(), e->hash);
    Cache::Handle* old = *ptr;
    e->next_hash = old == nullptr ? nullptr : old->next_hash;
    *ptr = e;
    if (old == nullptr && ++elems_ > length_ / 2) Resize(length_ * 2);
    return old;
  }

  Cache::Handle* Remove(const Slice& key, uint64_t hash) {
    Cache::Handle** ptr = FindPointer(key, hash);
    Cache::Handle* e = *ptr;
    if (e != nullptr) {
      *ptr = e->next_hash;
      elems_--;
    }
    return e;
  }

 private:
  Cache::Handle** FindPointer(const Slice& key, uint64_t hash) {
    Cache::Handle** ptr = &list_[hash & (length_ - 1)];
    while (*ptr != nullptr && ((*ptr)->hash != hash || (*ptr)->key_size != key.size() ||
                               memcmp((*ptr)->key_data(), key.data(), key.size()) != 0)) {
      ptr = &(*ptr)->next_hash;
    }
    return ptr;
  }

  void Resize(size_t length) {
    auto list = std::make_unique<Cache::Handle*[]>(length);  // zeroed
    for (size_t i = 0; i < length_; i++) {
      Cache::Handle* e = list_[i];
      while (e != nullptr) {
        Cache::Handle* next = e->next_hash;
        Cache::Handle** head = &list[e->hash & (length - 1)];
        e->next_hash = *head;
        *head = e;
        e = next;
      }
    }
    list_ = std::move(list);
    length_ = length;
  }

  std::unique_ptr<Cache::Handle*[]> list_;
  size_t length_ = 0;  // a power of two
  size_t elems_ = 0;
};

// One shard: entries referenced only by the cache sit on lru_ (oldest first),
// entries a client holds sit on in_use_. Eviction takes from lru_ only.
class LRUShard {
 public:
  LRUShard() {
    lru_.next = lru_.prev = &lru_;
    in_use_.next = in_use_.prev = &in_use_;
  }
  ~LRUShard() {
    for (Cache::Handle* e = lru_.next; e != &lru_;) {
      Cache::Handle* next = e->next;
      e->in_cache = false;
      Unref(e);
      e = next;
    }
  }

  void SetCapacity(size_t c) { capacity_ = c; }

  Cache::Handle* Insert(const Slice& key, uint64_t hash, void* value, size_t charge,
                        Cache::Deleter d) {
    Cache::Handle* e = Cache::Handle::New(key, hash);
    e->value = value;
    e->charge = charge;
    e->deleter = d;
    e->refs = 1;                       // the returned handle
    Cache::Handle* to_free = nullptr;  // deleters run outside the lock
    {
      std::lock_guard<std::mutex> l(mu_);
      if (capacity_ > 0) {
        e->refs++;  // the cache's reference
        e->in_cache = true;
        Append(&in_use_, e);
        usage_ += charge;
        if (Cache::Handle* old = table_.Insert(e)) FinishErase(old, &to_free);
      }
      while (usage_ > capacity_ && lru_.next != &lru_) {
        Cache::Handle* old = lru_.next;
        table_.Remove(old->key(), old->hash);
        FinishErase(old, &to_free);
      }
    }
    FreeAll(to_free);
    return e;
  }

  Cache::Handle* Lookup(const Slice& key, uint64_t hash) {
    std::lock_guard<std::mutex> l(mu_);
    Cache::Handle* e = table_.Lookup(key, hash);
    if (e != nullptr) Ref(e);
    return e;
  }

  void Release(Cache::Handle* e) {
    Cache::Handle* to_free = nullptr;
    {
      std::lock_guard<std::mutex> l(mu_);
      Unref(e, &to_free);
    }
    FreeAll(to_free);
  }

  void Erase(const Slice& key, uint64_t hash) {
    Cache::Handle* to_free = nullptr;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (Cache::Handle* e = table_.Remove(key, hash)) FinishErase(e, &to_free);
    }
    FreeAll(to_free);
  }

  size_t Usage() {
    std::lock_guard<std::mutex> l(mu_);
    return usage_;
  }

 private:
  static void Remove(Cache::Handle* e) {
    e->next->prev = e->prev;
    e->prev->next = e->next;
  }
  static void Append(Cache::Handle* list, Cache::Handle* e) {
    e->next = list;
    e->prev = list->prev;
    e->prev->next = e;
    e->next->prev = e;
  }
  // Runs the deleters of a chain (linked through next_hash) of dead entries.
  static void FreeAll(Cache::Handle* e) {
    while (e != nullptr) {
      Cache::Handle* next = e->next_hash;
      if (e->deleter != nullptr) e->deleter(e->key(), e->value);
      Cache::Handle::Free(e);
      e = next;
    }
  }
  void Ref(Cache::Handle* e) {
    if (e->refs == 1 && e->in_cache) {  // moves from lru_ to in_use_
      Remove(e);
      Append(&in_use_, e);
    }
    e->refs++;
  }
  // Drops a reference; a dead entry goes on *to_free (or is freed at once
  // when to_free is null, only in the destructor).
  void Unref(Cache::Handle* e, Cache::Handle** to_free = nullptr) {
    e->refs--;
    if (e->refs == 0) {
      if (to_free != nullptr) {
        e->next_hash = *to_free;
        *to_free = e;
      } else {
        e->next_hash = nullptr;
        FreeAll(e);
      }
    } else if (e->in_cache && e->refs == 1) {  // only the cache holds it now
      Remove(e);
      Append(&lru_, e);
    }
  }
  // e has been taken out of table_.
  void FinishErase(Cache::Handle* e, Cache::Handle** to_free) {
    Remove(e);
    e->in_cache = false;
    usage_ -= e->charge;
    Unref(e, to_free);
  }

  std::mutex mu_;
  size_t capacity_ = 0;
  size_t usage_ = 0;
  Cache::Handle lru_;
  Cache::Handle in_use_;
  HandleTable table_;
};

class ShardedLRUCache final : public Cache {
 public:
  static constexpr int kShardBits = 4;
  static constexpr int kShards = 1 << kShardBits;

  explicit ShardedLRUCache(size_t capacity) : capacity_(capacity) {
    const size_t per_shard = (capacity + kShards - 1) / kShards;
    for (auto& s : shards_) s.SetCapacity(per_shard);
  }

  Handle* Insert(const Slice& key, void* value, size_t charge, Deleter d) override {
    const uint64_t hash = Checksum64(key);
    return Shard(hash).Insert(key, hash, value, charge, d);
  }
  Handle* Lookup(const Slice& key) override {
    const uint64_t hash = Checksum64(key);
    return Shard(hash).Lookup(key, hash);
  }
  void Release(Handle* h) override { Shard(h->hash).Release(h); }
  void* Value(Handle* h) override { return h->value; }
  void Erase(const Slice& key) override {
    const uint64_t hash = Checksum64(key);
    Shard(hash).Erase(key, hash);
  }
  uint64_t NewId() override { return ++last_id_; }
  size_t TotalCharge() const override {
    size_t total = 0;
    for (auto& s : shards_) total += const_cast<LRUShard&>(s).Usage();
    return total;
  }
  size_t Capacity() const override { return capacity_; }

 private:
  // The top bits pick the shard, the low bits the bucket: independent.
  LRUShard& Shard(uint64_t hash) { return shards_[hash >> (64 - kShardBits)]; }

  const size_t capacity_;
  LRUShard shards_[kShards];
  std::atomic<uint64_t> last_id_{0};
};

}  // namespace

std::shared_ptr<Cache> NewLRUCache(size_t capacity) {
  return std::make_shared<ShardedLRUCache>(capacity);
}

}  // namespace lode
