// Validation of Options at open, and parsing of SetOptions updates.
#ifndef LODE_LIB_DB_OPTIONS_H_
#define LODE_LIB_DB_OPTIONS_H_

#include <string>
#include <unordered_map>

#include "lode/options.h"
#include "lode/status.h"

namespace lode {

// OK, or InvalidArgument naming the first option out of range.
Status ValidateOptions(const Options& options);

// Applies name=value updates to a copy of *options; on success stores the
// copy, on failure (unknown name, unparsable or out-of-range value, or a name
// that cannot change while the DB is open) leaves *options unchanged and
// returns InvalidArgument naming the option.
Status ApplyOptionUpdates(const std::unordered_map<std::string, std::string>& updates,
                          Options* options);

// Writes the options as "name: value" lines (for the stats property and LOG).
std::string OptionsToString(const Options& options);

}  // namespace lode

#endif  // LODE_LIB_DB_OPTIONS_H_
