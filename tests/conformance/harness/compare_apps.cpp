// Step 4 of the comparison: what the applications were told. End of file,
// errors (ECONNRESET, EPIPE, ...) in order, and the bytes read. The kernel's
// come from the results kernel_runner logged.
#include <cstdlib>

#include "compare_steps.hpp"

namespace finwave::conformance::detail {

namespace {

std::string join_list(const std::vector<std::string>& v) {
    std::string o;
    for (const auto& x : v) o += (o.empty() ? "" : ", ") + x;
    return o.empty() ? std::string("nothing") : o;
}

}  // namespace

void check_applications(const Run& r, Comparison& out) {
    for (Side side : {Side::Client, Side::Server}) {
        std::vector<std::string> eng, ker;
        std::int64_t eng_bytes = 0, ker_bytes = 0;
        for (const auto& e : r.trace) {
            if (e.t.us > r.cut) break;
            if (e.side != side || e.kind != EventKind::Notify) continue;
            switch (e.notice) {
                case Notice::Eof: eng.push_back("EOF"); break;
                case Notice::Reset: eng.push_back("ECONNRESET"); break;
                case Notice::Refused: eng.push_back("ECONNREFUSED"); break;
                case Notice::TimedOut: eng.push_back("ETIMEDOUT"); break;
                case Notice::Error: eng.push_back(errno_name(e.error)); break;
                case Notice::DataRead: eng_bytes += e.value; break;
                default: break;
            }
        }
        for (const auto& c : r.k.calls) {
            if (c.side != side || c.t_us > r.cut) continue;
            const auto eq = c.text.find(" = ");
            if (eq == std::string::npos) continue;
            const std::string result = c.text.substr(eq + 3);
            const bool is_read = c.text.rfind("autoread", 0) == 0 || c.text.find(" read") != std::string::npos;
            if (is_read) ker_bytes += std::strtoll(result.c_str(), nullptr, 10);
            if (result.find("EOF") != std::string::npos && c.text.find("(listener)") == std::string::npos) ker.push_back("EOF");
            if (const auto e = result.find("-1 E"); e != std::string::npos) {
                std::string name = result.substr(e + 3);
                name = name.substr(0, name.find(' '));
                ker.push_back(name);
            }
        }
        out.app_outcomes[side_index(side)] = join_list(eng);
        if (eng != ker)
            out.differences.push_back(std::string(side_name(side)) + " application is told: engine " + join_list(eng) + "; kernel " +
                                      join_list(ker));
        if (eng_bytes != ker_bytes)
            out.differences.push_back(std::string(side_name(side)) + " application reads " + std::to_string(eng_bytes) +
                                      " bytes in the engine, " + std::to_string(ker_bytes) + " on the kernel");
    }
}

}  // namespace finwave::conformance::detail
