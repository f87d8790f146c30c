#include "panel_lesson.hpp"

#include <imgui.h>

#include <algorithm>

#include "finwave/builtin.hpp"
#include "finwave/scenario.hpp"
#include "conformance.hpp"

namespace finwave::web {

namespace {

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

float font_px(ImFont* f) { return f->FontSize * ImGui::GetIO().FontGlobalScale; }

// Where Next leads: the next step, or in a quiz the next step with a question.
bool has_next(const Tutor& m, const Lesson& l) {
    if (m.quiz_only()) return m.question_step(m.step_index() + 1, +1).has_value();
    return m.step_index() + 1 < l.steps.size();
}

ui::RichText::Options heading_options(float scale = 1.0F) {
    ui::RichText::Options o;
    o.font = ui::fonts().heading;
    if (o.font) o.size = font_px(o.font) * scale;
    o.colour = ui::colour::kText;
    o.line_spacing = 1.2F;
    return o;
}

}  // namespace

Commands LessonPanel::draw(const Tutor& m) {
    Commands out;
    pane_top_ = ImGui::GetCursorScreenPos().y;
    const float width = ImGui::GetContentRegionAvail().x;
    draw_notices(m, width, out);
    if (show_list || (!m.lesson() && !m.in_sandbox())) {
        draw_list(m, out);
    } else {
        draw_step(m, out);
    }
    return out;
}

void LessonPanel::draw_notices(const Tutor& m, float width, Commands& out) {
    const auto& notices = m.notices();
    notice_texts.resize(notices.size());
    for (std::size_t i = 0; i < notices.size(); ++i) {
        const Alert& n = notices[i];
        const ImU32 col = n.level == Alert::Level::Error ? ui::colour::kWrong
                        : n.level == Alert::Level::Warning ? ui::colour::kServer
                                                            : ui::colour::kAccent;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 top = ImGui::GetCursorScreenPos();
        const float close = ImGui::GetFrameHeight();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        ImGui::Indent(10);
        ImGui::Dummy(ImVec2(1, 2));
        ui::rich_text(notice_texts[i], parse_inline(m.trf(n.key, n.args)), width - 30 - close, {});
        ImGui::Dummy(ImVec2(1, 2));
        ImGui::Unindent(10);
        const float bottom = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(top.x + width - close - 4, top.y + 3));
        ImGui::PushID(static_cast<int>(i));
        if (ui::icon_button("##dismiss", ui::Icon::Close, {}, m.tr("notice.dismiss"), true, ImVec2(close, close)))
            out.push_back(cmd::DismissNotice{i});
        ui::expose("notice.dismiss." + std::to_string(i));
        ImGui::PopID();
        ImGui::SetCursorScreenPos(ImVec2(top.x, std::max(bottom, top.y + close + 6)));
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(top, ImVec2(top.x + width, std::max(bottom, top.y + close + 6)), ui::colour::with_alpha(col, 0.16F), 5);
        dl->AddRectFilled(top, ImVec2(top.x + 4, std::max(bottom, top.y + close + 6)), col, 5, ImDrawFlags_RoundCornersLeft);
        dl->ChannelsMerge();
        ui::expose_rect("notice." + std::to_string(i), top, ImVec2(top.x + width, bottom));
        ImGui::Dummy(ImVec2(1, 2));
    }
}

