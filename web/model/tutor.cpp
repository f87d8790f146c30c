#include "tutor.hpp"

#include <algorithm>
#include <cmath>

#include "finwave/builtin.hpp"
#include "finwave/parse_number.hpp"
#include "text.hpp"

namespace finwave::web {

namespace {

constexpr std::size_t kLearnerEventsKept = 256;

std::string quiz_key(std::string_view lesson, std::string_view question) {
    return std::string(lesson) + "/" + std::string(question);
}

// A fixed shuffle per question, so that the order a learner sees does not
// change on reload; never the right order itself.
std::vector<int> initial_arrangement(std::string_view id, std::size_t n) {
    std::vector<int> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<int>(i);
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : id) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    for (std::size_t i = n; i > 1; --i) {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        std::swap(v[i - 1], v[h % i]);
    }
    bool identity = true;
    for (std::size_t i = 0; i < n; ++i) identity = identity && v[i] == static_cast<int>(i);
    if (identity && n > 1) std::rotate(v.begin(), v.begin() + 1, v.end());
    return v;
}

}  // namespace

Tutor::Tutor(Catalog catalog, const UiStrings& strings) : strings_(&strings), catalog_(std::move(catalog)) {
    for (const LoadProblem& p : catalog_.problems()) add_notice(Alert::Level::Error, "notice.lesson_problem", {p.text()});
}

void Tutor::set_lang(Lang l) {
    if (l == lang_) return;
    lang_ = l;
    lang_dirty_ = true;
    location_dirty_ = true;
    // The simulation stays: both languages of a lesson run the same scenario
    // (finwave lessons check compares them), so the learner keeps their place.
}

std::string Tutor::trf(std::string_view key, const std::vector<std::string>& args) const {
    return format_text(tr(key), args);
}

const Lesson* Tutor::find_lesson(std::string_view id) const {
    if (practice_ && id == practice_->by_lang[0].id) return &practice_->by_lang[static_cast<std::size_t>(lang_)];
    return catalog_.lesson(id, lang_);
}

const Lesson* Tutor::lesson() const { return lesson_id_.empty() ? nullptr : find_lesson(lesson_id_); }

bool Tutor::open_lesson(std::string_view id, std::size_t step) {
    const Lesson* l = find_lesson(id);
    if (!l) return false;
    if (in_busy_host()) speed_ = kSingleConnectionSpeed;
    lesson_id_ = std::string(id);
    sandbox_.clear();
    busy_.reset();
    step_ = std::min(step, l->steps.empty() ? 0 : l->steps.size() - 1);
    if (quiz_only_ && !step_has_questions(step_)) {
        // A quiz opens on a question: the next one, else the last before.
        if (auto q = question_step(step_, +1)) step_ = *q;
        else if (auto back = question_step(step_, -1)) step_ = *back;
    }
    engine_answers_.clear();
    for (const Step& s : l->steps)
        for (const Question& q : s.questions) entry(q);
    rebuild_step();
    location_dirty_ = true;
    return true;
}

bool Tutor::open_sandbox(std::string_view scenario) {
    const bool busy = find_host_builtin(scenario).has_value();
    if (!busy && !find_builtin(scenario)) return false;
    // A busy host's story takes tens of seconds: it plays in real time.
    if (busy != in_busy_host()) speed_ = busy ? 1.0 : kSingleConnectionSpeed;
    sandbox_ = std::string(scenario);
    lesson_id_.clear();
    step_ = 0;
    engine_answers_.clear();
    rebuild_step();
    location_dirty_ = true;
    return true;
}

bool Tutor::go_step(std::size_t index) {
    const Lesson* l = lesson();
    if (!l || index >= l->steps.size()) return false;
    step_ = index;
    rebuild_step();
    location_dirty_ = true;
    return true;
}

void Tutor::set_quiz_only(bool on) {
    if (on == quiz_only_) return;
    quiz_only_ = on;
    location_dirty_ = true;
    if (on && lesson() && !in_sandbox() && !step_has_questions(step_)) {
        if (auto q = question_step(step_, +1)) go_step(*q);
        else if (auto back = question_step(step_, -1)) go_step(*back);
    }
}

void Tutor::set_embedded(bool on) {
    if (on == embedded_) return;
    embedded_ = on;
    location_dirty_ = true;
}

