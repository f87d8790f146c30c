// The stories a seed can draw: the built-in scenarios' close patterns with
// their variations, as scenario text plus the facts a learner is told.
#include <algorithm>

#include "finwave/event_text.hpp"
#include "internal.hpp"

namespace finwave::practice::detail {

namespace {

using i18n::Words;

template <typename T, std::size_t N>
const T& pick(Rng& r, const T (&options)[N]) {
    return options[r.below(static_cast<std::uint32_t>(N))];
}

std::string ms(std::int64_t v) { return std::to_string(v) + "ms"; }

std::string call_words(AppCallKind k, const Words& w) {
    AppCall c;
    c.kind = k;
    return i18n::call_text(c, w);
}

// The data exchange every story starts with. Sizes vary so that two seeds
// rarely tell the same story, and Seq/Ack questions need real arithmetic.
constexpr std::int64_t kClientSendMs = 100;
constexpr std::int64_t kServerSendMs = 150;

void add_data(Story& s, Rng& r) {
    const std::uint32_t a = 1 + r.below(1460);
    const std::uint32_t b = 1 + r.below(1460);
    s.lines.push_back("at " + ms(kClientSendMs) + " client send " + std::to_string(a));
    s.lines.push_back("at " + ms(kServerSendMs) + " server send " + std::to_string(b));
    s.facts.push_back([a](const Words& w) {
        return w("practice.fact.send", {format_seconds(kClientSendMs * 1000), side_word(Side::Client, w), std::to_string(a)});
    });
    s.facts.push_back([b](const Words& w) {
        return w("practice.fact.send", {format_seconds(kServerSendMs * 1000), side_word(Side::Server, w), std::to_string(b)});
    });
}

void call_at(Story& s, std::int64_t t_ms, Side side, AppCallKind k) {
    const char* word = k == AppCallKind::Close ? "close" : k == AppCallKind::Shutdown ? "shutdown" : "abort";
    s.lines.push_back("at " + ms(t_ms) + " " + to_string(side) + " " + word);
    s.facts.push_back([=](const Words& w) {
        return w("practice.fact.call", {format_seconds(t_ms * 1000), side_word(side, w), call_words(k, w)});
    });
}

void on_eof(Story& s, Side side, std::int64_t delay_ms, AppCallKind k) {
    const char* word = k == AppCallKind::Close ? "close" : "shutdown";
    s.lines.push_back("on " + std::string(to_string(side)) + " eof" + (delay_ms > 0 ? " +" + ms(delay_ms) : "") + " " +
                      to_string(side) + " " + word);
    s.facts.push_back([=](const Words& w) {
        if (delay_ms == 0) return w("practice.fact.on_eof_now", {side_word(side, w), call_words(k, w)});
        return w("practice.fact.on_eof", {format_seconds(delay_ms * 1000), side_word(side, w), call_words(k, w)});
    });
}

// "drop client FIN #1-2": `what` is the pattern, `times` 1-3 or 0 for every one.
void lose(Story& s, Side side, const std::string& what, int times) {
    const std::string sel = times == 0 ? "every" : times == 1 ? "#1" : "#1-" + std::to_string(times);
    std::string pattern = what == "fin" ? "FIN" : what == "ack-fin" ? "ack in CLOSE-WAIT" : "ack in TIME-WAIT";
    s.lines.push_back("drop " + std::string(to_string(side)) + " " + pattern + " " + sel);
    s.faults.push_back({s.lines.back(), times});
    s.facts.push_back([=](const Words& w) {
        const std::string seg = w("practice.seg." + what, {side_word(side, w)});
        const std::string how = times == 0 ? w("practice.times.every") : w("practice.times." + std::to_string(times));
        return w("practice.fact.lost", {seg, how});
    });
}

void set_knob(Story& s, const std::string& name, const std::string& value) {
    for (auto& kv : s.set)
        if (kv.first == name) {
            kv.second = value;
            return;
        }
    s.set.emplace_back(name, value);
}

// Non-default knobs for levels 2 and 3, from those that matter to the story.
void extra_knobs(Story& s, Rng& r, int count) {
    std::vector<std::string> names;
    switch (s.tmpl) {
        case Template::Close:
        case Template::Simultaneous: names = {"time_wait", "delayed_ack", "latency"}; break;
        case Template::Lost: names = {"rto_min", "delayed_ack", "latency", "time_wait"}; break;
        case Template::FinWait2: names = {"latency", "delayed_ack"}; break;
        case Template::Orphan: names = {"rto_min", "latency"}; break;
        case Template::Rst: names = {"latency", "delayed_ack"}; break;
        case Template::kCount: break;
    }
    if (s.profile == Profile::Linux && (s.tmpl == Template::Lost || s.tmpl == Template::Orphan)) names.push_back("tlp");
    for (int i = 0; i < count && !names.empty(); ++i) {
        const std::size_t at = r.below(static_cast<std::uint32_t>(names.size()));
        std::string name = names[at];
        names.erase(names.begin() + static_cast<std::ptrdiff_t>(at));
        if (name == "time_wait") {
            // The rfc profile derives TIME-WAIT from the MSL (2 x MSL).
            static const char* const tw[] = {"5s", "10s", "30s"};
            static const char* const msl[] = {"5s", "15s", "30s"};
            if (s.profile == Profile::Rfc) set_knob(s, "msl", pick(r, msl));
            else set_knob(s, "time_wait", pick(r, tw));
        } else if (name == "delayed_ack") {
            static const char* const v[] = {"10ms", "100ms", "150ms"};
            set_knob(s, name, pick(r, v));
        } else if (name == "latency") {
            static const char* const v[] = {"5ms", "20ms", "30ms"};
            set_knob(s, name, pick(r, v));
        } else if (name == "rto_min") {
            static const char* const v[] = {"100ms", "300ms", "400ms"};
            set_knob(s, name, pick(r, v));
        } else if (name == "tlp") {
            set_knob(s, name, "off");
        }
    }
}

}  // namespace

Text both(const Wording& f) {
    return {f(Words(i18n::Lang::En)), f(Words(i18n::Lang::Zh))};
}

std::string side_word(Side s, const Words& w) { return w(std::string("side.") + to_string(s) + "_lower"); }

Story draw_story(Rng& r, Template t, int level) {
    Story s;
    s.tmpl = t;
    if (level == 1) s.profile = Profile::Linux;
    else if (level == 2) s.profile = r.below(10) < 7 ? Profile::Linux : Profile::Rfc;
    else s.profile = r.below(2) == 0 ? Profile::Linux : Profile::Rfc;
    s.closer = r.below(2) == 0 ? Side::Client : Side::Server;
    const Side peer = peer_of(s.closer);
    const std::int64_t close_ms = 250 + 10 * static_cast<std::int64_t>(r.below(30));
    const std::int64_t peer_delay_ms = 10 * static_cast<std::int64_t>(r.below(40));
    add_data(s, r);
    const int knobs = level - 1;

    switch (t) {
        case Template::Close: {
            const AppCallKind first = level > 1 && r.below(3) == 0 ? AppCallKind::Shutdown : AppCallKind::Close;
            const AppCallKind second = level > 1 && r.below(4) == 0 ? AppCallKind::Shutdown : AppCallKind::Close;
            call_at(s, close_ms, s.closer, first);
            on_eof(s, peer, peer_delay_ms, second);
            extra_knobs(s, r, knobs);
            break;
        }
        case Template::Lost: {
            static const char* const waves[] = {"fin", "ack-fin", "fin", "last-ack"};
            const std::uint32_t w1 = r.below(4);
            auto side_of = [&](std::uint32_t wave) { return wave == 0 || wave == 3 ? s.closer : peer; };
            call_at(s, close_ms, s.closer, AppCallKind::Close);
            on_eof(s, peer, peer_delay_ms, AppCallKind::Close);
            lose(s, side_of(w1), waves[w1], level == 1 ? 1 : 1 + static_cast<int>(r.below(3)));
            if (level == 3) {
                const std::uint32_t w2 = (w1 + 1 + r.below(3)) % 4;
                lose(s, side_of(w2), waves[w2], 1 + static_cast<int>(r.below(2)));
            }
            extra_knobs(s, r, knobs > 0 ? knobs - 1 : 0);
            break;
        }
        case Template::FinWait2: {
            const AppCallKind first = r.below(3) == 0 ? AppCallKind::Shutdown : AppCallKind::Close;
            s.lines.push_back("at 0 " + std::string(to_string(peer)) + " never-close");
            s.facts.push_back([peer](const Words& w) { return w("practice.fact.never_close", {side_word(peer, w)}); });
            call_at(s, close_ms, s.closer, first);
            if (level > 1) {
                static const char* const v[] = {"2s", "3s", "5s", "10s", "20s"};
                set_knob(s, "fin_timeout", pick(r, v));
            }
            extra_knobs(s, r, knobs - 1);
            break;
        }
        case Template::Orphan: {
            call_at(s, close_ms, s.closer, AppCallKind::Close);
            lose(s, s.closer, "fin", 0);
            if (level > 1) set_knob(s, "orphan_retries", std::to_string(1 + r.below(4)));
            extra_knobs(s, r, knobs - 1);
            break;
        }
        case Template::Rst: {
            s.rst_case = kRstCases[r.below(5)];
            if (s.rst_case == "unread-data") {
                s.lines.push_back("at 0 " + std::string(to_string(s.closer)) + " autoread off");
                const Side c = s.closer;
                s.facts.push_back([c](const Words& w) { return w("practice.fact.no_read", {side_word(c, w)}); });
                call_at(s, close_ms, s.closer, AppCallKind::Close);
            } else if (s.rst_case == "linger-zero") {
                call_at(s, close_ms, s.closer, AppCallKind::Abort);
            } else if (s.rst_case == "data-after-close") {
                call_at(s, close_ms, s.closer, AppCallKind::Close);
                const std::uint32_t n = 1 + r.below(1460);
                const std::int64_t d = 10 + peer_delay_ms;
                s.lines.push_back("on " + std::string(to_string(peer)) + " eof +" + ms(d) + " " + to_string(peer) + " send " +
                                  std::to_string(n));
                s.facts.push_back([=](const Words& w) {
                    return w("practice.fact.send_on_eof", {format_seconds(d * 1000), side_word(peer, w), std::to_string(n)});
                });
            } else if (s.rst_case == "too-many-orphans") {
                set_knob(s, "max_orphans", "0");
                set_knob(s, "host_orphans", "1");
                call_at(s, close_ms, s.closer, AppCallKind::Close);
            } else {
                // A host that lost its state: only the server listens again.
                s.closer = Side::Server;
                const std::int64_t back_ms = close_ms + 100;
                const std::int64_t send_ms = back_ms + 10 * static_cast<std::int64_t>(1 + r.below(30));
                const std::uint32_t n = 1 + r.below(1460);
                s.lines.push_back("at " + ms(close_ms) + " server crash");
                s.lines.push_back("at " + ms(back_ms) + " server listen");
                s.lines.push_back("at " + ms(send_ms) + " client send " + std::to_string(n));
                s.facts.push_back([=](const Words& w) {
                    return w("practice.fact.crash", {format_seconds(close_ms * 1000), side_word(Side::Server, w),
                                                     format_seconds(back_ms * 1000)});
                });
                s.facts.push_back([=](const Words& w) {
                    return w("practice.fact.send", {format_seconds(send_ms * 1000), side_word(Side::Client, w), std::to_string(n)});
                });
            }
            extra_knobs(s, r, knobs);
            break;
        }
        case Template::Simultaneous: {
            extra_knobs(s, r, knobs);
            std::int64_t latency_ms = 10;
            for (const auto& [k, v] : s.set)
                if (k == "latency") latency_ms = std::stoll(v);
            // Both FINs leave before either arrives: the second close comes
            // less than one link delay after the first.
            const std::int64_t gap = static_cast<std::int64_t>(r.below(static_cast<std::uint32_t>(latency_ms)));
            call_at(s, close_ms, s.closer, AppCallKind::Close);
            call_at(s, close_ms + gap, peer, AppCallKind::Close);
            break;
        }
        case Template::kCount: break;
    }
    return s;
}

std::string scenario_text(const Story& s, std::uint64_t seed, int level) {
    std::string out = "scenario practice-" + std::to_string(seed) + "\n";
    out += "description Practice exercise " + std::to_string(seed) + " (level " + std::to_string(level) + ", " +
           to_string(s.tmpl) + ").\n";
    out += std::string("profile ") + to_string(s.profile) + "\n";
    if (!s.set.empty()) {
        out += "set";
        for (const auto& [k, v] : s.set) out += " " + k + "=" + v;
        out += "\n";
    }
    out += "at 0 server listen\nat 0 client connect\n";
    for (const auto& l : s.lines) out += l + "\n";
    return out;
}

std::vector<std::string> shown_knobs(const Story& s, const Knobs& k) {
    std::vector<std::string> names = {"latency", "delayed_ack", "rto_min", "tlp", "time_wait", "fin_timeout", "orphan_retries"};
    for (const auto& kv : s.set)
        if (std::find(names.begin(), names.end(), kv.first) == names.end()) names.push_back(kv.first);
    std::vector<std::string> out;
    for (const auto& n : names)
        if (auto v = get_knob(k, n)) out.push_back(n + "=" + *v);
    return out;
}

}  // namespace finwave::practice::detail
