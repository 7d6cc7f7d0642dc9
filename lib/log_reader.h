// log::Reader: reads the records of a log file (WAL or manifest) written by
// log::Writer, and reports damage.
//
// The Reader does not own the file or the reporter; both must outlive it.
// One thread at a time.
//
// Damage is classified as one of two kinds (doc/wal_format.md):
//   - a torn tail: damage after which the file holds no complete, intact
//     record (a crash during an unsynced append, a zero-filled or garbage
//     tail, a record cut short by the end of the file). Reported once, by
//     Reporter::TornTail, when ReadRecord reaches the end of the file.
//   - corruption: damage followed by at least one complete, intact record.
//     Reported by Reporter::Corruption during the ReadRecord call that
//     returns that record, before it returns.
// After damage the reader resynchronises at the next block and goes on; the
// caller decides whether to stop (WalRecoveryMode is built on the Reporter).
#ifndef LODE_LIB_LOG_READER_H_
#define LODE_LIB_LOG_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lib/log_format.h"
#include "lode/env.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode::log {

class Reader {
 public:
  class Reporter {
   public:
    virtual ~Reporter() = default;
    // Damage that is not at the tail: `bytes` were dropped. status names the
    // file and offset. Also called with an IOError status if reading the
    // file fails (ReadRecord then returns false).
    virtual void Corruption(size_t bytes, const Status& status) = 0;
    // An incomplete record at the end of the file (a torn write): `bytes`
    // were dropped. status names the file and the offset where the tail
    // damage starts.
    virtual void TornTail(size_t bytes, const Status& status) {
      (void)bytes;
      (void)status;
    }
  };

  // file and reporter are not owned; reporter may be nullptr. file_name is
  // used in messages. checksum: verify fragment checksums.
  Reader(SequentialFile* file, std::string file_name, Reporter* reporter, bool checksum);
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader();

  // Reads the next whole record into *record; false at the end of input.
  // *record points into *scratch or into the reader's buffer and stays valid
  // until the next call on this Reader.
  bool ReadRecord(Slice* record, std::string* scratch);

  // Physical offset (of the first fragment header) of the last record
  // returned by ReadRecord.
  uint64_t LastRecordOffset() const { return last_record_offset_; }

 private:
  // One fragment read from the file, or why none was.
  enum class Read { kFragment, kDamage, kEof };
  struct Fragment {
    uint8_t kind = 0;
    Slice payload;
    uint64_t offset = 0;  // physical offset of its header
  };
  // A run of dropped bytes not yet classified as tail or corruption.
  struct Damage {
    uint64_t offset = 0;
    size_t bytes = 0;
    std::string reason;
    // True when the damage is known not to be a torn tail (an intact
    // fragment this reader cannot use): reported as corruption at once.
    bool definite = false;
  };

  Read ReadFragment(Fragment* fragment, Damage* damage);
  // Reads the next block into buffer_; false at end of file or on error.
  bool FillBuffer();
  // True if an intact fragment (known version and kind, good checksum) starts
  // pos bytes into buffer_.
  bool IntactFragmentAt(size_t pos) const;
  // For the damaged fragment at the front of buffer_: a length one bit away
  // from the stored one under which the checksum matches, if any.
  bool RepairedLength(size_t* length) const;
  // Adds dropped bytes to the damage not yet classified.
  void AddDamage(Damage damage);
  // Reports all pending damage as corruption (a complete record follows).
  void ReportPendingAsCorruption();
  // Reports all pending damage as a torn tail (end of file reached).
  void ReportPendingAsTornTail();

  SequentialFile* const file_;
  const std::string file_name_;
  Reporter* const reporter_;
  const bool checksum_;

  std::unique_ptr<char[]> backing_;  // kBlockSize bytes
  Slice buffer_;                     // unread part of the current block
  uint64_t buffer_end_offset_ = 0;   // file offset just past buffer_
  bool eof_ = false;                 // the last block has been read
  bool read_error_ = false;

  std::vector<Damage> pending_;
  uint64_t last_record_offset_ = 0;
};

}  // namespace lode::log

#endif  // LODE_LIB_LOG_READER_H_
