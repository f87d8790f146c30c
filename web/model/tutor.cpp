#include "tutor.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "finwave/builtin.hpp"
#include "text.hpp"

namespace finwave::web {

namespace {

// How fast an idle stretch (nothing on the wire) is crossed while playing:
// each frame covers this share of the remaining gap per second of wall time,
// so a 60 s TIME-WAIT passes in about a second instead of a minute.
constexpr double kIdleCatchUpSeconds = 0.3;
// Events processed per frame at most, so a frame stays short at any speed.
constexpr int kEventsPerTick = 5000;
// next_timer() gives up after this many events without a timer firing.
constexpr int kTimerSearchLimit = 200000;
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

std::optional<std::int64_t> parse_int64(std::string_view s) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
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

const Lesson* Tutor::lesson() const { return lesson_id_.empty() ? nullptr : catalog_.lesson(lesson_id_, lang_); }

bool Tutor::open_lesson(std::string_view id, std::size_t step) {
    const Lesson* l = catalog_.lesson(id, lang_);
    if (!l) return false;
    lesson_id_ = std::string(id);
    sandbox_.clear();
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
    if (!find_builtin(scenario)) return false;
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

std::optional<Knobs> Tutor::knobs_for(const Scenario& sc) {
    const Profile p = profile_override_.value_or(sc.profile.value_or(Profile::Linux));
    auto k = resolve_knobs(sc, p, knob_overrides_);
    if (auto* e = std::get_if<std::string>(&k)) {
        sim_error_ = *e;
        return std::nullopt;
    }
    return std::get<Knobs>(k);
}

void Tutor::rebuild_step() {
    run_.reset();
    step_start_sim_.reset();
    sim_error_.clear();
    playing_ = false;
    selected_segment.reset();
    view_ = {};

    const Scenario* scenario = nullptr;
    std::size_t first = 0;
    Scenario sandbox_scenario;
    if (in_sandbox()) {
        auto parsed = load_builtin(sandbox_);
        if (auto* e = std::get_if<ParseError>(&parsed)) {
            sim_error_ = e->to_string();
            return;
        }
        sandbox_scenario = std::get<Scenario>(parsed);
        scenario = &sandbox_scenario;
    } else if (const Lesson* l = lesson()) {
        for (std::size_t k = step_ + 1; k-- > 0;) {
            if (l->steps[k].scenario) {
                scenario = &*l->steps[k].scenario;
                first = k;
                break;
            }
        }
    }
    if (!scenario) return;
    auto knobs = knobs_for(*scenario);
    if (!knobs) return;
    run_.emplace(Simulation(*scenario, *knobs, scenario->seed.value_or(1)));
    ++run_generation_;
    if (const Lesson* l = lesson(); l && !in_sandbox()) {
        // The same directives as finwave::simulation_for_step, recorded, so
        // that the learner can rewind into them: every earlier step of the
        // scenario to its end point, then this step's `from` lines.
        for (std::size_t k = first; k <= step_; ++k) {
            for (const PlayDirective& d : l->steps[k].open) run_->play(d);
            if (k < step_)
                for (const PlayDirective& d : l->steps[k].play) run_->play(d);
        }
    }
    step_start_ = run_->position();
    step_start_sim_ = run_->sim();
    view_ = run_->sim().now();
    compute_engine_answers();
    retrack_end();
}

const std::vector<PlayDirective>* Tutor::end_plan() const {
    const Lesson* l = lesson();
    if (!l || in_sandbox() || step_ >= l->steps.size()) return nullptr;
    return &l->steps[step_].play;
}

namespace {
bool is_event_stop(const PlayDirective& d) {
    return d.kind == PlayDirective::Kind::UntilState || d.kind == PlayDirective::Kind::UntilEof;
}
}  // namespace

void Tutor::track_end(std::size_t from) {
    const auto* plan = end_plan();
    if (!plan || !run_) return;
    const auto& trace = sim().trace();
    for (std::size_t k = from; k < trace.size() && end_done_ < plan->size(); ++k)
        if (play_stops_at(trace[k], (*plan)[end_done_])) ++end_done_;
    // The next lines may already be true (finwave::play then does nothing),
    // and a time the run has passed is reached.
    while (end_done_ < plan->size()) {
        const PlayDirective& d = (*plan)[end_done_];
        const bool done = is_event_stop(d) ? play_done(sim(), d)
                          : d.kind == PlayDirective::Kind::UntilTime
                              ? sim().now() > Instant{} + d.time || (end_done_ + 1 < plan->size() && sim().now() == Instant{} + d.time)
                              : false;
        if (!done) break;
        ++end_done_;
    }
}

void Tutor::retrack_end() {
    end_done_ = 0;
    held_by_.clear();
    if (!run_ || !end_plan()) return;
    const auto* plan = end_plan();
    const Simulation& start = step_start_sim_ ? *step_start_sim_ : sim();
    while (end_done_ < plan->size() && is_event_stop((*plan)[end_done_]) && play_done(start, (*plan)[end_done_])) ++end_done_;
    track_end(run_->trace_size_at(step_start_));
}

bool Tutor::at_step_end() const {
    if (!run_) return true;
    if (sim().finished()) return true;
    const auto* plan = end_plan();
    if (!plan) return false;  // free play: to the end of the run
    if (end_done_ >= plan->size()) return true;
    const PlayDirective& d = (*plan)[end_done_];
    if (d.kind == PlayDirective::Kind::UntilTime && end_done_ + 1 == plan->size()) {
        const Instant t = Instant{} + d.time;
        const auto next = sim().next_event_time();
        return view_ >= t && (!next || *next > t);
    }
    return false;
}

bool Tutor::question_open(const Question& q) const {
    const QuizEntry& e = quiz(q.id);
    return !e.correct && !e.answered_here && !e.skipped;
}

const Question* Tutor::gate() const {
    const Lesson* l = lesson();
    if (!l || in_sandbox() || !run_) return nullptr;
    for (const Question& q : l->steps[step_].questions)
        if ((q.kind == QuestionKind::Predict || q.kind == QuestionKind::Lost) && !q.check.empty() && question_open(q))
            return &q;
    return nullptr;
}

bool Tutor::advance_event() {
    if (!run_ || at_step_end()) return false;
    if (const auto* plan = end_plan(); plan && end_done_ < plan->size() && (*plan)[end_done_].kind == PlayDirective::Kind::UntilTime) {
        // A time stop: the events before it may happen, the next one waits.
        const Instant t = Instant{} + (*plan)[end_done_].time;
        const auto next = sim().next_event_time();
        if (next && *next > t) {
            view_ = std::max(view_, t);
            if (end_done_ + 1 == plan->size()) return false;
            ++end_done_;
            return advance_event();
        }
    }
    const std::size_t before = sim().trace().size();
    const std::size_t position = run_->position();
    if (!run_->step()) return false;
    const Lesson* l = lesson();
    if (l && !in_sandbox()) {
        for (const Question& q : l->steps[step_].questions) {
            if ((q.kind != QuestionKind::Predict && q.kind != QuestionKind::Lost) || q.check.empty() || !question_open(q)) continue;
            const std::string& value = engine_answer(q.id).value;
            // The run's end shows every end state, "stays where it is" included.
            const auto verb = words_of(q.check).front();
            const bool end_shows = sim().finished() && (verb == "end-state" || verb == "next-state" || verb == "count" ||
                                                        verb == "first-retransmit");
            for (std::size_t k = before; k < sim().trace().size() || end_shows; ++k) {
                if (!(k >= sim().trace().size() || event_reveals(q, value, sim().trace()[k]))) continue;
                // Undo it: the learner sees the moment just before.
                run_->rewind_to(position);
                held_by_ = q.id;
                playing_ = false;
                if (const auto next = sim().next_event_time(); next && *next > view_)
                    view_ = std::max(view_, *next - Duration::micros(1));
                return false;
            }
        }
    }
    track_end(before);
    return true;
}

std::optional<Simulation> Tutor::step_start_sim(std::size_t step) const {
    if (step == step_ && step_start_sim_) return step_start_sim_;
    // Another step's (an API user answering ahead): built the same way.
    Tutor copy(*this);
    copy.step_ = step;
    copy.rebuild_step();
    return copy.step_start_sim_;
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
        a.number = parse_int64(a.value);
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

// ---------------------------------------------------------------------------
// Playing

void Tutor::set_playing(bool on) {
    if (!run_) {
        playing_ = false;
        return;
    }
    if (on) held_by_.clear();
    playing_ = on && !sim().finished() && !at_step_end();
}

void Tutor::set_speed(double v) {
    if (std::isfinite(v)) speed_ = std::clamp(v, 0.001, 1000.0);
}

void Tutor::tick(double real_seconds) {
    if (!playing_ || !run_) return;
    real_seconds = std::clamp(real_seconds, 0.0, 0.25);  // a background tab must not leap
    Instant target = view_ + Duration::micros(static_cast<std::int64_t>(real_seconds * speed_ * 1e6));
    const auto next = sim().next_event_time();
    if (next && *next > view_ && sim().in_flight().empty()) {
        const double share = std::min(1.0, real_seconds / kIdleCatchUpSeconds);
        const Instant catch_up = view_ + Duration::micros(static_cast<std::int64_t>(static_cast<double>((*next - view_).us) * share));
        target = std::max(target, catch_up);
    }
    // A step's `until TIME` is a stop of its own.
    if (const auto* plan = end_plan(); plan && end_done_ < plan->size() && (*plan)[end_done_].kind == PlayDirective::Kind::UntilTime)
        target = std::min(target, Instant{} + (*plan)[end_done_].time);
    int budget = kEventsPerTick;
    while (budget > 0) {
        const auto t = sim().next_event_time();
        if (!t || *t > target || sim().finished()) break;
        const std::size_t before = sim().trace().size();
        if (!advance_event()) {
            if (!held_by_.empty()) return;  // held before an answer: view_ is set
            view_ = std::max(view_, sim().now());
            playing_ = false;
            return;
        }
        --budget;
        if (pause_on_state_) {
            const auto& trace = sim().trace();
            for (std::size_t k = before; k < trace.size(); ++k) {
                if (trace[k].kind == EventKind::State) {
                    view_ = sim().now();
                    playing_ = false;
                    return;
                }
            }
        }
    }
    view_ = budget == 0 ? sim().now() : std::max(target, sim().now());
    if (sim().finished()) {
        view_ = sim().now();
        playing_ = false;
    } else if (at_step_end()) {
        playing_ = false;
    }
}

bool Tutor::step_event() {
    if (!run_) return false;
    playing_ = false;
    held_by_.clear();
    if (sim().finished() || !advance_event()) return false;
    view_ = sim().now();
    return true;
}

bool Tutor::next_timer() {
    if (!run_) return false;
    playing_ = false;
    bool armed = false;
    for (Side s : {Side::Client, Side::Server})
        for (int k = 0; k < kTimerCount; ++k)
            armed = armed || sim().endpoint(s).timer(static_cast<TimerKind>(k)).has_value();
    if (!armed) return false;
    held_by_.clear();
    for (int guard = 0; guard < kTimerSearchLimit; ++guard) {
        const std::size_t before = sim().trace().size();
        if (sim().finished() || !advance_event()) break;
        const auto& trace = sim().trace();
        for (std::size_t k = before; k < trace.size(); ++k) {
            if (trace[k].kind == EventKind::TimerFire) {
                view_ = sim().now();
                return true;
            }
        }
    }
    view_ = sim().now();
    return false;
}

void Tutor::rewind_to(std::size_t position) {
    if (!run_) return;
    playing_ = false;
    // The step's history begins at its start point: earlier steps are theirs.
    run_->rewind_to(std::max(position, in_sandbox() ? std::size_t{0} : step_start_));
    view_ = sim().now();
    retrack_end();
}

void Tutor::reset_step() {
    if (!run_) return;
    rewind_to(step_start_);
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
    const Lesson* l = catalog_.lesson(lesson_id, lang_);
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