bool Tutor::step_has_questions(std::size_t step) const {
    const Lesson* l = lesson();
    if (!l || step >= l->steps.size()) return false;
    for (const Question& q : l->steps[step].questions)
        if (shows_question(q)) return true;
    return false;
}

std::optional<std::size_t> Tutor::question_step(std::size_t from, int direction) const {
    const Lesson* l = lesson();
    if (!l || l->steps.empty()) return std::nullopt;
    if (direction <= 0) from = std::min(from, l->steps.size() - 1);
    for (std::size_t i = from; i < l->steps.size(); i = direction > 0 ? i + 1 : i - 1) {
        if (step_has_questions(i)) return i;
        if (direction <= 0 && i == 0) break;
    }
    return std::nullopt;
}

Score Tutor::course_score() const {
    Score all;
    for (const CatalogEntry& e : catalog_.entries()) {
        const Score s = score(e.id);
        all.correct += s.correct;
        all.total += s.total;
        all.attempted += s.attempted;
    }
    return all;
}

std::optional<std::size_t> Tutor::step_of_question(std::string_view id) const {
    const Lesson* l = lesson();
    if (!l) return std::nullopt;
    for (std::size_t i = 0; i < l->steps.size(); ++i)
        for (const Question& q : l->steps[i].questions)
            if (q.id == id) return i;
    return std::nullopt;
}

const Question* Tutor::question(std::string_view id) const {
    const Lesson* l = lesson();
    if (!l) return nullptr;
    for (const Step& s : l->steps)
        for (const Question& q : s.questions)
            if (q.id == id) return &q;
    return nullptr;
}

std::optional<Knobs> Tutor::knobs_for(const Scenario& sc, std::string& error) const {
    // An exercise's answer holds for its own profile and knobs only.
    const bool own = in_practice();
    const Profile p = own ? sc.profile.value_or(Profile::Linux) : profile_override_.value_or(sc.profile.value_or(Profile::Linux));
    auto k = resolve_knobs(sc, p, own ? std::vector<std::pair<std::string, std::string>>{} : knob_overrides_);
    if (auto* e = std::get_if<std::string>(&k)) {
        error = *e;
        return std::nullopt;
    }
    return std::get<Knobs>(k);
}

void Tutor::clear_run() {
    run_.reset();
    step_start_sim_.reset();
    sim_error_.clear();
    playing_ = false;
    selected_segment.reset();
    view_ = {};
}

void Tutor::rebuild_step() {
    if (in_busy_host()) {
        rebuild_busy();
        return;
    }
    busy_.reset();
    clear_run();

    run_ = start_run(step_, sim_error_);
    if (!run_) return;
    ++run_generation_;
    step_start_ = run_->position();
    step_start_sim_ = run_->sim();
    view_ = run_->sim().now();
    compute_engine_answers();
    retrack_end();
}

std::optional<LiveRun> Tutor::start_run(std::size_t step, std::string& error) const {
    const Scenario* scenario = nullptr;
    std::size_t first = 0;
    Scenario sandbox_scenario;
    if (in_sandbox()) {
        auto parsed = load_builtin(sandbox_);
        if (auto* e = std::get_if<ParseError>(&parsed)) {
            error = e->to_string();
            return std::nullopt;
        }
        sandbox_scenario = std::get<Scenario>(parsed);
        scenario = &sandbox_scenario;
    } else if (const Lesson* l = lesson()) {
        for (std::size_t k = step + 1; k-- > 0;) {
            if (l->steps[k].scenario) {
                scenario = &*l->steps[k].scenario;
                first = k;
                break;
            }
        }
    }
    if (!scenario) return std::nullopt;
    auto knobs = knobs_for(*scenario, error);
    if (!knobs) return std::nullopt;
    std::optional<LiveRun> run(std::in_place, Simulation(*scenario, *knobs, scenario->seed.value_or(1)));
    if (const Lesson* l = lesson(); l && !in_sandbox()) {
        // The same directives as finwave::simulation_for_step, recorded, so
        // that the learner can rewind into them: every earlier step of the
        // scenario to its end point, then this step's `from` lines.
        for (std::size_t k = first; k <= step; ++k) {
            for (const PlayDirective& d : l->steps[k].open) run->play(d);
            if (k < step)
                for (const PlayDirective& d : l->steps[k].play) run->play(d);
        }
    }
    return run;
}

