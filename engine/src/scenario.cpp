#include "finwave/scenario.hpp"

#include "finwave/builtin.hpp"
#include "finwave/parse_number.hpp"

#include <cctype>

namespace finwave {

bool SegmentPattern::matches(const Segment& seg, State sender_state_now) const {
    if (from && *from != seg.from) return false;
    if ((seg.flags & flags_required) != flags_required) return false;
    if (pure_ack && (seg.len > 0 || seg.has(flag::SYN) || seg.has(flag::FIN) || seg.has(flag::RST) || !seg.has(flag::ACK)))
        return false;
    if (data && seg.len == 0) return false;
    if (sender_state && *sender_state != sender_state_now) return false;
    return true;
}

std::string describe(const SegmentPattern& p) {
    std::string out = p.from ? to_string(*p.from) : "any";
    if (p.flags_required & flag::SYN) out += " SYN";
    if (p.flags_required & flag::FIN) out += " FIN";
    if (p.flags_required & flag::RST) out += " RST";
    if (p.pure_ack) out += " ack";
    if (p.data) out += " data";
    if (p.sender_state) out += std::string(" in ") + to_string(*p.sender_state);
    return out;
}

const char* to_string(FaultAction a) {
    switch (a) {
        case FaultAction::Drop: return "drop";
        case FaultAction::Duplicate: return "duplicate";
        case FaultAction::Delay: return "delay";
    }
    return "?";
}

std::string describe(const Fault& f) {
    std::string out = std::string(to_string(f.action)) + " " + describe(f.pattern);
    if (f.last == 0) out += f.first == 1 ? " every" : " #" + std::to_string(f.first) + "+";
    else if (f.first == f.last) out += " #" + std::to_string(f.first);
    else out += " #" + std::to_string(f.first) + "-" + std::to_string(f.last);
    if (!f.extra.is_zero()) out += " +" + format_duration(f.extra);
    return out;
}

std::string describe(const Trigger& t) {
    std::string out = std::string("on ") + to_string(t.watch) + " ";
    out += t.on_eof ? "eof" : t.on_reset ? "reset" : (t.state ? to_string(*t.state) : "?");
    if (!t.delay.is_zero()) out += " +" + format_duration(t.delay);
    return out + " " + to_string(t.actor) + " " + describe(t.call);
}

std::string ParseError::to_string() const { return file + ":" + std::to_string(line) + ": " + message; }

namespace {

std::vector<std::string_view> split_words(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        // '#' starts a comment unless a digit follows: "#2" selects a match.
        if (line[i] == '#' && (i + 1 >= line.size() || line[i + 1] < '0' || line[i + 1] > '9')) break;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        words.push_back(line.substr(start, i - start));
    }
    return words;
}

std::string join(const std::vector<std::string_view>& words, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < words.size(); ++i) {
        if (!out.empty()) out += ' ';
        out += words[i];
    }
    return out;
}

std::optional<Duration> parse_time(std::string_view text) {
    if (text == "0") return Duration{};
    return parse_duration(text);
}

const char* kTimeHint = "a time with a unit, e.g. 0, 250ms, 1.5s or 2min";

}  // namespace

