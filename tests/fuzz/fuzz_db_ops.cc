// libFuzzer target: a sequence of API operations decoded from the input
// (puts of inline and blob-sized values, deletes, batches, gets, scans,
// snapshots, flushes, compactions, RunBlobGc, close and reopen) run on a DB
// in an in-memory Env and checked against a std::map model after every read
// and after every reopen. Any difference aborts (a finding).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "lode/db.h"
#include "tests/util/mem_env.h"

namespace {

using Model = std::map<std::string, std::string>;

struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t Byte() {
    if (n == 0) return 0;
    n--;
    return *p++;
  }
};

lode::Options FuzzOptions(lode::Env* env) {
  lode::Options o;
  o.env = env;
  o.write_buffer_size = 64 << 10;
  o.target_file_size = 64 << 10;
  o.max_bytes_for_level_base = 128 << 10;
  o.level0_compaction_trigger = 2;
  o.min_blob_size = 100;
  o.blob_file_size = 8 << 10;
  o.block_cache_capacity = 64 << 10;
  o.blob_gc_age_cutoff = 1.0;
  o.blob_gc_garbage_threshold = 0.1;
  o.blob_gc_force_threshold = 0.3;
  return o;
}

[[noreturn]] void Fail(const char* what, const std::string& key) {
  std::fprintf(stderr, "fuzz_db_ops: %s (key %s)\n", what, key.c_str());
  std::abort();
}

std::string Key(uint8_t b) { return "k" + std::to_string(b % 64); }

std::string Value(uint8_t len_byte, uint8_t fill, uint32_t serial) {
  // Half inline, half past min_blob_size.
  const size_t len = (len_byte & 0x80) ? 100 + (len_byte & 0x7f) * 8 : (len_byte & 0x7f);
  std::string v = std::to_string(serial) + ":";
  v.resize(std::max(v.size(), len), static_cast<char>('a' + fill % 26));
  return v;
}

void CheckAll(lode::DB* db, const Model& m, const lode::Snapshot* snap = nullptr) {
  lode::ReadOptions ro;
  ro.snapshot = snap;
  std::unique_ptr<lode::Iterator> it = db->NewIterator(ro);
  auto mi = m.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++mi) {
    if (mi == m.end()) Fail("scan has an extra key", it->key().ToString());
    if (it->key() != lode::Slice(mi->first)) Fail("scan key differs", mi->first);
    if (it->value() != lode::Slice(mi->second)) Fail("scan value differs", mi->first);
  }
  if (!it->status().ok()) Fail("scan error", it->status().ToString());
  if (mi != m.end()) Fail("scan misses a key", mi->first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  lode::test::MemEnv env;
  const lode::Options options = FuzzOptions(&env);
  std::unique_ptr<lode::DB> db;
  if (lode::Status s = lode::DB::Open(options, "/db", &db); !s.ok()) Fail("open", s.ToString());
  Model model;
  const lode::Snapshot* snap = nullptr;
  Model snap_model;
  Input in{data, size};
  uint32_t serial = 0;
  for (int ops = 0; in.n > 0 && ops < 200; ops++) {
    const uint8_t op = in.Byte();
    lode::Status s;
    switch (op % 16) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4: {
        const std::string k = Key(in.Byte());
        const std::string v = Value(in.Byte(), op, ++serial);
        lode::WriteOptions wo;
        wo.sync = (op & 0x80) != 0;
        s = db->Put(wo, k, v);
        if (!s.ok()) Fail("put", k);
        model[k] = v;
        break;
      }
      case 5: {
        const std::string k = Key(in.Byte());
        if (!db->Delete(lode::WriteOptions(), k).ok()) Fail("delete", k);
        model.erase(k);
        break;
      }
      case 6: {
        lode::WriteBatch batch;
        const int n = 1 + in.Byte() % 6;
        for (int i = 0; i < n; i++) {
          const std::string k = Key(in.Byte());
          if (in.Byte() & 1) {
            batch.Delete(k);
            model.erase(k);
          } else {
            const std::string v = Value(in.Byte(), op, ++serial);
            batch.Put(k, v);
            model[k] = v;
          }
        }
        if (!db->Write(lode::WriteOptions(), &batch).ok()) Fail("write", "");
        break;
      }
      case 7:
      case 8: {
        const std::string k = Key(in.Byte());
        std::string v;
        s = db->Get(lode::ReadOptions(), k, &v);
        auto it = model.find(k);
        if (it == model.end()) {
          if (!s.IsNotFound()) Fail("get found a deleted key", k);
        } else if (!s.ok() || v != it->second) {
          Fail("get differs", k);
        }
        break;
      }
      case 9:
        CheckAll(db.get(), model);
        break;
      case 10:
        if (!db->Flush().ok()) Fail("flush", "");
        break;
      case 11:
        if (!db->CompactRange(nullptr, nullptr).ok()) Fail("compact", "");
        break;
      case 12: {
        lode::BlobGcOptions g;
        g.age_cutoff = 1.0;
        g.garbage_threshold = (in.Byte() % 10) / 10.0;
        if (!db->RunBlobGc(g).ok()) Fail("gc", "");
        break;
      }
      case 13:
        if (snap == nullptr) {
          snap = db->GetSnapshot();
          snap_model = model;
        } else {
          CheckAll(db.get(), snap_model, snap);
          db->ReleaseSnapshot(snap);
          snap = nullptr;
        }
        break;
      case 14:
      case 15:
        if (snap != nullptr) {
          db->ReleaseSnapshot(snap);
          snap = nullptr;
        }
        db.reset();
        if (!lode::DB::Open(options, "/db", &db).ok()) Fail("reopen", "");
        CheckAll(db.get(), model);
        break;
    }
  }
  if (snap != nullptr) db->ReleaseSnapshot(snap);
  CheckAll(db.get(), model);
  db.reset();
  lode::VerifyReport report;
  if (!lode::VerifyDB("/db", options, &report).ok())
    Fail("VerifyDB", report.problems.empty() ? "" : report.problems[0]);
  return 0;
}