void LessonPanel::draw_step(const Tutor& m, Commands& out) {
    const float width = ImGui::GetContentRegionAvail().x;
    const Lesson* lesson = m.in_sandbox() ? nullptr : m.lesson();
    // One question alone (?question=ID, a small frame): the question and
    // its simulation, without the lesson around it.
    const bool single = lesson && !m.focus_question().empty();

    // Top line: the lesson list button, and the score.
    if (!single && ui::icon_button("##lessons", ui::Icon::Lessons, m.tr("header.lessons"))) show_list = true;
    if (!single) ui::expose("lesson.list");
    // An exercise has no score: the schedule below its question says how it went.
    if (lesson && !single && !m.in_practice()) {
        const Score s = m.score(lesson->id);
        const std::string score = m.trf("header.score", {std::to_string(s.correct), std::to_string(s.total)});
        ImGui::SameLine(width - ImGui::CalcTextSize(score.c_str()).x);
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(vec(s.correct == s.total && s.total > 0 ? ui::colour::kRight : ui::colour::kTextDim), "%s", score.c_str());
        ui::expose("lesson.score");
    }

    const std::string title = lesson ? lesson->title : m.trf("lesson.sandbox_title", {i18n::scenario_title(m.sandbox_scenario(), m.words())});
    if (!single) ui::rich_text(title_text, parse_inline(title), width, heading_options());
    if (lesson && !single) {
        ImGui::TextColored(vec(ui::colour::kTextDim), "%s",
                           m.trf("lesson.step_of", {std::to_string(m.step_index() + 1), std::to_string(lesson->steps.size())}).c_str());
    }
    // The engine's story here was played on real Linux sockets and matched;
    // or it was, before the scenario or its knobs changed: say so.
    if (const auto check = current_linux_status(m); check && !single) {
        ImGui::PushTextWrapPos(0);
        if (check->miss == LinuxMiss::None) {
            ImGui::TextColored(vec(ui::colour::kRight), "%s", m.trf("lesson.linux_checked", {check->scenario, check->kernel}).c_str());
            ui::expose("lesson.linux_checked");
        } else {
            const char* key = check->miss == LinuxMiss::Edited           ? "lesson.linux_unchecked_edited"
                              : check->miss == LinuxMiss::ScenarioChanged ? "lesson.linux_unchecked_changed"
                                                                          : "lesson.linux_unchecked_knobs";
            ImGui::TextColored(vec(ui::colour::kTextDim), "%s", m.trf(key, {check->scenario, check->kernel}).c_str());
            ui::expose("lesson.linux_unchecked");
        }
        ImGui::PopTextWrapPos();
    }
    if (!single) ImGui::Separator();

    // The step itself scrolls; the Back / Next bar stays at the bottom.
    const float footer = lesson && !single ? ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2 : 0;
    std::string here = lesson ? lesson->id + "#" + std::to_string(m.step_index()) : "sandbox:" + m.sandbox_scenario();
    // An exercise that comes back is a new showing: it starts at its story.
    if (m.in_practice()) here += "#" + std::to_string(m.run_generation());
    ImGui::BeginChild("step-body", ImVec2(0, -footer), false, ImGuiWindowFlags_NavFlattened);
    if (here != shown) {
        ImGui::SetScrollY(0);
        shown = here;
    }
    const float inner = ImGui::GetContentRegionAvail().x - 4;
    if (lesson) {
        const Step& step = lesson->steps[m.step_index()];
        if (!single) {
            ui::rich_text(step_title_text, parse_inline(step.title), inner, heading_options(0.92F));
            ImGui::Dummy(ImVec2(1, 2));
        }
        // A quiz asks the step's questions without the explanation around them.
        if (!m.quiz_only()) markdown.draw(step.markdown, inner);
        ImGui::Dummy(ImVec2(1, 6));
        if (!m.has_sim() && m.sim_error().empty()) ui::text_wrapped(ui::colour::kTextDim, m.tr("lesson.no_sim"));
        for (const Question& q : step.questions)
            if (m.shows_question(q)) quiz.draw(m, q, inner, out);
        if (m.in_practice()) draw_practice_next(m, inner, out);
        if (!single && !has_next(m, *lesson)) {
            ImGui::Dummy(ImVec2(1, 6));
            ui::text_wrapped(ui::colour::kTextDim, m.tr("lesson.done"));
            if (ui::icon_button("##to-list", ui::Icon::Lessons, m.tr("lesson.to_list"))) show_list = true;
            ui::expose("lesson.to_list");
        }
    } else if (auto busy = find_host_builtin(m.sandbox_scenario())) {
        ui::text_wrapped(ui::colour::kTextDim, m.tr("host.help"));
        markdown.draw("```text\n" + std::string(*busy) + "```", inner);
    } else if (auto text = find_builtin(m.sandbox_scenario())) {
        ui::text_wrapped(ui::colour::kTextDim, m.tr("lesson.free_play_help"));
        markdown.draw("```text\n" + std::string(*text) + "```", inner);
    }
    if (!m.sim_error().empty()) ui::text_wrapped(ui::colour::kWrong, m.sim_error());
    const float body_top = ImGui::GetWindowPos().y;
    const float body_h = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
    ui::drag_to_scroll();
    ImGui::EndChild();
    content_height = body_top - pane_top_ + body_h + footer;

    if (!lesson || single) return;
    // Footer: Back, one dot per step, Next.
    ImGui::Separator();
    const std::size_t steps = lesson->steps.size();
    const std::string& back = m.tr("lesson.back");
    const std::string& next = m.tr("lesson.next");
    const float icon = ImGui::GetFontSize() * 0.8F;
    const float pad = ImGui::GetStyle().FramePadding.x * 2 + icon + ImGui::GetStyle().ItemInnerSpacing.x;
    const float next_w = ImGui::CalcTextSize(next.c_str()).x + pad;
    const bool can_back = m.quiz_only() ? m.step_index() > 0 && m.question_step(m.step_index() - 1, -1) : m.step_index() > 0;
    if (ui::icon_button("##back", ui::Icon::Left, back, {}, can_back)) out.push_back(cmd::PrevStep{});
    ui::expose("lesson.back");
    // Dots between the buttons, smaller for a long lesson; where even small
    // ones do not fit, the step's number in words.
    const float left = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + 8;
    const float right = ImGui::GetWindowContentRegionMax().x - next_w - 8;
    // A quiz has a dot per question step only.
    std::size_t dots = 0;
    for (std::size_t i = 0; i < steps; ++i) dots += !m.quiz_only() || m.step_has_questions(i) ? 1 : 0;
    const float dot = std::min(ImGui::GetFontSize() * 0.9F, dots > 0 ? (right - left) / static_cast<float>(dots) - 4 : 0.0F);
    const float dots_w = static_cast<float>(dots) * (dot + 4);
    if (dot < ImGui::GetFontSize() * 0.5F) {
        const std::string where = std::to_string(m.step_index() + 1) + " / " + std::to_string(steps);
        const float w = ImGui::CalcTextSize(where.c_str()).x;
        ImGui::SameLine(left + std::max(0.0F, (right - left - w) * 0.5F));
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kTextDim), "%s", where.c_str());
    } else if (dots_w <= right - left) {
        ImGui::SameLine(left + (right - left - dots_w) * 0.5F);
        for (std::size_t i = 0; i < steps; ++i) {
            if (m.quiz_only() && !m.step_has_questions(i)) continue;
            ImGui::PushID(static_cast<int>(i));
            const ImVec2 p = ImGui::GetCursorScreenPos();
            if (ImGui::InvisibleButton("##dot", ImVec2(dot, ImGui::GetFrameHeight()))) out.push_back(cmd::GoStep{i});
            ui::expose("lesson.dot." + std::to_string(i + 1));
            const bool hovered = ImGui::IsItemHovered();
            ImDrawList* dl = ImGui::GetWindowDrawList();
            const ImVec2 c(p.x + dot * 0.5F, p.y + ImGui::GetFrameHeight() * 0.5F);
            const ImU32 col = i == m.step_index() ? ui::colour::kAccent : hovered ? ui::colour::kText : ui::colour::kTextFaint;
            if (i <= m.step_index()) dl->AddCircleFilled(c, dot * 0.3F, col);
            else dl->AddCircle(c, dot * 0.3F, col, 12, 1.5F);
            if (hovered) ui::item_tooltip(lesson->steps[i].title);
            ImGui::PopID();
            ImGui::SameLine(0, 4);
        }
    }
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - next_w);
    // Next: icon after the label, so the arrow points the way it goes.
    const bool can_next = has_next(m, *lesson);
    if (!can_next) ImGui::BeginDisabled();
    const bool pressed = ImGui::Button("##next", ImVec2(next_w, 0));
    if (!can_next) ImGui::EndDisabled();
    {
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImU32 col = can_next ? ui::colour::kText : ui::colour::kTextFaint;
        const float x = min.x + ImGui::GetStyle().FramePadding.x;
        dl->AddText(ImVec2(x, (min.y + max.y - ImGui::GetFontSize()) * 0.5F), col, next.c_str());
        ui::draw_icon(dl, ui::Icon::Right, ImVec2(max.x - ImGui::GetStyle().FramePadding.x - icon * 0.5F, (min.y + max.y) * 0.5F), icon, col);
    }
    if (pressed && can_next) out.push_back(cmd::NextStep{});
    ui::expose("lesson.next");
}

