// One side of a connection: the application's socket calls and the kernel's
// TCB for one port pair, as a protocol core with no I/O. Time is an argument;
// everything the endpoint does is returned as actions for the caller to carry
// out (send a segment) or record (a change of state, a timer).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "finwave/knobs.hpp"
#include "finwave/time.hpp"
#include "finwave/transitions.hpp"
#include "finwave/types.hpp"

namespace finwave {

enum class TimerKind : std::uint8_t {
    Retransmit,
    LossProbe,
    DelayedAck,
    FinWait2,
    TimeWait,
    Keepalive,
    kCount,  // not a timer: how many there are (keep it last)
};
inline constexpr int kTimerCount = static_cast<int>(TimerKind::kCount);
const char* to_string(TimerKind k);

enum class AppCallKind : std::uint8_t {
    Listen,
    Connect,
    Send,
    Read,
    Close,
    Shutdown,    // shutdown(SHUT_WR)
    Abort,       // SO_LINGER {1, 0} then close()
    Exit,        // the process ends: every descriptor is closed
    Crash,       // the host loses all TCP state at once and sends nothing
    NeverClose,  // the application will ignore EOF and never call close()
    Autoread,    // the application reads whatever arrives at once (on) or not (off)
};
const char* to_string(AppCallKind k);

struct AppCall {
    AppCallKind kind = AppCallKind::Close;
    std::uint32_t bytes = 0;  // send: how many; read: how many at most, 0 = all
    bool on = true;           // autoread
};
// "send(660)", "close()", "autoread(off)": how the trace and the UI name a call.
std::string describe(const AppCall& call);

// What the kernel tells the application.
enum class Notice : std::uint8_t {
    Connected,
    Accepted,
    DataRead,     // value: bytes
    Eof,          // read() returned 0
    Reset,        // ECONNRESET
    Refused,      // ECONNREFUSED
    TimedOut,     // ETIMEDOUT
    CorruptData,  // value: bytes of an older incarnation accepted as this connection's data
    Error,        // a call failed; see AppError
};
const char* to_string(Notice n);

enum class AppError : std::uint8_t {
    None,
    NotConnected,   // ENOTCONN
    BrokenPipe,     // EPIPE: the write side is already shut
    BadDescriptor,  // EBADF: the socket was already closed
    AddrInUse,      // EADDRINUSE: the port pair is still in TIME-WAIT
    IsConnected,    // EISCONN
    ConnReset,      // ECONNRESET: the connection was reset earlier
    ResetAfterFin,  // EPIPE: reset after the peer's FIN (Linux, CLOSE-WAIT)
};
const char* to_string(AppError e);
const char* errno_name(AppError e);

// Why a segment was handled the way it was: explicit outcomes for the trace.
enum class Note : std::uint8_t {
    OutOfWindow,          // unacceptable segment: ACK sent, segment dropped
    AckOfUnsentData,      // ACK for something never sent: ACK sent, dropped
    DuplicateSegment,     // already received: ACK sent again
    OutOfOrder,           // queued until the gap is filled: duplicate ACK sent
    NoAckFlag,            // a synchronized state drops a segment without ACK
    DataAfterFin,         // the peer already sent FIN: data ignored
    DuplicateFin,         // retransmitted FIN: ACK again
    TimeWaitRestarted,    // TIME-WAIT timer started again
    RstAccepted,
    RstIgnoredRfc1337,    // TIME-WAIT ignores RST (net.ipv4.tcp_rfc1337 = 1)
    RstOutOfWindow,       // RST dropped: its sequence number is not acceptable
    RstChallengeAck,      // RST in window but not exact: challenge ACK (RFC 5961)
    SynChallengeAck,      // SYN on a synchronized connection: challenge ACK
    NoConnection,         // segment for no connection: answered with RST
    RstForNoConnection,   // RST for no connection: never answered
    NagleHold,            // a small segment waits for the outstanding one's ACK
    LossProbe,            // tail loss probe: the last segment sent again early
    Retransmit,           // value: retransmission count
    GiveUpOrphan,         // orphaned socket: tcp_orphan_retries reached
    GiveUpRetries,        // tcp_retries2 / syn retries reached
    KeepaliveProbe,
    NeverCloseIgnored,    // the application ignores the scripted close()
    DataFromOldIncarnation,  // bytes of an earlier connection accepted: corruption
    BadAck,               // SYN-RECEIVED/SYN-SENT: unacceptable ACK answered with RST
    AckRateLimited,       // an ACK for an unacceptable segment was not sent: rate limit
    KeepaliveGiveUp,      // value: probes sent, none answered: RST
    RepeatedSyn,          // SYN-RECEIVED: the peer's SYN again, so our SYN-ACK was lost
    TooManyOrphans,       // close() found more orphans than tcp_max_orphans: RST
};
const char* to_string(Note n);

struct Action {
    enum class Kind : std::uint8_t { Send, StateChange, TimerSet, TimerFire, TimerCancel, Notify, Note };
    Kind kind = Kind::Note;
    Segment seg{};                 // Send
    State from = State::Closed;    // StateChange (from == to for a self-loop edge)
    State to = State::Closed;
    Cause cause = Cause::AppClose;
    int edge = -1;                 // row of transition_table()
    TimerKind timer = TimerKind::Retransmit;
    Instant deadline{};
    Notice notice = Notice::Connected;
    AppError error = AppError::None;
    Note note = Note::OutOfWindow;
    std::int64_t value = 0;
};
using Actions = std::vector<Action>;

// A consistent snapshot of the TCB for views and tests (relative numbers are
// the caller's job: it knows both sides' ISNs).
struct TcbView {
    State state;
    std::uint32_t incarnation;
    std::uint32_t iss, snd_una, snd_nxt, snd_max, write_seq;
    std::uint32_t irs, rcv_nxt;
    bool fin_queued, fin_sent, fin_acked, fin_received;
    std::uint32_t unread;          // bytes received but not yet read
    bool app_has_socket, orphaned, write_shut, listening, autoread, never_close, eof_seen;
    Duration rto;
    int retransmits;
    int backoff;
    std::uint32_t rcv_wnd;         // the window this side advertises now
    std::uint32_t snd_wnd;         // the window the peer advertised last
};

class Endpoint {
public:
    Endpoint(Side side, const Knobs& knobs, std::uint32_t isn_base);

