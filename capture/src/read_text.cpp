// Captures pasted as text: `tcpdump -n` lines and rows of Wireshark's packet
// list. Both print what a learner copies from a terminal or a lab sheet, so
// the reader is forgiving about what surrounds a segment and strict about
// the segment itself.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>

#include "finwave/observed.hpp"
#include "finwave/types.hpp"

namespace finwave::capture {

namespace {

std::vector<std::string_view> split_ws(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
        if (j > i) out.push_back(line.substr(i, j - i));
        i = j;
    }
    return out;
}

// A whole number that fits in 32 bits, with optional trailing punctuation (",").
std::optional<std::uint32_t> u32(std::string_view s) {
    while (!s.empty() && (s.back() == ',' || s.back() == ':')) s.remove_suffix(1);
    if (s.empty() || s.size() > 10) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (v > 0xffffffffu) return std::nullopt;
    return static_cast<std::uint32_t>(v);
}

// "0.000123", "1700000000.123456" or "12:34:56.123456" as microseconds.
std::optional<std::int64_t> time_us(std::string_view s) {
    std::int64_t whole = 0;
    std::size_t i = 0;
    int colons = 0;
    std::int64_t part = 0;
    bool digits = false;
    for (; i < s.size() && s[i] != '.'; ++i) {
        if (s[i] == ':') {
            if (!digits || ++colons > 2) return std::nullopt;
            whole = (whole + part) * 60;
            part = 0;
            digits = false;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || part > 100000000000LL) return std::nullopt;
        part = part * 10 + (s[i] - '0');
        digits = true;
    }
    if (!digits) return std::nullopt;
    whole += part;
    std::int64_t frac = 0;
    int places = 0;
    if (i < s.size()) {
        for (++i; i < s.size(); ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            if (places < 6) frac = frac * 10 + (s[i] - '0'), ++places;
        }
        if (places == 0) return std::nullopt;
    } else if (colons == 0) {
        return std::nullopt;  // a bare integer is a packet number, not a time
    }
    while (places < 6) frac *= 10, ++places;
    return whole * 1000000 + frac;
}

// "10.0.0.1.40000" (tcpdump joins the port with a dot): address and port.
bool split_host_port(std::string_view s, std::string& host, std::uint16_t& port) {
    while (!s.empty() && s.back() == ':') s.remove_suffix(1);
    const auto dot = s.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    const auto p = u32(s.substr(dot + 1));
    if (!p || *p > 65535) return false;
    host = std::string(s.substr(0, dot));
    port = static_cast<std::uint16_t>(*p);
    return true;
}

std::uint8_t tcpdump_flags(std::string_view f, bool& ok) {
    ok = true;
    std::uint8_t out = 0;
    for (char c : f) {
        switch (c) {
            case 'S': out |= flag::SYN; break;
            case 'F': out |= flag::FIN; break;
            case 'R': out |= flag::RST; break;
            case 'P': out |= flag::PSH; break;
            case '.': out |= flag::ACK; break;
            case 'U': case 'E': case 'W': case 'e': break;  // URG, ECE, CWR, AE: no part of a close
            default: ok = false;
        }
    }
    return out;
}

std::uint8_t wireshark_flags(std::string_view f, bool& ok) {
    ok = true;
    std::uint8_t out = 0;
    std::size_t i = 0;
    while (i < f.size()) {
        while (i < f.size() && (f[i] == ' ' || f[i] == ',')) ++i;
        std::size_t j = i;
        while (j < f.size() && f[j] != ',' && f[j] != ' ') ++j;
        const auto name = f.substr(i, j - i);
        if (name == "SYN") out |= flag::SYN;
        else if (name == "FIN") out |= flag::FIN;
        else if (name == "RST") out |= flag::RST;
        else if (name == "PSH") out |= flag::PSH;
        else if (name == "ACK") out |= flag::ACK;
        else if (name == "URG" || name == "ECE" || name == "CWR" || name == "AE" || name == "ECN" || name == "NS" || name == "Reserved") {
        } else if (!name.empty()) ok = false;
        i = j;
    }
    return out;
}

// tcpdump prints a conversation's first segment (and every SYN) with
// absolute numbers and the rest relative to those (print-tcp.c); -S prints
// all absolute. Numbers are made absolute again here so that both kinds of
// paste read alike.
struct TextReader {
    TextRead out;
    std::map<std::tuple<std::string, std::uint16_t, std::string, std::uint16_t>, std::pair<std::uint32_t, std::uint32_t>> bases;  // per direction: seq base, ack base
    std::map<std::tuple<std::string, std::uint16_t, std::string, std::uint16_t>, std::uint32_t> next_seq;  // per direction

    void error(std::size_t line, const std::string& what) { out.errors.push_back("line " + std::to_string(line) + ": " + what); }