// After the first answer to an exercise: when it comes back, the lesson
// that teaches its rule, and the next exercise.
void LessonPanel::draw_practice_next(const Tutor& m, float width, Commands& out) {
    const practice::Exercise* ex = m.practice_exercise();
    const Question* q = m.question(kPracticeQuestion);
    if (!ex || !q || m.quiz(q->id).attempts == 0) return;
    ImGui::Dummy(ImVec2(1, 4));
    if (auto it = m.schedule().cards.find(m.lesson_id()); it != m.schedule().cards.end()) {
        const review::Card& c = it->second;
        const std::string when = c.due <= m.today() ? m.tr("practice_view.again")
                                                    : m.trf("practice_view.scheduled", {review::format_date(c.due), std::to_string(c.box)});
        ui::text_wrapped(c.due <= m.today() ? ui::colour::kNow : ui::colour::kTextDim, when);
        ui::expose("practice.schedule");
    }
    if (m.catalog().find(ex->lesson)) {
        if (ui::text_button("##practice-lesson", m.tr("practice_view.open_lesson"))) out.push_back(cmd::OpenLesson{ex->lesson, 0});
        ui::expose("practice.lesson");
        ImGui::SameLine();
    }
    if (ui::icon_button("##practice-next", ui::Icon::Right, m.tr("practice_view.next"))) out.push_back(cmd::OpenPractice{});
    ui::expose("practice.next");
    (void)width;
}

