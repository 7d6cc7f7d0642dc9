#include "tests/util/test_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace lode::test {

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string root = (base != nullptr && *base != '\0') ? base : "/tmp";
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name =
      info != nullptr ? std::string(info->test_suite_name()) + "." + info->name() : "lode";
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  std::string templ = root + "/lode-" + name + "-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp " << templ;
  }
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string RandomBytes(Random* rnd, size_t n, double ratio) {
  std::string r;
  r.reserve(n);
  if (ratio >= 1.0) {
    while (r.size() < n) r.push_back(static_cast<char>(rnd->Next() & 0xff));
    return r;
  }
  size_t frag = std::max<size_t>(1, static_cast<size_t>(n * ratio));
  std::string fragment;
  while (fragment.size() < frag) fragment.push_back(static_cast<char>(' ' + rnd->Uniform(95)));
  while (r.size() < n) r.append(fragment, 0, std::min(frag, n - r.size()));
  return r;
}

std::string NumberedKey(uint64_t i, int width) {
  char buf[64];
  snprintf(buf, sizeof(buf), "key%0*llu", width, static_cast<unsigned long long>(i));
  return buf;
}

std::string ReadAll(const std::string& path) {
  std::string data;
  Status s = ReadFileToString(Env::Default(), path, &data);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return data;
}

void WriteAll(const std::string& path, const Slice& data) {
  Status s = WriteStringToFile(Env::Default(), data, path, false);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

}  // namespace lode::test
