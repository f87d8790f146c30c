// finwave_conformance: every built-in scenario on the engine's `linux`
// profile and on the real kernel, compared. Run it through
// tests/conformance/run-conformance.sh, which builds it and checks that the
// machine can run it (root, network namespaces, nftables, tcpdump, tun).
//
//   finwave_conformance --run-kernel PATH --out DIR [--markdown FILE]
//                       [--json FILE] [--engine-set KNOB=VALUE]... [NAME...]
//
// --engine-set changes a knob on the engine side only: a self-check that the
// comparison notices an engine that disagrees with the kernel.
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cases.hpp"
#include "compare.hpp"
#include "finwave/event_text.hpp"
#include "finwave/builtin.hpp"
#include "finwave/fingerprint.hpp"
#include "finwave/trace.hpp"
#include "records.hpp"
#include "report.hpp"
#include "translate.hpp"

using namespace finwave;
using namespace finwave::conformance;

namespace {

struct Options {
    std::string run_kernel;  // path of run-kernel.sh
    std::string out = "build/conformance";
    std::string markdown, json;
    std::string command = "tests/conformance/run-conformance.sh";
    std::vector<std::string> only;
    // Knobs set on the engine side only: a self-check that shows the
    // comparison catches an engine that disagrees (never used for results).
    std::vector<std::pair<std::string, std::string>> engine_only;
};

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
    return static_cast<bool>(f);
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return std::nullopt;
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// Runs argv with stdout and stderr into `log`; returns the exit status.
int run_command(const std::vector<std::string>& argv, const std::string& log) {
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        FILE* f = std::freopen(log.c_str(), "w", stdout);
        if (!f || dup2(fileno(stdout), 2) < 0) _exit(127);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        std::perror("exec");
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string last_lines(const std::string& text, int n) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) lines.push_back(l);
    std::string out;
    for (std::size_t i = lines.size() > static_cast<std::size_t>(n) ? lines.size() - static_cast<std::size_t>(n) : 0; i < lines.size(); ++i)
        out += (out.empty() ? "" : " | ") + lines[i];
    return out;
}

std::string ms_arg(std::int64_t us) { return std::to_string((us + 999) / 1000); }

