#include "finwave/knobs.hpp"
#include "finwave/parse_number.hpp"

#include <variant>

namespace finwave {

const char* to_string(Profile p) { return p == Profile::Linux ? "linux" : "rfc"; }

std::optional<Profile> parse_profile(std::string_view text) {
    if (text == "linux") return Profile::Linux;
    if (text == "rfc") return Profile::Rfc;
    return std::nullopt;
}

Knobs defaults_for(Profile p) {
    Knobs k;  // the member initialisers are the Linux defaults
    if (p == Profile::Rfc) {
        k.profile = Profile::Rfc;
        k.msl = Duration::seconds(120);  // RFC 9293: MSL is 2 minutes
        k.time_wait = Duration::seconds(240);
        k.fin_timeout = std::nullopt;     // the RFC has no FIN-WAIT-2 timer
        k.rto_min = Duration::seconds(1); // RFC 6298
        k.rto_initial = Duration::seconds(1);
        k.rto_max = Duration::seconds(60);
        k.orphan_retries = 8;
        k.retries2 = 15;
        k.syn_retries = 6;
        k.syn_linear_timeouts = 0;  // the textbook backs off from the first timeout
        k.retry_limit = RetryLimit::Count;
        k.tlp = false;
        k.delayed_ack = Duration::millis(200);  // RFC 1122: under 0.5 s; BSD used 200 ms
        k.delayed_ack_before_data = Duration::millis(200);
        k.tick = Duration{};
        k.quickack = 0;
        k.init_cwnd = 3;  // RFC 5681 3.1: 3 segments for an MSS of 1460 (4380 bytes)
    }
    return k;
}

namespace {

using DurationField = Duration Knobs::*;
using OptDurationField = std::optional<Duration> Knobs::*;
using IntField = int Knobs::*;
using U32Field = std::uint32_t Knobs::*;
using OptU32Field = std::optional<std::uint32_t> Knobs::*;
using BoolField = bool Knobs::*;
struct RetryLimitField {};

using Field = std::variant<DurationField, OptDurationField, IntField, U32Field, OptU32Field, BoolField, RetryLimitField>;

// Help text for people is in the string tables (knob.NAME.help).
struct KnobDef {
    const char* name;
    Field field;
};

const KnobDef kKnobs[] = {
    {"msl", &Knobs::msl},
    {"time_wait", &Knobs::time_wait},
    {"fin_timeout", &Knobs::fin_timeout},
    {"rfc1337", &Knobs::rfc1337},
    {"rto_min", &Knobs::rto_min},
    {"rto_initial", &Knobs::rto_initial},
    {"rto_max", &Knobs::rto_max},
    {"orphan_retries", &Knobs::orphan_retries},
    {"retries2", &Knobs::retries2},
    {"syn_retries", &Knobs::syn_retries},
    {"syn_linear_timeouts", &Knobs::syn_linear_timeouts},
    {"synack_retries", &Knobs::synack_retries},
    {"retry_limit", RetryLimitField{}},
    {"tlp", &Knobs::tlp},
    {"delayed_ack", &Knobs::delayed_ack},
    {"delayed_ack_before_data", &Knobs::delayed_ack_before_data},
    {"tick", &Knobs::tick},
    {"invalid_ratelimit", &Knobs::invalid_ratelimit},
    {"quickack", &Knobs::quickack},
    {"nagle", &Knobs::nagle},
    {"mss", &Knobs::mss},
    {"rwnd", &Knobs::rwnd},
    {"init_cwnd", &Knobs::init_cwnd},
    {"max_orphans", &Knobs::max_orphans},
    {"host_orphans", &Knobs::host_orphans},
    {"keepalive", &Knobs::keepalive},
    {"keepalive_time", &Knobs::keepalive_time},
    {"keepalive_intvl", &Knobs::keepalive_intvl},
    {"keepalive_probes", &Knobs::keepalive_probes},
    {"latency", &Knobs::latency},
    {"client_isn", &Knobs::client_isn},
    {"server_isn", &Knobs::server_isn},
    {"isn_step", &Knobs::isn_step},
};

std::optional<bool> parse_bool(std::string_view v) {
    if (v == "on" || v == "1" || v == "true" || v == "yes") return true;
    if (v == "off" || v == "0" || v == "false" || v == "no") return false;
    return std::nullopt;
}

// By the field's type, not its position in the variant: reordering or
// adding a field type cannot give a knob another kind.
struct KindOf {
    const char* operator()(DurationField) const { return "duration"; }
    const char* operator()(OptDurationField) const { return "duration-or-off"; }
    const char* operator()(IntField) const { return "int"; }
    const char* operator()(U32Field) const { return "int"; }
    const char* operator()(OptU32Field) const { return "int-or-auto"; }
    const char* operator()(BoolField) const { return "bool"; }
    const char* operator()(RetryLimitField) const { return "enum"; }
};

const char* kind_of(const Field& f) { return std::visit(KindOf{}, f); }

}  // namespace

const std::vector<KnobInfo>& knob_catalog() {
    static const std::vector<KnobInfo> catalog = [] {
        std::vector<KnobInfo> v;
        for (const auto& d : kKnobs) v.push_back({d.name, kind_of(d.field)});
        return v;
    }();
    return catalog;
}

std::optional<KnobError> apply_knob(Knobs& k, std::string_view name, std::string_view value) {
    for (const auto& d : kKnobs) {
        if (name != d.name) continue;
        auto bad = [&](const char* expected) { return KnobError{KnobError::Kind::BadValue, std::string(name), std::string(value), expected}; };
        if (auto* fd = std::get_if<DurationField>(&d.field)) {
            auto v = parse_duration(value);
            if (!v || v->us < 0) return bad("duration");
            k.*(*fd) = *v;
            // The textbook's TIME-WAIT is 2 x MSL. Linux has no MSL: its
            // TIME-WAIT is a constant 60 s (TCP_TIMEWAIT_LEN), so in the linux
            // profile only time_wait changes it.
            if (name == "msl" && k.profile == Profile::Rfc && !k.time_wait_explicit) k.time_wait = *v * 2;
            if (name == "time_wait") k.time_wait_explicit = true;
        } else if (auto* fo = std::get_if<OptDurationField>(&d.field)) {
            if (value == "off" || value == "none") {
                k.*(*fo) = std::nullopt;
            } else {
                auto v = parse_duration(value);
                if (!v || v->us < 0) return bad("duration-or-off");
                k.*(*fo) = *v;
            }
        } else if (auto* fi = std::get_if<IntField>(&d.field)) {
            int v = 0;
            if (!parse_integer(value, v) || v < 0 || v > 1000000) return bad("whole-number");
            k.*(*fi) = v;
        } else if (auto* fu = std::get_if<U32Field>(&d.field)) {
            std::uint32_t v = 0;
            if (!parse_integer(value, v)) return bad("whole-number");
            if ((name == "mss" || name == "init_cwnd" || name == "rwnd") && v == 0) return bad("above-zero");
            k.*(*fu) = v;
        } else if (auto* fou = std::get_if<OptU32Field>(&d.field)) {
            std::uint32_t v = 0;
            if (value == "auto") k.*(*fou) = std::nullopt;
            else if (parse_integer(value, v)) k.*(*fou) = v;
            else return bad("u32-or-auto");
        } else if (auto* fb = std::get_if<BoolField>(&d.field)) {
            auto v = parse_bool(value);
            if (!v) return bad("on-off");
            k.*(*fb) = *v;
        } else {
            if (value == "time") k.retry_limit = RetryLimit::TimeBudget;
            else if (value == "count") k.retry_limit = RetryLimit::Count;
            else return bad("time-or-count");
        }
        return std::nullopt;
    }
    return KnobError{KnobError::Kind::UnknownKnob, std::string(name), std::string(value), ""};
}

std::string known_knob_names() {
    std::string known;
    for (const auto& d : kKnobs) known += (known.empty() ? "" : ", ") + std::string(d.name);
    return known;
}

std::optional<std::string> get_knob(const Knobs& k, std::string_view name) {
    for (const auto& d : kKnobs) {
        if (name != d.name) continue;
        if (auto* fd = std::get_if<DurationField>(&d.field)) return format_duration(k.*(*fd));
        if (auto* fo = std::get_if<OptDurationField>(&d.field)) return (k.*(*fo)) ? format_duration(*(k.*(*fo))) : "off";
        if (auto* fi = std::get_if<IntField>(&d.field)) return std::to_string(k.*(*fi));
        if (auto* fu = std::get_if<U32Field>(&d.field)) return std::to_string(k.*(*fu));
        if (auto* fou = std::get_if<OptU32Field>(&d.field)) return (k.*(*fou)) ? std::to_string(*(k.*(*fou))) : "auto";
        if (auto* fb = std::get_if<BoolField>(&d.field)) return std::string((k.*(*fb)) ? "on" : "off");
        return std::string(k.retry_limit == RetryLimit::TimeBudget ? "time" : "count");
    }
    return std::nullopt;
}

}  // namespace finwave
