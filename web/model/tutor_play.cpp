// The Tutor's playing of the run: where a step's play ends (its `until`
// lines), the prediction gate that holds the run before it shows an open
// question's answer, and the clock (play, speed, step, next timer, rewind).
// The rest of the Tutor is in tutor.cpp.
#include <algorithm>
#include <cmath>

#include "tutor.hpp"

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

bool is_event_stop(const PlayDirective& d) {
    return d.kind == PlayDirective::Kind::UntilState || d.kind == PlayDirective::Kind::UntilEof;
}

}  // namespace

const std::vector<PlayDirective>* Tutor::end_plan() const {
    const Lesson* l = lesson();
    if (!l || in_sandbox() || step_ >= l->steps.size()) return nullptr;
    return &l->steps[step_].play;
}

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

// ---------------------------------------------------------------------------
// Playing

void Tutor::set_playing(bool on) {
    if (busy_) {
        playing_ = on && !busy_->over();
        return;
    }
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
    if (playing_ && busy_) {
        tick_busy(real_seconds);
        return;
    }
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
    if (in_busy_host()) {
        rebuild_step();
        return;
    }
    if (!run_) return;
    rewind_to(step_start_);
}

}  // namespace finwave::web
