// The lessons' Markdown, parsed into the blocks the app draws.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "markdown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)finwave::web::parse_markdown(text);
    (void)finwave::web::parse_inline(text);
    return 0;
}
