// lode put | get | del | scan: basic use of a DB from a shell.
#include <cstdio>
#include <memory>
#include <string>

#include "lode/db.h"
#include "lode/env.h"
#include "tools/arg_parser.h"
#include "tools/commands.h"
#include "tools/open_db.h"
#include "tools/tool_common.h"

namespace lode::tool {

namespace {

// Reads all of stdin; false on a read error.
bool ReadStdin(std::string* out) {
  char buf[64 << 10];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), stdin)) > 0) out->append(buf, n);
  return !std::ferror(stdin);
}

// Writes bytes to stdout and flushes; false if any byte did not get out.
bool WriteStdout(const Slice& bytes) {
  if (bytes.size() > 0 && std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
    return false;
  }
  return std::fflush(stdout) == 0;
}

// Opens DB read-only in spirit: never creates it.
int OpenExisting(const std::string& command, const std::string& path, const ArgParser& p,
                 std::unique_ptr<DB>* db) {
  Options options;
  options.create_if_missing = false;
  options.enable_blob_gc = false;  // reading must not start GC
  Status s = ApplyKeyFileOption(p, &options);
  if (s.ok()) s = OpenDb(path, options, false, db);
  return s.ok() ? kExitOk : FailStatus(command, path, s);
}

}  // namespace

int RunPut(const Args& args) {
  ArgParser p("put", "DB KEY [VALUE | -]",
              "Stores VALUE under KEY. The value comes from the argument, from the file\n"
              "named by --file, or from standard input when the argument is '-'.\n"
              "The bytes are stored exactly (no newline is added or removed).");
  p.AddOption("--file", "FILE", "read the value from FILE");
  p.AddSwitch("--sync", "fsync the write-ahead log before returning");
  AddOpenOptions(&p, true);
  p.SetPositionalCount(2, 3);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  const std::string& path = p.positionals()[0];
  const std::string& key = p.positionals()[1];
  const bool has_arg = p.positionals().size() == 3;
  if (has_arg == p.Has("--file")) {
    return Fail("put", kExitUsage,
                has_arg ? "give the value either as an argument or with --file, not both"
                        : "no value: give VALUE, --file FILE, or - for standard input");
  }
  Options options;
  Status s = ApplyOpenOptions(p, &options);
  if (!s.ok()) return UsageError(p, s);

  std::string value;
  if (p.Has("--file")) {
    const std::string file = p.GetString("--file");
    s = ReadFileToString(Env::Default(), file, &value);
    if (!s.ok()) return FailStatus("put", file, s);
  } else if (p.positionals()[2] == "-") {
    if (!ReadStdin(&value)) return Fail("put", kExitFailure, "stdin: read error");
  } else {
    value = p.positionals()[2];
  }

  std::unique_ptr<DB> db;
  s = OpenDb(path, options, true, &db);
  if (!s.ok()) return FailStatus("put", path, s);
  WriteOptions wo;
  wo.sync = p.Has("--sync");
  s = db->Put(wo, key, value);
  if (!s.ok()) return FailStatus("put", path, s);
  return kExitOk;
}

int RunGet(const Args& args) {
  ArgParser p("get", "DB KEY",
              "Writes the value of KEY to standard output, byte for byte (no newline\n"
              "is added). Exits with status 1 if KEY is not in the DB.");
  p.SetPositionalCount(2, 2);
  AddKeyFileOption(&p);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  const std::string& path = p.positionals()[0];
  const std::string& key = p.positionals()[1];
  std::unique_ptr<DB> db;
  if (int rc = OpenExisting("get", path, p, &db); rc != kExitOk) return rc;
  std::string value;
  Status s = db->Get(ReadOptions(), key, &value);
  if (s.IsNotFound()) {
    return Fail("get", kExitFailure, path + ": key '" + EscapeBytes(key) + "' not found");
  }
  if (!s.ok()) return FailStatus("get", path, s);
  if (!WriteStdout(value)) return Fail("get", kExitFailure, "stdout: write error");
  return kExitOk;
}

int RunDel(const Args& args) {
  ArgParser p("del", "DB KEY", "Deletes KEY. Deleting a key that is not there is not an error.");
  p.AddSwitch("--sync", "fsync the write-ahead log before returning");
  p.SetPositionalCount(2, 2);
  AddKeyFileOption(&p);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  const std::string& path = p.positionals()[0];
  std::unique_ptr<DB> db;
  if (int rc = OpenExisting("del", path, p, &db); rc != kExitOk) return rc;
  WriteOptions wo;
  wo.sync = p.Has("--sync");
  Status s = db->Delete(wo, p.positionals()[1]);
  if (!s.ok()) return FailStatus("del", path, s);
  return kExitOk;
}

int RunScan(const Args& args) {
  ArgParser p("scan", "DB",
              "Prints keys in order, one per line: KEY<TAB>VALUE. Bytes outside\n"
              "printable ASCII are written as \\xNN and a backslash as \\\\.");
  p.AddOption("--from", "KEY", "start at the first key >= KEY");
  p.AddOption("--to", "KEY", "stop before the first key >= KEY");
  p.AddOption("--limit", "N", "print at most N entries");
  p.AddSwitch("--keys-only", "print keys without values");
  p.AddOption("--max-value", "BYTES", "print at most BYTES of each value, then its size");
  p.SetPositionalCount(1, 1);
  AddKeyFileOption(&p);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  uint64_t limit, max_value;
  Status s = p.GetSize("--limit", UINT64_MAX, &limit);
  if (s.ok()) s = p.GetSize("--max-value", 0, &max_value);
  if (!s.ok()) return UsageError(p, s);
  const std::string& path = p.positionals()[0];
  const bool keys_only = p.Has("--keys-only");
  const bool has_to = p.Has("--to");
  const std::string to = p.GetString("--to");

  std::unique_ptr<DB> db;
  if (int rc = OpenExisting("scan", path, p, &db); rc != kExitOk) return rc;
  std::unique_ptr<Iterator> it = db->NewIterator(ReadOptions());
  if (p.Has("--from")) {
    it->Seek(p.GetString("--from"));
  } else {
    it->SeekToFirst();
  }
  std::string line;
  for (uint64_t n = 0; n < limit && it->Valid(); n++, it->Next()) {
    const Slice key = it->key();
    if (has_to && key.compare(to) >= 0) break;
    line = EscapeBytes(key);
    if (!keys_only) {
      Slice value = it->value();
      if (!it->status().ok()) break;
      line += '\t';
      if (max_value > 0 && value.size() > max_value) {
        line += EscapeBytes(Slice(value.data(), max_value));
        line += std::string("... (") + std::to_string(value.size()) + " bytes)";
      } else {
        line += EscapeBytes(value);
      }
    }
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size()) {
      return Fail("scan", kExitFailure, "stdout: write error");
    }
  }
  s = it->status();
  if (!s.ok()) return FailStatus("scan", path, s);
  if (std::fflush(stdout) != 0) return Fail("scan", kExitFailure, "stdout: write error");
  return kExitOk;
}

}  // namespace lode::tool
