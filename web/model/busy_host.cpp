#include "busy_host.hpp"

#include <algorithm>
#include <tuple>

namespace finwave::web {

namespace {
constexpr const char* kColumnNames[kHostColumnCount] = {"state", "recv-q", "send-q", "local", "peer", "host"};

// Sort keys for an address column: which host's address, then the port.
std::pair<int, std::uint16_t> local_key(const HostSocket& s) {
    const bool server = s.host == Side::Server;
    return {server ? 1 : 0, server ? kServerPort : s.client_port};
}
std::pair<int, std::uint16_t> peer_key(const HostSocket& s) {
    const bool server = s.host == Side::Server;
    return {server ? 0 : 1, server ? s.client_port : kServerPort};
}
}  // namespace

const char* to_string(HostColumn c) { return kColumnNames[static_cast<int>(c)]; }

std::optional<HostColumn> parse_host_column(std::string_view s) {
    for (int k = 0; k < kHostColumnCount; ++k)
        if (s == kColumnNames[k]) return static_cast<HostColumn>(k);
    return std::nullopt;
}

std::string local_address(const HostSocket& s) {
    const std::size_t h = static_cast<std::size_t>(s.host);
    if (s.state == State::Listen) return std::string(kHostAddress[h]) + ":" + std::to_string(kServerPort);
    return std::string(kHostAddress[h]) + ":" + std::to_string(s.host == Side::Server ? kServerPort : s.client_port);
}

std::string peer_address(const HostSocket& s) {
    if (s.state == State::Listen) return "*:*";
    const std::size_t other = s.host == Side::Server ? 0 : 1;
    return std::string(kHostAddress[other]) + ":" + std::to_string(s.host == Side::Server ? s.client_port : kServerPort);
}

BusyHost::BusyHost(std::string name, Scenario scenario, const Knobs& knobs, std::uint64_t seed)
    : name_(std::move(name)), scenario_(std::move(scenario)) {
    // The same run as `finwave run NAME --summary`: its options, its seed.
    HostModel::Options o;
    o.until = scenario_.until;
    model_ = std::make_unique<HostModel>(scenario_.host, knobs, seed, scenario_.loss, o);
}

void BusyHost::advance(Duration by) {
    if (by.us <= 0 || over()) return;
    view_ = std::min(view_ + by, model_->end());
    model_->run_until(view_);
}

void BusyHost::refresh() const {
    const HostTableView& v = table_view;
    if (rows_events_ == model_->events_processed() && rows_view_.sort == v.sort && rows_view_.descending == v.descending &&
        rows_view_.filter == v.filter)
        return;
    rows_events_ = model_->events_processed();
    rows_view_ = v;
    model_->list_sockets(all_);
    rows_.clear();
    for (const HostSocket& s : all_)
        if (!v.filter || s.state == *v.filter) rows_.push_back(s);
    // Ties broken by host and port, so that the order never depends on
    // where a socket happens to sit in the model's tables.
    auto key = [&](const HostSocket& s) {
        const auto l = local_key(s), p = peer_key(s);
        switch (v.sort) {
            case HostColumn::State: return std::make_tuple(static_cast<long>(s.state), l.first, static_cast<long>(s.client_port));
            case HostColumn::RecvQ: return std::make_tuple(static_cast<long>(s.recv_q), l.first, static_cast<long>(s.client_port));
            case HostColumn::SendQ: return std::make_tuple(static_cast<long>(s.send_q), l.first, static_cast<long>(s.client_port));
            case HostColumn::Local: return std::make_tuple(static_cast<long>(l.first), static_cast<int>(l.second), static_cast<long>(s.client_port));
            case HostColumn::Peer: return std::make_tuple(static_cast<long>(p.first), static_cast<int>(p.second), static_cast<long>(s.state));
            case HostColumn::Host: break;
        }
        return std::make_tuple(static_cast<long>(s.host), static_cast<int>(s.state), static_cast<long>(s.client_port));
    };
    std::stable_sort(rows_.begin(), rows_.end(), [&](const HostSocket& a, const HostSocket& b) {
        return v.descending ? key(b) < key(a) : key(a) < key(b);
    });
}

const std::vector<HostSocket>& BusyHost::rows() const {
    refresh();
    return rows_;
}

std::size_t BusyHost::total_rows() const {
    refresh();
    return all_.size();
}

}  // namespace finwave::web
