// The `lode` binary on an encrypted DB: every command that opens a DB or
// reads its files works with --key-file and fails clearly without it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "lode/env.h"
#include "tests/util/test_util.h"

#ifndef LODE_CLI_PATH
#error "LODE_CLI_PATH must name the lode binary (set in tests/CMakeLists.txt)"
#endif

namespace lode {
namespace {

class LodeCliEncryptionTest : public testing::Test {
 protected:
  // Runs lode with args (no quoting needed: test paths and plain words);
  // returns the exit code, stdout in *out and stderr in *err.
  int Lode(const std::vector<std::string>& args, std::string* out = nullptr,
           std::string* err = nullptr) {
    std::string cmd = LODE_CLI_PATH;
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " </dev/null >" + dir_.File("stdout") + " 2>" + dir_.File("stderr");
    const int status = std::system(cmd.c_str());
    if (out != nullptr) *out = test::ReadAll(dir_.File("stdout"));
    if (err != nullptr) *err = test::ReadAll(dir_.File("stderr"));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }
  std::string Db() const { return dir_.File("db"); }
  std::string KeyFile() {
    const std::string path = dir_.File("keys");
    test::WriteAll(path, "1 " + std::string(64, '7') + "\n");
    EXPECT_EQ(0, chmod(path.c_str(), 0600));
    return path;
  }
  std::string DbFileEnding(const std::string& suffix) {
    std::vector<std::string> children;
    EXPECT_TRUE(Env::Default()->GetChildren(Db(), &children).ok());
    for (const auto& c : children) {
      if (c.ends_with(suffix)) return Db() + "/" + c;
    }
    ADD_FAILURE() << "no " << suffix << " file";
    return "";
  }

  test::TempDir dir_;
};

TEST_F(LodeCliEncryptionTest, EveryCommandReadsAnEncryptedDbGivenTheKeyFile) {
  const std::string kf = "--key-file=" + KeyFile();
  ASSERT_EQ(0, Lode({"load", Db(), "--create", "--count", "40", "--value-size", "8K", kf}));
  ASSERT_EQ(0, Lode({"put", Db(), "hello", "world", kf}));
  std::string out, err;
  ASSERT_EQ(0, Lode({"get", Db(), "hello", kf}, &out));
  EXPECT_EQ("world", out);
  EXPECT_EQ(0, Lode({"scan", Db(), kf}));
  EXPECT_EQ(0, Lode({"stats", Db(), kf}));
  EXPECT_EQ(0, Lode({"gc-report", Db(), kf}));
  EXPECT_EQ(0, Lode({"gc", Db(), kf}));
  EXPECT_EQ(0, Lode({"verify", Db(), kf}, &out, &err)) << out << err;
  EXPECT_EQ(0, Lode({"dump-sst", DbFileEnding(".sst"), kf}, &out, &err)) << err;
  EXPECT_EQ(0, Lode({"dump-blob", DbFileEnding(".blob"), kf}, &out, &err)) << err;

  EXPECT_NE(0, Lode({"get", Db(), "hello"}, &out, &err));
  EXPECT_NE(std::string::npos, err.find("is encrypted; set Options::encryption")) << err;
  EXPECT_NE(0, Lode({"dump-sst", DbFileEnding(".sst")}, &out, &err));
}

TEST_F(LodeCliEncryptionTest, AKeyFileReadableByOthersIsRefused) {
  const std::string path = KeyFile();
  ASSERT_EQ(0, chmod(path.c_str(), 0644));
  std::string err;
  EXPECT_NE(0, Lode({"put", Db(), "--create", "k", "v", "--key-file=" + path}, nullptr, &err));
  EXPECT_NE(std::string::npos, err.find("0644")) << err;
}

}  // namespace
}  // namespace lode
