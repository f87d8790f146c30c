// The capture readers and the explanation behind `finwave explain`: frames of
// any link type the readers take, or pasted text, then the connections and
// the engine-driven explanation of each. Input: byte 0 even = text (the rest
// of the input); odd = frames: byte 1 picks the link type, then frames as
// [2-byte length][2-byte time step in ms, high bit: a step back][bytes].
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "fail.hpp"
#include "finwave/explain.hpp"
#include "finwave/observed.hpp"

using namespace finwave;
using namespace finwave::capture;

namespace {

constexpr int kLinkTypes[] = {linktype::ETHERNET, linktype::LINUX_SLL, linktype::LINUX_SLL2, linktype::RAW, linktype::NULL_LOOPBACK,
                              linktype::IPV4, linktype::IPV6};
constexpr std::size_t kMaxSegments = 256;  // keeps each input fast; the explanation is linear beyond that

void check(const Explanation& ex, const Connection& c) {
    for (const auto& n : ex.notes)
        if (n.seg >= c.segs.size()) fuzz::fail("a note points past the connection's segments");
    for (const auto& i : ex.inferred)
        if (i.what >= Inference::kCount) fuzz::fail("an inference without a name");
    if (ex.kind >= CloseKind::kCount || ex.kinds.empty() || ex.kinds.front() != ex.kind) fuzz::fail("no kind of close, or kinds not led by it");
    if (ex.client_states.size() > 4 * c.segs.size() + 16 || ex.server_states.size() > 4 * c.segs.size() + 16)
        fuzz::fail("more states than the segments can explain");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    std::vector<Observed> segs;
    if ((data[0] & 1) == 0) {
        const auto r = parse_text(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
        for (const auto& e : r.errors)
            if (e.rfind("line ", 0) != 0) fuzz::fail("a text error that does not say its line: " + e);
        segs = r.segments;
    } else {
        const int lt = kLinkTypes[data[1] % std::size(kLinkTypes)];
        std::size_t at = 2;
        std::int64_t t = 0;
        while (at + 4 <= size && segs.size() < kMaxSegments) {
            const std::size_t len = static_cast<std::size_t>(data[at] << 8 | data[at + 1]);
            const int step = data[at + 2] << 8 | data[at + 3];
            at += 4;
            const std::size_t take = std::min(len, size - at);
            t += (step & 0x8000) ? -(step & 0x7fff) * 1000 : step * 1000;
            auto r = parse_frame(lt, std::span<const std::uint8_t>(data + at, take), static_cast<std::uint32_t>(len));
            at += take;
            if (auto* o = std::get_if<Observed>(&r)) {
                if (o->len > 65535) fuzz::fail("a payload longer than an IP packet holds");
                o->t_us = t;
                o->where = "packet " + std::to_string(segs.size() + 1);
                segs.push_back(*o);
            }
        }
    }
    if (segs.size() > kMaxSegments) segs.resize(kMaxSegments);
    std::size_t total = 0;
    ExplainOptions opt;
    for (const auto& c : split_connections(segs)) {
        total += c.segs.size();
        if (c.segs.size() != c.from_client.size()) fuzz::fail("a connection's segments and sides differ in number");
        check(explain(c, opt), c);
    }
    if (total != segs.size()) fuzz::fail("split_connections lost or added segments");
    return 0;
}
