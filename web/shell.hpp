// The app's shell, one for the desktop and the browser: the SDL window and
// its GL context, Dear ImGui, the fonts, input as ImGui 1.86 can use it, and
// one frame of the loop. The desktop calls frame() in a loop
// (web/desktop/main.cpp); the browser hands it to emscripten_set_main_loop
// (web/main.cpp). What differs between the two comes in through ShellConfig
// and the platform layer (platform.hpp).
#pragma once

#include <SDL.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"

namespace finwave::web {

struct ShellConfig {
    std::string body_font_path;  // the CJK subset: everything a person reads
    std::string mono_font_path;  // ASCII in a monospaced face
    // GB 2312's characters, for lesson text outside the subset: read when
    // needed, never at start.
    std::string fallback_font_path;
    // Browser: starts fetching the fallback to fallback_font_path and calls
    // Shell::fallback_font_arrived when done. Null: the file is read directly.
    void (*fetch_fallback_font)() = nullptr;
    double (*now_ms)() = nullptr;                  // a monotonic clock in milliseconds
    double (*pixel_ratio)(SDL_Window*) = nullptr;  // device pixels per window pixel
    void (*fit_window)(SDL_Window*) = nullptr;     // before each frame: follow the page's size (browser)
    // The notice shown once when saving fails: the browser's and the
    // desktop's reasons read differently.
    const char* storage_failed_key = "notice.storage_failed";
};

class Shell {
public:
    // SDL, a window with a GL context for ImGui's OpenGL3 backend, ImGui.
    // False, with the reason in `error`, when any of it cannot be had.
    bool open(const ShellConfig& config, const char* title, int width, int height, std::string& error);
    // Where the learner left off (through the platform layer), then the app
    // and the fonts. `tutor` holds the lessons that were found.
    void start(Tutor tutor);
    // One turn of the loop: input, the app, drawing, swap, saving.
    void frame();
    void close();

    // A model command as window.finwave.command takes it: "ok" or "error: ...".
    std::string command(std::string_view text);
    // window.finwave.state(): the tutor's state, frame and font figures, the
    // exposed widget rectangles.
    std::string state_json() const;
    void reset_perf();

    // Whether the next frame can differ from the last one without new
    // input: a simulation plays, input is recent (ImGui settles over a few
    // frames) or still queued, the app animates (a toast counting down), or
    // frames were asked for (request_frame). Otherwise nothing is drawn: the
    // desktop waits for an event, the browser pauses its main loop until
    // something wakes it.
    bool animating() const;
    // Something outside the event queue changed what is shown (a command of
    // the JS API, a lesson fetched, a new device pixel ratio): draw again.
    void request_frame() { frames_requested_ = std::max(frames_requested_, kSettleFrames); }

    // The fallback font is in the file system (ok) or could not be had.
    void fallback_font_arrived(bool ok, const std::string& why);

    SDL_Window* window() const { return window_; }
    bool quit_requested() const { return quit_requested_; }
    std::uint64_t frames() const { return frame_; }
    // After drawing and before the swap: the back buffer holds this frame.
    std::function<void()> before_swap;

private:
    // Input as ImGui 1.86 can use it. Its SDL backend reads the mouse from
    // SDL_GetMouseState() once per frame and has no event queue (1.87 added
    // one), so a press on a widget the pointer reached in the same frame, or
    // a press and release inside one frame (a touch tap, a quick click), would
    // be missed or land on the wrong widget. Here such events wait for the
    // next frame: the pointer arrives, then the button goes down, then up.
    struct Input {
        std::vector<SDL_Event> later;
        ImVec2 pos{-FLT_MAX, -FLT_MAX};
        bool down[3] = {false, false, false};
        bool pressed[3] = {false, false, false};  // went down since the last frame
        bool forget_pos = false;                  // a finger lifted: no hover remains
        std::vector<bool> shortcut_keys = std::vector<bool>(SDL_NUM_SCANCODES, false);  // held, taken by a shortcut
    };

    void collect_heading_glyphs(const Tutor& tutor);
    void collect_text_glyphs(const Tutor& tutor);  // shell_fonts.cpp
    void load_fonts(double pixel_ratio);
    void check_glyphs();  // shell_fonts.cpp
    const char* fallback_state() const;
    void persist(Tutor& tutor);
    void pump_events();
    void apply_mouse();

    // Frames drawn after any input or request, whatever the clock says:
    // a click is spread over three (pointer, down, up) and ImGui shows a
    // hover or a focus change one frame after it learns of it.
    static constexpr int kSettleFrames = 4;

    ShellConfig config_;
    SDL_Window* window_ = nullptr;
    SDL_GLContext gl_context_ = nullptr;
    std::unique_ptr<App> app_;
    double font_pixel_ratio_ = 0.0;  // device pixel ratio the font atlas was built for
    int font_glyphs_ = 0;            // 0: the CJK font failed, ImGui's built-in one is used
    std::uint64_t frame_ = 0;
    std::uint64_t input_events_ = 0;  // key and button presses seen, so tests can tell input arrives
    bool ready_ = false;              // a first frame has been drawn
    double first_frame_ms_ = 0;       // now_ms() when it was (the browser: navigation to first frame)
    double last_frame_ms_ = 0;
    double last_input_ms_ = 0;
    int frames_requested_ = 0;  // frames still owed to input or request_frame()
    bool storage_warned_ = false;
    bool quit_requested_ = false;
    // Per language (Lang as index): the atlas holds the glyphs of the
    // language shown, and is rebuilt when the learner switches.
    template <typename T>
    using PerLang = std::array<T, kLangCount>;
    PerLang<std::vector<ImWchar>> heading_ranges_;
    PerLang<std::vector<ImWchar>> text_glyphs_;   // every non-ASCII character a learner may read, sorted
    PerLang<std::vector<ImWchar>> text_ranges_;   // the same and Latin-1, as ImGui glyph ranges
    PerLang<std::vector<ImWchar>> table_ranges_;  // the table's characters only (merged into the mono face)
    Lang font_lang_ = Lang::En;                   // the language the atlas was built for
    enum class Fallback : std::uint8_t { None, Loading, Loaded, Failed };
    Fallback fallback_ = Fallback::None;
    bool fonts_dirty_ = false;      // rebuild the atlas at the next frame
    bool missing_warned_ = false;
    int atlas_width_ = 0;
    int atlas_height_ = 0;
    std::string missing_glyphs_;    // UTF-8: needed characters that no loaded font has
    Input input_;
    // C++ time per frame, ImGui's new frame to its render (ms), a ring.
    std::vector<double> frame_ms_;
    std::size_t frame_ms_next_ = 0;
};

}  // namespace finwave::web
