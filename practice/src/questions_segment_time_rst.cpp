// Questions about a segment (Seq, Ack, Len, flags), about time (a
// retransmission, the give-up, the closing time) and about an RST.
#include <algorithm>

#include "finwave/event_text.hpp"
#include "finwave/trace.hpp"
#include "internal.hpp"

namespace finwave::practice::detail {

namespace {

using i18n::Words;

template <typename T>
void shuffle(std::vector<T>& v, Rng& r) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[r.below(static_cast<std::uint32_t>(i))]);
}

std::size_t index_of(const Simulation& sim, const TraceEvent& e) { return static_cast<std::size_t>(&e - sim.trace().data()); }

bool first_send_at_its_time(const Simulation& sim, const TraceEvent& e) {
    for (std::size_t i = index_of(sim, e); i-- > 0 && sim.trace()[i].t == e.t;)
        if (sim.trace()[i].kind == EventKind::Send && sim.trace()[i].side == e.side) return false;
    return true;
}

// What made `e` (a Send) leave now: a segment that just arrived, a timer, or the application.
Deciding trigger_of(const Simulation& sim, const TraceEvent& e) {
    Deciding d;
    for (std::size_t i = index_of(sim, e); i-- > 0 && sim.trace()[i].t == e.t;) {
        const TraceEvent& p = sim.trace()[i];
        if (p.side != e.side) continue;
        if (p.kind == EventKind::Deliver) {
            d.seg = p.seg_id;
            return d;
        }
        if (p.kind == EventKind::TimerFire) {
            d.knob = p.timer == TimerKind::DelayedAck ? "delayed_ack" : p.timer == TimerKind::TimeWait ? "time_wait" : "rto_min";
            return d;
        }
    }
    d.story = true;
    return d;
}

const char* const kFlagPool[] = {"A", "FA", "RA", "R", "PA", "FPA"};

}  // namespace

bool field_question(Exercise& ex, const Story& story, const Simulation& sim, Rng& r) {
    const TraceEvent* t0 = close_call(sim);
    if (!t0) return false;
    std::vector<const TraceEvent*> cands;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::Send && !e.injected && e.t >= t0->t && first_send_at_its_time(sim, e)) cands.push_back(&e);
    if (cands.empty()) return false;
    const TraceEvent& e = *cands[r.below(static_cast<std::uint32_t>(cands.size()))];
    std::vector<std::string> fields{"seq", "flags"};
    if (e.flags & flag::ACK) fields.push_back("ack");
    if (e.len > 0) fields.push_back("len");
    const std::string field = fields[r.below(static_cast<std::uint32_t>(fields.size()))];
    ex.kind = Kind::Field;
    ex.field = field;
    ex.side = e.side;
    ex.t = e.t;
    ex.shown_until = e.t;
    ex.shown_inclusive = false;
    ex.lesson = story.tmpl == Template::Rst ? "rst" : story.tmpl == Template::Lost ? "lost-segments" : "why-four-segments";
    const std::string label = segment_label(e);
    if (field == "flags") {
        ex.answer = flag_letters(e.flags);
        std::vector<std::string> others;
        for (const char* f : kFlagPool)
            if (ex.answer != f) others.push_back(f);
        shuffle(others, r);
        ex.choices.push_back({ex.answer, {"[" + flag_names(e.flags) + "]", "[" + flag_names(e.flags) + "]"}});
        for (std::size_t i = 0; i < 3; ++i) {
            std::uint8_t bits = 0;
            for (char c : others[i])
                bits |= c == 'A' ? flag::ACK : c == 'F' ? flag::FIN : c == 'R' ? flag::RST : c == 'P' ? flag::PSH : flag::SYN;
            ex.choices.push_back({others[i], {"[" + flag_names(bits) + "]", "[" + flag_names(bits) + "]"}});
        }
        shuffle(ex.choices, r);
        ex.deciding = trigger_of(sim, e);
        ex.why = both([&](const Words& w) {
            return w("practice.why.flags", {why_segment(sim, ex.deciding, e.t, w), side_word(e.side, w), label});
        });
    } else if (field == "seq") {
        ex.answer = std::to_string(e.seq);
        // The segment before it from the same side shows where the numbers stand.
        for (std::size_t i = index_of(sim, e); i-- > 0;)
            if (sim.trace()[i].kind == EventKind::Send && sim.trace()[i].side == e.side) {
                ex.deciding.seg = sim.trace()[i].seg_id;
                break;
            }
        ex.why = both([&](const Words& w) {
            if (e.retransmission) return w("practice.why.seq_rtx", {side_word(e.side, w), label});
            return w("practice.why.seq", {side_word(e.side, w), std::to_string(e.seq == 0 ? 0 : e.seq - 1), label});
        });
    } else if (field == "ack") {
        ex.answer = std::to_string(e.ack);
        for (std::size_t i = index_of(sim, e); i-- > 0;)
            if (sim.trace()[i].kind == EventKind::Deliver && sim.trace()[i].side == e.side) {
                ex.deciding.seg = sim.trace()[i].seg_id;
                break;
            }
        ex.why = both([&](const Words& w) {
            return w("practice.why.ack", {side_word(e.side, w), side_word(peer_of(e.side), w), std::to_string(e.ack - 1), label});
        });
    } else {
        ex.answer = std::to_string(e.len);
        ex.deciding = trigger_of(sim, e);
        ex.why = both([&](const Words& w) { return w("practice.why.len", {label, std::to_string(e.len)}); });
    }
    ex.prompt = both([&](const Words& w) {
        if (field == "flags") return w("practice.q.field_flags", {side_word(e.side, w), format_seconds(e.t.us)});
        return w("practice.q.field", {w("practice.field." + field), side_word(e.side, w), format_seconds(e.t.us)});
    });
    return true;
}

