// Opening a DB from the `lode` command line: the shared open options and a
// friendlier error than the engine's when a path holds no DB.
#ifndef LODE_TOOLS_OPEN_DB_H_
#define LODE_TOOLS_OPEN_DB_H_

#include <memory>
#include <string>

#include "lode/db.h"
#include "lode/env.h"
#include "lode/options.h"
#include "lode/status.h"
#include "tools/arg_parser.h"

namespace lode::tool {

// Adds the options that shape how a DB is opened for writing:
// --min-blob-size, --no-blob-files, --no-write-time-separation, --compression and (if with_create)
// --create.
void AddOpenOptions(ArgParser* parser, bool with_create);
// Applies them to *options. create_if_missing is true only with --create.
Status ApplyOpenOptions(const ArgParser& parser, Options* options);

// Adds --key-file=PATH: the DB is encrypted with the keys in PATH
// (doc/encryption.md). AddOpenOptions adds it too.
void AddKeyFileOption(ArgParser* parser);
// Sets options->encryption from --key-file when given.
Status ApplyKeyFileOption(const ArgParser& parser, Options* options);
// The Env to read a DB's files with (dump-sst, dump-blob): an encrypting Env
// owned by *holder when options.encryption is set, else the default Env.
Env* FileEnv(const Options& options, std::unique_ptr<Env>* holder);

// Opens the DB at path. Without options.create_if_missing, a directory that
// holds no lode DB is an InvalidArgument saying so (and, if offer_create,
// that --create makes one) instead of whatever the engine would report.
Status OpenDb(const std::string& path, const Options& options, bool offer_create,
              std::unique_ptr<DB>* db);

// True if path holds a lode DB (its CURRENT file exists).
bool DbExists(const std::string& path);

}  // namespace lode::tool

#endif  // LODE_TOOLS_OPEN_DB_H_
