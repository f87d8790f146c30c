#include <cmath>
#include <cstdlib>
#include <sstream>

#include "records.hpp"

namespace finwave::conformance {

std::string describe(const WireSegment& s) {
    return std::string(s.from == Side::Client ? "C>S " : "S>C ") + s.flags + " seq=" + std::to_string(s.seq) +
           " ack=" + std::to_string(s.ack) + " len=" + std::to_string(s.len) + (s.dropped ? " (dropped)" : "");
}

WireSegment wire_segment(const TraceEvent& send) {
    WireSegment s;
    s.t_us = send.t.us;
    s.from = send.side;
    s.flags = flag_letters(send.flags);
    s.seq = send.seq;
    s.ack = send.ack;
    s.len = send.len;
    s.engine_id = send.seg_id;
    return s;
}

namespace {

std::vector<std::string> split_ws(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::int64_t ms_to_us(const std::string& text) { return std::llround(std::strtod(text.c_str(), nullptr) * 1000.0); }

// "key=value" fields of a line.
std::optional<std::string> field(const std::vector<std::string>& w, const std::string& key) {
    for (const auto& x : w)
        if (x.rfind(key + "=", 0) == 0) return x.substr(key.size() + 1);
    return std::nullopt;
}

bool parse_u32(const std::optional<std::string>& v, std::uint32_t& out) {
    if (!v || v->empty() || v->find('(') != std::string::npos) return false;  // "(abs)": no ISN known
    out = static_cast<std::uint32_t>(std::strtoul(v->c_str(), nullptr, 10));
    return true;
}

}  // namespace

std::optional<std::string> parse_kernel_trace(const std::string& text, KernelRecord& out) {
    std::istringstream in(text);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        const auto bad = [&](const std::string& why) { return "trace line " + std::to_string(n) + ": " + why + ": " + line; };
        if (line.rfind("# kernel: ", 0) == 0) {
            out.kernel = line.substr(10);
            continue;
        }
        const auto w = split_ws(line);
        if (w.empty() || w[0][0] == '#') continue;
        if (w.size() < 2) return bad("too short");
        const std::int64_t t = ms_to_us(w[0]);
        const std::string& kind = w[1];
        if (kind == "end") {
            out.end_us = t;
            if (auto g = field(w, "max_gap_us")) out.max_sample_gap_us = std::strtoll(g->c_str(), nullptr, 10);
        } else if (kind == "seg") {
            if (w.size() < 7) return bad("short segment line");
            WireSegment s;
            s.t_us = t;
            if (w[2] == "C>S") s.from = Side::Client;
            else if (w[2] == "S>C") s.from = Side::Server;
            else return bad("unknown direction");
            s.flags = w[3];
            if (!parse_u32(field(w, "seq"), s.seq)) return bad("no relative seq (a segment of another connection?)");
            std::uint32_t ack = 0;
            if (s.flags.find('A') != std::string::npos && !parse_u32(field(w, "ack"), ack)) return bad("no relative ack");
            s.ack = ack;
            if (!parse_u32(field(w, "len"), s.len)) return bad("no len");
            s.dropped = w.back() == "DROPPED";
            out.segments.push_back(s);
        } else if (kind == "state") {
            if (w.size() < 4) return bad("short state line");
            StateEntry e;
            e.t_us = t;
            e.prev_us = t;
            if (auto p = field(w, "prev")) e.prev_us = ms_to_us(*p);
            e.side = w[2] == "C" ? Side::Client : Side::Server;
            e.state = w[3];
            if (e.state == "GONE") e.state = "CLOSED";
            if (e.state == "SYN-RECV") e.state = "SYN-RECEIVED";
            if (w.size() > 4 && w[4].rfind("timer=(", 0) == 0) {
                const std::string& tm = w[4];
                const auto comma = tm.find(',');
                e.timer = tm.substr(7, comma - 7);
                if (comma != std::string::npos) e.timer_left_us = ms_to_us(tm.substr(comma + 1));  // "59996ms,0)": strtod stops at 'm'
            }
            if (auto f = field(w, "fires")) e.fires_us = ms_to_us(*f);
            if (auto f = field(w, "fires_err")) e.fires_err_us = ms_to_us(*f);
            out.states.push_back(e);
        } else if (kind == "app") {
            if (w.size() < 4) return bad("short app line");
            AppRecord a;
            a.t_us = t;
            a.side = w[2] == "C" ? Side::Client : Side::Server;
            if (w[3].size() > 1 && w[3][0] == 'L') a.line = std::atoi(w[3].c_str() + 1);
            for (std::size_t i = 3; i < w.size(); ++i) a.text += (i > 3 ? " " : "") + w[i];
            // A call that blocked is logged twice: "CALL ..." when made and
            // "CALL = RESULT" when it returned. One record: the time it was
            // made, the result it returned.
            const bool made = a.text.size() > 4 && a.text.compare(a.text.size() - 4, 4, " ...") == 0;
            if (made) a.text.resize(a.text.size() - 4);
            AppRecord* first_half = nullptr;
            for (auto& c : out.calls)
                if (!made && c.side == a.side && c.line == a.line && a.line != 0 && c.text.find(" = ") == std::string::npos &&
                    a.text.rfind(c.text + " = ", 0) == 0)
                    first_half = &c;
            if (first_half) first_half->text = a.text;
            else out.calls.push_back(a);
        } else {
            return bad("unknown kind '" + kind + "'");
        }
    }
    return std::nullopt;
}

}  // namespace finwave::conformance
