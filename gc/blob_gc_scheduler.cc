#include "gc/blob_gc_scheduler.h"

#include <algorithm>
#include <cstdio>

#include "gc/blob_gc_policy.h"

namespace lode {
namespace {

// Fractions of the way from 1 to the ceiling: GC starts at the trigger and a
// relocation plan aims at the target, so the space used stays between the two
// and the files being written still fit under the ceiling.
constexpr double kTriggerFraction = 0.75;
constexpr double kTargetFraction = 0.6;
// Added to a file's live fraction in its cost, so a file with almost no live
// data does not get an infinite score (its table rewrites still cost).
constexpr double kFixedCost = 0.05;
// Score weight of the newest file relative to the oldest's 1 + this: young
// files are still turning into garbage by themselves (their hot data is
// overwritten soon), so copying them now would copy data about to die.
constexpr double kAgeBias = 0.05;
// A plan copies at most this fraction of the ceiling's slack (see below).
constexpr double kPlanSlackFraction = 0.25;
// When idle, a reveal may rewrite this many table bytes per blob byte that it
// can uncover; under load only one (writes compete for the disk).
constexpr double kIdleRevealCostRatio = 4.0;

double Ratio(uint64_t num, uint64_t den) {
  return den == 0 ? 1.0 : static_cast<double>(num) / static_cast<double>(den);
}

std::string Format(const char* fmt, double a, double b) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), fmt, a, b);
  return buf;
}

}  // namespace

BlobGcSchedulerOptions BlobGcSchedulerOptionsFrom(const Options& o) {
  BlobGcSchedulerOptions s;
  s.max_space_amplification = o.max_space_amplification;
  s.idle_space_amplification = o.blob_gc_idle_space_amplification;
  s.blob_file_size = o.blob_file_size;
  return s;
}

BlobSpace MeasureBlobSpace(const Version* v) {
  BlobSpace space;
  for (const auto& [number, state] : v->blob_files()) {
    space.blob_file_bytes += state.meta->file_size;
    space.live_blob_bytes += state.meta->blob_bytes - state.garbage_bytes;
  }
  const auto num_levels = static_cast<size_t>(v->NumLevels());
  space.ref_bytes.assign(num_levels, 0);
  space.table_bytes.assign(num_levels, 0);
  for (int level = 0; level < v->NumLevels(); level++) {
    for (const FileMetaData* f : v->files(level)) {
      space.table_bytes[static_cast<size_t>(level)] += f->file_size;
      for (const BlobRef& r : f->blob_refs) space.ref_bytes[static_cast<size_t>(level)] += r.bytes;
      space.shadowed_bytes += f->shadowed_blob_bytes;
    }
    if (!v->files(level).empty()) space.bottom = level;
  }
  for (int level = 0; level < space.bottom; level++) {
    space.shadowing_bytes += space.ref_bytes[static_cast<size_t>(level)];
  }
  space.shadowed_bytes = std::min(space.shadowed_bytes, space.shadowing_bytes);
  return space;
}

