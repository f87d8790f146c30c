#include "panel_quiz.hpp"

#include <imgui.h>

#include "finwave/parse_number.hpp"

namespace finwave::web {

namespace {

// A full-width button whose label wraps: options are often whole sentences.
bool wrapped_button(const std::string& id, ui::RichText& label, const std::string& text, float width, ImU32 bg,
                    ImU32 border, bool enabled) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float pad_x = style.FramePadding.x + 4;
    const float pad_y = style.FramePadding.y + 2;
    ui::RichText::Options o;
    label.layout(parse_inline(text), width - pad_x * 2, o);
    const ImVec2 size(width, label.height() + pad_y * 2);
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(bg));
    if (!enabled) ImGui::BeginDisabled();
    const bool pressed = ImGui::Button(id.c_str(), size);
    if (!enabled) ImGui::EndDisabled();
    ImGui::PopStyleColor();
    const ImVec2 min = ImGui::GetItemRectMin();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (border != 0) dl->AddRect(min, ImGui::GetItemRectMax(), border, style.FrameRounding, 0, 2.0F);
    label.draw(dl, ImVec2(min.x + pad_x, min.y + pad_y));
    return pressed && enabled;
}

std::optional<std::int64_t> parse_number(const std::string& s) {
    std::string_view t(s);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    return finwave::parse_integer<std::int64_t>(t);
}

}  // namespace

void QuizView::draw(const Tutor& m, const Question& q, float width, Commands& out) {
    const QuizEntry& e = m.quiz(q.id);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float pad = 12;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::Dummy(ImVec2(1, pad * 0.5F));
    ImGui::Indent(pad);
    const float inner = width - pad * 2;

    const bool predict = q.kind == QuestionKind::Predict;
    const std::string& kind = m.tr(predict ? "quiz.predict" : "quiz.question");
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(predict ? ui::colour::kNow : ui::colour::kAccent), "%s", kind.c_str());
    if (e.correct) {
        ImGui::SameLine();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float s = ImGui::GetFontSize();
        dl->AddLine(ImVec2(p.x + s * 0.1F, p.y + s * 0.55F), ImVec2(p.x + s * 0.4F, p.y + s * 0.85F), ui::colour::kRight, 2.5F);
        dl->AddLine(ImVec2(p.x + s * 0.4F, p.y + s * 0.85F), ImVec2(p.x + s * 0.95F, p.y + s * 0.2F), ui::colour::kRight, 2.5F);
        ImGui::Dummy(ImVec2(s, s));
    }
    ui::RichText::Options prompt;
    ui::rich_text(text(q.id + "/prompt"), parse_inline(q.prompt), inner, prompt);
    if ((predict || q.kind == QuestionKind::Lost) && m.question_open(q)) {
        ui::RichText::Options hint;
        hint.colour = ui::colour::kTextDim;
        // Why Play stopped: the next event would show the answer.
        const bool held = m.held_by() == q.id;
        if (held) hint.colour = ui::colour::kNow;
        ui::rich_text(text(q.id + "/hint"), parse_inline(m.tr(held ? "quiz.held" : "quiz.predict_hint")), inner, hint);
        if (!q.check.empty()) {
            if (ImGui::SmallButton((m.tr("quiz.skip") + "##skip-" + q.id).c_str())) out.push_back(cmd::SkipQuestion{q.id});
            ui::expose("quiz." + q.id + ".skip");
            if (ImGui::IsItemHovered()) ui::item_tooltip(m.tr("quiz.skip_tip"));
        }
    } else if (e.skipped && !e.correct && !e.answered_here) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kTextDim), "%s", m.tr("quiz.skipped").c_str());
    }
    ImGui::Dummy(ImVec2(1, 2));

    switch (q.kind) {
        case QuestionKind::Choice:
        case QuestionKind::Predict:
        case QuestionKind::Lost: draw_choices(m, q, e, inner, out); break;
        case QuestionKind::Field: draw_field(m, q, e, inner, out); break;
        case QuestionKind::Order: draw_order(m, q, e, inner, out); break;
    }
    draw_feedback(m, q, e, inner, out);
    // Feedback that just appeared may lie below the fold: bring it into view.
    if (auto& seen = seen_attempts[q.id]; seen != e.attempts) {
        if (e.answered_here && seen >= 0) ImGui::SetScrollHereY(0.9F);
        seen = e.attempts;
    }

    ImGui::Unindent(pad);
    ImGui::Dummy(ImVec2(1, pad * 0.5F));
    const ImVec2 bottom(top.x + width, ImGui::GetCursorScreenPos().y);
    dl->ChannelsSetCurrent(0);
    const ImU32 edge = e.correct ? ui::colour::with_alpha(ui::colour::kRight, 0.7F)
                                 : ui::colour::with_alpha(predict ? ui::colour::kNow : ui::colour::kAccent, 0.45F);
    dl->AddRectFilled(top, bottom, ui::colour::rgb(0x29, 0x2e, 0x37), 6);
    dl->AddRectFilled(top, ImVec2(top.x + 4, bottom.y), edge, 6, ImDrawFlags_RoundCornersLeft);
    dl->ChannelsMerge();
    ImGui::Dummy(ImVec2(1, 4));
}

