// The segment-level lines of a scenario: hand-made segments ("inject") and
// expectations ("expect"), with their header fields and sequence expressions.
#include "finwave/scenario.hpp"

#include <cctype>

#include "finwave/parse_number.hpp"

namespace finwave {

namespace {

struct VarName {
    const char* name;
    SeqVar var;
};
constexpr VarName kVars[] = {
    {"SND.UNA", SeqVar::SndUna}, {"SND.NXT", SeqVar::SndNxt}, {"RCV.NXT", SeqVar::RcvNxt},
    {"RCV.WND", SeqVar::RcvWnd}, {"ISS", SeqVar::Iss},        {"IRS", SeqVar::Irs},
};

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::variant<SeqExpr, std::string> parse_seq_expr(std::string_view text) {
    SeqExpr e;
    e.text = std::string(text);
    const std::string bad = "expected a number or a sum of SND.UNA, SND.NXT, RCV.NXT, RCV.WND, ISS, IRS and numbers "
                            "(e.g. RCV.NXT+RCV.WND+2), found '" + std::string(text) + "'";
    if (text.empty()) return bad;
    std::size_t i = 0;
    int sign = 1;
    if (text[0] == '-' || text[0] == '+') return bad;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && text[j] != '+' && text[j] != '-') ++j;
        const std::string_view term = text.substr(i, j - i);
        if (term.empty()) return bad;
        std::uint32_t n = 0;
        if (parse_integer(term, n)) {
            e.offset += sign * static_cast<std::int64_t>(n);
        } else {
            const std::string name = upper(term);
            bool found = false;
            for (const auto& v : kVars)
                if (name == v.name) {
                    e.vars.emplace_back(v.var, sign);
                    found = true;
                }
            if (!found) return "unknown variable '" + std::string(term) + "' in '" + std::string(text) +
                               "'; expected SND.UNA, SND.NXT, RCV.NXT, RCV.WND, ISS or IRS";
        }
        if (j >= text.size()) break;
        sign = text[j] == '+' ? 1 : -1;
        i = j + 1;
        if (i >= text.size()) return bad;
    }
    if (e.vars.empty() && e.offset < 0) return bad;
    return e;
}

std::uint32_t evaluate(const SeqExpr& e, const TcbView& t, std::uint32_t isn) {
    std::uint32_t v = e.from_isn() ? isn : 0;
    for (const auto& [var, sign] : e.vars) {
        std::uint32_t x = 0;
        switch (var) {
            case SeqVar::SndUna: x = t.snd_una; break;
            case SeqVar::SndNxt: x = t.snd_nxt; break;
            case SeqVar::RcvNxt: x = t.rcv_nxt; break;
            case SeqVar::RcvWnd: x = t.rcv_wnd; break;
            case SeqVar::Iss: x = t.iss; break;
            case SeqVar::Irs: x = t.irs; break;
        }
        v += sign > 0 ? x : 0u - x;
    }
    return v + static_cast<std::uint32_t>(e.offset);
}

std::string describe(const SegmentSpec& s) {
    std::string out = "[" + flag_names(s.flags) + "]";
    if (s.seq) out += " seq=" + s.seq->text;
    if (s.ack) out += " ack=" + s.ack->text;
    if (s.len) out += " len=" + std::to_string(*s.len);
    if (s.win) out += " win=" + std::to_string(*s.win);
    return out;
}

namespace {

std::optional<std::uint8_t> flag_word(std::string_view w) {
    const std::string u = upper(w);
    if (u == "SYN") return flag::SYN;
    if (u == "FIN") return flag::FIN;
    if (u == "RST") return flag::RST;
    if (u == "PSH") return flag::PSH;
    if (u == "ACK") return flag::ACK;
    return std::nullopt;
}

// packetdrill's letters: S F R P and '.' for ACK ("F.", "R", "S.").
std::optional<std::uint8_t> flag_letters_word(std::string_view w) {
    std::uint8_t f = 0;
    for (char c : w) {
        switch (c) {
            case 'S': f |= flag::SYN; break;
            case 'F': f |= flag::FIN; break;
            case 'R': f |= flag::RST; break;
            case 'P': f |= flag::PSH; break;
            case '.': f |= flag::ACK; break;
            default: return std::nullopt;
        }
    }
    if (w.empty()) return std::nullopt;
    return f;
}

}  // namespace

