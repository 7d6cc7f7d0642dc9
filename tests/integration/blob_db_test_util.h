// A DBTest fixture for the key-value separation tests (blob_*_test.cc):
// options with explicit flushes and uncompressed blobs, and helpers that look
// at the blob files behind the public API.
#ifndef LODE_TESTS_INTEGRATION_BLOB_DB_TEST_UTIL_H_
#define LODE_TESTS_INTEGRATION_BLOB_DB_TEST_UTIL_H_

#include <string>

#include "lode/gc_report.h"
#include "tests/integration/db_test_util.h"

namespace lode::test {

class BlobDBTest : public DBTest {
 protected:
  // Flushes only when a test asks (large write buffer), one blob file per
  // flush, stored bytes equal to value bytes (no compression), no GC.
  static Options BlobOptions() {
    Options o = SmallOptions();
    o.write_buffer_size = 8 << 20;
    o.blob_file_size = 64 << 20;
    o.min_blob_size = 1024;
    o.blob_compression = Compression::kNone;
    o.enable_blob_gc = false;
    return o;
  }

  void FlushOrDie() {
    Status s = db_->Flush();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Blobs ever written to the live blob files (GcReport totals).
  uint64_t BlobsWritten() {
    GcReport r;
    EXPECT_TRUE(db_->GetGcReport(&r).ok());
    uint64_t n = 0;
    for (const GcReportBlobFile& f : r.files) n += f.blob_count;
    return n;
  }

  uint64_t FileSize(const std::string& name) {
    uint64_t size = 0;
    EXPECT_TRUE(Env::Default()->GetFileSize(dir_.path() + "/" + name, &size).ok()) << name;
    return size;
  }

  // Flips one bit of the first occurrence of `needle` in file `name` (of the
  // DB directory); returns false if the needle is not there.
  bool FlipByteOf(const std::string& name, const std::string& needle, size_t at = 0) {
    const std::string path = dir_.path() + "/" + name;
    std::string contents = ReadAll(path);
    const size_t pos = contents.find(needle);
    if (pos == std::string::npos) return false;
    contents[pos + at] = static_cast<char>(contents[pos + at] ^ 0x20);
    WriteAll(path, contents);
    return true;
  }
};

}  // namespace lode::test

#endif  // LODE_TESTS_INTEGRATION_BLOB_DB_TEST_UTIL_H_
