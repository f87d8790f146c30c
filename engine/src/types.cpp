#include "finwave/types.hpp"

#include <array>
#include <cctype>

namespace finwave {

const char* to_string(Side s) { return s == Side::Client ? "client" : "server"; }

std::optional<Side> parse_side(std::string_view text) {
    if (text == "client") return Side::Client;
    if (text == "server") return Side::Server;
    return std::nullopt;
}

std::ostream& operator<<(std::ostream& os, Side s) { return os << to_string(s); }

namespace {
constexpr std::array<const char*, kStateCount> kStateNames = {
    "CLOSED",    "LISTEN",     "SYN-SENT",   "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
    "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",    "LAST-ACK",     "TIME-WAIT",
};
// A state added to the enum without a name here leaves a null entry.
static_assert([] {
    for (const char* n : kStateNames)
        if (n == nullptr) return false;
    return true;
}(), "every State needs its RFC name in kStateNames");
}  // namespace

const char* to_string(State s) { return s < State::kCount ? kStateNames[static_cast<std::size_t>(s)] : "?"; }

std::optional<State> parse_state(std::string_view text) {
    std::string norm;
    for (char c : text) norm += c == '_' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (norm == "SYN-RCVD") norm = "SYN-RECEIVED";
    if (norm == "CLOSE") norm = "CLOSED";
    for (int i = 0; i < kStateCount; ++i)
        if (norm == kStateNames[static_cast<std::size_t>(i)]) return static_cast<State>(i);
    return std::nullopt;
}

std::ostream& operator<<(std::ostream& os, State s) { return os << to_string(s); }

std::string flag_letters(std::uint8_t flags) {
    std::string out;
    if (flags & flag::SYN) out += 'S';
    if (flags & flag::FIN) out += 'F';
    if (flags & flag::RST) out += 'R';
    if (flags & flag::PSH) out += 'P';
    if (flags & flag::ACK) out += 'A';
    return out;
}

std::string flag_names(std::uint8_t flags) {
    std::string out;
    auto add = [&](std::uint8_t f, const char* name) {
        if (!(flags & f)) return;
        if (!out.empty()) out += ", ";
        out += name;
    };
    add(flag::SYN, "SYN");
    add(flag::FIN, "FIN");
    add(flag::RST, "RST");
    add(flag::PSH, "PSH");
    add(flag::ACK, "ACK");
    return out;
}

}  // namespace finwave