namespace {

// The retransmissions of `side`'s FIN, with the timer that sent each and how long it ran.
struct Resend {
    const TraceEvent* send;
    TimerKind timer;
    std::int64_t interval_us;  // from the timer's setting to its expiry
};

std::vector<Resend> fin_resends(const Simulation& sim, Side side) {
    std::vector<Resend> out;
    const auto& tr = sim.trace();
    for (std::size_t i = 0; i < tr.size(); ++i) {
        const TraceEvent& e = tr[i];
        if (e.kind != EventKind::Send || e.side != side || !e.retransmission || !(e.flags & flag::FIN)) continue;
        const TraceEvent* fire = nullptr;
        for (std::size_t j = i; j-- > 0 && tr[j].t == e.t;)
            if (tr[j].kind == EventKind::TimerFire && tr[j].side == side) fire = &tr[j];
        if (!fire) continue;
        const TraceEvent* set = nullptr;
        for (std::size_t j = index_of(sim, *fire); j-- > 0;)
            if (tr[j].kind == EventKind::TimerSet && tr[j].side == side && tr[j].timer == fire->timer) {
                set = &tr[j];
                break;
            }
        if (!set || set->deadline != e.t) continue;
        out.push_back({&e, fire->timer, (e.t - set->t).us});
    }
    return out;
}

}  // namespace

