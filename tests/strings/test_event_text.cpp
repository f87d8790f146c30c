#include <doctest/doctest.h>

#include <sstream>

#include "finwave/builtin.hpp"
#include "finwave/event_text.hpp"
#include "finwave/trace.hpp"

using namespace finwave;
using namespace finwave::i18n;

namespace {

std::vector<TraceEvent> run(std::string_view name) {
    auto parsed = load_builtin(name);
    REQUIRE(std::holds_alternative<Scenario>(parsed));
    const Scenario& sc = std::get<Scenario>(parsed);
    Simulation sim(sc, defaults_for(Profile::Linux), 1);
    sim.run();
    return sim.trace();
}

}  // namespace

TEST_CASE("event text: a state change in each language, from the same identifiers") {
    TraceEvent e;
    e.kind = EventKind::State;
    e.from = State::Established;
    e.to = State::CloseWait;
    e.cause = Cause::RcvFin;
    CHECK(event_text(e, Words(Lang::En)) == "ESTABLISHED -> CLOSE-WAIT (rcv FIN)");
    CHECK(event_text(e, Words(Lang::Zh)) == "ESTABLISHED -> CLOSE-WAIT（收到 FIN）");
    CHECK(event_json(e).find("\"cause\":\"rcv-fin\"") != std::string::npos);
}

TEST_CASE("event text: a note with a parameter (gave up after 7 retransmissions)") {
    TraceEvent e;
    e.kind = EventKind::Note;
    e.note = Note::GiveUpOrphan;
    e.value = 7;
    CHECK(event_text(e, Words(Lang::En)) == "orphaned socket gave up: tcp_orphan_retries reached after 7 retransmissions");
    CHECK(event_text(e, Words(Lang::Zh)) == "孤儿连接放弃：重传 7 次后达到 tcp_orphan_retries");
    e.value = 1;
    CHECK(event_text(e, Words(Lang::En)).ends_with("after 1 retransmission"));
    CHECK(event_json(e) == R"({"t_us":0,"kind":"note","side":"client","note":"give-up-orphan","value":1})");
}

TEST_CASE("event text: the lost first FIN as a Chinese listing") {
    std::ostringstream zh;
    write_text(zh, run("first-fin-lost"), Words(Lang::Zh));
    const std::string s = zh.str();
    CHECK(s.find("客户端 > 服务器") != std::string::npos);
    CHECK(s.find("丢失") != std::string::npos);
    CHECK(s.find("FIN-WAIT-1") != std::string::npos);
    CHECK(s.find("（重传）") != std::string::npos);
    CHECK(s.find("timer") == std::string::npos);
    CHECK(s.find("lost") == std::string::npos);
}

TEST_CASE("event text: JSON lines keep identifiers and add text in the language asked for") {
    std::ostringstream out;
    write_jsonl_with_text(out, run("first-fin-lost"), Words(Lang::Zh));
    const std::string s = out.str();
    CHECK(s.find("\"cause\":\"app-close\"") != std::string::npos);
    CHECK(s.find("\"text\":\"FIN-WAIT-1 -> FIN-WAIT-2（收到 ACK）\"") != std::string::npos);
}

TEST_CASE("event text: a knob error in Chinese") {
    Knobs k;
    auto e = apply_knob(k, "fin_timeout", "3");
    REQUIRE(e);
    CHECK(knob_error_text(*e, Words(Lang::Zh)) == "参数“fin_timeout”不接受“3”：应为带单位的时长（如 60s）或 off");
    CHECK(knob_error_text(*e, Words(Lang::En)) == "knob 'fin_timeout' does not take '3': expected a duration with a unit (e.g. 60s) or off");
}

TEST_CASE("event text: a segment a scenario injected, and keepalive giving up after its probes") {
    TraceEvent e;
    e.kind = EventKind::Send;
    e.seg_id = 4;
    e.flags = flag::FIN | flag::ACK;
    e.seq = 1;
    e.ack = 2;
    e.injected = true;
    e.script_line = 7;
    CHECK(event_text(e, Words(Lang::En)) == "#4 [FIN, ACK] Seq=1 Ack=2 Len=0 (injected, scenario line 7)");
    CHECK(event_text(e, Words(Lang::Zh)) == "#4 [FIN, ACK] Seq=1 Ack=2 Len=0（注入，场景第 7 行）");
    TraceEvent k;
    k.kind = EventKind::Note;
    k.note = Note::KeepaliveGiveUp;
    k.value = 9;
    CHECK(event_text(k, Words(Lang::En)) == "keepalive probes unanswered: connection reset after 9 probes");
    CHECK(event_text(k, Words(Lang::Zh)) == "保活探测无回应：探测 9 次后重置连接");
}
