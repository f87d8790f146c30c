// FinWave on the desktop: the browser app's code in an SDL2 window with
// OpenGL 3, for learners who want it without a browser.
//
// The loop is the browser's (web/shell.cpp), run here in a plain while loop;
// what the browser learns from its page (lessons fetched, localStorage, the
// URL) comes from folders, files and the command line instead
// (web/platform_native.cpp). The options after the first few exist so that
// tests can drive the real app: a script of commands and clicks, a
// screenshot, the state window.finwave.state() would return.

#include <SDL.h>
#include <SDL_opengl.h>
#include <stb_image_write.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/lesson_folder.hpp"
#include "finwave/parse_number.hpp"
#include "platform.hpp"
#include "platform_native.hpp"
#include "shell.hpp"

namespace fs = std::filesystem;
using namespace finwave::web;

namespace {

constexpr const char* kUsage = R"(usage: finwave-desktop [options]

FinWave, the interactive tutorial for how TCP connections close, in a window.

  --lessons DIR        the lessons folder (DIR/en/*.md, DIR/zh/*.md); default:
                       lessons/ beside the program, in the current folder, or
                       the source tree's
  --lang en|zh         the interface and lesson language
  --lesson ID          open this lesson (or a built-in scenario's free play)
  --step N             at step N, from 1
  --practice SEED      open a generated exercise (the same SEED gives the same
                       one; the lesson list's Practice entry gives the review
                       due today)
  --level 1|2|3        the exercise's level, with --practice (default 1)
  --progress FILE      keep the learner's answers in FILE; default:
                       $XDG_DATA_HOME/finwave/progress.json, else
                       ~/.local/share/finwave/progress.json
  --size WxH           the window's size in pixels

For tests and demonstrations:
  --script FILE        after the first frame, one line per frame: a command as
                       window.finwave.command takes it ("answer fin-meaning A"),
                       "click NAME" (a widget of state().ui), "key NAME" (an
                       SDL key name, e.g. Right), "wait N" (frames), "idle MS"
                       (wait as the interactive loop does; prints the frames drawn)
  --frames N           after the script, draw N frames and exit
  --screenshot FILE    write the last frame to FILE (PNG) and exit (after 5
                       frames unless --frames says otherwise)
  --state FILE         at exit, write what window.finwave.state() returns
  --help
)";

// Frames a click needs through the shell's input queue: the pointer
// arrives, the button goes down, then up, one frame each.
constexpr int kClickFrames = 3;
constexpr int kKeyFrames = 2;
constexpr int kScreenshotFrames = 5;

struct Options {
    std::optional<fs::path> lessons_dir;
    std::optional<fs::path> progress_file;
    // As the browser's URL has them; startup.cpp checks the values.
    std::string lang, lesson, step, practice, level;
    int width = 0;
    int height = 0;
    std::optional<fs::path> script;
    int frames = -1;  // -1: until the window is closed
    std::optional<fs::path> screenshot;
    std::optional<fs::path> state_file;
};

std::optional<int> whole_number(std::string_view s) {
    const auto v = finwave::parse_integer<int>(s);
    if (!v || *v < 0) return std::nullopt;
    return v;
}

// Exits with status 2 on a usage error: a mistyped option must not start the
// app as if nothing had been asked.
Options parse_options(int argc, char** argv) {
    Options o;
    auto usage_error = [](const std::string& what) {
        std::fprintf(stderr, "finwave-desktop: %s\n%s", what.c_str(), kUsage);
        std::exit(2);
    };
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string value;
        bool has_value = false;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg.erase(eq);
            has_value = true;
        }
        auto take = [&]() -> std::string {
            if (has_value) return value;
            if (i + 1 >= argc) usage_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else if (arg == "--lessons") {
            o.lessons_dir = take();
        } else if (arg == "--progress") {
            o.progress_file = take();
        } else if (arg == "--lang") {
            o.lang = take();
        } else if (arg == "--lesson") {
            o.lesson = take();
        } else if (arg == "--step") {
            o.step = take();
        } else if (arg == "--practice") {
            o.practice = take();
        } else if (arg == "--level") {
            o.level = take();
        } else if (arg == "--size") {
            const std::string s = take();
            const auto x = s.find('x');
            const auto w = x == std::string::npos ? std::nullopt : whole_number(std::string_view(s).substr(0, x));
            const auto h = x == std::string::npos ? std::nullopt : whole_number(std::string_view(s).substr(x + 1));
            if (!w || !h || *w < 320 || *h < 240) usage_error("--size takes WIDTHxHEIGHT, at least 320x240");
            o.width = *w;
            o.height = *h;
        } else if (arg == "--script") {
            o.script = take();
        } else if (arg == "--frames") {
            const auto n = whole_number(take());
            if (!n || *n == 0) usage_error("--frames takes a number from 1");
            o.frames = *n;
        } else if (arg == "--screenshot") {
            o.screenshot = take();
        } else if (arg == "--state") {
            o.state_file = take();
        } else {
            usage_error("unknown option " + arg);
        }
    }
    if (o.screenshot && o.frames < 0) o.frames = kScreenshotFrames;
    return o;
}

// The same parameters the browser reads from its URL (startup.cpp), so that
// both report a bad one the same way.
std::string start_query(const Options& o) {
    std::string q;
    auto add = [&](const char* key, const std::string& value) {
        if (value.empty()) return;
        q += q.empty() ? "?" : "&";
        q += key;
        q += '=';
        for (char c : value) {
            if (c == '%' || c == '&' || c == '+' || c == '=' || c == '#') {
                char escaped[4];
                std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
                q += escaped;
            } else {
                q += c;
            }
        }
    };
    add("lang", o.lang);
    add("lesson", o.lesson);
    add("step", o.step);
    add("practice", o.practice);
    add("level", o.level);
    return q;
}

fs::path program_dir() {
    char* base = SDL_GetBasePath();
    if (base == nullptr) return fs::current_path();
    fs::path dir(base);
    SDL_free(base);
    return dir;
}

bool has_lessons(const fs::path& dir) { return !finwave::lesson_files(dir).empty(); }

// Beside the program first (a copied or installed app), then the current
// folder (run from a checkout), then the source tree this was built from.
fs::path find_lessons(const Options& o) {
    if (o.lessons_dir) return *o.lessons_dir;
    const fs::path here = program_dir();
    for (const fs::path& dir : {here / "lessons", here / "../share/finwave/lessons", fs::current_path() / "lessons"})
        if (has_lessons(dir)) return fs::weakly_canonical(dir);
    return FINWAVE_SOURCE_LESSONS_DIR;
}

fs::path find_font(const char* name) {
    const fs::path here = program_dir();
    for (const fs::path& dir : {here / "assets/fonts", here / "../share/finwave/assets/fonts"})
        if (fs::exists(dir / name)) return fs::weakly_canonical(dir / name);
    return here / "assets/fonts" / name;
}

// What the browser's preload_assets.js does with lessons/index.json, from
// the folder itself: every <lang>/<name>.md, sorted; a name the browser
// would refuse is refused here too, with the same words.
Tutor load_lessons(const fs::path& dir) {
    Catalog catalog;
    bool found = false;
    for (const finwave::LessonFile& file : finwave::lesson_files(dir, &found)) {
        const std::string& path = file.rel;
        const auto slash = path.find('/');
        const std::string_view lang = std::string_view(path).substr(0, slash);
        const std::string_view name = std::string_view(path).substr(slash + 1);
        const bool lesson_name = lang.size() == 2 && std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
                                 std::all_of(name.begin(), name.end(), [](char c) {
                                     return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
                                 });
        if (!lesson_name) {
            catalog.add_failure(path, "not a lesson file (lessons/<lang>/<name>.md): ignored");
            continue;
        }
        if (auto text = platform::read_file(file.path.string())) catalog.add_file(path, *text);
        else catalog.add_failure(path, "cannot be read");
    }
    Tutor tutor(std::move(catalog), builtin_strings());
    if (!found) tutor.add_notice(Alert::Level::Error, "notice.index_failed", {"no lessons folder at " + dir.string()});
    return tutor;
}

double now_ms() {
    static const Uint64 start = SDL_GetPerformanceCounter();
    return static_cast<double>(SDL_GetPerformanceCounter() - start) * 1000.0 / static_cast<double>(SDL_GetPerformanceFrequency());
}

// Above 1 on a high-DPI screen (Wayland, macOS) where the window's size is
// in points and its drawable in pixels; 1 on plain X11.
double pixel_ratio(SDL_Window* window) {
    int window_width = 0;
    int drawable_width = 0;
    int height = 0;
    SDL_GetWindowSize(window, &window_width, &height);
    SDL_GL_GetDrawableSize(window, &drawable_width, &height);
    return window_width > 0 && drawable_width > 0 ? static_cast<double>(drawable_width) / window_width : 1.0;
}

// Most of the usable screen, never more than the layout the app is made
// for, never less than its wide layout needs.
void default_window_size(int& width, int& height) {
    width = 1400;
    height = 880;
    SDL_Rect usable;
    if (SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 && usable.h > 0) {
        width = std::clamp(usable.w * 9 / 10, 900, 1400);
        height = std::clamp(usable.h * 9 / 10, 600, 880);
    }
}

// The back buffer of the frame just drawn, bottom row first as GL keeps it.
bool write_screenshot(SDL_Window* window, const fs::path& path, std::string& error) {
    int width = 0;
    int height = 0;
    SDL_GL_GetDrawableSize(window, &width, &height);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    if (const GLenum gl_error = glGetError(); gl_error != GL_NO_ERROR) {
        error = "glReadPixels failed (GL error " + std::to_string(gl_error) + ")";
        return false;
    }
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    stbi_flip_vertically_on_write(1);
    if (stbi_write_png(path.c_str(), width, height, 3, pixels.data(), width * 3) == 0) {
        error = "cannot write " + path.string();
        return false;
    }
    return true;
}

struct ScriptLine {
    int number = 0;
    std::string text;
};

std::optional<std::vector<ScriptLine>> read_script(const fs::path& path) {
    auto text = platform::read_file(path.string());
    if (!text) return std::nullopt;
    std::vector<ScriptLine> lines;
    std::istringstream in(*text);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        lines.push_back({number, line.substr(first)});
    }
    return lines;
}

// A widget's rectangle as the app exposes it to the browser's tests.
std::optional<SDL_FPoint> widget_centre(const Shell& shell, const std::string& name) {
    const auto state = nlohmann::json::parse(shell.state_json(), nullptr, false);
    if (state.is_discarded() || !state.contains("ui") || !state["ui"].contains(name)) return std::nullopt;
    const auto& r = state["ui"][name];
    if (!r.is_array() || r.size() != 4) return std::nullopt;
    return SDL_FPoint{r[0].get<float>() + r[2].get<float>() / 2, r[1].get<float>() + r[3].get<float>() / 2};
}

// Real SDL events, so that a click goes the way a learner's does: through the
// shell's input queue, ImGui and the panel, to the command the panel returns.
void push_click(SDL_Window* window, SDL_FPoint at) {
    const Uint32 id = SDL_GetWindowID(window);
    const int x = static_cast<int>(at.x);
    const int y = static_cast<int>(at.y);
    SDL_Event e{};
    e.type = SDL_MOUSEMOTION;
    e.motion.windowID = id;
    e.motion.x = x;
    e.motion.y = y;
    SDL_PushEvent(&e);
    for (const Uint32 type : {SDL_MOUSEBUTTONDOWN, SDL_MOUSEBUTTONUP}) {
        e = SDL_Event{};
        e.type = type;
        e.button.windowID = id;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = x;
        e.button.y = y;
        SDL_PushEvent(&e);
    }
}

void push_key(SDL_Window* window, SDL_Scancode scancode) {
    for (const Uint32 type : {SDL_KEYDOWN, SDL_KEYUP}) {
        SDL_Event e{};
        e.type = type;
        e.key.windowID = SDL_GetWindowID(window);
        e.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.key.keysym.scancode = scancode;
        e.key.keysym.sym = SDL_GetKeyFromScancode(scancode);
        SDL_PushEvent(&e);
    }
}

// Runs one script line; the frames to draw before the next one, or nothing
// when the line failed (the reason is printed).
std::optional<int> run_line(Shell& shell, const ScriptLine& line, const fs::path& script) {
    const std::string& text = line.text;
    const auto space = text.find(' ');
    const std::string verb = text.substr(0, space);
    const std::string argument = space == std::string::npos ? std::string() : text.substr(text.find_first_not_of(' ', space));
    auto failed = [&](const std::string& why) -> std::optional<int> {
        std::fprintf(stderr, "%s:%d: %s: %s\n", script.c_str(), line.number, text.c_str(), why.c_str());
        return std::nullopt;
    };
    if (verb == "wait") {
        const auto n = whole_number(argument);
        if (!n) return failed("wait takes a number of frames");
        return *n;
    }
    if (verb == "idle") {
        // The interactive loop's own wait, for `argument` milliseconds: a
        // frame only when an event came or something animates. Prints the
        // frames drawn, for a test to check that a still screen draws none.
        const auto ms = whole_number(argument);
        if (!ms) return failed("idle takes a number of milliseconds");
        const double deadline = now_ms() + *ms;
        const std::uint64_t before = shell.frames();
        for (double left = *ms; left > 0 && !shell.quit_requested(); left = deadline - now_ms()) {
            if (!shell.animating() && SDL_WaitEventTimeout(nullptr, static_cast<int>(std::ceil(left))) == 0) continue;
            shell.frame();
        }
        std::printf("finwave-desktop: idle %d ms: %llu frames\n", *ms, static_cast<unsigned long long>(shell.frames() - before));
        std::fflush(stdout);
        return 1;
    }
    if (verb == "click") {
        const auto at = widget_centre(shell, argument);
        if (!at) return failed("no widget '" + argument + "' on screen");
        push_click(shell.window(), *at);
        return kClickFrames;
    }
    if (verb == "key") {
        const SDL_Scancode scancode = SDL_GetScancodeFromName(argument.c_str());
        if (scancode == SDL_SCANCODE_UNKNOWN) return failed("no key named '" + argument + "'");
        push_key(shell.window(), scancode);
        return kKeyFrames;
    }
    const std::string reply = shell.command(text);
    if (reply != "ok" && reply != "pong") return failed(reply);
    return 1;
}

bool write_file(const fs::path& path, const std::string& text) {
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    return static_cast<bool>(out << text);
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse_options(argc, argv);

    std::vector<ScriptLine> script;
    if (options.script) {
        auto lines = read_script(*options.script);
        if (!lines) {
            std::fprintf(stderr, "finwave-desktop: cannot read the script %s\n", options.script->c_str());
            return 2;
        }
        script = std::move(*lines);
    }

    platform::NativeSettings settings;
    settings.data_dir = platform::default_data_dir();
    if (options.progress_file) settings.progress_file = *options.progress_file;
    settings.start_query = start_query(options);
    platform::configure_native(settings);

    // Clicking into the window also clicks the widget under the pointer, as
    // in a browser tab.
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        std::fprintf(stderr, "finwave-desktop: no display: %s\n", SDL_GetError());
        return 1;
    }
    int width = options.width;
    int height = options.height;
    if (width == 0) default_window_size(width, height);

    ShellConfig config;
    config.body_font_path = find_font("finwave-ui.ttf").string();
    config.mono_font_path = find_font("finwave-mono.ttf").string();
    config.fallback_font_path = find_font("finwave-fallback.ttf").string();
    config.now_ms = now_ms;
    config.pixel_ratio = pixel_ratio;
    config.storage_failed_key = "notice.file_storage_failed";

    Shell shell;
    std::string error;
    if (!shell.open(config, "FinWave", width, height, error)) {
        std::fprintf(stderr, "finwave-desktop: %s\n", error.c_str());
        SDL_Quit();
        return 1;
    }

    const fs::path lessons = find_lessons(options);
    Tutor tutor = load_lessons(lessons);
    if (!fs::exists(config.body_font_path))
        tutor.add_notice(Alert::Level::Error, "notice.font_failed", {config.body_font_path + ": missing"});
    std::printf("finwave-desktop: lessons from %s; progress in %s\n", lessons.c_str(),
                (options.progress_file ? *options.progress_file : settings.data_dir / "progress.json").c_str());
    shell.start(std::move(tutor));

    bool script_failed = false;
    bool screenshot_failed = false;
    std::size_t next_line = 0;
    int hold_frames = 1;  // the script starts once a first frame has laid the widgets out
    int frames_left = options.frames;
    if (options.screenshot) {
        shell.before_swap = [&] {
            if (frames_left != 1 || next_line < script.size() || hold_frames > 0) return;
            std::string why;
            if (!write_screenshot(shell.window(), *options.screenshot, why)) {
                std::fprintf(stderr, "finwave-desktop: screenshot: %s\n", why.c_str());
                screenshot_failed = true;
            }
        };
    }

    while (!shell.quit_requested()) {
        const bool script_running = next_line < script.size() || hold_frames > 0;
        if (!script_running && frames_left == 0) break;
        // A still screen is not redrawn at all: the loop sleeps until an
        // event comes (input, a resize, the window shown again, quit).
        // Whatever animates on its own (a simulation playing, a toast
        // counting down, ImGui settling after input) keeps animating() true.
        if (!script_running && frames_left < 0 && !shell.animating()) SDL_WaitEvent(nullptr);
        shell.frame();
        if (hold_frames > 0) {
            --hold_frames;
        } else if (next_line < script.size()) {
            const auto frames = run_line(shell, script[next_line++], *options.script);
            if (!frames) {
                script_failed = true;
                next_line = script.size();  // the rest would run on a state nobody meant
            } else {
                hold_frames = *frames;
            }
        } else if (frames_left > 0) {
            --frames_left;
        }
    }

    if (options.state_file && !write_file(*options.state_file, shell.state_json())) {
        std::fprintf(stderr, "finwave-desktop: cannot write %s\n", options.state_file->c_str());
        script_failed = true;
    }
    shell.close();
    return script_failed || screenshot_failed ? 1 : 0;
}
