// libFuzzer target: a table file (footer, index, data blocks, filter,
// properties) opened with Table::Open, walked forwards and backwards, and
// probed with seeks and point lookups. Checksums are verified or not as the
// first byte says, so damaged blocks also reach the block parsers.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "lib/dbformat.h"
#include "lib/util/comparator.h"
#include "table/table.h"
#include "tests/util/mem_env.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  lode::test::MemEnv env;
  env.SetFile("/f/000009.sst", bytes);
  std::unique_ptr<lode::RandomAccessFile> file;
  if (!env.NewRandomAccessFile("/f/000009.sst", &file).ok()) return 0;
  lode::InternalKeyComparator icmp(lode::BytewiseComparator());
  lode::TableReaderOptions topts;
  topts.icmp = &icmp;
  topts.file_name = "000009.sst";
  topts.paranoid_checks = (flags & 2) != 0;
  std::unique_ptr<lode::Table> table;
  if (!lode::Table::Open(topts, std::move(file), bytes.size(), &table).ok()) return 0;
  lode::ReadOptions ro;
  ro.verify_checksums = (flags & 1) != 0;
  std::unique_ptr<lode::Iterator> it(table->NewIterator(ro));
  int n = 0;
  std::string last_key;
  for (it->SeekToFirst(); it->Valid() && n < 10000; it->Next(), n++) {
    last_key = it->key().ToString();
    (void)it->value().size();
  }
  for (it->SeekToLast(); it->Valid() && n < 20000; it->Prev(), n++) (void)it->key().size();
  const std::string probes[] = {"", "a", "key", last_key, std::string(20, '\xff')};
  for (const std::string& p : probes) {
    lode::InternalKey ik(p, lode::kMaxSequenceNumber, lode::kValueTypeForSeek);
    it->Seek(ik.Encode());
    if (it->Valid()) (void)it->key().size();
    (void)table->InternalGet(ro, ik.Encode(), [](const lode::Slice& k, const lode::Slice& v) {
      (void)k.size();
      (void)v.size();
    });
    (void)table->ApproximateOffsetOf(ik.Encode());
  }
  return 0;
}
