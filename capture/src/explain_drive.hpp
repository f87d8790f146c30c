// What driving the two endpoints recorded, for the classification of the
// close (explain_kinds.cpp). Private to the capture library.
#pragma once

#include <array>
#include <limits>

#include "finwave/endpoint.hpp"
#include "finwave/explain.hpp"

namespace finwave::capture::detail {

inline constexpr std::size_t kNoSeg = std::numeric_limits<std::size_t>::max();

struct StateRec {
    State from, to;
    Cause cause;
    std::int64_t t_us;
    bool inferred;
    std::size_t seg;  // the segment being sent or received, kNoSeg for a timer
};
struct EngineNote {
    std::size_t seg;
    Side side;
    Note note;
};
enum class Call : std::uint8_t { None, Connect, Close, Shutdown, Abort };

struct Drive {
    std::array<std::vector<StateRec>, 2> states;
    std::vector<EngineNote> notes;
    std::vector<bool> lost;        // per segment: inferred not to have reached the peer
    std::vector<Call> call;        // per segment: the application call its sending implies
    std::vector<bool> engine_rst;  // per segment (RST): the engine made it itself, as a reply
    std::vector<bool> vanished;    // per segment: it found the receiver's TCB gone (crash, close() in SYN-SENT)
    std::vector<std::int64_t> t_us;  // per segment: the time at the tap
    std::array<bool, 2> silent{};  // the end never sent anything: its states are unknown
    std::int64_t end_us = 0;
};

inline std::size_t idx(Side s) { return static_cast<std::size_t>(s); }
inline Side side_of(const Connection& c, std::size_t i) { return c.from_client[i] ? Side::Client : Side::Server; }
inline std::uint32_t seq_space(const Observed& o) {
    return o.len + ((o.flags & flag::SYN) ? 1u : 0u) + ((o.flags & flag::FIN) ? 1u : 0u);
}

void classify(const Connection& c, const Drive& d, Explanation& ex);

}  // namespace finwave::capture::detail