    // A row of Wireshark's packet list: [No.] [Time] Source Destination TCP Length Info.
    bool wireshark(const std::vector<std::string_view>& tok, std::string_view line, std::size_t n) {
        std::size_t proto = tok.size();
        for (std::size_t i = 2; i < tok.size(); ++i)
            if (tok[i] == "TCP") {
                proto = i;
                break;
            }
        const auto seqpos = line.find("Seq=");
        if (proto == tok.size() || seqpos == std::string_view::npos) return false;
        // tshark prints "SRC → DST" between the addresses; Wireshark's copied list has them apart.
        const bool tshark = proto >= 3 && tok[proto - 2] == "\xe2\x86\x92";
        const std::size_t src_at = tshark ? proto - 3 : proto - 2;
        Observed o;
        o.where = "line " + std::to_string(n);
        o.src = std::string(tok[src_at]);
        o.dst = std::string(tok[proto - 1]);
        if (src_at >= 1) o.t_us = time_us(tok[src_at - 1]);
        // The ports' arrow comes after the Length column.
        const std::size_t info_from = static_cast<std::size_t>(tok[std::min(proto + 1, tok.size() - 1)].data() - line.data());
        const auto arrow = line.find("\xe2\x86\x92", info_from);  // "→"
        const std::uint32_t frame_len = proto + 1 < tok.size() ? u32(tok[proto + 1]).value_or(0) : 0;  // 0: no Length column
        // Info: "6512 → 80 [FIN, ACK] Seq=661 Ack=9240 Win=262400 Len=0"; older versions print "6512 > 80".
        std::size_t ports_at = arrow;
        std::size_t arrow_len = 3;
        if (ports_at == std::string_view::npos) {
            ports_at = line.find(" > ", info_from);
            arrow_len = 1;
            if (ports_at != std::string_view::npos) ++ports_at;
        }
        const auto lb = line.find('[', ports_at == std::string_view::npos ? 0 : ports_at);
        const auto rb = lb == std::string_view::npos ? lb : line.find(']', lb);
        if (ports_at == std::string_view::npos || rb == std::string_view::npos || rb > seqpos) {
            error(n, "a TCP row without \"PORT → PORT [FLAGS]\" before Seq=");
            return true;
        }
        const auto left = split_ws(line.substr(0, ports_at));
        const auto right = split_ws(line.substr(ports_at + arrow_len, lb - ports_at - arrow_len));
        const auto sp = left.empty() ? std::nullopt : u32(left.back());
        const auto dp = right.empty() ? std::nullopt : u32(right.front());
        if (!sp || !dp || *sp > 65535 || *dp > 65535) {
            error(n, "the ports around the arrow are not numbers");
            return true;
        }
        o.sport = static_cast<std::uint16_t>(*sp);
        o.dport = static_cast<std::uint16_t>(*dp);
        bool ok = true;
        o.flags = wireshark_flags(line.substr(lb + 1, rb - lb - 1), ok);
        if (!ok) {
            error(n, "unknown TCP flag in [" + std::string(line.substr(lb + 1, rb - lb - 1)) + "]");
            return true;
        }
        auto field = [&](std::string_view name) -> std::optional<std::uint32_t> {
            const auto p = line.find(name, rb);
            if (p == std::string_view::npos) return std::nullopt;
            auto rest = line.substr(p + name.size());
            const auto end = rest.find_first_of(" \t\r");
            return u32(rest.substr(0, end));
        };
        const auto seq = field("Seq="), ack = field("Ack="), win = field("Win="), len = field("Len=");
        if (!seq || !len) {
            error(n, "Seq= and Len= must be whole numbers");
            return true;
        }
        o.seq = *seq;
        o.ack = ack.value_or(0);
        o.wnd = win.value_or(0);
        o.len = *len;
        if (ack && !(o.flags & flag::ACK)) o.flags |= flag::ACK;
        // An IPv4 frame of 54 bytes plus the payload has no padding: it was sent
        // from the capturing host; 60 bytes for fewer than 6 bytes of payload is padding.
        if (frame_len != 0 && o.src.find(':') == std::string::npos && !(o.flags & flag::SYN)) {
            if (frame_len == 54 + o.len) o.hint = TapHint::Outgoing;
            else if (frame_len == 60 && o.len < 6) o.hint = TapHint::Incoming;
        }
        out.segments.push_back(std::move(o));
        return true;
    }

