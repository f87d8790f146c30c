// The app inside one frame: lays the panes out, lets every panel draw and
// collects the commands they return, adds the keyboard shortcuts, and hands
// all of it to the controller. Also the JS API's entry points.
#pragma once

#include <string>
#include <string_view>

#include "controller.hpp"
#include "host_feed.hpp"
#include "panel_controls.hpp"
#include "panel_diagram.hpp"
#include "panel_header.hpp"
#include "panel_host.hpp"
#include "panel_knobs.hpp"
#include "panel_ladder.hpp"
#include "panel_lesson.hpp"
#include "panel_packets.hpp"
#include "panel_timers.hpp"
#include "tutor.hpp"

namespace finwave::web {

class App {
public:
    explicit App(Tutor tutor) : tutor_(std::move(tutor)) {}

    // Between ImGui::NewFrame() and ImGui::Render(); `dt` in wall-clock seconds.
    void frame(double dt);
    Tutor& tutor() { return tutor_; }
    const Tutor& tutor() const { return tutor_; }

    // A key pressed between frames. True when it was a shortcut: the key
    // then does not reach ImGui (Space and the arrows would otherwise also
    // press or move to a widget). `navigating`: the keyboard is moving
    // between widgets (Escape ends that), so Space and the arrows are its.
    bool key_pressed(int scancode, bool navigating, bool typing, bool modifiers);

    // window.finwave.command(): "ok", or "error: ..." with the reason.
    // "host-poll" answers with what the page around the app is told
    // (model/host_feed.hpp): JSON.
    std::string command(std::string_view text);

    // Frames would differ with no input: a toast is counting down.
    bool animating() const { return toast_left_ > 0; }

private:
    enum class Pane : int { Lesson, Connection, Diagram, Packets, Knobs };
    void layout_wide(Commands& out);
    void layout_compact(Commands& out);
    void layout_embedded(Commands& out);
    void draw_lesson_and_connection(Commands& out, float header_h, float lesson_w, float connection_w);
    void draw_connection(Commands& out);
    void draw_side_tabs(Commands& out);
    bool timers_in_tabs_ = false;  // a short screen: the timers are a tab
    bool tooltip_open_ = false;    // as the page was last told
    void apply(const Commands& commands);

    Tutor tutor_;
    HeaderPanel header_;
    LessonPanel lesson_;
    ControlsPanel controls_;
    LadderPanel ladder_;
    DiagramPanel diagram_;
    TimersPanel timers_;
    PacketsPanel packets_;
    KnobsPanel knobs_;
    HostPanel host_;
    Pane compact_pane_ = Pane::Lesson;
    HostFeed host_feed_;
    float preferred_height_ = 0;  // CSS pixels the lesson would need to show without scrolling
    std::string toast_;  // the last command that failed, shown for a while
    double toast_left_ = 0;
    int frames_ = 0;
};

}  // namespace finwave::web
