// The POSIX Env's StartWriteback: a hint that changes nothing a reader sees,
// whatever the call pattern, and a clear error on a closed file.
#include <gtest/gtest.h>

#include "lode/env.h"
#include "tests/util/test_util.h"

namespace lode {
namespace {

TEST(EnvPosixWritebackTest, FileReadsBackWhateverTheCallsInBetween) {
  test::TempDir dir;
  const std::string fname = dir.File("000007.blob");
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(Env::Default()->NewWritableFile(fname, &f).ok());
  Random rnd(3);
  std::string expected;
  // Nothing written yet, then buffered bytes only, then large appends that
  // bypass the buffer, with the hint before and after each.
  ASSERT_TRUE(f->StartWriteback().ok());
  for (int i = 0; i < 40; i++) {
    const std::string chunk = test::RandomBytes(&rnd, i % 2 == 0 ? 1000 : 100000);
    ASSERT_TRUE(f->Append(chunk).ok());
    expected += chunk;
    Status s = f->StartWriteback();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  ASSERT_TRUE(f->StartWriteback().ok());  // nothing new since the last call
  ASSERT_TRUE(f->Sync().ok());
  ASSERT_TRUE(f->Close().ok());
  std::string read;
  ASSERT_TRUE(ReadFileToString(Env::Default(), fname, &read).ok());
  EXPECT_EQ(expected, read);

  Status s = f->StartWriteback();
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(std::string::npos, s.ToString().find("000007.blob")) << s.ToString();
}

}  // namespace
}  // namespace lode