std::optional<Simulation> Tutor::step_start_sim(std::size_t step) const {
    if (step == step_ && step_start_sim_) return step_start_sim_;
    // Another step's (an API user answering ahead): built the same way.
    std::string error;
    auto run = start_run(step, error);
    if (!run) return std::nullopt;
    return run->sim();
}

EngineAnswer Tutor::evaluate(const Question& q, const Simulation& at_step_start) const {
    EngineAnswer a;
    if (q.check.empty() || q.kind == QuestionKind::Order) return a;
    const CheckResult r = evaluate_check(at_step_start, q.check, &q);
    if (!r.value) {
        a.error = r.error;
        return a;
    }
    a.value = *r.value;
    if (q.kind == QuestionKind::Field) {
        a.number = parse_integer<std::int64_t>(a.value);
    } else {
        for (std::size_t i = 0; i < q.choices.size(); ++i) {
            if (choice_matches(q.choices[i], a.value)) {
                a.choice = static_cast<int>(i);
                break;
            }
        }
    }
    return a;
}

void Tutor::compute_engine_answers() {
    const Lesson* l = lesson();
    if (!l || !step_start_sim_ || in_sandbox()) return;
    for (const Question& q : l->steps[step_].questions) engine_answers_[q.id] = evaluate(q, *step_start_sim_);
}

const EngineAnswer& Tutor::engine_answer(std::string_view id) const {
    static const EngineAnswer none;
    if (auto it = engine_answers_.find(id); it != engine_answers_.end()) return it->second;
    const Question* q = question(id);
    const auto step = step_of_question(id);
    if (!q || !step) return none;
    const auto sim = step_start_sim(*step);
    if (!sim) return none;
    return engine_answers_[std::string(id)] = evaluate(*q, *sim);
}

std::string Tutor::apply(const SimCommand& c) {
    if (!run_) return "error.no_sim";
    // The command happens where the learner sees it happen: move the
    // simulation's clock up to the view first.
    if (view_ > sim().now()) run_->advance_to(view_);
    if (!run_->apply(c)) return "error.segment_gone";
    return {};
}

// ---------------------------------------------------------------------------
// Settings

Profile Tutor::profile() const {
    if (profile_override_) return *profile_override_;
    if (run_) return sim().scenario().profile.value_or(Profile::Linux);
    return Profile::Linux;
}

void Tutor::set_profile(Profile p) {
    profile_override_ = p;
    location_dirty_ = true;  // the URL keeps the profile (profile=rfc)
    rebuild_step();
}

std::string Tutor::set_knob(std::string_view name, std::string_view value) {
    // Checked on a copy first: a bad value must not break the simulation.
    Knobs probe = run_ ? sim().knobs() : defaults_for(profile());
    if (auto error = finwave::apply_knob(probe, name, value)) return i18n::knob_error_text(*error, words());
    auto it = std::find_if(knob_overrides_.begin(), knob_overrides_.end(), [&](const auto& kv) { return kv.first == name; });
    if (it != knob_overrides_.end()) it->second = std::string(value);
    else knob_overrides_.emplace_back(std::string(name), std::string(value));
    rebuild_step();
    return {};
}

void Tutor::reset_knobs() {
    profile_override_.reset();
    knob_overrides_.clear();
    rebuild_step();
}

// ---------------------------------------------------------------------------
// Quiz

QuizEntry& Tutor::entry(const Question& q) {
    const std::string key = quiz_key(lesson_id_, q.id);
    auto it = quiz_.find(key);
    if (it != quiz_.end()) return it->second;
    QuizEntry e;
    if (q.kind == QuestionKind::Order) e.arrangement = initial_arrangement(q.id, q.choices.size());
    if (auto l = progress_.lessons.find(lesson_id_); l != progress_.lessons.end()) {
        if (auto r = l->second.find(q.id); r != l->second.end()) {
            e.correct = r->second.correct;
            e.first_try = r->second.first_try;
            e.attempts = r->second.attempts;
        }
    }
    return quiz_.emplace(key, std::move(e)).first->second;
}

const QuizEntry& Tutor::quiz(std::string_view id) const {
    static const QuizEntry none;
    auto it = quiz_.find(quiz_key(lesson_id_, id));
    return it == quiz_.end() ? none : it->second;
}

int Tutor::right_choice(const Question& q) const {
    const EngineAnswer& a = engine_answer(q.id);
    return a.choice >= 0 ? a.choice : q.answer_index;
}