std::variant<AppCall, std::string> parse_app_call(const std::vector<std::string_view>& w) {
    if (w.empty()) return std::string("expected an application call (connect, listen, send N, read, close, shutdown, abort, exit, crash, never-close, autoread on|off)");
    const std::string_view verb = w[0];
    AppCall call;
    auto no_args = [&](AppCallKind k) -> std::variant<AppCall, std::string> {
        if (w.size() > 1) return "'" + std::string(verb) + "' takes no argument, found '" + std::string(w[1]) + "'";
        call.kind = k;
        return call;
    };
    if (verb == "connect") return no_args(AppCallKind::Connect);
    if (verb == "listen") return no_args(AppCallKind::Listen);
    if (verb == "close") return no_args(AppCallKind::Close);
    if (verb == "shutdown") return no_args(AppCallKind::Shutdown);
    if (verb == "abort") return no_args(AppCallKind::Abort);
    if (verb == "exit") return no_args(AppCallKind::Exit);
    if (verb == "crash") return no_args(AppCallKind::Crash);
    if (verb == "never-close") return no_args(AppCallKind::NeverClose);
    if (verb == "send" || verb == "read") {
        call.kind = verb == "send" ? AppCallKind::Send : AppCallKind::Read;
        if (w.size() < 2) {
            if (verb == "read") return call;
            return std::string("'send' needs a number of bytes, e.g. 'send 660'");
        }
        if (w.size() > 2) return "'" + std::string(verb) + "' takes one number, found '" + join(w, 1) + "'";
        std::uint32_t n = 0;
        if (!parse_integer(w[1], n) || n > 100000000u)
            return "expected a number of bytes (0 to 100000000) after '" + std::string(verb) + "', found '" + std::string(w[1]) + "'";
        call.bytes = n;
        return call;
    }
    if (verb == "autoread") {
        call.kind = AppCallKind::Autoread;
        if (w.size() != 2 || (w[1] != "on" && w[1] != "off")) return std::string("'autoread' takes on or off");
        call.on = w[1] == "on";
        return call;
    }
    return "unknown application call '" + std::string(verb) +
           "'; expected connect, listen, send N, read [N], close, shutdown, abort, exit, crash, never-close or autoread on|off";
}

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

std::variant<PatternSelection, std::string> parse_pattern(const std::vector<std::string_view>& w) {
    PatternSelection ps;
    auto& p = ps.pattern;
    std::string all;
    for (auto word : w) all += (all.empty() ? "" : " ") + std::string(word);
    for (std::size_t i = 0; i < w.size(); ++i) {
        const std::string_view word = w[i];
        if (auto s = parse_side(word)) {
            if (p.from) return "the side is given twice in '" + all + "'";
            p.from = *s;
        } else if (word == "any") {
        } else if (word == "SYN" || word == "syn") {
            p.flags_required |= flag::SYN;
        } else if (word == "FIN" || word == "fin") {
            p.flags_required |= flag::FIN;
        } else if (word == "RST" || word == "rst") {
            p.flags_required |= flag::RST;
        } else if (word == "ack" || word == "ACK") {
            p.pure_ack = true;
        } else if (word == "data") {
            p.data = true;
        } else if (word == "in") {
            if (i + 1 >= w.size()) return std::string("expected a state after 'in', e.g. 'in CLOSE-WAIT'");
            auto st = parse_state(w[++i]);
            if (!st) return "unknown state '" + std::string(w[i]) + "' after 'in'; states are named as in RFC 9293, e.g. FIN-WAIT-1";
            p.sender_state = *st;
        } else if (word == "every") {
            if (ps.explicit_selection) return std::string("only one of #N, #N-M, #N+ or every may be given");
            ps.explicit_selection = true;
            ps.first = 1;
            ps.last = 0;
        } else if (word[0] == '#') {
            if (ps.explicit_selection) return std::string("only one of #N, #N-M, #N+ or every may be given");
            ps.explicit_selection = true;
            std::string_view spec = word.substr(1);
            const auto dash = spec.find('-');
            std::uint32_t a = 0, b = 0;
            if (!spec.empty() && spec.back() == '+') {
                if (!parse_integer(spec.substr(0, spec.size() - 1), a) || a == 0) return "expected #N+ with N >= 1, found '" + std::string(word) + "'";
                ps.first = a;
                ps.last = 0;
            } else if (dash != std::string_view::npos) {
                if (!parse_integer(spec.substr(0, dash), a) || !parse_integer(spec.substr(dash + 1), b) || a == 0 || b < a)
                    return "expected #N-M with 1 <= N <= M, found '" + std::string(word) + "'";
                ps.first = a;
                ps.last = b;
            } else {
                if (!parse_integer(spec, a) || a == 0) return "expected #N with N >= 1, found '" + std::string(word) + "'";
                ps.first = ps.last = a;
            }
        } else if (word[0] == '+') {
            auto d = parse_time(word.substr(1));
            if (!d) return std::string("expected +DELAY with ") + kTimeHint + ", found '" + std::string(word) + "'";
            ps.extra = *d;
        } else {
            return "unexpected '" + std::string(word) +
                   "' in a segment pattern; expected client/server, SYN, FIN, RST, ack, data, in STATE, #N, #N-M, #N+, every or +DELAY";
        }
    }
    return ps;
}