BlobGcPlan PlanBlobGc(const Version* v, const BlobGcSchedulerOptions& o, bool idle) {
  BlobGcPlan plan;
  const auto& files = v->blob_files();
  const BlobSpace space = MeasureBlobSpace(v);
  plan.blob_file_bytes = space.blob_file_bytes;
  plan.live_blob_bytes = space.live_blob_bytes;
  plan.shadowing_bytes = space.shadowing_bytes;
  plan.shadowed_bytes = space.shadowed_bytes;
  const std::vector<uint64_t>& ref_bytes = space.ref_bytes;
  const std::vector<uint64_t>& table_bytes = space.table_bytes;
  const int bottom = space.bottom;
  plan.space_amp = Ratio(plan.blob_file_bytes, plan.live_blob_bytes);
  if (plan.live_blob_bytes == 0) plan.space_amp = 1.0;
  const uint64_t surely_live =
      plan.live_blob_bytes > plan.shadowing_bytes ? plan.live_blob_bytes - plan.shadowing_bytes : 0;
  plan.space_amp_upper =
      surely_live == 0 ? plan.space_amp : Ratio(plan.blob_file_bytes, surely_live);

  const bool has_ceiling = o.max_space_amplification > 1.0;
  plan.ceiling = has_ceiling ? o.max_space_amplification : 0;
  const double idle_goal = std::max(1.0, o.idle_space_amplification);
  if (idle) {
    plan.trigger = idle_goal;
    plan.target = idle_goal;
  } else if (has_ceiling) {
    plan.trigger = 1 + kTriggerFraction * (plan.ceiling - 1);
    plan.target = 1 + kTargetFraction * (plan.ceiling - 1);
  }

  // Rank the files with garbage. Age is by file number (numbers only grow).
  const uint64_t oldest = files.empty() ? 0 : files.begin()->first;
  const uint64_t newest = files.empty() ? 0 : files.rbegin()->first;
  std::vector<BlobGcCandidate> ranked;
  for (const auto& [number, state] : files) {
    if (state.garbage_bytes == 0 || state.meta->blob_bytes == 0) continue;
    BlobGcCandidate c;
    c.number = number;
    c.file_size = state.meta->file_size;
    c.garbage_bytes = state.garbage_bytes;
    c.live_bytes = state.meta->blob_bytes - state.garbage_bytes;
    c.garbage_ratio = GarbageRatio(state);
    // When idle, a file with less garbage than the slack allowed is not
    // worth copying: that is what makes idle GC stop.
    if (idle && c.garbage_ratio < idle_goal - 1) continue;
    const double age = newest == oldest ? 0.0 : Ratio(newest - number, newest - oldest);
    c.score = c.garbage_ratio / (1 - c.garbage_ratio + kFixedCost) * (kAgeBias + age);
    ranked.push_back(c);
  }
  std::stable_sort(
      ranked.begin(), ranked.end(),
      [](const BlobGcCandidate& a, const BlobGcCandidate& b) { return a.score > b.score; });
  plan.candidates.assign(ranked.begin(),
                         ranked.begin() + static_cast<std::ptrdiff_t>(
                                              std::min(ranked.size(), BlobGcPlan::kMaxListed)));

  if (!idle && !has_ceiling) {
    plan.reason = "no space ceiling (max_space_amplification <= 1)";
    return plan;
  }

  // Reveal first: counted garbage makes the ranking right, and merging the
  // small tables of a key-value-separated tree is cheap.
  if (plan.shadowing_bytes > 0 && plan.space_amp_upper > plan.trigger) {
    int level = 0;
    while (level < bottom && ref_bytes[static_cast<size_t>(level)] == 0) level++;
    const uint64_t cost =
        table_bytes[static_cast<size_t>(level)] + table_bytes[static_cast<size_t>(level + 1)];
    const double allowed = idle ? kIdleRevealCostRatio : 1.0;
    if (static_cast<double>(ref_bytes[static_cast<size_t>(level)]) * allowed >=
        static_cast<double>(cost)) {
      plan.action = BlobGcAction::kReveal;
      plan.reveal_level = level;
      plan.urgent = !idle && plan.space_amp_upper >= (plan.trigger + plan.ceiling) / 2;
      plan.reason = Format("merge L%.0f down: up to %.3fx may be hidden garbage", level,
                           plan.space_amp_upper);
      return plan;
    }
  }

  if (plan.space_amp < plan.trigger) {
    plan.reason = idle
                      ? Format("idle and within %.3fx (now %.3fx): nothing worth copying",
                               plan.target, plan.space_amp)
                      : Format("below the trigger %.3fx (now %.3fx)", plan.trigger, plan.space_amp);
    return plan;
  }
  if (ranked.empty()) {
    plan.reason = Format("at %.3fx but no file has garbage worth copying (goal %.3fx)",
                         plan.space_amp, plan.target);
    return plan;
  }

  // Take the best files until the plan would bring space down to the target,
  // or it would copy more than a quarter of the slack the ceiling leaves (at
  // most one blob file): the copies exist beside their sources until the
  // plan's last edit, so a big plan would itself push space past the
  // ceiling. Short plans also keep flushes flowing and the ranking current.
  uint64_t projected = plan.blob_file_bytes;
  const auto goal = static_cast<uint64_t>(plan.target * static_cast<double>(plan.live_blob_bytes));
  const double slack = (idle ? idle_goal : plan.ceiling) - 1;
  const uint64_t budget = std::min<uint64_t>(
      o.blob_file_size, static_cast<uint64_t>(kPlanSlackFraction * std::max(slack, 0.05) *
                                              static_cast<double>(plan.live_blob_bytes)));
  for (const BlobGcCandidate& c : ranked) {
    if (!plan.gc_files.empty() &&
        (projected <= goal || plan.planned_live_bytes + c.live_bytes > budget)) {
      break;
    }
    plan.gc_files.insert(c.number);
    plan.planned_live_bytes += c.live_bytes;
    plan.planned_garbage_bytes += c.garbage_bytes;
    projected -= std::min(projected, c.garbage_bytes);
  }
  plan.action = BlobGcAction::kRelocate;
  plan.urgent = !idle && plan.space_amp >= (plan.trigger + plan.ceiling) / 2;
  plan.reason = Format("relocate: at %.3fx, over the trigger %.3fx", plan.space_amp, plan.trigger) +
                Format("; copies %.1f MiB to reclaim %.1f MiB",
                       static_cast<double>(plan.planned_live_bytes) / (1 << 20),
                       static_cast<double>(plan.planned_garbage_bytes) / (1 << 20));
  return plan;
}

}  // namespace lode
