// GET /queue: open requests by due date, with filters and a chart of days until due.

#include <array>

#include "dsr/requests/request_service.h"
#include "dsr/web/page_guard.h"
#include "dsr/web/request_view.h"
#include "dsr/web/routes.h"
#include "web_templates.h"

namespace dsr::web {

namespace {

constexpr std::array<RequestStatus, 9> kStatuses{
    RequestStatus::received,         RequestStatus::awaiting_verification,
    RequestStatus::pending_approval, RequestStatus::approved,
    RequestStatus::running,          RequestStatus::completed,
    RequestStatus::failed,           RequestStatus::rejected,
    RequestStatus::cancelled};
constexpr std::array<RequestType, 4> kTypes{RequestType::access, RequestType::portability,
                                            RequestType::erasure, RequestType::objection};

struct Bucket {
  const char* label;
  long up_to;  // days left, inclusive
  const char* fill;
};
constexpr std::array<Bucket, 6> kBuckets{{{"overdue", -1, "#a40000"},
                                          {"0-3", 3, "#d46a00"},
                                          {"4-7", 7, "#d4a000"},
                                          {"8-14", 14, "#5b8c3a"},
                                          {"15-30", 30, "#3a6f8c"},
                                          {">30", 1L << 30, "#6a6f8c"}}};

Data chart(const std::vector<Request>& open, TimePoint now, Data& page) {
  std::array<long, kBuckets.size()> counts{};
  for (const auto& r : open) {
    const long days = days_until(r.due_at, now);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      if (days <= kBuckets[i].up_to) {
        ++counts[i];
        break;
      }
    }
  }
  long most = 1;
  for (long c : counts) most = std::max(most, c);
  constexpr int kBarWidth = 60, kGap = 20, kPlot = 120, kTop = 20;
  Data bars{Data::type::list};
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    const int height = static_cast<int>(counts[i] * kPlot / most);
    const int x = kGap + static_cast<int>(i) * (kBarWidth + kGap);
    Data bar;
    bar.set("x", std::to_string(x));
    bar.set("y", std::to_string(kTop + kPlot - height));
    bar.set("width", std::to_string(kBarWidth));
    bar.set("height", std::to_string(height));
    bar.set("fill", kBuckets[i].fill);
    bar.set("label", kBuckets[i].label);
    bar.set("count", std::to_string(counts[i]));
    bar.set("label_x", std::to_string(x + kBarWidth / 2));
    bar.set("count_y", std::to_string(kTop + kPlot - height - 4));
    bar.set("label_y", std::to_string(kTop + kPlot + 16));
    bars.push_back(bar);
  }
  page.set("chart_width", std::to_string(kGap + static_cast<int>(kBuckets.size()) * (kBarWidth + kGap)));
  page.set("chart_height", std::to_string(kTop + kPlot + 26));
  return bars;
}

void show_queue(const WebContext& context, serve::Exchange& exchange, Database& db,
                const Principal& principal) {
  const auto& query = exchange.query();
  RequestFilter filter;
  std::string error;
  const std::string status = query.get("status", ""), type = query.get("type", ""),
                    channel = query.get("channel", "");
  const std::string due_within = query.get("due_within", "");
  if (!status.empty()) {
    if (auto parsed = parse_request_status(status))
      filter.status = *parsed;
    else
      error = "status: " + parsed.error();
  }
  if (!type.empty()) {
    if (auto parsed = parse_request_type(type))
      filter.type = *parsed;
    else
      error = "type: " + parsed.error();
  }
  if (!channel.empty()) filter.channel = channel;
  filter.overdue_only = query.get("overdue", "") == "1";
  const TimePoint now = context.clock.now();
  if (!due_within.empty()) {
    try {
      const int days = std::stoi(due_within);
      if (days < 0 || days > 3660) throw std::out_of_range("days");
      filter.due_before = add_days(now, days + 1);
    } catch (const std::exception&) {
      error = "due within: expected a number of days from 0 to 3660";
    }
  }
  RequestService requests(db, context.key, context.clock);
  auto all = requests.list(filter);
  if (!all) throw std::runtime_error(all.error());
  auto open_list = requests.list(RequestFilter{});
  if (!open_list) throw std::runtime_error(open_list.error());

  Data page;
  Data rows{Data::type::list};
  for (const auto& r : *all) {
    // Without a status filter the queue is the work still to do.
    if (!filter.status && is_terminal(r.status)) continue;
    Data row;
    row.set("id", r.id);
    row.set("short_id", r.id.substr(0, 8));
    row.set("type", std::string(to_string(r.type)));
    row.set("status", std::string(to_string(r.status)));
    row.set("channel", r.channel);
    row.set("received", format_utc(r.received_at).substr(0, 10));
    row.set("due", format_utc(r.due_at).substr(0, 10));
    row.set("days_left", is_terminal(r.status) ? std::string("-") : std::to_string(days_until(r.due_at, now)));
    row.set("overdue", is_overdue(r.status, r.due_at, now));
    rows.push_back(row);
  }
  page.set("requests", rows);
  std::vector<Request> open;
  for (const auto& r : *open_list) {
    if (!is_terminal(r.status)) open.push_back(r);
  }
  page.set("bars", chart(open, now, page));
  Data statuses{Data::type::list}, types{Data::type::list};
  for (auto s : kStatuses) {
    Data item;
    item.set("value", std::string(to_string(s)));
    item.set("selected", filter.status == s);
    statuses.push_back(item);
  }
  for (auto t : kTypes) {
    Data item;
    item.set("value", std::string(to_string(t)));
    item.set("selected", filter.type == t);
    types.push_back(item);
  }
  page.set("statuses", statuses);
  page.set("types", types);
  page.set("channel", channel);
  page.set("due_within", due_within);
  page.set("overdue", filter.overdue_only);
  send_page(context, exchange, error.empty() ? 200 : 400, web_templates::queue, page,
            Frame{"Queue", principal, "", error});
}

}  // namespace

void add_queue_routes(serve::Router& router, const WebContext& context) {
  router.add("GET", "/queue", [&context](serve::Exchange& exchange) {
    as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
      show_queue(context, exchange, db, principal);
    });
  });
}

}  // namespace dsr::web
