// libFuzzer target: a blob file (header, records, footer) through
// BlobFileIterator (the GC and VerifyDB path) and, for every record the walk
// finds, BlobFileReader::GetBlob and ReadStored (the read and relocation
// paths). Plus a few indexes made from the input's last bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "blob/blob_file_iterator.h"
#include "blob/blob_file_reader.h"
#include "blob/blob_index.h"
#include "tests/util/mem_env.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string name = "/f/000007.blob";
  lode::test::MemEnv env;
  env.SetFile(name, std::string(reinterpret_cast<const char*>(data), size));
  std::unique_ptr<lode::BlobFileReader> reader;
  (void)lode::BlobFileReader::Open(&env, name, 7, &reader);
  std::unique_ptr<lode::BlobFileIterator> iter;
  if (lode::BlobFileIterator::Open(&env, name, 7, &iter, 4096).ok()) {
    int n = 0;
    for (iter->SeekToFirst(); iter->Valid() && n < 10000; iter->Next(), n++) {
      std::string value;
      (void)iter->GetValue(&value);
      if (reader != nullptr) {
        lode::ReadOptions ro;
        (void)reader->GetBlob(ro, iter->key(), iter->index(), &value);
        std::string stored;
        (void)reader->ReadStored(iter->key(), iter->index(), &stored);
      }
    }
    (void)iter->status();
  }
  if (reader != nullptr && size > 16) {
    // An index decoded from the tail bytes: arbitrary offsets and sizes.
    lode::BlobIndex index;
    lode::Slice tail(reinterpret_cast<const char*>(data) + size - 16, 16);
    if (index.DecodeFrom(tail).ok()) {
      std::string value;
      (void)reader->GetBlob(lode::ReadOptions(), "k", index, &value);
      uint64_t b = 0, e = 0;
      (void)reader->RecordExtent("k", index, &b, &e);
    }
  }
  return 0;
}