bool timing_question(Exercise& ex, const Story& story, const Simulation& sim, Kind kind, Rng& r) {
    const TraceEvent* t0 = close_call(sim);
    if (!t0) return false;
    ex.kind = kind;
    ex.shown_inclusive = true;
    ex.show_timers = true;
    if (kind == Kind::ClosedTime) {
        const auto& a = sim.endpoint(Side::Client);
        const auto& b = sim.endpoint(Side::Server);
        if (a.state() != State::Closed || b.state() != State::Closed || !sim.finished()) return false;
        const TraceEvent* last = nullptr;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::State && e.to == State::Closed) last = &e;
        if (!last || last->t <= t0->t) return false;
        const std::int64_t ans = (last->t - t0->t).us;
        const std::int64_t tw = sim.knobs().time_wait.us;
        const std::int64_t other_tw = sim.knobs().profile == Profile::Linux ? 240'000'000 : 60'000'000;
        const std::int64_t lat = sim.knobs().latency.us;
        ex.side = t0->side;
        ex.t = t0->t;
        ex.shown_until = t0->t;
        ex.shown_inclusive = false;
        ex.show_timers = false;
        ex.answer = std::to_string(ans);
        // After a loss the recovery takes timer values a learner cannot read
        // off the ladder (RTO, tail loss probe): then the wrong choices differ
        // by whole TIME-WAITs, not by a link delay.
        std::vector<std::int64_t> wrong{ans - tw + other_tw, ans > tw ? ans - tw : ans + 2 * tw, ans + tw};
        if (story.faults.empty()) wrong.insert(wrong.end(), {ans + 2 * lat, ans - 2 * lat});
        else wrong.push_back(ans + 2 * tw);
        ex.choices = make_time_choices(ans, wrong, r);
        ex.prompt = both([&](const Words& w) {
            return w("practice.q.closed_time", {format_seconds(t0->t.us), side_word(t0->side, w), i18n::call_text(t0->call, w)});
        });
        Deciding d;
        if (last->cause == Cause::TimeoutTimeWait) d.knob = "time_wait";
        else d.story = true;
        ex.deciding = d;
        ex.why = both([&](const Words& w) {
            return w("practice.why.closed_time", {side_word(last->side, w), format_seconds(last->t.us), i18n::cause_text(last->cause, w),
                                                  format_seconds(ans), "time_wait=" + get_knob(sim.knobs(), "time_wait").value_or("?")});
        });
        ex.lesson = "time-wait";
        return true;
    }
    const Side side = story.closer;
    ex.side = side;
    const auto resends = fin_resends(sim, side);
    if (kind == Kind::RetransmitTime) {
        // A moment after a timeout-driven resend, whose next resend doubles it
        // (exponential backoff): the ladder shows that timeout, the rule gives the next.
        std::vector<std::size_t> cands;
        for (std::size_t i = 0; i + 1 < resends.size(); ++i)
            if (resends[i].timer == TimerKind::Retransmit &&
                resends[i + 1].send->t.us == resends[i].send->t.us + 2 * resends[i].interval_us)
                cands.push_back(i);
        if (cands.empty()) return false;
        const std::size_t i = cands[r.below(static_cast<std::uint32_t>(cands.size()))];
        const Resend& now = resends[i];
        const std::int64_t t = now.send->t.us, iv = now.interval_us, ans = resends[i + 1].send->t.us;
        ex.t = now.send->t;
        ex.shown_until = now.send->t;
        ex.answer = std::to_string(ans);
        ex.choices = make_time_choices(ans, {t + iv, t + 4 * iv, t + 3 * iv, t + 2 * iv + sim.knobs().rto_min.us}, r);
        ex.prompt = both([&](const Words& w) {
            return w("practice.q.retransmit", {format_seconds(t), side_word(side, w), format_seconds(iv)});
        });
        ex.deciding.seg = now.send->seg_id;
        ex.why = both([&](const Words& w) {
            return w("practice.why.retransmit", {format_seconds(iv), format_seconds(2 * iv), format_seconds(ans)});
        });
        ex.lesson = "lost-segments";
        return true;
    }
    // Give-up: from the first timeout-driven resend, N retransmissions in
    // all, each timeout doubled, then one more doubled timeout.
    if (story.tmpl != Template::Orphan) return false;
    const Resend* first = nullptr;
    for (const auto& rs : resends)
        if (rs.timer == TimerKind::Retransmit) {
            first = &rs;
            break;
        }
    if (!first) return false;
    const TraceEvent* gave_up = nullptr;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::State && e.side == side && e.to == State::Closed && e.cause == Cause::GiveUp) gave_up = &e;
    if (!gave_up) return false;
    const int set_retries = sim.knobs().orphan_retries;
    const int n = set_retries == 0 && sim.knobs().profile == Profile::Linux ? 8 : set_retries;
    if (n < 1 || n > 12) return false;
    const std::int64_t t = first->send->t.us, iv = first->interval_us;
    const std::int64_t ans = gave_up->t.us;
    if (ans != t + iv * ((std::int64_t{2} << n) - 2)) return false;  // the rule the learner is taught must hold
    ex.t = first->send->t;
    ex.shown_until = first->send->t;
    ex.answer = std::to_string(ans);
    // Wrong: one retransmission fewer or more, no backoff, counting the
    // give-up as a retransmission of its own.
    ex.choices = make_time_choices(ans, {t + iv * ((std::int64_t{1} << n) - 2), t + iv * ((std::int64_t{4} << n) - 2), t + 2 * iv * n,
                                         t + iv * ((std::int64_t{2} << n) - 2) - (iv << n), t + iv * n, ans + iv}, r);
    ex.prompt = both([&](const Words& w) {
        return w("practice.q.give_up", {format_seconds(t), side_word(side, w), format_seconds(iv), std::to_string(set_retries)});
    });
    ex.deciding.knob = "orphan_retries";
    ex.why = both([&](const Words& w) {
        std::string s = w("practice.why.give_up", {format_seconds(iv), std::to_string(n), side_word(side, w), format_seconds(ans)});
        if (set_retries == 0) s += (w.lang() == i18n::Lang::Zh ? "" : " ") + w("practice.why.zero_means_eight");
        return s;
    });
    ex.lesson = "orphans-and-close-wait";
    return true;
}