// The busy-host scenarios under free play: many connections at once.
void LessonPanel::draw_busy_list(const Tutor& m, float inner, Commands& out) {
    ImGui::Dummy(ImVec2(1, 8));
    ImGui::PushFont(ui::fonts().heading ? ui::fonts().heading : ImGui::GetFont());
    ImGui::TextColored(vec(ui::colour::kAccent), "%s", m.tr("host.list_title").c_str());
    ImGui::PopFont();
    ui::text_wrapped(ui::colour::kTextDim, m.tr("host.list_help"));
    for (const BuiltinScenario& b : builtin_host_scenarios()) {
        const std::string name(b.name);
        const std::string title = i18n::scenario_title(name, m.words());
        const float title_h = ImGui::CalcTextSize(title.c_str(), nullptr, false, inner - 12).y;
        if (ImGui::Selectable(("##busy-" + name).c_str(), m.in_sandbox() && m.sandbox_scenario() == name, 0,
                              ImVec2(inner, title_h + ImGui::GetFontSize() * 0.5F))) {
            out.push_back(cmd::OpenSandbox{name});
            show_list = false;
        }
        ui::expose("sandbox." + name);
        if (ImGui::IsItemHovered()) {
            auto parsed = load_host_builtin(name);
            if (auto* sc = std::get_if<Scenario>(&parsed)) ui::tooltip(i18n::scenario_description(name, sc->description, m.words()));
        }
        const ImVec2 min = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(min.x + 6, min.y + ImGui::GetFontSize() * 0.25F),
                                            ui::colour::kText, title.c_str(), nullptr, inner - 12);
    }
}