std::int64_t Tutor::right_number(const Question& q) const {
    const EngineAnswer& a = engine_answer(q.id);
    return a.number ? *a.number : q.answer_number.value_or(0);
}

void Tutor::record_answer(const Question& q, bool right, std::string response) {
    const Score before = score(lesson_id_);
    QuizEntry& e = entry(q);
    ++e.attempts;
    e.answered_here = true;
    e.last_correct = right;
    if (right && !e.correct) {
        e.correct = true;
        e.first_try = e.attempts == 1;
    }
    if (in_practice()) {
        // The schedule takes the first answer of each showing: a wrong one
        // brings the exercise back today, whatever the retries after it.
        // A card that is not due yet (opened again by its link) is extra
        // practice: the schedule keeps its date, as the terminal never asks it.
        const auto card = progress_.review.cards.find(lesson_id_);
        const bool due = card == progress_.review.cards.end() || card->second.due <= today_;
        if (e.attempts == 1 && due) review::record_answer(progress_.review.cards[lesson_id_], right, today_);
        progress_dirty_ = true;
        return;  // not a lesson's question: no score, no statement for the host
    }
    progress_.lessons[lesson_id_][q.id] = QuestionRecord{e.correct, e.first_try, e.attempts};
    progress_dirty_ = true;
    // Nobody may be collecting them (the desktop app): keep the newest only.
    if (learner_events_.size() >= kLearnerEventsKept) learner_events_.erase(learner_events_.begin(), learner_events_.begin() + kLearnerEventsKept / 2);
    learner_events_.push_back({LearnerEvent::Kind::Answered, lesson_id_, q.id, std::move(response), right, e.attempts});
    const Score after = score(lesson_id_);
    if (after.total > 0 && after.correct == after.total && before.correct < before.total)
        learner_events_.push_back({LearnerEvent::Kind::Completed, lesson_id_, {}, {}, true, 0});
}

bool Tutor::answer_choice(std::string_view id, int choice) {
    const Question* q = question(id);
    if (!q || q->kind == QuestionKind::Field || q->kind == QuestionKind::Order) return false;
    if (choice < 0 || choice >= static_cast<int>(q->choices.size())) return false;
    if (entry(*q).correct && entry(*q).answered_here) return false;
    entry(*q).last_choice = choice;
    record_answer(*q, choice == right_choice(*q), std::string(1, static_cast<char>('A' + choice)));
    return true;
}

bool Tutor::answer_number(std::string_view id, std::int64_t value) {
    const Question* q = question(id);
    if (!q || q->kind != QuestionKind::Field) return false;
    if (entry(*q).correct && entry(*q).answered_here) return false;
    entry(*q).last_number = value;
    record_answer(*q, value == right_number(*q), std::to_string(value));
    return true;
}

bool Tutor::move_order_item(std::string_view id, int from, int to) {
    const Question* q = question(id);
    if (!q || q->kind != QuestionKind::Order) return false;
    QuizEntry& e = entry(*q);
    const int n = static_cast<int>(e.arrangement.size());
    if (from < 0 || from >= n || to < 0 || to >= n || from == to) return false;
    const int item = e.arrangement[static_cast<std::size_t>(from)];
    e.arrangement.erase(e.arrangement.begin() + from);
    e.arrangement.insert(e.arrangement.begin() + to, item);
    e.answered_here = e.answered_here && e.correct;  // a changed order needs a new check
    return true;
}

bool Tutor::skip_question(std::string_view id) {
    const Question* q = question(id);
    if (!q || !question_open(*q)) return false;
    entry(*q).skipped = true;
    held_by_.clear();
    return true;
}

std::string Tutor::field_feedback(const Question& q, std::int64_t value) const {
    const auto w = words_of(q.check);
    const std::int64_t right = right_number(q);
    if (w.size() >= 3 && w[0] == "segment") {
        const std::string_view field = w.back();
        if (field == "ack" && value == right - 1) return tr("quiz.slip_ack_is_seq");
        if (field == "ack" && value == right + 1) return tr("quiz.slip_ack_too_far");
        if (field == "seq" && value == right - 1) return tr("quiz.slip_seq_last");
        if (field == "seq" && value == right + 1) return tr("quiz.slip_seq_too_far");
        if (field == "ack") return tr("quiz.hint_ack");
        if (field == "seq") return tr("quiz.hint_seq");
        return tr("quiz.hint_len");
    }
    if (!w.empty() && w[0] == "count") return tr("quiz.hint_count");
    return tr("quiz.hint_number");
}

