#include "app.hpp"

#include <SDL.h>
#include <imgui.h>
#include <imgui_internal.h>  // the keyboard's focus rectangle, for the tests

#include <algorithm>

#include "platform.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

// Below this width (CSS pixels) the panes become tabs: a phone, a narrow window.
constexpr float kCompactWidth = 820;
// Below this height (CSS pixels) the wide layout's timers share the tabs.
constexpr float kShortHeight = 720;
// Embedded in another page (?embed=1): from this width the lesson and the
// connection side by side, the rest (diagram, timers, packets) left out.
constexpr float kEmbedTwoPanesWidth = 560;
// Between two panes side by side or one above the other.
constexpr float kPaneGap = 2;
// What a host is asked for at least and at most (CSS pixels).
constexpr float kMinPreferredHeight = 420;
constexpr float kMaxPreferredHeight = 1600;
constexpr double kToastSeconds = 5;

constexpr ImGuiWindowFlags kPaneFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;

bool begin_pane(const char* id, const std::string& title, ImVec2 pos, ImVec2 size, ImGuiWindowFlags extra = 0) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    const std::string name = title + "###" + id;  // the title may change language; the id must not
    const bool titled = !title.empty();
    return ImGui::Begin(name.c_str(), nullptr, kPaneFlags | extra | (titled ? 0 : ImGuiWindowFlags_NoTitleBar));
}

}  // namespace

void App::frame(double dt) {
    ui::clear_exposed();
    tutor_.tick(dt);
    Commands out;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float header_h = ImGui::GetFrameHeight() + 16;
    header_.compact = display.x < kCompactWidth || tutor_.embedded();

    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(ui::colour::kPaneDark));
    if (begin_pane("header", {}, ImVec2(0, 0), ImVec2(display.x, header_h), ImGuiWindowFlags_NoScrollbar)) {
        auto c = header_.draw(tutor_);
        out.insert(out.end(), c.begin(), c.end());
    }
    ImGui::End();
    ImGui::PopStyleColor();

    controls_.compact = tutor_.embedded();
    if (tutor_.embedded() && display.x >= kEmbedTwoPanesWidth) layout_embedded(out);
    else if (display.x < kCompactWidth) layout_compact(out);
    else layout_wide(out);
    // A line of slack, so that a host's rounding never brings the scroll bar back.
    const ImVec2 padding = ImGui::GetStyle().WindowPadding;
    preferred_height_ = std::clamp(header_h + lesson_.content_height + padding.y * 2 + ImGui::GetFrameHeightWithSpacing(),
                                   kMinPreferredHeight, kMaxPreferredHeight);

    // A failed command says why for a few seconds, at the bottom.
    if (toast_left_ > 0) {
        toast_left_ -= dt;
        const ImVec2 size = ImGui::CalcTextSize(toast_.c_str());
        const ImVec2 pos((display.x - size.x) * 0.5F - 12, display.y - size.y - 36);
        ImGui::SetNextWindowPos(pos);
        ImGui::SetNextWindowBgAlpha(0.95F);
        ImGui::Begin("##toast", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing |
                                               ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kServer), "%s", toast_.c_str());
        ui::expose("toast");
        ImGui::End();
    }

    // Where keyboard navigation is, so that a test can check what the keys did.
    if (const ImGuiContext* g = ImGui::GetCurrentContext(); g && g->NavWindow && ImGui::GetIO().NavVisible) {
        const ImRect r = ImGui::WindowRectRelToAbs(g->NavWindow, g->NavWindow->NavRectRel[0]);
        ui::expose_rect("nav.focus", r.Min, r.Max);
    }
    if (ui::tooltip_drawn() != tooltip_open_) {
        tooltip_open_ = ui::tooltip_drawn();
        platform::set_tooltip_open(tooltip_open_);
    }
    ++frames_;
    apply(out);
}

