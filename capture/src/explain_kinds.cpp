// The kind of close and the notable segments, from what the capture shows
// and what the engine's endpoints did with it.
#include <algorithm>

#include "explain_drive.hpp"

namespace finwave::capture {

const char* to_string(CloseKind k) {
    switch (k) {
        case CloseKind::FourWay: return "four-way";
        case CloseKind::ThreeSegment: return "three-segment";
        case CloseKind::Simultaneous: return "simultaneous";
        case CloseKind::HalfCloseData: return "half-close-data-after-fin";
        case CloseKind::AbortApp: return "abortive-rst-instead-of-fin";
        case CloseKind::AbortDataAfterClose: return "abortive-rst-data-after-close";
        case CloseKind::AbortNoConnection: return "abortive-rst-no-connection";
        case CloseKind::LostFin: return "lost-fin";
        case CloseKind::LostAck: return "lost-ack";
        case CloseKind::OrphanGiveUp: return "orphan-give-up";
        case CloseKind::FinWait2Timeout: return "fin-wait-2-timeout";
        case CloseKind::TimeWaitReack: return "time-wait-re-ack";
        case CloseKind::CloseWaitLeak: return "close-wait-leak";
        case CloseKind::TimeWaitAssassination: return "time-wait-assassination";
        case CloseKind::NoClose: return "no-close";
        case CloseKind::HandshakeOnly: return "handshake-only";
        case CloseKind::Incomplete: return "incomplete";
        case CloseKind::kCount: break;
    }
    return "?";
}

const char* to_string(SegNote n) {
    switch (n) {
        case SegNote::Syn: return "syn";
        case SegNote::SynAck: return "syn-ack";
        case SegNote::HandshakeAck: return "handshake-ack";
        case SegNote::Fin: return "fin";
        case SegNote::FinAck: return "fin-ack";
        case SegNote::AckOfFin: return "ack-of-fin";
        case SegNote::FinRetransmit: return "fin-retransmit";
        case SegNote::AckLost: return "ack-lost";
        case SegNote::LostBeforePeer: return "lost-before-peer";
        case SegNote::TimeWaitReack: return "time-wait-re-ack";
        case SegNote::DataAfterFin: return "data-after-fin";
        case SegNote::RstAbort: return "rst-abort";
        case SegNote::RstDataAfterClose: return "rst-data-after-close";
        case SegNote::RstNoConnection: return "rst-no-connection";
        case SegNote::RstAssassination: return "rst-assassination";
        case SegNote::RstAccepted: return "rst-accepted";
        case SegNote::kCount: break;
    }
    return "?";
}

const char* lesson_for(SegNote n) {
    switch (n) {
        case SegNote::Syn: case SegNote::SynAck: case SegNote::HandshakeAck: return "states-step-by-step";
        case SegNote::Fin: case SegNote::AckOfFin: return "states-step-by-step";
        case SegNote::FinAck: return "three-segments";
        case SegNote::FinRetransmit: case SegNote::AckLost: case SegNote::LostBeforePeer: return "lost-segments";
        case SegNote::TimeWaitReack: return "time-wait";
        case SegNote::DataAfterFin: return "half-close";
        case SegNote::RstAbort: case SegNote::RstDataAfterClose: case SegNote::RstNoConnection: case SegNote::RstAssassination:
        case SegNote::RstAccepted: return "rst";
        case SegNote::kCount: break;
    }
    return "";
}

const char* to_string(Inference i) {
    switch (i) {
        case Inference::MidConnection: return "mid-connection";
        case Inference::CapturePointGuess: return "capture-point";
        case Inference::FarSideTimes: return "far-side-times";
        case Inference::NoTimes: return "no-times";
        case Inference::LostAfterTap: return "lost-after-tap";
        case Inference::TimerAfterCapture: return "timer-after-capture";
        case Inference::Unconfirmed: return "unconfirmed";
        case Inference::kCount: break;
    }
    return "?";
}

namespace detail {

namespace {

const StateRec* rec_at(const Drive& d, Side s, std::size_t seg) {
    for (const auto& r : d.states[idx(s)])
        if (r.seg == seg && r.from != r.to) return &r;
    return nullptr;
}

}  // namespace

void classify(const Connection& c, const Drive& d, Explanation& ex) {
    const std::size_t n = c.segs.size();
    const bool timed = n > 0 && c.segs[0].t_us.has_value();
    for (Side s : {Side::Client, Side::Server}) {
        auto& out = s == Side::Client ? ex.client_states : ex.server_states;
        if (d.silent[idx(s)]) {
            ex.inferred.push_back({Inference::Unconfirmed, 0, s, 0});
            continue;
        }
        bool after_said = false;
        for (const auto& r : d.states[idx(s)]) {
            if (r.from == r.to) continue;  // a timer restarted in the same state
            out.push_back({r.to, timed ? std::optional<std::int64_t>(r.t_us) : std::nullopt, r.inferred});
            if (r.t_us > d.end_us && !after_said) {
                ex.inferred.push_back({Inference::TimerAfterCapture, n ? n - 1 : 0, s, r.t_us - d.end_us});
                after_said = true;
            }
        }
    }

    // Each end's first FIN, and the copies sent after it.
    std::array<std::size_t, 2> fin{kNoSeg, kNoSeg};
    for (std::size_t i = 0; i < n; ++i)
        if ((c.segs[i].flags & flag::FIN) && fin[idx(side_of(c, i))] == kNoSeg) fin[idx(side_of(c, i))] = i;
    auto fin_end = [&](Side s) { const auto& o = c.segs[fin[idx(s)]]; return o.seq + o.len + 1; };
    auto acks = [&](std::size_t k, std::uint32_t end) { return (c.segs[k].flags & flag::ACK) && seq_ge(c.segs[k].ack, end); };

    std::vector<CloseKind> kinds;
    auto add = [&](CloseKind k) {
        if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
    };
    bool any_rst = false;
    for (std::size_t i = 0; i < n; ++i) any_rst = any_rst || (c.segs[i].flags & flag::RST);
    for (Side s : {Side::Client, Side::Server}) {
        for (const auto& r : d.states[idx(s)]) {
            if (r.to == State::Closing) add(CloseKind::Simultaneous);
            if (r.from == State::TimeWait && r.cause == Cause::RcvRst) add(CloseKind::TimeWaitAssassination);
            if (r.cause == Cause::RcvDataAfterClose) add(CloseKind::AbortDataAfterClose);
            if (r.cause == Cause::GiveUp && (r.from == State::FinWait1 || r.from == State::Closing || r.from == State::LastAck)) add(CloseKind::OrphanGiveUp);
            if (r.cause == Cause::TimeoutFinWait2) add(CloseKind::FinWait2Timeout);
        }
        if (!d.silent[idx(s)] && !d.states[idx(s)].empty() && d.states[idx(s)].back().to == State::CloseWait) add(CloseKind::CloseWaitLeak);
    }
    for (std::size_t i = 0; i < n; ++i)
        if (d.call[i] == Call::Abort) add(CloseKind::AbortApp);
    for (const auto& en : d.notes) {
        if (en.note == Note::NoConnection && any_rst) add(CloseKind::AbortNoConnection);
        if (en.note == Note::TimeWaitRestarted) add(CloseKind::TimeWaitReack);
    }
    // FIN copies: the gaps between them are the RTO and its backoff.
    for (Side s : {Side::Client, Side::Server}) {
        if (fin[idx(s)] == kNoSeg) continue;
        const Observed& first = c.segs[fin[idx(s)]];
        std::size_t prev = fin[idx(s)];
        bool peer_acked_first = false;
        for (std::size_t j = prev + 1; j < n; ++j) {
            if (side_of(c, j) != s) {
                if (ex.fin_rtx_gaps_us.empty() && acks(j, fin_end(s))) peer_acked_first = true;
                continue;
            }
            if (!(c.segs[j].flags & flag::FIN) || c.segs[j].seq != first.seq) continue;
            ex.fin_rtx_gaps_us.push_back(d.t_us[j] - d.t_us[prev]);
            prev = j;
        }
        if (!ex.fin_rtx_gaps_us.empty()) add(peer_acked_first ? CloseKind::LostAck : CloseKind::LostFin);
    }
    for (std::size_t i = 0; i < n; ++i)
        if (d.lost[i] && seq_space(c.segs[i]) == 0) add(CloseKind::LostAck);
    // Data toward an end that had sent its FIN, taken in without a reset: a half-close.
    for (Side s : {Side::Client, Side::Server})
        if (fin[idx(s)] != kNoSeg)
            for (std::size_t j = fin[idx(s)] + 1; j < n; ++j)
                if (side_of(c, j) != s && c.segs[j].len > 0 && std::find(kinds.begin(), kinds.end(), CloseKind::AbortDataAfterClose) == kinds.end())
                    add(CloseKind::HalfCloseData);
    // The segment that first acknowledges the first FIN: with a FIN of its own, three segments.
    for (Side s : {Side::Client, Side::Server}) {
        if (fin[idx(s)] == kNoSeg) continue;
        const Side p = peer_of(s);
        if (fin[idx(p)] != kNoSeg && fin[idx(p)] < fin[idx(s)]) continue;  // the peer closed first
        for (std::size_t j = fin[idx(s)] + 1; j < n; ++j) {
            if (side_of(c, j) != p || !acks(j, fin_end(s))) continue;
            if (c.segs[j].flags & flag::FIN) add(CloseKind::ThreeSegment);
            else if (fin[idx(p)] != kNoSeg) add(CloseKind::FourWay);
            break;
        }
    }
    bool established = false;
    for (Side s : {Side::Client, Side::Server})
        for (const auto& r : d.states[idx(s)]) established = established || r.to == State::Established;
    if (!established) add(CloseKind::HandshakeOnly);
    if (fin[0] == kNoSeg && fin[1] == kNoSeg && !any_rst) add(CloseKind::NoClose);

    static constexpr CloseKind kPriority[] = {
        CloseKind::TimeWaitAssassination, CloseKind::AbortNoConnection, CloseKind::AbortDataAfterClose, CloseKind::AbortApp,
        CloseKind::Simultaneous, CloseKind::OrphanGiveUp, CloseKind::CloseWaitLeak, CloseKind::FinWait2Timeout,
        CloseKind::LostAck, CloseKind::LostFin, CloseKind::TimeWaitReack, CloseKind::HalfCloseData,
        CloseKind::ThreeSegment, CloseKind::FourWay, CloseKind::HandshakeOnly, CloseKind::NoClose};
    for (CloseKind k : kPriority)
        if (std::find(kinds.begin(), kinds.end(), k) != kinds.end()) ex.kinds.push_back(k);
    if (ex.kinds.empty()) ex.kinds.push_back(CloseKind::Incomplete);
    ex.kind = ex.kinds.front();

    // One sentence per notable segment.
    std::array<bool, 2> data_after_said{};
    for (std::size_t i = 0; i < n; ++i) {
        const Observed& o = c.segs[i];
        const Side x = side_of(c, i), y = peer_of(x);
        auto note = [&](SegNote what, Side about, const StateRec* r, std::int64_t value = 0, std::int64_t gap = 0) {
            ex.notes.push_back({i, what, about, r ? r->from : State::Closed, r ? r->to : State::Closed, value, gap});
        };
        if ((o.flags & flag::SYN) && !(o.flags & flag::ACK) && d.call[i] == Call::Connect) note(SegNote::Syn, x, rec_at(d, x, i));
        if ((o.flags & flag::SYN) && (o.flags & flag::ACK)) note(SegNote::SynAck, x, rec_at(d, y, i));
        if (o.flags & flag::FIN) {
            if (i == fin[idx(x)]) {
                // The first segment of this end to acknowledge the peer's FIN carries a FIN too.
                bool acked_before = false;
                for (std::size_t j = 0; fin[idx(y)] != kNoSeg && j < i; ++j)
                    if (j > fin[idx(y)] && side_of(c, j) == x && acks(j, fin_end(y))) acked_before = true;
                const bool acks_peer_fin = fin[idx(y)] != kNoSeg && fin[idx(y)] < i && acks(i, fin_end(y)) && !acked_before;
                note(acks_peer_fin ? SegNote::FinAck : SegNote::Fin, x, rec_at(d, x, i));
            } else if (o.seq == c.segs[fin[idx(x)]].seq) {
                std::int64_t copies = 0, prev_t = d.t_us[fin[idx(x)]];
                for (std::size_t j = fin[idx(x)] + 1; j <= i; ++j)
                    if (side_of(c, j) == x && (c.segs[j].flags & flag::FIN) && c.segs[j].seq == o.seq) {
                        ++copies;
                        if (j < i) prev_t = d.t_us[j];
                    }
                note(SegNote::FinRetransmit, x, nullptr, copies, d.t_us[i] - prev_t);
            }
        }
        if (!(o.flags & (flag::SYN | flag::FIN | flag::RST)) && o.len == 0) {
            if (const StateRec* r = rec_at(d, y, i)) {
                if (r->from == State::SynReceived) note(SegNote::HandshakeAck, y, r);
                else if (r->from == State::FinWait1 || r->from == State::Closing || r->from == State::LastAck) note(SegNote::AckOfFin, y, r);
            }
        }
        if (d.lost[i]) note(seq_space(o) == 0 ? SegNote::AckLost : SegNote::LostBeforePeer, x, nullptr);
        for (const auto& en : d.notes)
            if (en.seg == i && en.side == y && en.note == Note::TimeWaitRestarted) note(SegNote::TimeWaitReack, y, nullptr);
        if (o.len > 0 && fin[idx(y)] != kNoSeg && fin[idx(y)] < i && !data_after_said[idx(x)]) {
            note(SegNote::DataAfterFin, x, nullptr);
            data_after_said[idx(x)] = true;
        }
        if (o.flags & flag::RST) {
            if (d.call[i] == Call::Abort) {
                note(SegNote::RstAbort, x, rec_at(d, x, i));
            } else if (d.engine_rst[i]) {
                const StateRec* why = nullptr;
                for (const auto& r : d.states[idx(x)])
                    if (r.cause == Cause::RcvDataAfterClose && r.seg != kNoSeg && r.seg < i) why = &r;
                if (why) note(SegNote::RstDataAfterClose, x, why);
                else note(SegNote::RstNoConnection, x, nullptr);
            }
            if (const StateRec* r = rec_at(d, y, i); r && r->cause == Cause::RcvRst)
                note(r->from == State::TimeWait ? SegNote::RstAssassination : SegNote::RstAccepted, y, r);
        }
    }
}

}  // namespace detail

}  // namespace finwave::capture