std::string rst_case_of(const Simulation& sim, const TraceEvent& rst) {
    const auto& tr = sim.trace();
    for (std::size_t i = 0; i < tr.size(); ++i) {
        const TraceEvent& e = tr[i];
        if (e.t != rst.t || e.side != rst.side) continue;
        if (e.kind == EventKind::State) {
            if (e.cause == Cause::AppCloseUnread) return "unread-data";
            if (e.cause == Cause::AppAbort) return "linger-zero";
            if (e.cause == Cause::RcvDataAfterClose) return "data-after-close";
            if (e.cause == Cause::TooManyOrphans) return "too-many-orphans";
        }
        if (e.kind == EventKind::Note && e.note == Note::NoConnection) return "no-connection";
    }
    return "";
}

bool rst_question(Exercise& ex, const Story& story, const Simulation& sim, Rng& r) {
    const TraceEvent* rst = nullptr;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::Send && (e.flags & flag::RST) && !e.injected) {
            rst = &e;
            break;
        }
    if (!rst) return false;
    const std::string c = rst_case_of(sim, *rst);
    if (c.empty() || c != story.rst_case) return false;
    ex.kind = Kind::RstCase;
    ex.side = rst->side;
    ex.t = rst->t;
    ex.shown_until = rst->t;
    ex.shown_inclusive = true;
    ex.show_states = false;
    ex.answer = c;
    for (const char* k : kRstCases) ex.choices.push_back({k, both([&](const Words& w) { return w(std::string("practice.rst.") + k); })});
    shuffle(ex.choices, r);
    ex.prompt = both([&](const Words& w) { return w("practice.q.rst_case", {format_seconds(rst->t.us), side_word(rst->side, w)}); });
    if (c == "too-many-orphans") ex.deciding.knob = "max_orphans";
    else if (c == "data-after-close" || c == "no-connection") {
        for (std::size_t i = index_of(sim, *rst); i-- > 0;)
            if (sim.trace()[i].kind == EventKind::Deliver && sim.trace()[i].side == rst->side) {
                ex.deciding.seg = sim.trace()[i].seg_id;
                break;
            }
    } else ex.deciding.story = true;
    ex.why = both([&](const Words& w) { return w("practice.why.rst." + c, {side_word(rst->side, w), segment_label(*rst)}); });
    ex.lesson = "rst";
    return true;
}

}  // namespace finwave::practice::detail
