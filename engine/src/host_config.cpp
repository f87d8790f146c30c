// The scenario lines of a busy host: 'workload ...' and 'host SIDE k=v ...'.
// Messages name what was expected, for the parser's "file:line: ..." errors.
#include "finwave/host_config.hpp"

#include "finwave/parse_number.hpp"

namespace finwave {

const char* to_string(Closer c) {
    switch (c) {
        case Closer::Client: return "client";
        case Closer::Server: return "server";
        case Closer::Both: return "both";
    }
    return "?";
}

std::uint64_t Workload::connections() const {
    return static_cast<std::uint64_t>(rate_per_s) * static_cast<std::uint64_t>(duration.us) / 1000000u;
}

namespace {

std::optional<Duration> time_word(std::string_view text) {
    if (text == "0") return Duration{};
    return parse_duration(text);
}

// "2%", "0.5%", "100%": parts per million, so that runs need no floating point.
std::optional<std::uint32_t> percent_ppm(std::string_view text) {
    if (text.size() < 2 || text.back() != '%') return std::nullopt;
    text.remove_suffix(1);
    const auto dot = text.find('.');
    std::uint32_t whole = 0, frac = 0;
    if (!parse_integer(text.substr(0, dot), whole) || whole > 100) return std::nullopt;
    std::uint32_t scale = 10000;  // ppm per percent
    std::uint32_t ppm = whole * scale;
    if (dot != std::string_view::npos) {
        const std::string_view f = text.substr(dot + 1);
        if (f.empty() || f.size() > 4 || !parse_integer(f, frac)) return std::nullopt;
        for (std::size_t i = 0; i < f.size(); ++i) scale /= 10;
        ppm += frac * scale;
    }
    if (ppm > 1000000) return std::nullopt;
    return ppm;
}

std::optional<bool> on_off(std::string_view v) {
    if (v == "on" || v == "1") return true;
    if (v == "off" || v == "0") return false;
    return std::nullopt;
}

}  // namespace

std::variant<Workload, std::string> parse_workload(const std::vector<std::string_view>& w) {
    Workload wl;
    bool have_rate = false, have_for = false;
    const char* kWords = "rate N/s, for TIME, request BYTES, response BYTES, closer client|server|both, keepalive K, never-close P%";
    for (std::size_t i = 0; i < w.size(); i += 2) {
        const std::string_view key = w[i];
        if (i + 1 >= w.size()) return "'" + std::string(key) + "' needs a value (workload words: " + kWords + ")";
        const std::string_view v = w[i + 1];
        if (key == "rate") {
            std::string_view n = v;
            if (n.size() > 2 && n.substr(n.size() - 2) == "/s") n.remove_suffix(2);
            else return "expected a rate in connections per second, e.g. 'rate 1000/s', found '" + std::string(v) + "'";
            if (!parse_integer(n, wl.rate_per_s) || wl.rate_per_s == 0 || wl.rate_per_s > 1000000)
                return "expected a rate from 1/s to 1000000/s, found '" + std::string(v) + "'";
            have_rate = true;
        } else if (key == "for") {
            auto d = time_word(v);
            if (!d || d->us <= 0 || *d > Duration::seconds(3600))
                return "expected 'for TIME' with a time above 0 and at most 1h, e.g. 'for 10s', found '" + std::string(v) + "'";
            wl.duration = *d;
            have_for = true;
        } else if (key == "request" || key == "response") {
            std::uint32_t n = 0;
            if (!parse_integer(v, n) || n == 0 || n > 10000000)
                return "expected a number of bytes (1 to 10000000) after '" + std::string(key) + "', found '" + std::string(v) + "'";
            (key == "request" ? wl.request_bytes : wl.response_bytes) = n;
        } else if (key == "closer") {
            if (v == "client") wl.closer = Closer::Client;
            else if (v == "server") wl.closer = Closer::Server;
            else if (v == "both") wl.closer = Closer::Both;
            else return "expected 'closer client', 'closer server' or 'closer both', found '" + std::string(v) + "'";
        } else if (key == "keepalive") {
            if (!parse_integer(v, wl.requests_per_connection) || wl.requests_per_connection == 0 || wl.requests_per_connection > 100000)
                return "expected 'keepalive K' with K requests per connection (1 to 100000), found '" + std::string(v) + "'";
        } else if (key == "never-close") {
            auto p = percent_ppm(v);
            if (!p) return "expected 'never-close P%' with a percentage from 0% to 100% (e.g. 2% or 0.5%), found '" + std::string(v) + "'";
            wl.never_close_ppm = *p;
        } else {
            return "unknown workload word '" + std::string(key) + "'; expected " + kWords;
        }
    }
    if (!have_rate || !have_for) return std::string("a workload needs 'rate N/s' and 'for TIME', e.g. 'workload rate 1000/s for 10s'");
    if (wl.connections() == 0) return std::string("the workload opens no connection: rate x for is below 1");
    if (wl.connections() > 10000000) return std::string("the workload opens more than 10,000,000 connections: lower the rate or the time");
    return wl;
}

std::optional<std::string> set_host_setting(HostSettings& h, std::string_view name, std::string_view v) {
    auto bad = [&](const char* expected) {
        return std::optional<std::string>("host setting '" + std::string(name) + "' does not take '" + std::string(v) + "': expected " + expected);
    };
    if (name == "port_range") {
        const auto dash = v.find('-');
        std::uint16_t lo = 0, hi = 0;
        if (dash == std::string_view::npos || !parse_integer(v.substr(0, dash), lo) || !parse_integer(v.substr(dash + 1), hi) ||
            lo < 1 || lo > hi)
            return bad("LOW-HIGH with 1 <= LOW <= HIGH <= 65535, e.g. 32768-60999");
        h.port_low = lo;
        h.port_high = hi;
        return std::nullopt;
    }
    if (name == "tw_buckets") return parse_integer(v, h.max_tw_buckets) ? std::nullopt : bad("a whole number >= 0");
    if (name == "tw_reuse") {
        int r = 0;
        if (!parse_integer(v, r) || r < 0 || r > 2) return bad("0, 1 or 2");
        h.tw_reuse = r;
        return std::nullopt;
    }
    if (name == "tw_reuse_delay") {
        auto d = time_word(v);
        if (!d || d->us < 0) return bad("a time with a unit, e.g. 1s or 500ms");
        h.tw_reuse_delay = *d;
        return std::nullopt;
    }
    if (name == "loopback" || name == "reuseaddr") {
        auto b = on_off(v);
        if (!b) return bad("on or off");
        (name == "loopback" ? h.loopback : h.reuseaddr) = *b;
        return std::nullopt;
    }
    if (name == "backlog") {
        if (!parse_integer(v, h.backlog) || h.backlog > 65535) return bad("a whole number from 0 to 65535");
        return std::nullopt;
    }
    if (name == "nofile") {
        if (!parse_integer(v, h.nofile) || h.nofile < 1 || h.nofile > 16777216) return bad("a whole number from 1 to 16777216");
        return std::nullopt;
    }
    return "unknown host setting '" + std::string(name) +
           "'; known: port_range, tw_buckets, tw_reuse, tw_reuse_delay, loopback, reuseaddr, backlog, nofile";
}

std::string describe(const HostSettings& h) {
    return "port_range=" + std::to_string(h.port_low) + "-" + std::to_string(h.port_high) +
           " tw_buckets=" + std::to_string(h.max_tw_buckets) + " tw_reuse=" + std::to_string(h.tw_reuse) +
           " tw_reuse_delay=" + format_duration(h.tw_reuse_delay) + " loopback=" + (h.loopback ? "on" : "off") +
           " reuseaddr=" + (h.reuseaddr ? "on" : "off") + " backlog=" + std::to_string(h.backlog) +
           " nofile=" + std::to_string(h.nofile);
}

}  // namespace finwave
