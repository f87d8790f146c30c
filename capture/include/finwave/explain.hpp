// A capture explained: its TCP connections, and for each one both ends'
// states over time, rebuilt by driving two engine endpoints (the transition
// table is the one truth) with the segments the capture holds, as seen from
// the capture point. What the capture cannot show is inferred and said so.
// Pure: segments in, identifiers and numbers out; the CLI words them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "finwave/knobs.hpp"
#include "finwave/observed.hpp"
#include "finwave/types.hpp"

namespace finwave::capture {

struct Connection {
    std::size_t number = 0;  // 1-based, in the order of the connections' first segments
    std::string client_addr, server_addr;
    std::uint16_t client_port = 0, server_port = 0;
    bool client_known = true;  // false: no SYN seen, the client is the end with the higher port
    std::vector<Observed> segs;
    std::vector<bool> from_client;  // one per segment
};

// Splits by 4-tuple; a SYN (without ACK) with a new sequence number on a
// tuple that already had one starts a new connection. Order: first segment.
std::vector<Connection> split_connections(const std::vector<Observed>& segments);

// The same, a segment at a time, for captures too large to hold: a
// connection is handed out once it is over (a new SYN took its tuple) or
// has been quiet for `idle_us` of capture time, so memory is bounded by the
// connections open at once, not by the file.
class ConnectionSplitter {
public:
    explicit ConnectionSplitter(std::int64_t idle_us) : idle_us_(idle_us) {}
    void add(Observed s);
    // Connections finished so far (quiet since idle_us before the last segment's time).
    std::vector<Connection> take_finished();
    // Every connection left, in the order of their first segments.
    std::vector<Connection> take_all();

private:
    struct Open {
        Connection c;
        std::int64_t last_us = 0;
    };
    std::int64_t idle_us_;
    std::int64_t now_us_ = 0;
    std::size_t next_number_ = 1;
    std::size_t since_sweep_ = 0;
    using Key = std::tuple<std::string, std::uint16_t, std::string, std::uint16_t>;
    struct KeyHash {
        std::size_t operator()(const Key& k) const {
            const std::hash<std::string> h;
            return h(std::get<0>(k)) * 31 ^ h(std::get<2>(k)) ^ (std::size_t{std::get<1>(k)} << 16 | std::get<3>(k)) * 0x9e3779b97f4a7c15ull;
        }
    };
    std::unordered_map<Key, Open, KeyHash> open_;
    std::vector<Connection> finished_;
};

enum class CloseKind : std::uint8_t {
    FourWay,
    ThreeSegment,
    Simultaneous,
    HalfCloseData,       // data flowed toward the end that had already sent FIN
    AbortApp,            // RST instead of FIN: SO_LINGER 0 or unread data at close()
    AbortDataAfterClose, // RST answering data that reached a closed socket
    AbortNoConnection,   // RST answering a segment for a connection that no longer exists
    LostFin,             // a FIN sent again: it or its ACK was lost
    LostAck,             // the last ACK lost: the peer sent its FIN again
    OrphanGiveUp,
    FinWait2Timeout,
    TimeWaitReack,
    CloseWaitLeak,
    TimeWaitAssassination,
    NoClose,             // the capture ends before anyone closes
    HandshakeOnly,       // never got to ESTABLISHED
    Incomplete,          // a FIN or RST, but the close does not finish in the capture
    kCount,
};
const char* to_string(CloseKind k);  // "four-way", "three-segment", ...

// A notable segment, as an identifier with parameters (the CLI words it from the string tables).
enum class SegNote : std::uint8_t {
    Syn, SynAck, HandshakeAck,
    Fin,              // {side, from, to}
    FinAck,           // FIN that also ACKs the peer's FIN (three-segment)
    AckOfFin,         // {side, from, to}: the ACK moved the FIN's sender on
    FinRetransmit,    // value: retransmission count, gap_us: time since the previous copy
    AckLost,          // an ACK the peer evidently did not get (it sent its FIN again)
    LostBeforePeer,   // a segment that (we infer) did not reach the peer
    TimeWaitReack,    // the peer's FIN again in TIME-WAIT: ACKed again, TIME-WAIT restarted
    DataAfterFin,     // data toward the end that sent FIN (half-close)
    RstAbort, RstDataAfterClose, RstNoConnection, RstAssassination, RstAccepted,
    kCount,
};
const char* to_string(SegNote n);
const char* lesson_for(SegNote n);  // the lesson id that teaches it

// What was not seen but inferred, with the reason.
enum class Inference : std::uint8_t {
    MidConnection,     // no handshake in the capture: ESTABLISHED assumed before the first segment
    CapturePointGuess, // where the capture was taken, and how that was decided
    FarSideTimes,      // the far end's times are the tap's +/- half the round trip
    NoTimes,           // the text had no times: states are ordered, not timed
    LostAfterTap,      // a segment seen leaving did not arrive (its retransmission says so)
    TimerAfterCapture, // a state change after the last packet, from the timer the knobs give
    Unconfirmed,       // the far end's last state is not confirmed by anything it sent
    kCount,
};
const char* to_string(Inference i);

struct StatePoint {
    State state = State::Closed;
    std::optional<std::int64_t> t_us;
    bool inferred = false;  // not shown by a segment at the tap: assumed or from a timer
};

struct NoteAt {
    std::size_t seg = 0;  // index in Connection::segs
    SegNote note = SegNote::Fin;
    Side side = Side::Client;  // the end the sentence is about
    State from = State::Closed, to = State::Closed;
    std::int64_t value = 0;    // retransmission count
    std::int64_t gap_us = 0;   // time since the previous copy
};

struct InferenceAt {
    Inference what = Inference::MidConnection;
    std::size_t seg = 0;
    Side side = Side::Client;
    std::int64_t value = 0;  // FarSideTimes: the one-way delay used; CapturePointGuess: 0 cooked/padding, 1 timing, 2 none
};

struct Explanation {
    std::optional<Side> capture_at;  // none: unknown, times are the tap's for both
    std::vector<StatePoint> client_states, server_states;
    CloseKind kind = CloseKind::NoClose;
    std::vector<CloseKind> kinds;  // every kind seen, `kind` first
    std::vector<NoteAt> notes;
    std::vector<InferenceAt> inferred;
    // RTO and backoff implied by retransmissions of a FIN: the gaps in microseconds.
    std::vector<std::int64_t> fin_rtx_gaps_us;
    std::vector<std::string> problems;  // out-of-order times, segments the engine refused (said per connection)
    std::int64_t rtt_us = 0;            // estimated round trip (0: none)
};

struct ExplainOptions {
    Knobs knobs;  // the hosts' TCP settings (Linux's defaults unless told)
    std::optional<Side> capture_at;  // none: decided from the capture
};

Explanation explain(const Connection& c, const ExplainOptions& options);

}  // namespace finwave::capture