void App::layout_wide(Commands& out) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float header_h = ImGui::GetFrameHeight() + 16;
    const float body_h = display.y - header_h;
    const float lesson_w = std::clamp(display.x * 0.27F, 300.0F, 520.0F);
    const float right_w = std::clamp(display.x * 0.27F, 290.0F, 460.0F);
    const float center_w = display.x - lesson_w - right_w;
    draw_lesson_and_connection(out, header_h, lesson_w, center_w - kPaneGap);

    const float x = lesson_w + center_w;
    const float diagram_h = std::clamp(body_h * 0.44F, 250.0F, 520.0F);
    // On a short screen (a laptop's 657 px less the browser's bars) the
    // timers become a tab beside the packets, which would otherwise get a
    // single row.
    timers_in_tabs_ = display.y < kShortHeight;
    const float timers_h = timers_in_tabs_ ? 0.0F : TimersPanel::height();
    if (begin_pane("diagram", tutor_.tr("diagram.title"), ImVec2(x, header_h), ImVec2(right_w, diagram_h - kPaneGap), ImGuiWindowFlags_NoScrollbar)) {
        auto c = diagram_.draw(tutor_);
        out.insert(out.end(), c.begin(), c.end());
    }
    ImGui::End();
    if (!timers_in_tabs_) {
        if (begin_pane("timers", tutor_.tr("timers.title"), ImVec2(x, header_h + diagram_h), ImVec2(right_w, timers_h - kPaneGap))) {
            auto c = timers_.draw(tutor_);
            out.insert(out.end(), c.begin(), c.end());
        }
        ImGui::End();
    }
    const float tabs_y = header_h + diagram_h + timers_h;
    if (begin_pane("side-tabs", {}, ImVec2(x, tabs_y), ImVec2(right_w, std::max(80.0F, display.y - tabs_y)))) draw_side_tabs(out);
    ImGui::End();
}

void App::layout_embedded(Commands& out) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float header_h = ImGui::GetFrameHeight() + 16;
    const float lesson_w = std::clamp(display.x * 0.44F, 260.0F, 560.0F);
    draw_lesson_and_connection(out, header_h, lesson_w, display.x - lesson_w);
}

// The lesson at the left, the connection beside it, full height under the
// header: the part both layouts share.
void App::draw_lesson_and_connection(Commands& out, float header_h, float lesson_w, float connection_w) {
    const float body_h = ImGui::GetIO().DisplaySize.y - header_h;
    // Keyboard navigation starts in the lesson, not in the last pane drawn
    // (each pane takes the focus when it first appears: ask once all have).
    if (frames_ == 1) ImGui::SetNextWindowFocus();
    if (begin_pane("lesson", {}, ImVec2(0, header_h), ImVec2(lesson_w - kPaneGap, body_h))) {
        auto c = lesson_.draw(tutor_);
        out.insert(out.end(), c.begin(), c.end());
    }
    ImGui::End();
    if (begin_pane("connection", {}, ImVec2(lesson_w, header_h), ImVec2(connection_w, body_h), ImGuiWindowFlags_NoScrollbar))
        draw_connection(out);
    ImGui::End();
}