void QuizView::draw_choices(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out) {
    const int right = m.right_choice(q);
    const bool done = e.correct && e.answered_here;
    const bool revealed = e.correct;
    for (std::size_t i = 0; i < q.choices.size(); ++i) {
        const int idx = static_cast<int>(i);
        ImU32 bg = ui::colour::rgb(0x34, 0x3b, 0x47);
        ImU32 border = 0;
        if (revealed && idx == right) {
            bg = ui::colour::with_alpha(ui::colour::kRight, 0.28F);
            border = ui::colour::kRight;
        } else if (e.answered_here && idx == e.last_choice && !e.last_correct) {
            bg = ui::colour::with_alpha(ui::colour::kWrong, 0.25F);
            border = ui::colour::kWrong;
        }
        const std::string letter = std::string(1, static_cast<char>('A' + idx)) + "   ";
        const std::string id = "##choice-" + q.id + "-" + std::to_string(i);
        if (wrapped_button(id, text(q.id + "/c" + std::to_string(i)), letter + q.choices[i].text, width, bg, border, !done))
            out.push_back(cmd::AnswerChoice{q.id, idx});
        ui::expose("quiz." + q.id + ".choice." + std::to_string(i));
    }
}

void QuizView::draw_field(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out) {
    std::string& buf = typed[q.id];
    if (e.correct && buf.empty()) buf = std::to_string(m.right_number(q));
    const bool done = e.correct && e.answered_here;
    char edit[32];
    std::snprintf(edit, sizeof edit, "%s", buf.c_str());
    ImGui::SetNextItemWidth(std::min(width * 0.45F, ImGui::GetFontSize() * 9));
    if (done) ImGui::BeginDisabled();
    const std::string id = "##field-" + q.id;
    bool submit = ImGui::InputTextWithHint(id.c_str(), m.tr("quiz.your_answer").c_str(), edit, sizeof edit,
                                           ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
    buf = edit;
    ui::expose("quiz." + q.id + ".field");
    ImGui::SameLine();
    submit = ui::text_button(("##check-" + q.id).c_str(), m.tr("quiz.check"), {}, !done) || submit;
    ui::expose("quiz." + q.id + ".check");
    if (!done) {
        // A small keypad: touch screens get no keyboard for a canvas.
        const float key = ImGui::GetFrameHeight() * 1.1F;
        for (int d = 0; d <= 10; ++d) {
            if (d > 0) ui::flow(key);
            const std::string label = d < 10 ? std::to_string(d) : "<";
            if (ImGui::Button((label + "##key-" + q.id + std::to_string(d)).c_str(), ImVec2(key, 0))) {
                if (d < 10 && buf.size() < 12) buf += static_cast<char>('0' + d);
                if (d == 10 && !buf.empty()) buf.pop_back();
            }
            ui::expose("quiz." + q.id + ".key." + label);
        }
    }
    if (done) ImGui::EndDisabled();
    if (submit && !done) {
        if (auto n = parse_number(buf)) {
            typed_invalid[q.id] = false;
            out.push_back(cmd::AnswerNumber{q.id, *n});
        } else {
            typed_invalid[q.id] = true;
        }
    }
    if (typed_invalid[q.id]) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kWrong), "%s", m.tr("quiz.not_number").c_str());
}