namespace {

struct LineParser {
    Scenario& sc;
    std::string_view file;
    int line;
    std::optional<ParseError> error;
    Duration last_at{};  // the time of the last 'at' line: what a bare 'expect' counts from
    int host_line = 0;   // the last 'host' line, for a message if no workload follows

    bool fail(std::string message) {
        if (!error) error = ParseError{std::string(file), line, std::move(message)};
        return false;
    }

    bool side_word(std::string_view w, Side& out, const char* what) {
        if (auto s = parse_side(w)) {
            out = *s;
            return true;
        }
        return fail(std::string("expected client or server ") + what + ", found '" + std::string(w) + "'");
    }

    bool fault(FaultAction action, const std::vector<std::string_view>& w) {
        auto parsed = parse_pattern({w.begin() + 1, w.end()});
        if (auto* e = std::get_if<std::string>(&parsed)) return fail(*e);
        const PatternSelection& ps = std::get<PatternSelection>(parsed);
        Fault f;
        f.action = action;
        f.line = line;
        f.pattern = ps.pattern;
        f.first = ps.first;
        f.last = ps.last;
        f.extra = ps.extra;
        if (action != FaultAction::Drop && f.extra.is_zero())
            return fail(std::string("'") + to_string(action) + "' needs +DELAY, e.g. '" + to_string(action) + " server FIN +500ms'");
        if (action == FaultAction::Drop && !f.extra.is_zero()) return fail("'drop' takes no +DELAY");
        sc.faults.push_back(f);
        return true;
    }

    bool inject(const std::vector<std::string_view>& w, Duration at) {
        auto r = parse_injection(w, at);
        if (auto* e = std::get_if<std::string>(&r)) return fail(*e);
        sc.injections.push_back(std::get<Injection>(r));
        sc.injections.back().line = line;
        return true;
    }

    bool expect(const std::vector<std::string_view>& w, Duration anchor, bool explicit_at) {
        auto r = parse_expectation(w, anchor, explicit_at);
        if (auto* e = std::get_if<std::string>(&r)) return fail(*e);
        Expectation x = std::get<Expectation>(r);
        x.line = line;
        x.origin = std::string(file);
        x.text = "expect " + join(w, 0);
        sc.expectations.push_back(std::move(x));
        return true;
    }

    bool use(const std::vector<std::string_view>& w) {
        if (w.size() != 2) return fail("expected 'use NAME' with the name of a built-in scenario");
        if (!sc.calls.empty() || !sc.triggers.empty() || !sc.faults.empty() || !sc.knobs.empty())
            return fail("'use' must come before the scenario's own lines");
        const auto text = find_builtin(w[1]);
        if (!text) return fail("no built-in scenario named '" + std::string(w[1]) + "' (see 'finwave scenarios')");
        auto base = parse_scenario(*text, "builtin:" + std::string(w[1]));
        if (auto* e = std::get_if<ParseError>(&base)) return fail("the built-in scenario does not parse: " + e->to_string());
        const std::string source = sc.source;
        const std::string own_name = sc.name;
        sc = std::get<Scenario>(base);
        sc.source = source;  // errors and script lines refer to this file
        if (!own_name.empty()) sc.name = own_name;
        for (auto& c : sc.calls) c.line = 0;  // imported lines have no line in this file
        for (auto& t : sc.triggers) t.line = 0;
        for (auto& f : sc.faults) f.line = 0;
        for (auto& k : sc.knobs) k.line = 0;
        for (auto& j : sc.injections) j.line = 0;
        sc.base = std::string(w[1]);
        sc.base_modified = false;
        return true;
    }

