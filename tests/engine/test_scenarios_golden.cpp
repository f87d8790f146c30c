// Golden traces: the full JSON-lines trace of every built-in scenario in both
// profiles, compared byte for byte. After a deliberate change of behaviour,
// regenerate with FINWAVE_UPDATE_GOLDEN=1 and review the diff like code.
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "helpers.hpp"
#include "read_file.hpp"

using namespace finwave;
using namespace finwave::test;

TEST_CASE("golden traces of every built-in scenario, both profiles") {
    const bool update = std::getenv("FINWAVE_UPDATE_GOLDEN") != nullptr;
    for (const auto& b : builtin_scenarios()) {
        for (Profile p : {Profile::Linux, Profile::Rfc}) {
            const std::string path = std::string(FINWAVE_GOLDEN_DIR) + "/" + std::string(b.name) + "." + to_string(p) + ".jsonl";
            CAPTURE(path);
            const Simulation sim = run_builtin(b.name, p);
            const std::string actual = jsonl(sim);
            if (update) {
                std::ofstream(path, std::ios::binary) << actual;
                continue;
            }
            const std::optional<std::string> expected = repo::read_file_if_any(path);
            REQUIRE_MESSAGE(expected.has_value(), "missing golden file; run with FINWAVE_UPDATE_GOLDEN=1 to create it");
            if (*expected == actual) continue;
            // Point at the first line that differs rather than dumping both files.
            std::istringstream ea(*expected), aa(actual);
            std::string el, al;
            int line = 0;
            while (true) {
                ++line;
                const bool e_ok = static_cast<bool>(std::getline(ea, el));
                const bool a_ok = static_cast<bool>(std::getline(aa, al));
                if (!e_ok && !a_ok) break;
                if (el != al || e_ok != a_ok) {
                    FAIL_CHECK("line " << line << " differs\n  expected: " << (e_ok ? el : "(end)") << "\n  actual:   " << (a_ok ? al : "(end)"));
                    break;
                }
            }
        }
    }
}

TEST_CASE("how every built-in scenario ends, in both profiles") {
    struct End {
        const char* name;
        State client, server;
    };
    // Linux and the RFC mostly agree on how a story ends; they differ on the
    // way (timers, retries), which the timing tests check.
    const End ends[] = {
        {"four-way-close", State::Closed, State::Closed},
        {"close-wait-leak", State::Closed, State::CloseWait},
        {"orphan-retries-exhausted", State::Closed, State::Established},
        {"rst-no-connection", State::Closed, State::Listen},
        {"time-wait-protects-new-connection", State::Established, State::Established},
    };
    for (const auto& e : ends) {
        for (Profile p : {Profile::Linux, Profile::Rfc}) {
            CAPTURE(std::string(e.name));
            CAPTURE(to_string(p));
            const Simulation sim = run_builtin(e.name, p);
            const std::string name = e.name;
            if (p == Profile::Rfc && name == "close-wait-leak") {
                // No tcp_fin_timeout in the RFC: the client waits in FIN-WAIT-2 too.
                CHECK(sim.endpoint(Side::Client).state() == State::FinWait2);
            } else if (p == Profile::Rfc && name == "time-wait-protects-new-connection") {
                // 2 x MSL = 4 min: at the end of the run the client is still in TIME-WAIT.
                CHECK(sim.endpoint(Side::Client).state() == State::TimeWait);
                CHECK(sim.endpoint(Side::Server).state() == State::Closed);
                continue;
            } else {
                CHECK(sim.endpoint(Side::Client).state() == e.client);
            }
            CHECK(sim.endpoint(Side::Server).state() == e.server);
        }
    }
}