    void on_app_call(const AppCall& call, Instant now, Actions& out);
    void on_segment(const Segment& seg, Instant now, Actions& out);
    // Fires every timer due at `now`, in the fixed order of TimerKind.
    void on_timeout(Instant now, Actions& out);
    std::optional<Instant> next_timeout() const { return earliest_; }

    Side side() const { return side_; }
    State state() const { return tcb_.state; }
    std::optional<Instant> timer(TimerKind k) const { return timers_[static_cast<std::size_t>(k)]; }
    TcbView view() const;
    // Bytes the application has written on the current connection (plus one for the SYN).
    std::uint32_t write_seq() const { return tcb_.write_seq; }
    // A broken sequence-space invariant, or nullptr. Cheap: checked after every event.
    const char* invariant_violation() const;
    std::uint32_t rcv_nxt() const { return tcb_.rcv_nxt; }
    const Knobs& knobs() const { return knobs_; }
    // ISN of the given incarnation (1-based) of this side.
    std::uint32_t isn_for(std::uint32_t incarnation) const;
    // The earlier incarnation whose sequence space a number belongs to is not
    // knowable from numbers alone; the connection counter is what the sim uses.
    std::uint32_t incarnation() const { return tcb_.incarnation; }
    // Orphaned TCB still alive in the kernel with no application holding it.
    bool orphaned() const { return app_.orphaned; }

private:
    struct SentRecord {
        std::uint32_t end;
        Instant sent;
        bool retransmitted;
    };
    struct Range {
        std::uint32_t seq;
        std::uint32_t end;
    };
    struct Tcb {
        State state = State::Closed;
        std::uint32_t incarnation = 0;       // counts connections of this side
        std::uint32_t peer_incarnation = 0;  // the peer's connection we are paired with
        bool passive = false;
        // send side
        std::uint32_t iss = 0, snd_una = 0, snd_nxt = 0, snd_max = 0, snd_wnd = 0;
        std::uint32_t write_seq = 0;  // end of the data the application has written
        std::uint32_t snd_sml = 0;    // end of the last small segment (Nagle, Minshall)
        bool fin_queued = false;
        std::uint32_t fin_seq = 0;
        // Short queues (a handful of entries), so vectors popped from the
        // front: no allocation until used, unlike std::deque.
        std::vector<std::uint32_t> push_marks;  // ends of application writes: PSH
        std::vector<SentRecord> sent;
        std::uint32_t cwnd = 0;
        // retransmission
        bool have_rtt = false;
        Duration srtt{}, rttvar{}, rto{};
        int backoff = 0;
        int retransmits = 0;
        Instant rtx_start{};
        bool tlp_outstanding = false;
        // receive side
        std::uint32_t irs = 0, rcv_nxt = 0, last_ack_sent = 0;
        bool fin_received = false;
        std::vector<Range> out_of_order;
        std::optional<std::uint32_t> ooo_fin;  // seq of a FIN that arrived early
        int quick = 0;
        bool pingpong = false;
        bool data_received = false;  // Linux's ato becomes 40 ms with the first data
        Instant last_rcv{};
        int keepalive_out = 0;
    };
    struct App {
        bool has_socket = false;  // the application holds the connection's descriptor
        bool orphaned = false;    // close() was called; the kernel finishes alone
        bool write_shut = false;
        bool listening = false;
        bool autoread = true;
        bool never_close = false;
        bool eof_seen = false;
        bool reset_seen = false;
        AppError reset_error = AppError::ConnReset;  // what calls fail with after a reset
        std::uint32_t unread = 0;
    };