    bool parse(const std::vector<std::string_view>& w) {
        const std::string_view key = w[0];
        if (!sc.base.empty() && key != "scenario" && key != "description" && key != "use" && key != "expect" &&
            !(key == "at" && w.size() > 2 && w[2] == "expect"))
            sc.base_modified = true;
        if (key == "scenario") {
            if (w.size() != 2) return fail("expected 'scenario NAME' with a name made of letters, digits and '-'");
            for (char c : w[1])
                if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
                    return fail("scenario names use letters, digits, '-' and '_' only: '" + std::string(w[1]) + "'");
            sc.name = std::string(w[1]);
            return true;
        }
        if (key == "description") {
            if (w.size() < 2) return fail("expected 'description' followed by one line of text");
            sc.description = join(w, 1);
            return true;
        }
        if (key == "profile") {
            if (w.size() != 2 || !parse_profile(w[1])) return fail("expected 'profile linux' or 'profile rfc'");
            sc.profile = parse_profile(w[1]);
            return true;
        }
        if (key == "set") {
            if (w.size() < 2) return fail("expected 'set knob=value', e.g. 'set fin_timeout=3s'");
            for (std::size_t i = 1; i < w.size(); ++i) {
                const auto eq = w[i].find('=');
                if (eq == std::string_view::npos || eq == 0)
                    return fail("expected knob=value, found '" + std::string(w[i]) + "'");
                Knobs scratch;
                if (auto err = set_knob(scratch, w[i].substr(0, eq), w[i].substr(eq + 1))) return fail(*err);
                sc.knobs.push_back({std::string(w[i].substr(0, eq)), std::string(w[i].substr(eq + 1)), line});
            }
            return true;
        }
        if (key == "seed") {
            std::uint64_t s = 0;
            if (w.size() != 2 || !parse_integer(w[1], s)) return fail("expected 'seed N' with a whole number");
            sc.seed = s;
            return true;
        }
        if (key == "loss") {
            if (w.size() != 2 && !(w.size() == 4 && w[2] == "until")) return fail("expected 'loss 10%' or 'loss 10% until 5s'");
            std::string_view p = w[1];
            double v = 0;
            const bool percent = !p.empty() && p.back() == '%';
            if (percent) p.remove_suffix(1);
            // from_chars for double is not in every standard library we build with.
            std::uint32_t whole = 0, frac = 0, scale = 1;
            const auto dot = p.find('.');
            if (!parse_integer(p.substr(0, dot), whole)) return fail("expected a loss rate like 10% or 0.1, found '" + std::string(w[1]) + "'");
            if (dot != std::string_view::npos) {
                const std::string_view f = p.substr(dot + 1);
                if (f.empty() || f.size() > 6 || !parse_integer(f, frac)) return fail("expected a loss rate like 10% or 0.1, found '" + std::string(w[1]) + "'");
                for (std::size_t i = 0; i < f.size(); ++i) scale *= 10;
            }
            v = whole + static_cast<double>(frac) / scale;
            if (percent) v /= 100.0;
            if (v < 0 || v > 1) return fail("a loss rate is between 0% and 100%");
            sc.loss = v;
            if (w.size() == 4) {
                auto d = parse_time(w[3]);
                if (!d) return fail(std::string("expected ") + kTimeHint + " after 'until'");
                sc.loss_until = *d;
            }
            return true;
        }
        if (key == "until") {
            auto d = w.size() == 2 ? parse_time(w[1]) : std::nullopt;
            if (!d) return fail(std::string("expected 'until TIME' with ") + kTimeHint);
            sc.until = *d;
            return true;
        }
        if (key == "at") {
            if (w.size() < 3) return fail("expected 'at TIME SIDE CALL', e.g. 'at 1s client close'");
            ScheduledCall c;
            c.line = line;
            auto d = parse_time(w[1]);
            if (!d) return fail(std::string("expected ") + kTimeHint + " after 'at', found '" + std::string(w[1]) + "'");
            c.at = *d;
            last_at = *d;
            if (w[2] == "inject") return inject({w.begin() + 3, w.end()}, *d);
            if (w[2] == "expect") return expect({w.begin() + 3, w.end()}, *d, true);
            if (w.size() == 4 && w[3] == "restart") {
                if (w[2] != "server") return fail("only the server restarts: 'at TIME server restart'");
                sc.host.restarts.push_back({*d, line});
                return true;
            }
            if (w.size() < 4) return fail("expected 'at TIME SIDE CALL', e.g. 'at 1s client close'");
            if (!side_word(w[2], c.side, "after the time")) return false;
            auto call = parse_app_call({w.begin() + 3, w.end()});
            if (auto* e = std::get_if<std::string>(&call)) return fail(*e);
            c.call = std::get<AppCall>(call);
            sc.calls.push_back(c);
            return true;
        }
        if (key == "on") {
            if (w.size() < 5) return fail("expected 'on SIDE EVENT [+DELAY] SIDE CALL', e.g. 'on server eof +300ms server close'");
            Trigger t;
            t.line = line;
            if (!side_word(w[1], t.watch, "after 'on'")) return false;
            if (w[2] == "eof") t.on_eof = true;
            else if (w[2] == "reset") t.on_reset = true;
            else if (auto st = parse_state(w[2])) t.state = *st;
            else return fail("expected eof, reset or a state name (e.g. CLOSE-WAIT) after 'on " + std::string(w[1]) + "', found '" + std::string(w[2]) + "'");
            std::size_t i = 3;
            if (w[i][0] == '+') {
                auto d = parse_time(w[i].substr(1));
                if (!d) return fail(std::string("expected +DELAY with ") + kTimeHint + ", found '" + std::string(w[i]) + "'");
                t.delay = *d;
                ++i;
            }
            if (i + 1 >= w.size()) return fail("expected 'SIDE CALL' after the event, e.g. 'server close'");
            if (!side_word(w[i], t.actor, "before the call")) return false;
            auto call = parse_app_call({w.begin() + static_cast<long>(i) + 1, w.end()});
            if (auto* e = std::get_if<std::string>(&call)) return fail(*e);
            t.call = std::get<AppCall>(call);
            sc.triggers.push_back(t);
            return true;
        }
        if (key == "workload") {
            if (sc.host.workload) return fail("only one 'workload' line per scenario");
            auto r = parse_workload({w.begin() + 1, w.end()});
            if (auto* e = std::get_if<std::string>(&r)) return fail(*e);
            sc.host.workload = std::get<Workload>(r);
            sc.host.workload->line = line;
            return true;
        }
        if (key == "host") {
            if (w.size() < 3) return fail("expected 'host SIDE name=value ...', e.g. 'host client port_range=32768-60999'");
            Side s = Side::Client;
            if (!side_word(w[1], s, "after 'host'")) return false;
            for (std::size_t i = 2; i < w.size(); ++i) {
                const auto eq = w[i].find('=');
                if (eq == std::string_view::npos || eq == 0) return fail("expected name=value, found '" + std::string(w[i]) + "'");
                if (auto err = set_host_setting(sc.host.hosts[static_cast<std::size_t>(s)], w[i].substr(0, eq), w[i].substr(eq + 1)))
                    return fail(*err);
            }
            host_line = line;
            return true;
        }
        if (key == "use") return use(w);
        if (key == "expect") return expect({w.begin() + 1, w.end()}, last_at, false);
        if (key == "inject") return fail("'inject' needs a time: 'at TIME inject to SIDE FLAGS ...'");
        if (key == "drop") return fault(FaultAction::Drop, w);
        if (key == "duplicate") return fault(FaultAction::Duplicate, w);
        if (key == "delay") return fault(FaultAction::Delay, w);
        return fail("unknown directive '" + std::string(key) +
                    "'; expected scenario, use, description, profile, set, seed, loss, until, at, on, drop, duplicate, delay, expect, workload or host");
    }
};

// A workload runs many connections, so lines that script the one pair of
// connections do not apply to it; host lines mean nothing without one.
std::optional<std::pair<int, std::string>> check_host_part(const Scenario& sc, int host_line) {
    const HostPart& h = sc.host;
    if (!h.workload) {
        if (!h.restarts.empty()) return std::pair{h.restarts.front().line, std::string("'server restart' needs a 'workload' line")};
        if (host_line > 0) return std::pair{host_line, std::string("'host' lines need a 'workload' line")};
        return std::nullopt;
    }
    int first = 0;
    auto earliest = [&](int l) { if (l > 0 && (first == 0 || l < first)) first = l; };
    for (const auto& c : sc.calls) earliest(c.line);
    for (const auto& t : sc.triggers) earliest(t.line);
    for (const auto& f : sc.faults) earliest(f.line);
    for (const auto& j : sc.injections) earliest(j.line);
    for (const auto& x : sc.expectations) earliest(x.line);
    if (first > 0 || !sc.base.empty())
        return std::pair{first > 0 ? first : h.workload->line,
                         std::string("a 'workload' scenario runs many connections: 'use', 'at TIME SIDE CALL', 'on', 'inject', "
                                     "'expect' and drop/duplicate/delay lines script one connection and cannot be mixed with it "
                                     "(use 'loss' for lost segments)")};
    return std::nullopt;
}

}  // namespace

