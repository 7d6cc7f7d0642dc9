// The one place where lode names its files, and parses those names back.
//
//   dbname/CURRENT           names the live manifest
//   dbname/LOCK              held while the DB is open
//   dbname/MANIFEST-NNNNNN   log of version edits
//   dbname/NNNNNN.log        write-ahead log
//   dbname/NNNNNN.sst        table
//   dbname/NNNNNN.blob       blob file
//   dbname/NNNNNN.dbtmp      temporary (CURRENT being replaced)
// All numbers come from one counter (VersionSet::NewFileNumber).
#ifndef LODE_LIB_FILENAME_H_
#define LODE_LIB_FILENAME_H_

#include <cstdint>
#include <string>

#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

class Env;

enum class FileType {
  kLogFile,
  kLockFile,
  kTableFile,
  kBlobFile,
  kDescriptorFile,  // MANIFEST
  kCurrentFile,
  kTempFile,
};

std::string LogFileName(const std::string& dbname, uint64_t number);
std::string TableFileName(const std::string& dbname, uint64_t number);
std::string BlobFileName(const std::string& dbname, uint64_t number);
std::string DescriptorFileName(const std::string& dbname, uint64_t number);
std::string CurrentFileName(const std::string& dbname);
std::string LockFileName(const std::string& dbname);
std::string TempFileName(const std::string& dbname, uint64_t number);

// The name part ("000012.sst") of a path, for messages.
std::string BaseName(const std::string& path);

// True if filename (a name, not a path) is one of lode's; fills *number and *type.
bool ParseFileName(const std::string& filename, uint64_t* number, FileType* type);

// Points CURRENT at MANIFEST-descriptor_number: write temp, fsync, rename,
// fsync the directory.
Status SetCurrentFile(Env* env, const std::string& dbname, uint64_t descriptor_number);

}  // namespace lode

#endif  // LODE_LIB_FILENAME_H_
