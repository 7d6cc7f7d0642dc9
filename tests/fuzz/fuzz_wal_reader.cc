// libFuzzer target: the raw bytes of a WAL go through log::Reader (with and
// without checksums, as the first byte says) and every record it returns
// through the write-batch decoder into a memtable, as recovery does. Must
// never crash, hang or read out of bounds, whatever the bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "lib/dbformat.h"
#include "lib/log_reader.h"
#include "lib/memtable.h"
#include "lib/util/comparator.h"
#include "lib/write_batch_internal.h"
#include "lode/write_batch.h"
#include "tests/util/mem_env.h"

namespace {

struct NullReporter final : lode::log::Reader::Reporter {
  void Corruption(size_t, const lode::Status&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool checksum = (data[0] & 1) != 0;
  lode::test::MemEnv env;
  env.SetFile("/f/000001.log", std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  std::unique_ptr<lode::SequentialFile> file;
  if (!env.NewSequentialFile("/f/000001.log", &file).ok()) return 0;
  NullReporter reporter;
  lode::log::Reader reader(file.get(), "000001.log", &reporter, checksum);
  lode::InternalKeyComparator icmp(lode::BytewiseComparator());
  auto* mem = new lode::MemTable(icmp);
  mem->Ref();
  std::string scratch;
  lode::Slice record;
  lode::WriteBatch batch;
  lode::SequenceNumber max_sequence = 0;
  while (reader.ReadRecord(&record, &scratch)) {
    if (record.size() < 12) continue;
    if (!lode::WriteBatchInternal::SetContents(&batch, record).ok()) continue;
    // As recovery does (DBImpl::RecoverLogFile): sequences must grow.
    const uint32_t count = lode::WriteBatchInternal::Count(&batch);
    const lode::SequenceNumber seq = lode::WriteBatchInternal::Sequence(&batch);
    if (count == 0) continue;
    if (seq <= max_sequence) break;
    if (!lode::WriteBatchInternal::InsertInto(&batch, mem).ok()) break;
    max_sequence = std::max(max_sequence, seq + count - 1);
  }
  mem->Unref();
  return 0;
}
