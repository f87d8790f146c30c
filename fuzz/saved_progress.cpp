// The saved progress (localStorage, or SCORM suspend_data expanded by
// web/page/scorm.js): anything not exactly the format is discarded whole
// with a reason, and what is kept saves back to the same thing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fail.hpp"
#include "progress.hpp"

using namespace finwave::web;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const ProgressLoad loaded = load_progress(text);
    if (loaded.discarded_because) {
        if (!loaded.progress.lessons.empty() || loaded.discarded_because->empty())
            finwave::fuzz::fail("a discarded save kept something, or gave no reason");
        return 0;
    }
    const ProgressLoad again = load_progress(loaded.progress.to_json());
    if (again.discarded_because || !(again.progress == loaded.progress))
        finwave::fuzz::fail("progress does not survive saving: " + loaded.progress.to_json());
    return 0;
}
