#include "lib/blob_prefetcher.h"

#include <algorithm>

#include "blob/blob_index.h"
#include "blob/blob_source.h"

namespace lode {

Status BlobPrefetcher::GetBlob(const ReadOptions& ro, const Slice& user_key,
                               const Slice& encoded_blob_index, PinnedBlob* value) {
  BlobIndex index;
  Status s = index.DecodeFrom(encoded_blob_index);
  if (!s.ok()) {
    value->Reset();
    return s;
  }
  // Values the cache holds cost no readahead.
  if (source_->GetCached(user_key, index, value, &s)) return s;
  const BlobFileReader::Prefetched* bytes = nullptr;
  Stream* st = StreamFor(index.file_number);
  uint64_t begin = 0, end = 0;
  // A bad index or a file that will not open gets no readahead: the single
  // read below reports it.
  if (st != nullptr && st->reader->RecordExtent(user_key, index, &begin, &end).ok()) {
    bytes = Prepare(st, begin, end);
  }
  return source_->ReadBlob(ro, user_key, index, value, bytes,
                           st != nullptr ? st->reader.get() : nullptr);
}

size_t BlobPrefetcher::WindowLimit() const {
  const size_t share = kWindowBudget / std::max<size_t>(1, streams_in_use_);
  return std::clamp(share, kInitialWindow, kMaxWindow);
}

BlobPrefetcher::Stream* BlobPrefetcher::StreamFor(uint64_t file_number) {
  clock_++;
  Stream* victim = &streams_[0];
  for (Stream& st : streams_) {
    if (st.reader != nullptr && st.file_number == file_number) {
      st.last_use = clock_;
      return &st;
    }
    if (st.last_use < victim->last_use) victim = &st;
  }
  std::shared_ptr<BlobFileReader> reader;
  if (!source_->file_cache()->Get(file_number, &reader).ok()) return nullptr;
  if (victim->reader == nullptr) streams_in_use_++;
  // Keep the buffer (its pages are faulted in already); forget the rest.
  std::unique_ptr<char[]> buf = std::move(victim->buf);
  const size_t buf_size = victim->buf_size;
  *victim = Stream();
  victim->buf = std::move(buf);
  victim->buf_size = buf_size;
  victim->file_number = file_number;
  victim->reader = std::move(reader);
  victim->last_use = clock_;
  return victim;
}

const BlobFileReader::Prefetched* BlobPrefetcher::Prepare(Stream* st, uint64_t begin,
                                                          uint64_t end) {
  const BlobFileReader::Prefetched& w = st->window_bytes;
  const bool first = st->last_end == 0;
  const bool forward = !first && begin >= st->last_end && begin - st->last_end <= st->window;
  const bool reverse = !first && end <= st->last_begin && st->last_begin - end <= st->window;
  st->last_begin = begin;
  st->last_end = end;
  if (!w.data.empty() && begin >= w.offset && end - w.offset <= w.data.size()) {
    return &w;  // inside the current window
  }
  if (!forward && !reverse) {
    st->window = kInitialWindow;  // a jump: start over, single reads
    return nullptr;
  }
  const size_t limit = WindowLimit();
  st->window = std::min(st->window, limit);  // more streams in use: smaller shares
  if (end - begin > st->window / 2) {
    // Too large for the window to save a read; grow it for what follows.
    st->window = std::min(st->window * 2, limit);
    return nullptr;
  }
  // Forward: the window starts at this record; reverse: it ends with it.
  const uint64_t offset = forward ? begin : (end > st->window ? end - st->window : 0);
  const size_t n = forward ? st->window : static_cast<size_t>(end - offset);
  if (st->buf_size < n || st->buf_size > 2 * limit) {
    st->buf.reset();  // free before allocating: at most one window per stream
    st->buf.reset(new char[n]);
    st->buf_size = n;
  }
  if (!st->reader->ReadAhead(offset, n, st->buf.get(), &st->window_bytes).ok()) {
    st->window_bytes = BlobFileReader::Prefetched();
    return nullptr;  // the single read reports the error
  }
  windows_read_++;
  st->window = std::min(st->window * 2, limit);
  // Let the OS fetch the next window while the caller works on this one;
  // only once the scan proves long: the hint costs a system call that walks
  // the page cache, wasted on a short scan or on data cached already.
  if (n >= kHintWindow) {
    if (forward) {
      st->reader->Prefetch(offset + n, st->window);
    } else if (offset > 0) {
      const uint64_t next = offset > st->window ? offset - st->window : 0;
      st->reader->Prefetch(next, static_cast<size_t>(offset - next));
    }
  }
  if (begin >= w.offset && end - w.offset <= w.data.size()) return &w;
  return nullptr;
}

}  // namespace lode