void LessonPanel::draw_list(const Tutor& m, Commands& out) {
    const float width = ImGui::GetContentRegionAvail().x;
    if (m.lesson() || m.in_sandbox()) {
        if (ui::icon_button("##close-list", ui::Icon::Left, m.tr("lesson.close_list"))) show_list = false;
        ui::expose("lesson.close_list");
    }
    ImGui::BeginChild("lesson-list", ImVec2(0, 0), false, ImGuiWindowFlags_NavFlattened);
    ImGui::PushFont(ui::fonts().heading ? ui::fonts().heading : ImGui::GetFont());
    ImGui::TextColored(vec(ui::colour::kAccent), "%s", m.tr("lesson.list_title").c_str());
    ImGui::PopFont();
    const float inner = ImGui::GetContentRegionAvail().x;
    {
        // Practice first: what the spaced review has due today.
        const float h = ImGui::GetFontSize() * 2.6F;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (ImGui::Selectable("##practice", m.in_practice(), 0, ImVec2(inner, h))) {
            out.push_back(cmd::OpenPractice{});
            show_list = false;
        }
        ui::expose("lessons.practice");
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->PushClipRect(p, ImVec2(p.x + inner, p.y + h), true);
        dl->AddText(ImVec2(p.x + 6, p.y + 4), ui::colour::kText, m.tr("practice_view.entry").c_str());
        dl->AddText(ImVec2(p.x + 6, p.y + 6 + ImGui::GetFontSize()), m.practice_due() > 0 ? ui::colour::kNow : ui::colour::kTextDim,
                    m.trf("practice_view.due", {std::to_string(m.practice_due())}).c_str());
        dl->PopClipRect();
    }
    for (const CatalogEntry& e : m.catalog().entries()) {
        const Lesson* l = m.catalog().lesson(e.id, m.lang());
        if (!l) continue;
        const Score s = m.score(e.id);
        const bool current = !m.in_sandbox() && m.lesson_id() == e.id;
        std::string line = std::to_string(e.order) + ".  " + l->title;
        ImGui::PushID(e.id.c_str());
        // A title longer than the list is wide wraps: the entry grows a line.
        const float wrap = inner - 12;
        const float title_h = ImGui::CalcTextSize(line.c_str(), nullptr, false, wrap).y;
        const float h = title_h + ImGui::GetFontSize() * 1.6F;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (ImGui::Selectable("##lesson", current, 0, ImVec2(inner, h))) {
            out.push_back(cmd::OpenLesson{e.id, 0});
            show_list = false;
        }
        ui::expose("lessons." + e.id);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->PushClipRect(p, ImVec2(p.x + inner, p.y + h), true);
        dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + 6, p.y + 4), ui::colour::kText, line.c_str(), nullptr, wrap);
        std::string detail = m.trf("lesson.score", {std::to_string(s.correct), std::to_string(s.total)});
        if (l->lang != lang_code(m.lang()))
            detail += "   (" + m.trf("lesson.only_in", {m.tr(l->lang == "zh" ? "lesson.lang_zh" : "lesson.lang_en")}) + ")";
        dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + 6, p.y + 6 + title_h),
                    s.correct == s.total && s.total > 0 ? ui::colour::kRight : ui::colour::kTextDim, detail.c_str(), nullptr, wrap);
        dl->PopClipRect();
        ImGui::PopID();
    }

    ImGui::Dummy(ImVec2(1, 8));
    ImGui::PushFont(ui::fonts().heading ? ui::fonts().heading : ImGui::GetFont());
    ImGui::TextColored(vec(ui::colour::kAccent), "%s", m.tr("lesson.free_play").c_str());
    ImGui::PopFont();
    ui::text_wrapped(ui::colour::kTextDim, m.tr("lesson.free_play_help"));
    for (const BuiltinScenario& b : builtin_scenarios()) {
        const std::string name(b.name);
        const std::string title = i18n::scenario_title(name, m.words());
        const float title_h = ImGui::CalcTextSize(title.c_str(), nullptr, false, inner - 12).y;
        if (ImGui::Selectable(("##sandbox-" + name).c_str(), m.in_sandbox() && m.sandbox_scenario() == name, 0,
                              ImVec2(inner, title_h + ImGui::GetFontSize() * 0.5F))) {
            out.push_back(cmd::OpenSandbox{name});
            show_list = false;
        }
        ui::expose("sandbox." + name);
        if (ImGui::IsItemHovered()) {
            auto parsed = load_builtin(name);
            if (auto* sc = std::get_if<Scenario>(&parsed)) ui::tooltip(i18n::scenario_description(name, sc->description, m.words()));
        }
        const ImVec2 min = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(min.x + 6, min.y + ImGui::GetFontSize() * 0.25F),
                                            ui::colour::kText, title.c_str(), nullptr, inner - 12);
    }

    draw_busy_list(m, inner, out);

    if (!m.catalog().problems().empty()) {
        ImGui::Dummy(ImVec2(1, 8));
        ImGui::TextColored(vec(ui::colour::kWrong), "%s", m.tr("lesson.problems").c_str());
        ImGui::PushTextWrapPos(0);
        for (const LoadProblem& p : m.catalog().problems()) ImGui::TextUnformatted(p.text().c_str());
        ImGui::PopTextWrapPos();
    }

    ImGui::Dummy(ImVec2(1, 12));
    if (!confirm_reset) {
        if (ui::text_button("##reset-progress", m.tr("lesson.reset_progress"))) confirm_reset = true;
        ui::expose("lesson.reset_progress");
    } else {
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(m.tr("lesson.reset_confirm").c_str());
        ImGui::PopTextWrapPos();
        ImGui::PushStyleColor(ImGuiCol_Button, vec(ui::colour::with_alpha(ui::colour::kWrong, 0.5F)));
        if (ui::text_button("##reset-yes", m.tr("lesson.yes_reset"))) {
            out.push_back(cmd::ResetProgress{});
            confirm_reset = false;
        }
        ImGui::PopStyleColor();
        ui::expose("lesson.reset_yes");
        ImGui::SameLine();
        if (ui::text_button("##reset-no", m.tr("lesson.cancel"))) confirm_reset = false;
    }
    (void)width;
    ui::drag_to_scroll();
    ImGui::EndChild();
}

}  // namespace finwave::web
