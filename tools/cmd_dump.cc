// lode dump-sst | dump-blob: print one table or blob file. These two read the
// file formats directly (table/, blob/), not through a DB.
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "blob/blob_file_iterator.h"
#include "blob/blob_index.h"
#include "blob/blob_log_format.h"
#include "lib/dbformat.h"
#include "lib/filename.h"
#include "lib/util/comparator.h"
#include "lib/util/compression.h"
#include "lib/util/human_format.h"
#include "lode/env.h"
#include "table/table.h"
#include "tools/arg_parser.h"
#include "tools/commands.h"
#include "tools/open_db.h"
#include "tools/tool_common.h"

namespace lode::tool {

namespace {

// At most max bytes of value, escaped; the full size follows when cut.
std::string ShowValue(const Slice& value, uint64_t max) {
  if (max == 0 || value.size() <= max) return std::string("'") + EscapeBytes(value) + "'";
  return std::string("'") + EscapeBytes(Slice(value.data(), max)) + "'... (" +
         std::to_string(value.size()) + " bytes)";
}

const char* TypeName(ValueType t) {
  switch (t) {
    case kTypeDeletion:
      return "del";
    case kTypeValue:
      return "value";
    case kTypeBlobIndex:
      return "blob-index";
  }
  return "unknown";
}

}  // namespace

int RunDumpSst(const Args& args) {
  ArgParser p("dump-sst", "FILE",
              "Prints a table file's properties, then every entry in order:\n"
              "  USER_KEY @ SEQUENCE TYPE VALUE\n"
              "where TYPE is value, del or blob-index (then the decoded index).\n"
              "Checks every block checksum on the way.");
  p.AddOption("--max-value", "BYTES", "print at most BYTES of each inline value (64; 0: all)");
  p.AddSwitch("--properties-only", "print the properties, not the entries");
  AddKeyFileOption(&p);
  p.SetPositionalCount(1, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  uint64_t max_value;
  Status s = p.GetSize("--max-value", 64, &max_value);
  if (!s.ok()) return UsageError(p, s);
  const std::string& file = p.positionals()[0];

  Options options;
  s = ApplyKeyFileOption(p, &options);
  if (!s.ok()) return UsageError(p, s);
  std::unique_ptr<Env> env_holder;
  Env* env = FileEnv(options, &env_holder);
  uint64_t size = 0;
  std::unique_ptr<RandomAccessFile> raf;
  s = env->GetFileSize(file, &size);
  if (s.ok()) s = env->NewRandomAccessFile(file, &raf);
  if (!s.ok()) return FailStatus("dump-sst", file, s);
  const InternalKeyComparator icmp(BytewiseComparator());
  TableReaderOptions topts;
  topts.icmp = &icmp;
  topts.file_name = file;
  std::unique_ptr<Table> table;
  s = Table::Open(topts, std::move(raf), size, &table);
  if (!s.ok()) return FailStatus("dump-sst", file, s);

  const TableProperties& props = table->properties();
  std::printf("table %s: %s (%" PRIu64 " bytes)\n", file.c_str(), HumanBytes(size).c_str(), size);
  std::printf("  entries          %" PRIu64 " (%" PRIu64 " deletions, %" PRIu64 " blob indexes)\n",
              props.num_entries, props.num_deletions, props.num_blob_indexes);
  std::printf("  raw key bytes    %" PRIu64 "\n", props.raw_key_bytes);
  std::printf("  raw value bytes  %" PRIu64 "\n", props.raw_value_bytes);
  std::printf("  data blocks      %" PRIu64 " (%" PRIu64 " bytes)\n", props.num_data_blocks,
              props.data_bytes);
  std::printf("  index bytes      %" PRIu64 "\n", props.index_bytes);
  std::printf("  filter bytes     %" PRIu64 "\n", props.filter_bytes);
  std::printf("  compression      %s\n", CompressionName(props.compression));
  if (p.Has("--properties-only")) return kExitOk;

  std::printf("entries:\n");
  ReadOptions ro;
  ro.verify_checksums = true;
  std::unique_ptr<Iterator> it(table->NewIterator(ro));
  uint64_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), n++) {
    ParsedInternalKey ikey;
    if (!ParseInternalKey(it->key(), &ikey)) {
      std::printf("  (bad internal key %s)\n", ShowValue(it->key(), 0).c_str());
      return Fail("dump-sst", kExitFailure,
                  file + ": bad internal key in entry " + std::to_string(n));
    }
    std::string line = std::string("  '") + EscapeBytes(ikey.user_key) + "' @ " +
                       std::to_string(ikey.sequence) + " " + TypeName(ikey.type);
    if (ikey.type == kTypeValue) {
      line += ' ';
      line += ShowValue(it->value(), max_value);
    } else if (ikey.type == kTypeBlobIndex) {
      BlobIndex index;
      Status ds = index.DecodeFrom(it->value());
      line += ' ';
      line += ds.ok() ? index.DebugString() : std::string("(undecodable: ") + ds.ToString() + ")";
    }
    line += "\n";
    std::fputs(line.c_str(), stdout);
  }
  s = it->status();
  if (!s.ok()) return FailStatus("dump-sst", file, s);
  std::printf("(%" PRIu64 " entries)\n", n);
  return kExitOk;
}