void QuizView::draw_order(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out) {
    const bool done = e.correct && e.answered_here;
    if (!done) {
        ui::RichText::Options hint;
        hint.colour = ui::colour::kTextDim;
        ui::rich_text(text(q.id + "/order-hint"), parse_inline(m.tr("quiz.order_hint")), width, hint);
    }
    const auto& arrangement = e.correct && !e.answered_here ? std::vector<int>{} : e.arrangement;
    const std::size_t n = q.choices.size();
    const float arrow = ImGui::GetFrameHeight();
    const float text_w = width - arrow * 2 - ImGui::GetStyle().ItemSpacing.x * 2;
    for (std::size_t pos = 0; pos < n; ++pos) {
        const int item = pos < arrangement.size() ? arrangement[pos] : static_cast<int>(pos);
        const std::string label = std::to_string(pos + 1) + ".  " + q.choices[static_cast<std::size_t>(item)].text;
        ImGui::PushID(static_cast<int>(pos));
        const ImU32 bg = done ? ui::colour::with_alpha(ui::colour::kRight, 0.22F) : ui::colour::rgb(0x2e, 0x33, 0x3d);
        wrapped_button("##item", text(q.id + "/o" + std::to_string(item)), label, text_w, bg, 0, false);
        ImGui::SameLine();
        const std::string p = std::to_string(pos + 1);
        if (ui::icon_button("##up", ui::Icon::Up, {}, m.tr("quiz.up"), !done && pos > 0, ImVec2(arrow, arrow)))
            out.push_back(cmd::MoveOrderItem{q.id, static_cast<int>(pos), static_cast<int>(pos) - 1});
        ui::expose("quiz." + q.id + ".up." + p);
        ImGui::SameLine();
        if (ui::icon_button("##down", ui::Icon::Down, {}, m.tr("quiz.down"), !done && pos + 1 < n, ImVec2(arrow, arrow)))
            out.push_back(cmd::MoveOrderItem{q.id, static_cast<int>(pos), static_cast<int>(pos) + 1});
        ui::expose("quiz." + q.id + ".down." + p);
        ImGui::PopID();
    }
    if (!done) {
        if (ui::text_button(("##check-order-" + q.id).c_str(), m.tr("quiz.check_order"))) out.push_back(cmd::SubmitOrder{q.id});
        ui::expose("quiz." + q.id + ".check");
    }
}

void QuizView::draw_feedback(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out) {
    ui::RichText::Options body;
    if (e.answered_here && !e.last_correct) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kWrong), "%s", m.tr("quiz.wrong").c_str());
        ui::expose("quiz." + q.id + ".feedback");
        std::string why;
        for (const auto& [choice, text_] : q.wrong)
            if (choice == e.last_choice && (q.kind == QuestionKind::Choice || q.kind == QuestionKind::Predict || q.kind == QuestionKind::Lost)) why = text_;
        if (why.empty() && q.kind == QuestionKind::Field && e.last_number) why = m.field_feedback(q, *e.last_number);
        if (!why.empty()) ui::rich_text(text(q.id + "/wrong"), parse_inline(why), width, body);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kTextDim), "%s", m.tr("quiz.try_again").c_str());
        return;
    }
    if (!e.correct) return;
    if (e.answered_here) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kRight), "%s", m.tr("quiz.right").c_str());
    } else {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kTextDim), "%s", m.tr("quiz.done_before").c_str());
    }
    ui::expose("quiz." + q.id + ".feedback");
    ui::rich_text(text(q.id + "/why"), parse_inline(q.why), width, body);
    const EngineAnswer& a = m.engine_answer(q.id);
    if (!a.value.empty() && q.kind != QuestionKind::Order) {
        ui::RichText::Options dim;
        dim.colour = ui::colour::kTextDim;
        ui::rich_text(text(q.id + "/engine"), parse_inline(m.trf("quiz.engine", {"`" + a.value + "`"})), width, dim);
    }
    if (q.kind == QuestionKind::Predict && m.has_sim() && !m.sim().finished() && !m.playing()) {
        if (ui::icon_button(("##reveal-" + q.id).c_str(), ui::Icon::Play, m.tr("quiz.play_to_see"))) out.push_back(cmd::Play{});
        ui::expose("quiz." + q.id + ".play");
    }
}

}  // namespace finwave::web
