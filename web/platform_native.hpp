// What the desktop's platform layer (platform_native.cpp) is told by the
// command line, where the browser's learns it from the page: where the
// learner's files live and where the app should open.
#pragma once

#include <filesystem>
#include <string>

namespace finwave::web::platform {

struct NativeSettings {
    // progress.json, the language and where the learner left off, one file
    // each: what the browser keeps in localStorage.
    std::filesystem::path data_dir;
    std::filesystem::path progress_file;  // default data_dir/progress.json
    // The page's query string as the command line gives it, e.g.
    // "?lang=zh&lesson=rst&step=2"; empty: open where the learner left off.
    std::string start_query;
};

// $XDG_DATA_HOME/finwave, else ~/.local/share/finwave (the XDG default).
std::filesystem::path default_data_dir();

// Before the app starts; without it the defaults above apply.
void configure_native(NativeSettings settings);

}  // namespace finwave::web::platform
