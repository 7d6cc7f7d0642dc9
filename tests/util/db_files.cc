#include "tests/util/db_files.h"

#include <algorithm>
#include <set>

#include "lib/dbformat.h"
#include "lib/filename.h"
#include "lib/table_cache.h"
#include "lib/util/comparator.h"
#include "lib/version_set.h"
#include "lode/options.h"

namespace lode::test {

Status FindUnreferencedFiles(Env* env, const std::string& dbname,
                             std::vector<std::string>* unreferenced, uint64_t ignore_above) {
  unreferenced->clear();
  Options o;
  o.env = env;
  InternalKeyComparator icmp(BytewiseComparator());
  TableCache tables(dbname, o, &icmp, nullptr, 16);
  VersionSet versions(dbname, &o, &tables, &icmp);
  bool save_manifest = false;
  Status s = versions.Recover(&save_manifest);
  if (!s.ok()) return s;
  std::set<uint64_t> live_tables, live_blobs;
  versions.AddLiveFiles(&live_tables, &live_blobs);
  std::vector<std::string> children;
  s = env->GetChildren(dbname, &children);
  if (!s.ok()) return s;
  for (const auto& c : children) {
    uint64_t number = 0;
    FileType type;
    if (!ParseFileName(c, &number, &type)) continue;
    if (number > ignore_above && type != FileType::kCurrentFile && type != FileType::kLockFile) {
      continue;
    }
    bool live = true;
    switch (type) {
      case FileType::kLogFile:
        live = number >= versions.LogNumber() || number == versions.PrevLogNumber();
        break;
      case FileType::kTableFile:
        live = live_tables.count(number) > 0;
        break;
      case FileType::kBlobFile:
        live = live_blobs.count(number) > 0;
        break;
      case FileType::kDescriptorFile:
        live = number == versions.ManifestFileNumber();
        break;
      case FileType::kTempFile:
        live = false;
        break;
      case FileType::kLockFile:
      case FileType::kCurrentFile:
        break;
    }
    if (!live) unreferenced->push_back(c);
  }
  return Status::OK();
}

uint64_t NewestLogNumber(Env* env, const std::string& dbname) {
  std::vector<std::string> children;
  if (!env->GetChildren(dbname, &children).ok()) return 0;
  uint64_t newest = 0;
  for (const auto& c : children) {
    uint64_t number = 0;
    FileType type;
    if (ParseFileName(c, &number, &type) && type == FileType::kLogFile) {
      newest = std::max(newest, number);
    }
  }
  return newest;
}

}  // namespace lode::test
