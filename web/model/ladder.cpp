#include "ladder.hpp"

#include <algorithm>

namespace finwave::web {

std::string capture_label(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len) {
    std::string s = flag_names(flags);
    s += "  Seq=" + std::to_string(seq);
    if ((flags & flag::ACK) != 0) s += " Ack=" + std::to_string(ack);
    if (len > 0) s += " Len=" + std::to_string(len);
    return s;
}

std::string capture_label_hiding(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len, bool hide_seq, bool hide_ack,
                                 bool hide_len) {
    std::string s = flag_names(flags);
    s += "  Seq=" + (hide_seq ? std::string("?") : std::to_string(seq));
    if ((flags & flag::ACK) != 0) s += " Ack=" + (hide_ack ? std::string("?") : std::to_string(ack));
    if (len > 0 || hide_len) s += " Len=" + (hide_len ? std::string("?") : std::to_string(len));
    return s;
}

LadderData build_ladder(const Simulation& sim) {
    LadderData out;
    const auto& trace = sim.trace();
    const Duration latency = sim.knobs().latency;
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    // The arrows of one segment id still on the wire, oldest first.
    auto open_arrow = [&](std::uint64_t id) -> LadderArrow* {
        for (auto& a : out.arrows)
            if (a.seg_id == id && a.fate == LadderArrow::Fate::InFlight) return &a;
        return nullptr;
    };
    auto from_event = [&](const TraceEvent& e, std::size_t index) {
        LadderArrow a;
        a.seg_id = e.seg_id;
        a.from = e.side;
        a.flags = e.flags;
        a.seq = e.seq;
        a.ack = e.ack;
        a.len = e.len;
        a.retransmission = e.retransmission;
        a.injected = e.injected;
        a.sent = e.t;
        a.arrives = e.t + latency;
        a.send_event = index;
        a.end_event = kNone;
        a.label = capture_label(e.flags, e.seq, e.ack, e.len);
        return a;
    };

    for (std::size_t i = 0; i < trace.size(); ++i) {
        const TraceEvent& e = trace[i];
        // A mark of this event; the caller fills in what its kind shows.
        auto mark = [&](LadderMark::Kind kind) -> LadderMark& {
            LadderMark& m = out.marks.emplace_back();
            m.kind = kind;
            m.side = e.side;
            m.t = e.t;
            m.event = i;
            return m;
        };
        switch (e.kind) {
            case EventKind::Send: out.arrows.push_back(from_event(e, i)); break;
            case EventKind::Duplicate: {
                // The copy leaves with the original: same send time, its own arrival.
                LadderArrow copy = from_event(e, i);
                for (auto it = out.arrows.rbegin(); it != out.arrows.rend(); ++it) {
                    if (it->seg_id == e.seg_id && !it->copy) {
                        copy.sent = it->sent;
                        copy.arrives = it->arrives;
                        break;
                    }
                }
                copy.copy = true;
                out.arrows.push_back(copy);
                break;
            }
            case EventKind::Deliver:
                if (LadderArrow* a = open_arrow(e.seg_id)) {
                    a->fate = LadderArrow::Fate::Delivered;
                    a->arrives = e.t;
                    a->end_event = i;
                }
                break;
            case EventKind::Drop:
                if (LadderArrow* a = open_arrow(e.seg_id)) {
                    a->fate = LadderArrow::Fate::Lost;
                    a->cause = e.drop_cause;
                    a->end_event = i;
                    // A fault or random loss decides at the sender; show the
                    // segment dying half way, where a real network would lose it.
                    a->lost_at = e.drop_cause == DropCause::Learner ? e.t : a->sent + latency / 2;
                    if (a->lost_at > a->arrives) a->arrives = a->lost_at;
                }
                break;
            case EventKind::State: mark(LadderMark::Kind::State).state = e.to; break;
            case EventKind::App: mark(LadderMark::Kind::App).call = e.call; break;
            case EventKind::Notify:
                if (e.notice == Notice::Eof || e.notice == Notice::Reset || e.notice == Notice::Refused ||
                    e.notice == Notice::TimedOut || e.notice == Notice::Error || e.notice == Notice::CorruptData) {
                    LadderMark& m = mark(LadderMark::Kind::Notice);
                    m.notice = e.notice;
                    m.error = e.error;
                }
                break;
            case EventKind::TimerFire: mark(LadderMark::Kind::Timer).timer = e.timer; break;
            default: break;
        }
    }

    // Arrival times of what is still on the wire come from the link itself
    // (a delayed segment arrives later than the latency says).
    std::vector<InFlight> wire = sim.in_flight();
    std::sort(wire.begin(), wire.end(), [](const InFlight& a, const InFlight& b) { return a.arrives < b.arrives; });
    std::vector<bool> used(wire.size(), false);
    for (auto& a : out.arrows) {
        if (a.fate != LadderArrow::Fate::InFlight) continue;
        for (std::size_t k = 0; k < wire.size(); ++k) {
            if (used[k] || wire[k].seg.id != a.seg_id) continue;
            used[k] = true;
            a.arrives = wire[k].arrives;
            break;
        }
    }
    return out;
}

std::vector<Instant> ladder_times(const LadderData& data, Instant now) {
    std::vector<Instant> t;
    t.reserve(data.arrows.size() * 2 + data.marks.size() + 1);
    for (const auto& a : data.arrows) {
        t.push_back(a.sent);
        t.push_back(a.arrives);
        if (a.fate == LadderArrow::Fate::Lost) t.push_back(a.lost_at);
    }
    for (const auto& m : data.marks) t.push_back(m.t);
    t.push_back(now);
    return t;
}

void TimeAxis::build(std::vector<Instant> times, const Scale& scale) {
    scale_ = scale;
    stops_.clear();
    breaks_.clear();
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    double y = 0;
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (i > 0) {
            const Duration gap = times[i] - times[i - 1];
            double px = static_cast<double>(gap.us) / 1000.0 * scale.px_per_ms;
            if (px > scale.max_gap_px) {
                breaks_.push_back({y, scale.max_gap_px, gap});
                px = scale.max_gap_px;
            }
            y += std::max(px, scale.min_gap_px);
        }
        stops_.push_back({times[i], y});
    }
}

double TimeAxis::y(Instant t) const {
    if (stops_.empty()) return 0;
    const double per_us = scale_.px_per_ms / 1000.0;
    if (t <= stops_.front().t) return stops_.front().y - std::min(static_cast<double>((stops_.front().t - t).us) * per_us, scale_.max_gap_px);
    if (t >= stops_.back().t) return stops_.back().y + std::min(static_cast<double>((t - stops_.back().t).us) * per_us, scale_.max_gap_px);
    const auto it = std::upper_bound(stops_.begin(), stops_.end(), t, [](Instant v, const Stop& s) { return v < s.t; });
    const Stop& b = *it;
    const Stop& a = *(it - 1);
    const double f = static_cast<double>((t - a.t).us) / static_cast<double>((b.t - a.t).us);
    return a.y + f * (b.y - a.y);
}

}  // namespace finwave::web