    // Every change of state goes through here: it checks the edge against the
    // transition table and records it.
    void set_state(State to, Cause cause, Instant now, Actions& out);
    void enter_closed(Instant now, Actions& out);
    void arm(TimerKind k, Instant deadline, Actions& out);
    void cancel(TimerKind k, Actions& out);
    void note(Note n, Actions& out, std::int64_t value = 0);
    void notify(Notice n, Actions& out, std::int64_t value = 0);
    void fail(AppError e, Actions& out);

    void emit(std::uint8_t flags, std::uint32_t seq, std::uint32_t len, Instant now, Actions& out, bool retransmission = false);
    void send_ack_now(Instant now, Actions& out);
    void send_invalid_ack(Note why, Instant now, Actions& out);
    void send_reset_for(const Segment& seg, Instant now, Actions& out);  // RFC 9293 rules for a reset reply
    void send_active_reset(Instant now, Actions& out);                    // RST, ACK from our own TCB
    void transmit(Instant now, Actions& out);
    void schedule_ack(bool immediately, Instant now, Actions& out);
    void start_connection(bool passive, Instant now);
    void queue_fin(Instant now, Actions& out);

    void handle_no_tcb(const Segment& seg, Instant now, Actions& out);
    void handle_syn_sent(const Segment& seg, Instant now, Actions& out);
    void handle_time_wait(const Segment& seg, Instant now, Actions& out);
    void handle_synchronized(const Segment& seg, Instant now, Actions& out);
    bool acceptable(const Segment& seg) const;
    void process_ack(const Segment& seg, bool fin_in_order_follows, Instant now, Actions& out);
    void process_text(const Segment& seg, Instant now, Actions& out);
    void process_fin(Instant now, Actions& out);
    void deliver_to_app(Instant now, Actions& out);

    void on_retransmit_timer(Instant now, Actions& out);
    void on_loss_probe_timer(Instant now, Actions& out);
    void on_keepalive_timer(Instant now, Actions& out);
    bool retries_exhausted(Instant now) const;
    void rtt_sample(Duration r);
    Duration current_rto() const;
    void restart_rto(Instant now, Actions& out);
    bool loss_probe_allowed() const;
    void arm_loss_probe(Instant now, Actions& out);
    void arm_fin_wait2_timer(Instant now, Actions& out);
    std::uint32_t rcv_wnd() const;

    void close_connection(Cause how, Instant now, Actions& out);
    void close_listener(Instant now, Actions& out);
    void reset_if_too_many_orphans(Instant now, Actions& out);

    enum class AckNeed : std::uint8_t { None, Delayed, Now };

    Side side_;
    Knobs knobs_;
    AckNeed ack_need_ = AckNeed::None;  // decided while one segment is processed
    bool ack_forced_ = false;           // a filled gap: the ACK may not wait
    std::uint32_t isn_base_;
    Tcb tcb_;
    App app_;
    std::array<std::optional<Instant>, kTimerCount> timers_{};
    std::optional<Instant> earliest_;  // min of timers_, kept up to date by arm/cancel
    void update_earliest();
    std::optional<Instant> last_invalid_ack_;
};

}  // namespace finwave