void App::layout_compact(Commands& out) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float header_h = ImGui::GetFrameHeight() + 16;
    if (begin_pane("compact", {}, ImVec2(0, header_h), ImVec2(display.x, display.y - header_h), ImGuiWindowFlags_NoScrollbar)) {
        const struct {
            Pane pane;
            const char* key;
        } tabs[] = {{Pane::Lesson, "tab.lesson"}, {Pane::Connection, "tab.connection"}, {Pane::Diagram, "tab.diagram"},
                    {Pane::Packets, "tab.packets"}, {Pane::Knobs, "tab.knobs"}};
        // Every tab in sight on a phone (390 px): their padding narrows to
        // fit, down to a quarter; only past that does the strip scroll.
        const ImGuiStyle& style = ImGui::GetStyle();
        float text_w = style.ItemInnerSpacing.x * static_cast<float>(std::size(tabs) - 1);
        for (const auto& t : tabs) text_w += ImGui::CalcTextSize(tutor_.tr(t.key).c_str()).x;
        const float room = ImGui::GetContentRegionAvail().x - text_w;
        const float pad = std::clamp(room / (2.0F * static_cast<float>(std::size(tabs))) - 1, style.FramePadding.x * 0.25F,
                                     style.FramePadding.x);
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(pad, style.FramePadding.y));
        if (ImGui::BeginTabBar("compact-tabs", ImGuiTabBarFlags_FittingPolicyScroll)) {
            for (const auto& t : tabs) {
                const std::string label = tutor_.tr(t.key) + "###" + t.key;
                if (ImGui::BeginTabItem(label.c_str())) {
                    compact_pane_ = t.pane;
                    ImGui::EndTabItem();
                }
                ui::expose(t.key);
            }
            ImGui::EndTabBar();
        }
        ImGui::PopStyleVar();
        ImGui::BeginChild("compact-pane", ImVec2(0, 0), false, ImGuiWindowFlags_NavFlattened);
        Commands c;
        switch (compact_pane_) {
            case Pane::Lesson: c = lesson_.draw(tutor_); break;
            case Pane::Connection: draw_connection(c); break;
            case Pane::Diagram: {
                ImGui::BeginChild("compact-diagram", ImVec2(0, ImGui::GetContentRegionAvail().y * 0.62F));
                c = diagram_.draw(tutor_);
                ImGui::EndChild();
                auto t = timers_.draw(tutor_);
                c.insert(c.end(), t.begin(), t.end());
                break;
            }
            case Pane::Packets: c = packets_.draw_packets(tutor_); break;
            case Pane::Knobs: c = knobs_.draw(tutor_); break;
        }
        out.insert(out.end(), c.begin(), c.end());
        ImGui::EndChild();
    }
    ImGui::End();
}

void App::draw_connection(Commands& out) {
    auto toolbar = controls_.draw_toolbar(tutor_);
    out.insert(out.end(), toolbar.begin(), toolbar.end());
    // A busy host has many connections, not one: its panel takes the ladder's place.
    if (tutor_.in_busy_host()) {
        auto host = host_.draw(tutor_);
        out.insert(out.end(), host.begin(), host.end());
        return;
    }
    const auto layout = controls_.actions_layout(tutor_, ImGui::GetContentRegionAvail().x);
    const float actions_h = layout.height();
    // On a phone the ladder keeps most of the screen; the buttons below it
    // are reached by scrolling the pane.
    const float avail = ImGui::GetContentRegionAvail().y;
    const bool compact = ImGui::GetIO().DisplaySize.x < kCompactWidth;
    // A short screen (1366x657, 1024x600) still gives the ladder room for
    // the last eight segments of a four-way close; what of the calls and
    // faults does not fit under it is reached with the scrollbar of the part
    // under the toolbar, which stays in place.
    const float least_ladder_h = ImGui::GetFontSize() * 24;
    const bool scrolled = !compact && avail - actions_h < least_ladder_h && avail > least_ladder_h * 0.5F;
    // Scrolled, the ladder ends where a whole line of buttons does (never
    // half a line in sight), or, with no room for one, shows the top of the next.
    const float fitting = scrolled ? layout.fitting(avail - least_ladder_h) : 0.0F;
    const float least_compact = std::max(avail * 0.72F, std::min(least_ladder_h, avail - ImGui::GetFrameHeightWithSpacing()));
    const float ladder_h = !scrolled   ? std::max(avail - actions_h, compact ? least_compact : 120.0F)
                           : fitting > 0 ? avail - fitting
                                         : std::min(least_ladder_h, avail - ImGui::GetFrameHeightWithSpacing());
    if (scrolled) ImGui::BeginChild("connection-body", ImVec2(0, 0), false, ImGuiWindowFlags_NavFlattened);
    ImGui::BeginChild("ladder-area", ImVec2(0, ladder_h), false, ImGuiWindowFlags_NoScrollbar);
    auto ladder = ladder_.draw(tutor_, controls_.click);
    out.insert(out.end(), ladder.begin(), ladder.end());
    ImGui::EndChild();
    ui::expose("ladder.area");
    auto actions = controls_.draw_actions(tutor_);
    out.insert(out.end(), actions.begin(), actions.end());
    if (scrolled) ImGui::EndChild();
}