std::variant<Scenario, ParseError> parse_scenario(std::string_view text, std::string_view file, int first_line) {
    Scenario sc;
    sc.source = std::string(file);
    LineParser p{sc, file, first_line, std::nullopt};
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        for (unsigned char c : line)
            if (c < 0x20 && c != '\t') return ParseError{std::string(file), p.line, "control character in the text (is this a binary file?)"};
        const auto words = split_words(line);
        if (!words.empty() && !p.parse(words)) return *p.error;
        if (end == text.size()) break;
        pos = end + 1;
        ++p.line;
    }
    if (sc.name.empty()) return ParseError{std::string(file), first_line, "missing 'scenario NAME' line"};
    // A built-in's expectations hold for the built-in, not for a changed copy.
    if (sc.base_modified)
        std::erase_if(sc.expectations, [&](const Expectation& x) { return x.origin != sc.source; });
    if (auto err = check_host_part(sc, p.host_line)) return ParseError{std::string(file), err->first, err->second};
    if (sc.calls.empty() && sc.triggers.empty() && sc.injections.empty() && !sc.host.any())
        return ParseError{std::string(file), first_line, "the scenario has no 'at' or 'on' lines: nothing would happen"};
    return sc;
}

std::string describe(const KnobError& e) {
    if (e.kind == KnobError::Kind::UnknownKnob) return "unknown knob '" + e.name + "'; known knobs: " + known_knob_names();
    const std::string_view x = e.expected;
    const char* what = x == "duration"          ? "a duration with a unit, e.g. 200ms, 1.5s, 2min"
                       : x == "duration-or-off" ? "a duration with a unit (e.g. 60s) or off"
                       : x == "above-zero"      ? "a number above 0"
                       : x == "u32-or-auto"     ? "a number from 0 to 4294967295, or auto"
                       : x == "on-off"          ? "on or off"
                       : x == "time-or-count"   ? "time or count"
                                                : "a whole number >= 0";
    return "knob '" + e.name + "' does not take '" + e.value + "': expected " + what;
}

std::optional<std::string> set_knob(Knobs& k, std::string_view name, std::string_view value) {
    if (auto e = apply_knob(k, name, value)) return describe(*e);
    return std::nullopt;
}

std::variant<Knobs, std::string> resolve_knobs(const Scenario& s, Profile profile,
                                               const std::vector<std::pair<std::string, std::string>>& overrides) {
    Knobs k = defaults_for(profile);
    for (const auto& ks : s.knobs)
        if (auto err = set_knob(k, ks.name, ks.value)) return s.source + ":" + std::to_string(ks.line) + ": " + *err;
    for (const auto& [name, value] : overrides)
        if (auto err = set_knob(k, name, value)) return *err;
    return k;
}

}  // namespace finwave
