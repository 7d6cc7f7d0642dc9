#include "tools/open_db.h"

#include "lib/encrypted_env.h"
#include "lib/util/compression.h"
#include "lode/encryption.h"
#include "lode/env.h"

namespace lode::tool {

void AddOpenOptions(ArgParser* parser, bool with_create) {
  if (with_create) parser->AddSwitch("--create", "create the DB if it does not exist");
  parser->AddOption("--min-blob-size", "BYTES",
                    "values of at least this size go to blob files (default 4K)");
  parser->AddSwitch("--no-blob-files", "keep every value in the LSM tree");
  parser->AddSwitch("--no-write-time-separation",
                    "large values go through the WAL and are separated at flush");
  parser->AddOption("--compression", "none|lz4",
                    "compression of tables and blob files (default lz4)");
  AddKeyFileOption(parser);
}

void AddKeyFileOption(ArgParser* parser) {
  parser->AddOption("--key-file", "PATH",
                    "the DB is encrypted: keys from PATH (\"<id> <64 hex>\" lines, mode 0600)");
}

Status ApplyKeyFileOption(const ArgParser& parser, Options* options) {
  if (!parser.Has("--key-file")) return Status::OK();
  Status s = NewFileKeyProvider(parser.GetString("--key-file"), &options->encryption);
  if (!s.ok()) return Status::InvalidArgument("--key-file", s.ToString());
  return Status::OK();
}

Env* FileEnv(const Options& options, std::unique_ptr<Env>* holder) {
  *holder = NewEncryptedEnv(Env::Default(), options.encryption);
  return *holder != nullptr ? holder->get() : Env::Default();
}

Status ApplyOpenOptions(const ArgParser& parser, Options* options) {
  options->create_if_missing = parser.Has("--create");
  Status s = parser.GetSize("--min-blob-size", options->min_blob_size, &options->min_blob_size);
  if (!s.ok()) return s;
  if (parser.Has("--no-blob-files")) options->enable_blob_files = false;
  if (parser.Has("--no-write-time-separation")) options->blob_write_time_separation = false;
  if (parser.Has("--compression")) {
    const std::string name = parser.GetString("--compression");
    Compression c;
    if (!ParseCompression(name, &c)) {
      return Status::InvalidArgument(std::string("--compression: '") + name +
                                     "' is not one of none, lz4");
    }
    options->compression = c;
    options->blob_compression = c;
  }
  return ApplyKeyFileOption(parser, options);
}

bool DbExists(const std::string& path) { return Env::Default()->FileExists(path + "/CURRENT"); }

Status OpenDb(const std::string& path, const Options& options, bool offer_create,
              std::unique_ptr<DB>* db) {
  if (!options.create_if_missing && !DbExists(path)) {
    const bool dir_exists = Env::Default()->FileExists(path);
    std::string msg = dir_exists ? "not a lode database (no CURRENT file)" : "no such database";
    if (offer_create) msg += "; --create makes one";
    return Status::InvalidArgument(msg);
  }
  return DB::Open(options, path, db);
}

}  // namespace lode::tool
