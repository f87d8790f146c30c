// window.finwave.command(TEXT): what a host page's postMessage becomes
// (web/page/host.js), what the accessible view and the tests send. Input:
// one command per line, applied in order to a tutor on the real lessons.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "common.hpp"
#include "controller.hpp"

using namespace finwave;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    web::Tutor tutor = fuzz::repo_tutor();
    // A few commands per input: enough to reach states (a lesson open, a
    // question answered) that one command alone cannot.
    for (int n = 0; n < 8 && !text.empty(); ++n) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        auto parsed = web::parse_command(line, tutor);
        if (auto* command = std::get_if<web::Command>(&parsed)) (void)web::apply_command(tutor, *command);
    }
    return 0;
}