void App::draw_side_tabs(Commands& out) {
    if (!ImGui::BeginTabBar("side-tabs")) return;
    struct Tab {
        const char* key;
        int which;
    };
    for (const Tab& t : {Tab{"packets.title", 0}, Tab{"timers.title", 3}, Tab{"events.title", 1}, Tab{"settings.title", 2}}) {
        if (t.which == 3 && !timers_in_tabs_) continue;
        const std::string label = tutor_.tr(t.key) + "###" + t.key;
        const bool open = ImGui::BeginTabItem(label.c_str());
        ui::expose(std::string("tab.") + t.key);
        if (!open) continue;
        Commands c;
        if (t.which == 0) c = packets_.draw_packets(tutor_);
        else if (t.which == 1) c = packets_.draw_events(tutor_);
        else if (t.which == 3) c = timers_.draw(tutor_);
        else c = knobs_.draw(tutor_);
        out.insert(out.end(), c.begin(), c.end());
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

bool App::key_pressed(int scancode, bool navigating, bool typing, bool modifiers) {
    if (typing || modifiers) return false;
    Commands out;
    switch (scancode) {
        case SDL_SCANCODE_SPACE:
            if (navigating) return false;
            out.push_back(cmd::TogglePlay{});
            break;
        case SDL_SCANCODE_RIGHT:
            if (navigating) return false;
            out.push_back(cmd::NextStep{});
            break;
        case SDL_SCANCODE_LEFT:
            if (navigating) return false;
            out.push_back(cmd::PrevStep{});
            break;
        case SDL_SCANCODE_ESCAPE:
            // Out of keyboard navigation at once, from any depth of child
            // window (ImGui's own Escape climbs out one level at a time).
            if (!navigating) return false;
            ImGui::GetCurrentContext()->NavDisableHighlight = true;
            return true;
        case SDL_SCANCODE_PAGEDOWN: out.push_back(cmd::NextStep{}); break;
        case SDL_SCANCODE_PAGEUP: out.push_back(cmd::PrevStep{}); break;
        case SDL_SCANCODE_P: out.push_back(cmd::TogglePlay{}); break;
        case SDL_SCANCODE_N: out.push_back(cmd::StepEvent{}); break;
        case SDL_SCANCODE_B: out.push_back(cmd::Rewind{1}); break;
        case SDL_SCANCODE_T: out.push_back(cmd::NextTimer{}); break;
        case SDL_SCANCODE_R: out.push_back(cmd::ResetStep{}); break;
        case SDL_SCANCODE_L: out.push_back(cmd::SetLang{tutor_.lang() == Lang::En ? Lang::Zh : Lang::En}); break;
        default: return false;
    }
    apply(out);
    return true;
}

void App::apply(const Commands& commands) {
    for (const Command& c : commands) {
        if (std::holds_alternative<cmd::OpenLesson>(c) || std::holds_alternative<cmd::OpenSandbox>(c)) lesson_.show_list = false;
        const Reply r = apply_command(tutor_, c);
        // Stepping past either end by key is not worth a message.
        const bool quiet = std::holds_alternative<cmd::NextStep>(c) || std::holds_alternative<cmd::PrevStep>(c);
        if (!r.ok && !quiet) {
            toast_ = r.message;
            toast_left_ = kToastSeconds;
        }
    }
}

std::string App::command(std::string_view text) {
    if (text == "ping") return "pong";
    if (text == "host-poll") return host_feed_.poll(tutor_, static_cast<int>(preferred_height_));
    auto parsed = parse_command(text, tutor_);
    if (auto* error = std::get_if<std::string>(&parsed)) return "error: " + *error;
    const Reply r = apply_command(tutor_, std::get<Command>(parsed));
    return r.ok ? "ok" : "error: " + r.message;
}

}  // namespace finwave::web
