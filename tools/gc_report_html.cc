#include "tools/gc_report_html.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "lib/util/human_format.h"

namespace lode::tool {

namespace {

// Inline so the file opens anywhere, offline, as one attachment.
const char kStyle[] = R"css(
:root { --live: #2f7d4f; --garbage: #d9480f; --overhead: #adb5bd; --elig: #f59f00; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #212529; background: #f8f9fa; margin: 24px 32px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
.db { color: #495057; font-weight: normal; font-family: ui-monospace, Menlo, Consolas, monospace; }
.sub { color: #6c757d; }
.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
          gap: 10px; margin: 16px 0; }
.card { background: #fff; border: 1px solid #dee2e6; border-radius: 6px; padding: 10px 12px; }
.card .label { color: #6c757d; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 600; }
.card .value.bad { color: var(--garbage); }
.card .note { color: #6c757d; font-size: 12px; }
.overall { display: flex; height: 26px; border-radius: 4px; overflow: hidden;
           border: 1px solid #ced4da; background: #fff; }
.overall span { display: block; height: 100%; color: #fff; font-size: 12px;
                line-height: 24px; padding-left: 6px; white-space: nowrap; overflow: hidden; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; margin: 10px 0 4px; color: #495057; }
.sw { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
      vertical-align: -2px; margin-right: 6px; }
.live { background: var(--live); }
.garbage { background: var(--garbage); }
.overhead { background: var(--overhead); }
.rows { background: #fff; border: 1px solid #dee2e6; border-radius: 6px; padding: 6px 0;
        display: grid; grid-template-columns: auto minmax(200px, 1fr) auto; column-gap: 12px; }
/* Rows share the columns of .rows (subgrid), so every track has the same
   width and bar lengths compare across rows. */
.row { grid-column: 1 / -1; display: grid; grid-template-columns: subgrid; align-items: center;
       padding: 3px 12px; border-left: 4px solid transparent; }
.row:nth-child(even) { background: #f8f9fa; }
.row.eligible { border-left-color: var(--elig); }
.name { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
.badge { display: inline-block; background: var(--elig); color: #212529; font: 600 10px/16px system-ui, sans-serif;
         padding: 0 5px; border-radius: 8px; margin-left: 6px; vertical-align: 1px; }
.track { height: 18px; }
.bar { display: flex; height: 100%; min-width: 3px; border-radius: 3px; overflow: hidden; }
.bar span { display: block; height: 100%; }
.info { white-space: nowrap; color: #495057; font-variant-numeric: tabular-nums; }
.info b.high { color: var(--garbage); }
.empty { color: #6c757d; font-style: italic; }
)css";

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

// Percentage for a CSS width, with enough digits for sub-pixel accuracy.
std::string Width(double fraction) { return Fmt("%.3f%%", std::clamp(fraction, 0.0, 1.0) * 100); }

std::string Card(const std::string& label, const std::string& value, const std::string& note,
                 bool bad = false) {
  return std::string("<div class=\"card\"><div class=\"label\">") + label +
         "</div><div class=\"value" + (bad ? " bad" : "") + "\">" + value +
         "</div><div class=\"note\">" + note + "</div></div>\n";
}

std::string Segment(const char* cls, double fraction, const std::string& title,
                    const std::string& text = "") {
  if (fraction <= 0) return "";
  return std::string("<span class=\"") + cls + "\" style=\"width:" + Width(fraction) +
         "\" title=\"" + HtmlEscape(title) + "\">" + text + "</span>";
}

}  // namespace

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string RenderGcReportHtml(const GcReport& r, const std::string& db_name) {
  std::vector<const GcReportBlobFile*> files;
  for (const auto& f : r.files) files.push_back(&f);
  std::stable_sort(files.begin(), files.end(), [](const auto* a, const auto* b) {
    if (a->garbage_ratio != b->garbage_ratio) return a->garbage_ratio > b->garbage_ratio;
    return a->number < b->number;
  });
  uint64_t max_size = 1;
  uint64_t eligible = 0;
  for (const auto* f : files) {
    max_size = std::max({max_size, f->file_size, f->blob_bytes});
    if (f->eligible) eligible++;
  }
  const uint64_t blob_bytes = r.live_blob_bytes + r.garbage_blob_bytes;
  const double garbage_ratio =
      blob_bytes == 0 ? 0
                      : static_cast<double>(r.garbage_blob_bytes) / static_cast<double>(blob_bytes);

  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += std::string("<title>lode GC report: ") + HtmlEscape(db_name) + "</title>\n";
  h += std::string("<style>") + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  h += std::string("<h1>Blob GC report <span class=\"db\">") + HtmlEscape(db_name) +
       "</span></h1>\n";
  h += std::string("<div class=\"sub\">Thresholds: age cutoff ") + Fmt("%.2f", r.age_cutoff) +
       ", garbage threshold " + Fmt("%.2f", r.garbage_threshold) + ", force " +
       Fmt("%.2f", r.force_threshold) + "</div>\n";

  h += "<div class=\"totals\">\n";
  h += Card("Blob files", std::to_string(r.num_blob_files),
            std::to_string(eligible) + " eligible for GC");
  h += Card("On disk", HumanBytes(r.blob_file_bytes), std::to_string(r.blob_file_bytes) + " bytes");
  h += Card("Live", HumanBytes(r.live_blob_bytes),
            HumanPercent(1 - garbage_ratio) + " of blob bytes");
  h += Card("Garbage", HumanBytes(r.garbage_blob_bytes),
            HumanPercent(garbage_ratio) + " of blob bytes",
            garbage_ratio >= r.garbage_threshold && r.garbage_blob_bytes > 0);
  h += Card("Space amplification", Fmt("%.2f&times;", r.space_amplification),
            "on-disk bytes / live bytes");
  h += Card("GC would reclaim", HumanBytes(r.reclaimable_bytes),
            "and rewrite " + HumanBytes(r.rewrite_bytes));
  h += Card("Reclaimed so far", HumanBytes(r.bytes_reclaimed),
            std::to_string(r.gc_runs) + (r.gc_runs == 1 ? " GC run, " : " GC runs, ") +
                HumanBytes(r.bytes_relocated) + " relocated, " + std::to_string(r.files_dropped) +
                (r.files_dropped == 1 ? " file" : " files") + " dropped");
  h += "</div>\n";

  if (blob_bytes > 0) {
    const double live_frac =
        static_cast<double>(r.live_blob_bytes) / static_cast<double>(blob_bytes);
    // A label only where it fits; the title shows it on hover anyway.
    const std::string live = std::string("live ") + HumanBytes(r.live_blob_bytes);
    const std::string garbage = std::string("garbage ") + HumanBytes(r.garbage_blob_bytes);
    h += "<div class=\"overall\">";
    h += Segment("live", live_frac, live, live_frac >= 0.15 ? live : "");
    h += Segment("garbage", 1 - live_frac, garbage, 1 - live_frac >= 0.15 ? garbage : "");
    h += "</div>\n";
  }

  h += "<h2>Blob files, most garbage first</h2>\n";
  h += "<div class=\"legend\"><span><i class=\"sw live\"></i>live blobs</span>"
       "<span><i class=\"sw garbage\"></i>garbage</span>"
       "<span><i class=\"sw overhead\"></i>headers, keys, footer</span>"
       "<span><span class=\"badge\">GC</span> eligible at the current thresholds</span>"
       "<span class=\"sub\">bar length = file size (longest = " +
       HumanBytes(max_size) + ")</span></div>\n";
  if (files.empty()) {
    h += "<p class=\"empty\">No blob files.</p>\n";
  } else {
    h += "<div class=\"rows\">\n";
    for (const auto* f : files) {
      char name[32];
      std::snprintf(name, sizeof(name), "%06" PRIu64, f->number);
      const uint64_t total = std::max(f->file_size, f->blob_bytes);
      const uint64_t garbage = std::min(f->garbage_bytes, f->blob_bytes);
      const uint64_t live = f->blob_bytes - garbage;
      const uint64_t overhead = total - f->blob_bytes;
      const auto frac = [total](uint64_t v) {
        return total == 0 ? 0.0 : static_cast<double>(v) / static_cast<double>(total);
      };
      h += std::string("<div class=\"row") + (f->eligible ? " eligible" : "") + "\" id=\"f" + name +
           "\">";
      h += std::string("<div class=\"name\">") + std::string(name) +
           (f->eligible ? "<span class=\"badge\">GC</span>" : "") + "</div>";
      h += std::string("<div class=\"track\"><div class=\"bar\" style=\"width:") +
           Width(static_cast<double>(total) / static_cast<double>(max_size)) + "\">";
      h += Segment("live", frac(live), std::string("live ") + HumanBytes(live));
      h += Segment("garbage", frac(garbage), std::string("garbage ") + HumanBytes(garbage));
      h += Segment("overhead", frac(overhead), std::string("overhead ") + HumanBytes(overhead));
      h += "</div></div>";
      const bool high = f->garbage_ratio >= r.garbage_threshold && f->garbage_bytes > 0;
      h += std::string("<div class=\"info\">") + HumanBytes(f->file_size) + " &middot; <b" +
           (high ? " class=\"high\"" : "") + ">" + HumanPercent(f->garbage_ratio) +
           "</b> garbage &middot; " + std::to_string(f->blob_count) + " blobs &middot; " +
           (f->TablesByLevel().empty() ? std::string("no tables") : f->TablesByLevel()) + "</div>";
      h += "</div>\n";
    }
    h += "</div>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace lode::tool
