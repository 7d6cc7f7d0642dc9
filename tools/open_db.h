// Opening a DB from the `lode` command line: the shared open options and a
// friendlier error than the engine's when a path holds no DB.
#ifndef LODE_TOOLS_OPEN_DB_H_
#define LODE_TOOLS_OPEN_DB_H_

#include <memory>
#include <string>

#include "lode/db.h"
#include "lode/options.h"
#include "lode/status.h"
#include "tools/arg_parser.h"

namespace lode::tool {

// Adds the options that shape how a DB is opened for writing:
// --min-blob-size, --no-blob-files, --compression and (if with_create) --create.
void AddOpenOptions(ArgParser* parser, bool with_create);
// Applies them to *options. create_if_missing is true only with --create.
Status ApplyOpenOptions(const ArgParser& parser, Options* options);

// Opens the DB at path. Without options.create_if_missing, a directory that
// holds no lode DB is an InvalidArgument saying so (and, if offer_create,
// that --create makes one) instead of whatever the engine would report.
Status OpenDb(const std::string& path, const Options& options, bool offer_create,
              std::unique_ptr<DB>* db);

// True if path holds a lode DB (its CURRENT file exists).
bool DbExists(const std::string& path);

}  // namespace lode::tool

#endif  // LODE_TOOLS_OPEN_DB_H_
