// The `lode gc-report --html` page: one self-contained HTML file (inline CSS,
// no script, no network fetches) that shows the GC report at a glance.
//
// Totals on top, then one horizontal stacked bar per blob file (live,
// garbage, format overhead), bar length proportional to the file's size,
// eligible files marked, rows in the order of GcReport::ToText. Pure
// function of its inputs; any thread.
#ifndef LODE_TOOLS_GC_REPORT_HTML_H_
#define LODE_TOOLS_GC_REPORT_HTML_H_

#include <string>

#include "lode/gc_report.h"

namespace lode::tool {

// db_name is shown in the title (HTML-escaped).
std::string RenderGcReportHtml(const GcReport& report, const std::string& db_name);

// s with &, <, >, " and ' escaped for HTML text and attribute values.
std::string HtmlEscape(const std::string& s);

}  // namespace lode::tool

#endif  // LODE_TOOLS_GC_REPORT_HTML_H_