// `file_text`: a scenario file given on the command line instead of a built-in.
ScenarioResult run_case(const CaseSpec& spec, const Options& opt, const Tolerances& tol,
                        const std::optional<std::string>& file_text = std::nullopt) {
    ScenarioResult r;
    r.name = std::string(spec.scenario);
    r.how = std::string(spec.why);
    if (!spec.not_comparable.empty()) {
        r.reason = std::string(spec.not_comparable);
        return r;
    }
    const auto text0 = file_text ? std::optional<std::string_view>(*file_text) : find_builtin(spec.scenario);
    if (!text0) {
        r.error = "no built-in scenario of that name";
        return r;
    }
    // What the app's badge is keyed by: the scenario as a learner runs it
    // (its text, and its knobs in the linux profile), before the overrides.
    r.scenario_hash = fingerprint(*text0);
    if (auto as_is = parse_scenario(*text0, "builtin:" + r.name); auto* s0 = std::get_if<Scenario>(&as_is))
        if (auto k0 = resolve_knobs(*s0, Profile::Linux, {}); auto* kk = std::get_if<Knobs>(&k0)) r.knobs_hash = knobs_fingerprint(*kk);
    // The overrides, identical for both sides.
    std::string text(*text0);
    for (const auto& e : spec.edits) {
        const auto at = text.find(e.from);
        if (at == std::string::npos || text.find(e.from, at + 1) != std::string::npos) {
            r.error = "the harness edit '" + e.from + "' no longer matches the scenario exactly once";
            return r;
        }
        text.replace(at, e.from.size(), e.to);
        r.overrides.push_back("'" + e.from + "' → '" + e.to + "'");
    }
    for (const auto& [k, v] : spec.knobs) r.overrides.insert(r.overrides.begin(), k + "=" + v);
    auto parsed = parse_scenario(text, file_text ? r.name : "builtin:" + r.name);
    if (auto* e = std::get_if<ParseError>(&parsed)) {
        r.error = "scenario does not parse: " + e->to_string();
        return r;
    }
    const Scenario sc = std::get<Scenario>(parsed);
    r.description = sc.description;
    if (file_text) r.name = sc.name;
    auto knobs_or = resolve_knobs(sc, Profile::Linux, spec.knobs);
    if (auto* e = std::get_if<std::string>(&knobs_or)) {
        r.error = "knobs: " + *e;
        return r;
    }
    const Knobs knobs = std::get<Knobs>(knobs_or);
    auto plan_or = translate(sc, knobs);
    if (auto* u = std::get_if<Untranslatable>(&plan_or)) {
        r.error = "cannot run on the kernel: " + u->reason;
        return r;
    }
    const KernelPlan plan = std::get<KernelPlan>(plan_or);
    r.translation = plan.notes;
    r.delay_ms = plan.delay_ms;

    // The engine, the whole run; compared up to shortly after its last event
    // before TIME-WAIT's end, with room for the kernel's late timers.
    Knobs engine_knobs = knobs;
    for (const auto& [k, v] : opt.engine_only) {
        if (auto err = set_knob(engine_knobs, k, v)) {
            r.error = "--engine-set: " + *err;
            return r;
        }
        r.overrides.push_back("engine only: " + k + "=" + v);
    }
    Simulation sim(sc, engine_knobs, sc.seed.value_or(1));
    sim.run();
    if (!sim.problems().empty()) {
        r.error = "the engine reports a problem: " + sim.problems().front();
        return r;
    }
    const std::int64_t quiet = engine_quiet_point(sim);
    r.cut_us = quiet + 500000 + quiet / 10;

    const std::string dir = opt.out + "/" + r.name;
    const std::string kdir = dir + "/kernel";
    if (std::system(("mkdir -p '" + kdir + "'").c_str()) != 0) {
        r.error = "cannot create " + kdir;
        return r;
    }
    {
        std::ofstream f(dir + "/engine.txt");
        f << "# " << r.name << " (linux profile)";
        for (const auto& o : r.overrides) f << " " << o;
        f << "\n";
        finwave::i18n::write_text(f, sim.trace(), finwave::i18n::Words(finwave::i18n::Lang::En));
    }
    write_file(dir + "/scenario.txt", text);
    write_file(dir + "/ruleset.nft", plan.ruleset);
    std::vector<std::string> argv = {"bash", opt.run_kernel, "-q", "-o", kdir, "--mode", "events",
                                     "--delay", std::to_string(plan.delay_ms), "--client", plan.client_script,
                                     "--server", plan.server_script, "--ruleset", dir + "/ruleset.nft",
                                     "--stop", "max", "--max-ms", ms_arg(r.cut_us + 100000), "--tail-ms", "0"};
    for (const auto& s : plan.sysctls) {
        argv.push_back("--sysctl");
        argv.push_back(s);
    }
    for (const auto& f : plan.relay_faults) {
        argv.push_back("--relay-fault");
        argv.push_back(f);
    }
    {
        std::string cmd;
        for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + ("'" + a + "'");
        write_file(dir + "/command.txt", cmd + "\n");
    }
    const auto t0 = std::chrono::steady_clock::now();
    const int rc = run_command(argv, dir + "/run-kernel.log");
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rc != 0) {
        r.error = "the kernel run failed (exit " + std::to_string(rc) + "): " + last_lines(read_file(dir + "/run-kernel.log").value_or(""), 3);
        return r;
    }
    const auto trace = read_file(kdir + "/trace.txt");
    if (!trace) {
        r.error = "the kernel run left no trace in " + kdir;
        return r;
    }
    KernelRecord k;
    if (auto err = parse_kernel_trace(*trace, k)) {
        r.error = *err;
        return r;
    }
    r.run = true;
    CompareInput in;
    in.engine = &sim;
    in.kernel = &k;
    in.cut_us = r.cut_us;
    in.latency = knobs.latency;
    in.mss = knobs.mss;
    in.tol = tol;
    r.comparison = compare(in);
    r.passed = r.comparison.passed();
    std::string detail = summary_line(r) + "\n";
    for (const auto& d : r.comparison.differences) detail += "difference: " + d + "\n";
    for (const auto& t : r.comparison.timings) detail += std::string(t.ok ? "ok   " : "FAIL ") + t.describe() + "\n";
    for (const auto& n : r.comparison.notes) detail += "note: " + n + "\n";
    write_file(dir + "/comparison.txt", detail);
    return r;
}

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "finwave_conformance: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--run-kernel") opt.run_kernel = value();
        else if (a == "--out") opt.out = value();
        else if (a == "--markdown") opt.markdown = value();
        else if (a == "--json") opt.json = value();
        else if (a == "--command") opt.command = value();
        else if (a == "--engine-set") {
            const std::string kv = value();
            const auto eq = kv.find('=');
            if (eq == std::string::npos) {
                std::cerr << "finwave_conformance: --engine-set takes KNOB=VALUE\n";
                return 2;
            }
            opt.engine_only.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        }
        else if (!a.empty() && a[0] == '-') {
            std::cerr << "usage: finwave_conformance --run-kernel PATH [--out DIR] [--markdown FILE] [--json FILE]\n"
                         "                           [--engine-set KNOB=VALUE]... [NAME...]\n";
            return 2;
        } else opt.only.push_back(a);
    }
    if (opt.run_kernel.empty()) {
        std::cerr << "finwave_conformance: --run-kernel PATH (tests/conformance/run-kernel.sh) is required\n";
        return 2;
    }
    // Every built-in scenario must have an entry, so none escapes the check unnoticed.
    std::vector<std::string> missing;
    for (const auto& b : builtin_scenarios()) {
        bool found = false;
        for (const auto& c : cases()) found = found || c.scenario == b.name;
        if (!found) missing.push_back(std::string(b.name));
    }

    const Tolerances tol;
    std::vector<ScenarioResult> results;
    int passed = 0, failed = 0, skipped = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& name : missing) {
        ScenarioResult r;
        r.name = name;
        r.error = "no entry in the conformance table (tests/conformance/harness/cases.cpp)";
        std::cout << summary_line(r) << std::endl;
        results.push_back(r);
        ++failed;
    }
    // Names on the command line select built-in scenarios; a path to a
    // .scenario file runs that file as it is (exploration).
    const bool filtered = !opt.only.empty();
    std::vector<std::string> names, files;
    for (const auto& o : opt.only)
        (o.find('/') != std::string::npos || o.find(".scenario") != std::string::npos ? files : names).push_back(o);
    for (const auto& path : files) {
        const auto text = read_file(path);
        ScenarioResult r;
        if (!text) {
            r.name = path;
            r.error = "cannot read " + path;
        } else {
            r = run_case(CaseSpec{path, {}, {}, "", ""}, opt, tol, *text);
        }
        std::cout << summary_line(r) << std::endl;
        if (r.run && r.passed) ++passed;
        else ++failed;
        results.push_back(std::move(r));
    }
    for (const auto& name : names) {
        if (std::none_of(cases().begin(), cases().end(), [&](const CaseSpec& c) { return c.scenario == name; })) {
            ScenarioResult r;
            r.name = name;
            r.error = "no such built-in scenario (see 'finwave scenarios')";
            std::cout << summary_line(r) << std::endl;
            ++failed;
            results.push_back(std::move(r));
        }
    }
    for (const auto& spec : cases()) {
        if (filtered && std::find(names.begin(), names.end(), spec.scenario) == names.end()) continue;
        ScenarioResult r = run_case(spec, opt, tol);
        std::cout << summary_line(r) << std::endl;
        if (!r.reason.empty()) ++skipped;
        else if (r.run && r.passed) ++passed;
        else ++failed;
        results.push_back(std::move(r));
    }
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    ReportInfo info;
    utsname u{};
    uname(&u);
    info.kernel = u.release;
    info.machine = std::string(u.machine) + ", " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " CPUs";
    info.generated = now_utc();
    info.date = info.generated.substr(0, 10);
    info.command = opt.command;
    info.total_seconds = total;
    info.tol = tol;
    write_file(opt.out + "/conformance.md", markdown_report(info, results));
    write_file(opt.out + "/conformance.json", json_report(info, results));
    if (!opt.markdown.empty() && !write_file(opt.markdown, markdown_report(info, results))) ++failed;
    if (!opt.json.empty() && !write_file(opt.json, json_report(info, results))) ++failed;

    std::printf("kernel %s; %d not comparable; %.0f s; details under %s\n", info.kernel.c_str(), skipped, total, opt.out.c_str());
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