Hidden Tutor::hidden() const {
    Hidden h;
    const Lesson* l = lesson();
    if (!l || in_sandbox() || !run_) return h;
    if (in_practice()) return practice_hidden();
    for (const Question& q : l->steps[step_].questions) {
        if (q.check.empty() || !question_open(q)) continue;
        const auto w = words_of(q.check);
        const auto side = w.size() >= 2 ? parse_side(w[1]) : std::nullopt;
        if (w[0] == "state" && side) {
            const auto st = parse_state(engine_answer(q.id).value);
            h.state[static_cast<std::size_t>(*side)] = true;
            // Which timers run names the state too (the FIN-WAIT-2 timer).
            h.timers[static_cast<std::size_t>(*side)] = true;
            if (st) h.state_value[static_cast<std::size_t>(*side)] = *st;
        } else if (w[0] == "time" && side) {
            h.timers[static_cast<std::size_t>(*side)] = true;
        } else if (w[0] == "segment" && w.size() >= 3) {
            std::vector<std::string_view> pattern(w.begin() + 1, w.end() - 1);
            auto ps = parse_pattern(pattern);
            if (std::holds_alternative<std::string>(ps)) continue;
            const SegmentPattern& p = std::get<PatternSelection>(ps).pattern;
            for (const TraceEvent& e : sim().trace()) {
                if (e.kind != EventKind::Send) continue;
                Segment seg;
                seg.from = e.side;
                seg.flags = e.flags;
                seg.len = e.len;
                if (p.matches(seg, e.sender_state) && !h.field(e.seg_id, w.back())) h.fields.emplace_back(e.seg_id, std::string(w.back()));
            }
        }
    }
    return h;
}

bool Tutor::submit_order(std::string_view id) {
    const Question* q = question(id);
    if (!q || q->kind != QuestionKind::Order) return false;
    QuizEntry& e = entry(*q);
    if (e.correct && e.answered_here) return false;
    bool in_order = true;
    std::string response;
    for (std::size_t i = 0; i < e.arrangement.size(); ++i) {
        in_order = in_order && e.arrangement[i] == static_cast<int>(i);
        if (i > 0) response += "[,]";
        response += static_cast<char>('A' + e.arrangement[i]);
    }
    record_answer(*q, in_order, std::move(response));
    return true;
}

Score Tutor::score(std::string_view lesson_id) const {
    Score s;
    const Lesson* l = find_lesson(lesson_id);
    if (!l) return s;
    const auto records = progress_.lessons.find(lesson_id);
    for (const Step& step : l->steps) {
        for (const Question& q : step.questions) {
            ++s.total;
            if (records == progress_.lessons.end()) continue;
            const auto r = records->second.find(q.id);
            if (r == records->second.end()) continue;
            if (r->second.correct) ++s.correct;
            if (r->second.attempts > 0 || r->second.correct) ++s.attempted;
        }
    }
    return s;
}

void Tutor::reset_progress() {
    progress_ = {};
    quiz_.clear();
    progress_dirty_ = true;
    if (const Lesson* l = lesson())
        for (const Step& s : l->steps)
            for (const Question& q : s.questions) entry(q);
}

void Tutor::load_progress_text(std::string_view saved) {
    ProgressLoad loaded = load_progress(saved);
    progress_ = std::move(loaded.progress);
    if (loaded.discarded_because) {
        add_notice(Alert::Level::Warning, "notice.progress_discarded", {*loaded.discarded_because});
        progress_dirty_ = true;  // overwrite the unreadable state with a clean one
    }
    quiz_.clear();
    if (const Lesson* l = lesson())
        for (const Step& s : l->steps)
            for (const Question& q : s.questions) entry(q);
}

// ---------------------------------------------------------------------------
// Notices

void Tutor::add_notice(Alert::Level level, std::string key, std::vector<std::string> args) {
    notices_.push_back({level, std::move(key), std::move(args)});
}

void Tutor::dismiss_notice(std::size_t index) {
    if (index < notices_.size()) notices_.erase(notices_.begin() + static_cast<long>(index));
}

}  // namespace finwave::web