std::variant<std::size_t, std::string> parse_segment_spec(const std::vector<std::string_view>& w, std::size_t i, SegmentSpec& out) {
    const char* flags_hint = "expected the flags, e.g. [FIN, ACK], [RST] or packetdrill's F. R S.";
    if (i >= w.size()) return std::string(flags_hint);
    if (w[i][0] == '[') {
        std::string inside;
        bool closed = false;
        for (; i < w.size(); ++i) {
            inside += std::string(w[i]) + " ";
            if (w[i].back() == ']') {
                closed = true;
                ++i;
                break;
            }
        }
        if (!closed) return std::string("the flags' '[' has no ']', e.g. [FIN, ACK]");
        inside = inside.substr(1, inside.size() - 3);  // drop '[' and "] "
        std::size_t p = 0;
        bool any = false;
        while (p < inside.size()) {
            while (p < inside.size() && (inside[p] == ' ' || inside[p] == ',')) ++p;
            std::size_t q = p;
            while (q < inside.size() && inside[q] != ' ' && inside[q] != ',') ++q;
            if (q == p) break;
            const auto f = flag_word(std::string_view(inside).substr(p, q - p));
            if (!f) return "unknown flag '" + inside.substr(p, q - p) + "'; flags are SYN, FIN, RST, PSH and ACK";
            out.flags |= *f;
            any = true;
            p = q;
        }
        if (!any) return std::string(flags_hint);
    } else if (auto f = flag_letters_word(w[i])) {
        out.flags = *f;
        ++i;
    } else {
        return std::string(flags_hint) + ", found '" + std::string(w[i]) + "'";
    }
    for (; i < w.size(); ++i) {
        const auto eq = w[i].find('=');
        if (eq == std::string_view::npos) break;
        const std::string_view key = w[i].substr(0, eq), value = w[i].substr(eq + 1);
        if (key == "seq" || key == "ack") {
            auto e = parse_seq_expr(value);
            if (auto* err = std::get_if<std::string>(&e)) return *err;
            auto& slot = key == "seq" ? out.seq : out.ack;
            if (slot) return "'" + std::string(key) + "=' is given twice";
            slot = std::get<SeqExpr>(e);
        } else if (key == "len" || key == "win") {
            std::uint32_t n = 0;
            const std::uint32_t max = key == "len" ? 65535u : 1073725440u;  // a window is at most 65535 << 14
            if (!parse_integer(value, n) || n > max)
                return "expected " + std::string(key) + "=N with N from 0 to " + std::to_string(max) + ", found '" + std::string(w[i]) + "'";
            auto& slot = key == "len" ? out.len : out.win;
            if (slot) return "'" + std::string(key) + "=' is given twice";
            slot = n;
        } else {
            return "unknown field '" + std::string(key) + "='; expected seq=, ack=, len= or win=";
        }
    }
    if (out.ack && !(out.flags & flag::ACK)) return std::string("ack= needs the ACK flag, e.g. [FIN, ACK] or F.");
    return i;
}

namespace {

std::optional<Duration> parse_time(std::string_view text) {
    if (text == "0") return Duration{};
    return parse_duration(text);
}
const char* kTimeHint = "a time with a unit, e.g. 0, 250ms, 1.5s or 2min";

}  // namespace

std::variant<Injection, std::string> parse_injection(const std::vector<std::string_view>& w, Duration at) {
    // w: the words after "inject"
    Injection inj;
    inj.at = at;
    if (w.size() < 3 || w[0] != "to") return std::string("expected 'inject to SIDE FLAGS [seq=..] [ack=..] [len=N] [win=N]', e.g. 'inject to server [FIN, ACK] seq=RCV.NXT-1'");
    const auto side = parse_side(w[1]);
    if (!side) return "expected client or server after 'inject to', found '" + std::string(w[1]) + "'";
    inj.to = *side;
    auto r = parse_segment_spec(w, 2, inj.seg);
    if (auto* e = std::get_if<std::string>(&r)) return *e;
    const std::size_t end = std::get<std::size_t>(r);
    if (end < w.size()) return "unexpected '" + std::string(w[end]) + "' after the segment; expected seq=, ack=, len= or win=";
    return inj;
}