    // [time] IP SRC.PORT > DST.PORT: Flags [F.], seq 661, ack 9240, win 502, length 0
    bool tcpdump(const std::vector<std::string_view>& tok, std::size_t n) {
        std::size_t ip = tok.size();
        for (std::size_t i = 0; i + 3 < tok.size(); ++i)
            if ((tok[i] == "IP" || tok[i] == "IP6") && tok[i + 2] == ">") {
                ip = i;
                break;
            }
        if (ip == tok.size()) return false;
        std::size_t fl = ip + 4;
        if (fl >= tok.size() || tok[fl] != "Flags") return false;  // UDP, ICMP: not TCP
        Observed o;
        o.where = "line " + std::to_string(n);
        if (ip > 0) o.t_us = time_us(tok[ip - 1]);
        if (!split_host_port(tok[ip + 1], o.src, o.sport) || !split_host_port(tok[ip + 3], o.dst, o.dport)) {
            error(n, "cannot read the addresses and ports (tcpdump -n prints ADDRESS.PORT)");
            return true;
        }
        if (fl + 1 >= tok.size() || tok[fl + 1].size() < 3 || tok[fl + 1].front() != '[') {
            error(n, "Flags must be followed by [FLAGS]");
            return true;
        }
        auto f = tok[fl + 1];
        f.remove_prefix(1);
        while (!f.empty() && (f.back() == ',' || f.back() == ']')) f.remove_suffix(1);
        bool ok = true;
        o.flags = tcpdump_flags(f, ok);
        if (!ok) {
            error(n, "unknown TCP flag in [" + std::string(f) + "]");
            return true;
        }
        std::optional<std::uint32_t> seq, seq_end, ack, len;
        for (std::size_t i = fl + 2; i + 1 < tok.size(); ++i) {
            if (tok[i] == "seq") {
                auto v = tok[i + 1];
                const auto colon = v.find(':');
                seq = u32(v.substr(0, colon));
                if (colon != std::string_view::npos) seq_end = u32(v.substr(colon + 1));
                if (!seq) return error(n, "seq is not a number"), true;
            } else if (tok[i] == "ack") {
                ack = u32(tok[i + 1]);
                if (!ack) return error(n, "ack is not a number"), true;
            } else if (tok[i] == "win") {
                o.wnd = u32(tok[i + 1]).value_or(0);
            } else if (tok[i] == "length") {
                len = u32(tok[i + 1]);
            }
        }
        if (!len) return error(n, "no \"length N\" in a TCP line"), true;
        o.len = *len;
        if (ack) o.flags |= flag::ACK;
        const auto dir = std::make_tuple(o.src, o.sport, o.dst, o.dport);
        const auto rev = std::make_tuple(o.dst, o.dport, o.src, o.sport);
        auto it = bases.find(dir);
        if (o.flags & flag::SYN || it == bases.end()) {
            // Printed absolute: these numbers become the bases of both directions.
            const std::uint32_t s = seq.value_or(next_seq.count(dir) ? next_seq[dir] : 0);
            o.seq = s;
            o.ack = ack.value_or(0);
            if (!seq && !next_seq.count(dir)) return error(n, "the first segment of a conversation must show its seq"), true;
            bases[dir] = {s, o.ack - 1};
            bases[rev] = {o.ack - 1, s};
        } else {
            const auto [sb, ab] = it->second;
            // -S prints absolute numbers throughout: those sit just above the base.
            auto abs = [](std::uint32_t v, std::uint32_t base) { return (v - base) < (1u << 30) && base >= (1u << 24) ? v : v + base; };
            o.seq = seq ? abs(*seq, sb) : next_seq.count(dir) ? next_seq[dir] : sb + 1;
            o.ack = ack ? abs(*ack, ab) : 0;
        }
        if (seq_end && *seq_end >= *seq && *seq_end - *seq != o.len) return error(n, "seq A:B does not match length"), true;
        next_seq[dir] = o.seq + o.len + ((o.flags & flag::SYN) ? 1u : 0u) + ((o.flags & flag::FIN) ? 1u : 0u);
        out.segments.push_back(std::move(o));
        return true;
    }
};

}  // namespace

TextRead parse_text(std::string_view text) {
    TextReader r;
    std::size_t n = 0;
    while (!text.empty()) {
        ++n;
        const auto nl = text.find('\n');
        const auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        const auto tok = split_ws(line);
        if (tok.empty() || tok[0].starts_with("#")) {
            ++r.out.skipped_lines;
            continue;
        }
        const std::size_t before = r.out.segments.size();
        if (!r.tcpdump(tok, n) && !r.wireshark(tok, line, n)) ++r.out.skipped_lines;
        if (r.out.segments.size() > before && r.out.segments.back().t_us) r.out.has_times = true;
    }
    // A time on some rows only is no time to go by.
    if (r.out.has_times)
        for (const auto& s : r.out.segments)
            if (!s.t_us) {
                r.out.errors.push_back(s.where + ": this row has no time while others have one");
                break;
            }
    return r.out;
}

}  // namespace finwave::capture
