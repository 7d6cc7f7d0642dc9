#include "lib/filename.h"

#include <cstdio>

#include "lode/env.h"

namespace lode {

static std::string MakeFileName(const std::string& dbname, uint64_t number, const char* suffix) {
  char buf[64];
  snprintf(buf, sizeof(buf), "/%06llu.%s", static_cast<unsigned long long>(number), suffix);
  return dbname + buf;
}

std::string LogFileName(const std::string& dbname, uint64_t number) {
  return MakeFileName(dbname, number, "log");
}
std::string TableFileName(const std::string& dbname, uint64_t number) {
  return MakeFileName(dbname, number, "sst");
}
std::string BlobFileName(const std::string& dbname, uint64_t number) {
  return MakeFileName(dbname, number, "blob");
}
std::string TempFileName(const std::string& dbname, uint64_t number) {
  return MakeFileName(dbname, number, "dbtmp");
}
std::string DescriptorFileName(const std::string& dbname, uint64_t number) {
  char buf[64];
  snprintf(buf, sizeof(buf), "/MANIFEST-%06llu", static_cast<unsigned long long>(number));
  return dbname + buf;
}
std::string CurrentFileName(const std::string& dbname) { return dbname + "/CURRENT"; }
std::string LockFileName(const std::string& dbname) { return dbname + "/LOCK"; }

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

static bool ConsumeDecimal(Slice* in, uint64_t* val) {
  uint64_t v = 0;
  size_t digits = 0;
  while (digits < in->size() && (*in)[digits] >= '0' && (*in)[digits] <= '9') {
    uint64_t d = static_cast<uint64_t>((*in)[digits] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
    digits++;
  }
  if (digits == 0) return false;
  in->remove_prefix(digits);
  *val = v;
  return true;
}

bool ParseFileName(const std::string& filename, uint64_t* number, FileType* type) {
  Slice rest(filename);
  if (rest == "CURRENT") {
    *number = 0;
    *type = FileType::kCurrentFile;
  } else if (rest == "LOCK") {
    *number = 0;
    *type = FileType::kLockFile;
  } else if (rest.starts_with("MANIFEST-")) {
    rest.remove_prefix(strlen("MANIFEST-"));
    uint64_t num;
    if (!ConsumeDecimal(&rest, &num) || !rest.empty()) return false;
    *type = FileType::kDescriptorFile;
    *number = num;
  } else {
    uint64_t num;
    if (!ConsumeDecimal(&rest, &num)) return false;
    if (rest == ".log")
      *type = FileType::kLogFile;
    else if (rest == ".sst")
      *type = FileType::kTableFile;
    else if (rest == ".blob")
      *type = FileType::kBlobFile;
    else if (rest == ".dbtmp")
      *type = FileType::kTempFile;
    else
      return false;
    *number = num;
  }
  return true;
}

Status SetCurrentFile(Env* env, const std::string& dbname, uint64_t descriptor_number) {
  std::string manifest = DescriptorFileName(dbname, descriptor_number);
  std::string contents = BaseName(manifest) + "\n";
  std::string tmp = TempFileName(dbname, descriptor_number);
  Status s = WriteStringToFile(env, contents, tmp, /*sync=*/true);
  if (s.ok()) s = env->RenameFile(tmp, CurrentFileName(dbname));
  if (s.ok()) s = env->SyncDir(dbname);
  if (!s.ok()) env->RemoveFile(tmp);
  return s;
}

}  // namespace lode