int RunDumpBlob(const Args& args) {
  ArgParser p("dump-blob", "FILE",
              "Prints a blob file's header, every record (offset, key, sizes,\n"
              "compression) and its footer, checking every record checksum and the\n"
              "footer's totals.");
  p.AddSwitch("--values", "also print the first bytes of each value");
  p.AddOption("--max-value", "BYTES", "with --values, bytes of each value to print (64; 0: all)");
  AddKeyFileOption(&p);
  p.SetPositionalCount(1, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  uint64_t max_value;
  Status s = p.GetSize("--max-value", 64, &max_value);
  if (!s.ok()) return UsageError(p, s);
  const std::string& file = p.positionals()[0];
  Options options;
  s = ApplyKeyFileOption(p, &options);
  if (!s.ok()) return UsageError(p, s);
  std::unique_ptr<Env> env_holder;
  Env* env = FileEnv(options, &env_holder);

  // The number comes from the name (NNNNNN.blob); a renamed copy falls back
  // to the number its header records.
  uint64_t number = 0;
  FileType type;
  if (!ParseFileName(BaseName(file), &number, &type) || type != FileType::kBlobFile) {
    std::unique_ptr<RandomAccessFile> raf;
    s = env->NewRandomAccessFile(file, &raf);
    char scratch[BlobLogHeader::kSize];
    Slice head;
    if (s.ok()) s = raf->Read(0, sizeof(scratch), &head, scratch);
    BlobLogHeader header;
    if (s.ok()) s = header.DecodeFrom(head);
    if (!s.ok()) return FailStatus("dump-blob", file, s);
    number = header.file_number;
  }
  std::unique_ptr<BlobFileIterator> it;
  s = BlobFileIterator::Open(env, file, number, &it);
  if (!s.ok()) return FailStatus("dump-blob", file, s);

  const BlobLogHeader& h = it->header();
  std::printf("blob file %s: %s (%" PRIu64 " bytes)\n", file.c_str(),
              HumanBytes(it->file_size()).c_str(), it->file_size());
  std::printf("header: version %u, file number %" PRIu64 ", compression %s, flags 0x%02x\n",
              h.version, h.file_number, CompressionName(h.compression), h.flags);
  std::printf("records:\n");
  uint64_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), n++) {
    const BlobIndex& index = it->index();
    std::string line = std::string("  @") + std::to_string(it->record_offset()) + " '" +
                       EscapeBytes(it->key()) + "' stored " + std::to_string(index.size) + " bytes";
    if (index.compression != Compression::kNone) {
      line += std::string(" (") + std::string(CompressionName(index.compression)) + ", " +
              std::to_string(index.uncompressed_size) + " uncompressed)";
    }
    if (p.Has("--values")) {
      std::string value;
      Status vs = it->GetValue(&value);
      if (!vs.ok()) return FailStatus("dump-blob", file, vs);
      line += ' ';
      line += ShowValue(value, max_value);
    }
    line += "\n";
    std::fputs(line.c_str(), stdout);
  }
  s = it->status();
  if (!s.ok()) return FailStatus("dump-blob", file, s);
  const BlobLogFooter& f = it->footer();
  std::printf("footer: %" PRIu64 " blobs, %" PRIu64 " blob bytes, records checksum %016" PRIx64
              " (all %" PRIu64 " records verified)\n",
              f.blob_count, f.blob_bytes, f.records_checksum, n);
  return kExitOk;
}

}  // namespace lode::tool
