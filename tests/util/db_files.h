// Helpers that look at a closed DB's directory the way recovery does: which
// files the manifest named by CURRENT references, and which are left over.
#ifndef LODE_TESTS_UTIL_DB_FILES_H_
#define LODE_TESTS_UTIL_DB_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lode/env.h"
#include "lode/status.h"

namespace lode::test {

// Recovers the manifest of the (closed) DB in dbname and lists, in
// *unreferenced, every lode file in the directory that it does not reference:
// tables and blob files outside the live version, manifests other than the
// current one, WALs older than the live log number, temporary files.
// Files numbered above ignore_above are skipped (background work that a
// closed DB had begun after the point being checked).
// REQUIRES: no DB is open on dbname.
Status FindUnreferencedFiles(Env* env, const std::string& dbname,
                             std::vector<std::string>* unreferenced,
                             uint64_t ignore_above = UINT64_MAX);

// The highest number of a WAL in dbname (0 if none): right after an open
// with no writes since, the open's own WAL.
uint64_t NewestLogNumber(Env* env, const std::string& dbname);

}  // namespace lode::test

#endif  // LODE_TESTS_UTIL_DB_FILES_H_
