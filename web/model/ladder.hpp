// The sequence (ladder) diagram as data: one arrow per copy of a segment on
// the wire, with its fate, and the marks beside each timeline (changes of
// state, application calls, notices, timer expiries). The panel only draws
// it; the time axis below maps virtual time to height.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "finwave/simulation.hpp"

namespace finwave::web {

// As a capture tool labels a segment: "FIN, ACK  Seq=661 Ack=9240" (and
// "  Len=100" when it carries data).
std::string capture_label(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len);
// The same label with the fields an open question asks for shown as "?".
std::string capture_label_hiding(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len, bool hide_seq, bool hide_ack,
                                 bool hide_len);

struct LadderArrow {
    enum class Fate : std::uint8_t { Delivered, InFlight, Lost };
    std::uint64_t seg_id = 0;
    Side from = Side::Client;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0, ack = 0, len = 0;
    bool retransmission = false;
    bool copy = false;  // a second copy made by the link
    bool injected = false;  // made by hand by a scenario's 'inject' line
    Fate fate = Fate::InFlight;
    Instant sent{};
    Instant arrives{};  // when it arrived, will arrive, or would have arrived
    Instant lost_at{};  // Lost: the point on the arrow where it died
    DropCause cause = DropCause::None;
    std::size_t send_event = 0;  // trace index of the Send (or Duplicate)
    std::size_t end_event = 0;   // trace index of the Deliver or Drop, when there is one
    std::string label;
};

struct LadderMark {
    enum class Kind : std::uint8_t { State, App, Notice, Timer };
    Kind kind = Kind::State;
    Side side = Side::Client;
    Instant t{};
    State state = State::Closed;       // State
    AppCall call{};                    // App: worded where it is drawn
    Notice notice = Notice::Connected;  // Notice
    AppError error = AppError::None;   // Notice
    TimerKind timer = TimerKind::Retransmit;  // Timer
    std::size_t event = 0;
};

struct LadderData {
    std::vector<LadderArrow> arrows;
    std::vector<LadderMark> marks;
};

LadderData build_ladder(const Simulation& sim);

// Virtual time to height. Times close together keep their real proportions;
// a long quiet stretch is cut down to a fixed height (a "break", drawn with
// its length) so that a 60 s TIME-WAIT does not push everything off screen.
class TimeAxis {
public:
    struct Scale {
        double px_per_ms = 4.0;
        double max_gap_px = 64.0;  // longer gaps become breaks of this height
        double min_gap_px = 6.0;   // distinct times stay apart
    };
    struct Break {
        double y = 0;       // top of the break
        double height = 0;
        Duration gap{};
    };

    void build(std::vector<Instant> times, const Scale& scale);
    double y(Instant t) const;
    double height() const { return stops_.empty() ? 0.0 : stops_.back().y; }
    const std::vector<Break>& breaks() const { return breaks_; }
    struct Stop {
        Instant t;
        double y;
    };
    const std::vector<Stop>& stops() const { return stops_; }

private:
    Scale scale_;
    std::vector<Stop> stops_;
    std::vector<Break> breaks_;
};

// Every time the ladder must place: sends, arrivals, losses, marks, `now`.
std::vector<Instant> ladder_times(const LadderData& data, Instant now);

}  // namespace finwave::web
