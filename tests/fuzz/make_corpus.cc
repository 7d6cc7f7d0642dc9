// Writes the seed corpus of the fuzz targets: real files of a small DB (a
// WAL, the manifest's version-edit records, tables, blob files) and a few
// operation sequences. Usage: lode_fuzz_make_corpus <tests/fuzz/corpus>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "lib/filename.h"
#include "lib/log_reader.h"
#include "lode/db.h"
#include "tests/util/mem_env.h"

namespace {

void Write(const std::string& path, const std::string& data) {
  if (!lode::WriteStringToFile(lode::Env::Default(), data, path, false).ok()) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const std::string out = argv[1];
  lode::Env* env = lode::Env::Default();
  for (const char* t : {"wal_reader", "version_edit", "table", "blob_file", "db_ops"}) {
    (void)env->CreateDir(out);
    (void)env->CreateDir(out + "/" + t);
  }
  lode::test::MemEnv mem;
  lode::Options o;
  o.env = &mem;
  o.min_blob_size = 100;
  o.blob_file_size = 4096;
  o.block_size = 512;
  std::unique_ptr<lode::DB> db;
  if (!lode::DB::Open(o, "/db", &db).ok()) return 1;
  for (int i = 0; i < 40; i++) {
    std::string v(i % 3 == 0 ? 150 : 20, static_cast<char>('a' + i % 26));
    (void)db->Put(lode::WriteOptions(), "key" + std::to_string(i), v);
    if (i % 10 == 9) (void)db->Delete(lode::WriteOptions(), "key" + std::to_string(i - 5));
  }
  (void)db->Flush();
  for (int i = 0; i < 10; i++) (void)db->Put(lode::WriteOptions(), "key" + std::to_string(i), "x");
  std::vector<std::string> children;
  (void)mem.GetChildren("/db", &children);
  int edits = 0;
  for (const auto& c : children) {
    uint64_t number = 0;
    lode::FileType type;
    if (!lode::ParseFileName(c, &number, &type)) continue;
    std::string data;
    if (!lode::ReadFileToString(&mem, "/db/" + c, &data).ok()) continue;
    if (type == lode::FileType::kLogFile) {
      Write(out + "/wal_reader/" + c, std::string(1, '\1') + data);
    } else if (type == lode::FileType::kTableFile) {
      Write(out + "/table/" + c, std::string(1, '\1') + data);
    } else if (type == lode::FileType::kBlobFile) {
      Write(out + "/blob_file/" + c, data);
    } else if (type == lode::FileType::kDescriptorFile) {
      std::unique_ptr<lode::SequentialFile> f;
      if (!mem.NewSequentialFile("/db/" + c, &f).ok()) continue;
      lode::log::Reader reader(f.get(), c, nullptr, true);
      std::string scratch;
      lode::Slice record;
      while (reader.ReadRecord(&record, &scratch)) {
        Write(out + "/version_edit/edit" + std::to_string(edits++), record.ToString());
      }
    }
  }
  db.reset();
  // Operation sequences: puts, gets, flush, reopen, GC.
  const std::string seqs[] = {
      std::string("\x00\x01\x90\x01\x02\x10\x07\x01\x0a\x0e\x09", 11),
      std::string("\x00\x05\xff\x00\x05\x85\x05\x05\x0a\x0c\x05\x0f\x09", 13),
      std::string("\x06\x03\x01\x00\x90\x02\x01\x03\x00\x20\x0d\x00\x07\x05\x0d\x0b\x0e", 17),
  };
  int i = 0;
  for (const auto& s : seqs) Write(out + "/db_ops/seq" + std::to_string(i++), s);
  return 0;
}