std::variant<Expectation, std::string> parse_expectation(const std::vector<std::string_view>& w, Duration anchor, bool explicit_at) {
    // w: the words after "expect"
    Expectation x;
    x.anchor = anchor;
    const char* usage =
        "expected 'expect SIDE sends FLAGS [fields] [within D]', 'expect nothing from SIDE for D', "
        "'expect SIDE state STATE at T|end' or 'expect app SIDE error ERRNO|eof [within D]'";
    if (w.empty()) return std::string(usage);
    std::size_t i = 0;
    auto take_within = [&](std::size_t& k) -> std::optional<std::string> {
        if (k >= w.size()) return std::nullopt;
        if (w[k] != "within" || k + 1 >= w.size()) return "unexpected '" + std::string(w[k]) + "'; expected 'within D' or the end of the line";
        auto d = parse_time(w[k + 1]);
        if (!d) return std::string("expected ") + kTimeHint + " after 'within', found '" + std::string(w[k + 1]) + "'";
        x.within = *d;
        k += 2;
        if (k < w.size()) return "unexpected '" + std::string(w[k]) + "' at the end of the expectation";
        return std::nullopt;
    };
    if (w[0] == "nothing") {
        x.kind = ExpectKind::Nothing;
        if (w.size() != 5 || w[1] != "from" || w[3] != "for") return std::string("expected 'expect nothing from SIDE for D', e.g. 'expect nothing from server for 10s'");
        const auto side = parse_side(w[2]);
        if (!side) return "expected client or server after 'nothing from', found '" + std::string(w[2]) + "'";
        x.side = *side;
        auto d = parse_time(w[4]);
        if (!d || d->is_zero()) return std::string("expected ") + kTimeHint + " (above 0) after 'for', found '" + std::string(w[4]) + "'";
        x.length = *d;
        return x;
    }
    if (w[0] == "app") {
        x.kind = ExpectKind::App;
        if (w.size() < 3) return std::string("expected 'expect app SIDE error ERRNO' or 'expect app SIDE eof'");
        const auto side = parse_side(w[1]);
        if (!side) return "expected client or server after 'app', found '" + std::string(w[1]) + "'";
        x.side = *side;
        i = 2;
        if (w[i] == "eof") {
            x.app_event = "eof";
            ++i;
        } else if (w[i] == "error" && i + 1 < w.size()) {
            static const char* known[] = {"ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "ENOTCONN", "EBADF", "EADDRINUSE", "EISCONN"};
            bool ok = false;
            for (const char* k : known) ok = ok || w[i + 1] == k;
            if (!ok) return "unknown error '" + std::string(w[i + 1]) + "'; expected ECONNRESET, ECONNREFUSED, ETIMEDOUT, EPIPE, ENOTCONN, EBADF, EADDRINUSE or EISCONN";
            x.app_event = std::string(w[i + 1]);
            i += 2;
        } else {
            return "expected 'error ERRNO' or 'eof' after 'expect app " + std::string(w[1]) + "', found '" + std::string(w[i]) + "'";
        }
        if (auto e = take_within(i)) return *e;
        return x;
    }
    const auto side = parse_side(w[0]);
    if (!side) return std::string(usage) + "; found '" + std::string(w[0]) + "'";
    x.side = *side;
    if (w.size() < 2) return std::string(usage);
    if (w[1] == "sends") {
        x.kind = ExpectKind::Sends;
        auto r = parse_segment_spec(w, 2, x.seg);
        if (auto* e = std::get_if<std::string>(&r)) return *e;
        i = std::get<std::size_t>(r);
        if (auto e = take_within(i)) return *e;
        return x;
    }
    if (w[1] == "state") {
        x.kind = ExpectKind::State;
        if (w.size() < 3) return std::string("expected a state after 'state', e.g. 'expect client state TIME-WAIT at 0.5s'");
        const auto st = parse_state(w[2]);
        if (!st) return "unknown state '" + std::string(w[2]) + "'; states are named as in RFC 9293, e.g. TIME-WAIT";
        x.state = *st;
        if (w.size() == 3) {
            if (!explicit_at) return std::string("expected 'at TIME' or 'at end' after the state, e.g. 'expect client state TIME-WAIT at 0.5s'");
            return x;
        }
        if (explicit_at) return "unexpected '" + std::string(w[3]) + "': the time is already given by 'at' before 'expect'";
        if (w.size() != 5 || w[3] != "at") return "unexpected '" + std::string(w[3]) + "'; expected 'at TIME' or 'at end'";
        if (w[4] == "end") {
            x.at_end = true;
            return x;
        }
        auto d = parse_time(w[4]);
        if (!d) return std::string("expected ") + kTimeHint + " or 'end' after 'at', found '" + std::string(w[4]) + "'";
        x.anchor = *d;
        return x;
    }
    return std::string(usage) + "; found '" + std::string(w[1]) + "' after '" + std::string(w[0]) + "'";
}

}  // namespace finwave
