#include "lib/util/cache.h"

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "lib/util/checksum.h"

namespace lode {

struct Cache::Handle {
  std::string key;
  void* value = nullptr;
  size_t charge = 0;
  Deleter deleter = nullptr;
  uint32_t refs = 0;  // the cache's own reference counts while in_cache
  bool in_cache = false;
  Handle* prev = nullptr;  // on the lru list (refs == 1) or in-use list
  Handle* next = nullptr;
};

namespace {

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

  Cache::Handle* Insert(const Slice& key, void* value, size_t charge, Cache::Deleter d) {
    std::lock_guard<std::mutex> l(mu_);
    auto* e = new Cache::Handle();
    e->key = key.ToString();
    e->value = value;
    e->charge = charge;
    e->deleter = d;
    e->refs = 1;  // the returned handle
    if (capacity_ > 0) {
      e->refs++;  // the cache's reference
      e->in_cache = true;
      Append(&in_use_, e);
      usage_ += charge;
      auto it = table_.find(e->key);
      if (it != table_.end()) {
        FinishErase(it->second);
        table_.erase(it);
      }
      table_.emplace(e->key, e);
    }
    while (usage_ > capacity_ && lru_.next != &lru_) {
      Cache::Handle* old = lru_.next;
      table_.erase(old->key);
      FinishErase(old);
    }
    return e;
  }

  Cache::Handle* Lookup(const Slice& key) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = table_.find(std::string(key.data(), key.size()));
    if (it == table_.end()) return nullptr;
    Ref(it->second);
    return it->second;
  }

  void Release(Cache::Handle* e) {
    std::lock_guard<std::mutex> l(mu_);
    Unref(e);
  }

  void Erase(const Slice& key) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = table_.find(std::string(key.data(), key.size()));
    if (it == table_.end()) return;
    Cache::Handle* e = it->second;
    table_.erase(it);
    FinishErase(e);
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
  void Ref(Cache::Handle* e) {
    if (e->refs == 1 && e->in_cache) {  // moves from lru_ to in_use_
      Remove(e);
      Append(&in_use_, e);
    }
    e->refs++;
  }
  void Unref(Cache::Handle* e) {
    e->refs--;
    if (e->refs == 0) {
      if (e->deleter != nullptr) e->deleter(Slice(e->key), e->value);
      delete e;
    } else if (e->in_cache && e->refs == 1) {  // only the cache holds it now
      Remove(e);
      Append(&lru_, e);
    }
  }
  // e has been taken out of table_.
  void FinishErase(Cache::Handle* e) {
    Remove(e);
    e->in_cache = false;
    usage_ -= e->charge;
    Unref(e);
  }

  std::mutex mu_;
  size_t capacity_ = 0;
  size_t usage_ = 0;
  Cache::Handle lru_;
  Cache::Handle in_use_;
  std::unordered_map<std::string, Cache::Handle*> table_;
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
    return Shard(key).Insert(key, value, charge, d);
  }
  Handle* Lookup(const Slice& key) override { return Shard(key).Lookup(key); }
  void Release(Handle* h) override { Shard(Slice(h->key)).Release(h); }
  void* Value(Handle* h) override { return h->value; }
  void Erase(const Slice& key) override { Shard(key).Erase(key); }
  uint64_t NewId() override { return ++last_id_; }
  size_t TotalCharge() const override {
    size_t total = 0;
    for (auto& s : shards_) total += const_cast<LRUShard&>(s).Usage();
    return total;
  }
  size_t Capacity() const override { return capacity_; }

 private:
  LRUShard& Shard(const Slice& key) { return shards_[Checksum64(key) >> (64 - kShardBits)]; }

  const size_t capacity_;
  LRUShard shards_[kShards];
  std::atomic<uint64_t> last_id_{0};
};

}  // namespace

std::shared_ptr<Cache> NewLRUCache(size_t capacity) {
  return std::make_shared<ShardedLRUCache>(capacity);
}

}  // namespace lode
