// The smallest useful lode program: open, write, read back, reopen.
#include <cstdio>
#include <memory>
#include <string>

#include "lode/db.h"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "/tmp/lode-simple-example";
  lode::Options options;
  lode::DestroyDB(path, options);

  std::unique_ptr<lode::DB> db;
  lode::Status s = lode::DB::Open(options, path, &db);
  if (!s.ok()) {
    fprintf(stderr, "open %s: %s\n", path.c_str(), s.ToString().c_str());
    return 1;
  }
  const std::string big(1 << 20, 'x');  // goes to a blob file
  s = db->Put(lode::WriteOptions(), "small", "hello");
  if (s.ok()) s = db->Put(lode::WriteOptions(), "big", big);
  if (s.ok()) s = db->Flush();
  if (!s.ok()) {
    fprintf(stderr, "write: %s\n", s.ToString().c_str());
    return 1;
  }
  db.reset();  // close

  s = lode::DB::Open(options, path, &db);
  std::string v1, v2;
  if (s.ok()) s = db->Get(lode::ReadOptions(), "small", &v1);
  if (s.ok()) s = db->Get(lode::ReadOptions(), "big", &v2);
  if (!s.ok() || v1 != "hello" || v2 != big) {
    fprintf(stderr, "read back after reopen failed: %s\n", s.ToString().c_str());
    return 1;
  }
  std::string stats;
  db->GetProperty("lode.blob-stats", &stats);
  printf("read back 2 values after reopen; blob stats:\n%s", stats.c_str());
  return 0;
}
