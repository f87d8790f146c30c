// The tutor's state: which lesson and step is open, the live simulation with
// its rewindable history, the learner's settings, the quiz and the progress.
// It knows nothing of ImGui: panels read it, the controller changes it, and
// the native unit tests (tests/web/) drive it directly.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finwave/event_text.hpp"
#include "busy_host.hpp"
#include "catalog.hpp"
#include "live_run.hpp"
#include "practice_lesson.hpp"
#include "progress.hpp"
#include "strings.hpp"

namespace finwave::web {

// A message for the learner, kept as a string key and arguments so that it
// follows a change of language.
struct Alert {
    enum class Level : std::uint8_t { Info, Warning, Error };
    Level level = Level::Info;
    std::string key;
    std::vector<std::string> args;
};

// The learner's work on one question in this session.
struct QuizEntry {
    int attempts = 0;
    bool correct = false;          // answered right (now or in an earlier session)
    bool first_try = false;
    int last_choice = -1;          // choice-like kinds: the option picked last
    std::optional<std::int64_t> last_number;  // field
    bool last_correct = false;     // the verdict on the last answer, for feedback
    bool answered_here = false;    // answered in this session: feedback may be shown
    bool skipped = false;          // "show me without answering": not an answer, but Play may go on
    std::vector<int> arrangement;  // order: the items' current order (indices into choices)
};

// What the engine says the answer is, computed on the step's simulation.
struct EngineAnswer {
    std::string value;  // e.g. "FIN-WAIT-2", "202"; empty when not computable
    std::string error;
    int choice = -1;    // the matching choice, -1 when none matches
    std::optional<std::int64_t> number;
};

// What the views must not show yet, because an open question of the step
// asks for it. Every view (canvas panels, window.finwave.state(), the
// accessible mirror) reads this one answer.
struct Hidden {
    std::array<bool, 2> state{};   // by Side: the side's state (header, diagram, the ladder's badges of it)
    std::array<bool, 2> timers{};  // by Side: its timers (a question about a time)
    State state_value[2] = {State::Closed, State::Closed};  // the state hidden (ladder badges naming it)
    // Every state name of a hidden side, not only the asked one (a practice
    // story that shows no states: any of them could give the answer away).
    bool every_state = false;
    bool names(Side side, State st) const {
        const auto i = static_cast<std::size_t>(side);
        return state[i] && (every_state || st == state_value[i]);
    }
    std::vector<std::pair<std::uint64_t, std::string>> fields;  // segment id, "seq" | "ack" | "len"
    bool any() const { return state[0] || state[1] || timers[0] || timers[1] || !fields.empty(); }
    bool field(std::uint64_t seg_id, std::string_view name) const {
        for (const auto& f : fields)
            if (f.first == seg_id && f.second == name) return true;
        return false;
    }
    bool segment(std::uint64_t seg_id) const {
        for (const auto& f : fields)
            if (f.first == seg_id) return true;
        return false;
    }
};

struct Score {
    int correct = 0;
    int total = 0;
    int attempted = 0;  // answered at least once, right or not
};

// One thing the learner did that the page around the app reports (xAPI
// statements to an embedding page, score and status to a SCORM LMS).
struct LearnerEvent {
    enum class Kind : std::uint8_t { Answered, Completed };
    Kind kind = Kind::Answered;
    std::string lesson;
    std::string question;  // Answered
    // In xAPI's forms: a choice's letter ("B"), a number ("202"), or an
    // order question's items as letters in the learner's order ("C[,]A[,]B").
    std::string response;
    bool correct = false;
    int attempts = 0;
};

class Tutor {
public:
    Tutor(Catalog catalog, const UiStrings& strings);

    // --- Language
    Lang lang() const { return lang_; }
    void set_lang(Lang l);
    const std::string& tr(std::string_view key) const { return strings_->get(lang_, key); }
    std::string trf(std::string_view key, const std::vector<std::string>& args) const;
    // The tables in the current language, for i18n::event_text and friends.
    i18n::Words words() const { return i18n::Words(lang_, *strings_); }

    // --- Lessons and steps
    const Catalog& catalog() const { return catalog_; }
    const Lesson* lesson() const;  // the open lesson in the current language
    const std::string& lesson_id() const { return lesson_id_; }
    std::size_t step_index() const { return step_; }
    bool in_sandbox() const { return !sandbox_.empty(); }
    const std::string& sandbox_scenario() const { return sandbox_; }
    bool open_lesson(std::string_view id, std::size_t step);
    bool open_sandbox(std::string_view scenario);
    bool go_step(std::size_t index);
    // The step index of question `id` in the open lesson, if it has one.
    std::optional<std::size_t> step_of_question(std::string_view id) const;
    const Question* question(std::string_view id) const;

    // --- The live simulation
    bool has_sim() const { return run_.has_value(); }
    const LiveRun& run() const { return *run_; }
    const Simulation& sim() const { return run_->sim(); }
    // Where the learner's view of time is: at or after the simulation's clock,
    // before its next event (segments are drawn part way along the wire).
    Instant view_time() const { return busy_ ? busy_->view_time() : view_; }
    std::size_t step_start() const { return step_start_; }
    const std::string& sim_error() const { return sim_error_; }
    bool playing() const { return playing_; }
    double speed() const { return speed_; }  // virtual seconds per real second
    bool pause_on_state() const { return pause_on_state_; }
    void set_playing(bool on);
    void set_speed(double virtual_per_real);
    void set_pause_on_state(bool on) { pause_on_state_ = on; }
    // Advances the view by `real_seconds` of wall time while playing.
    void tick(double real_seconds);
    // The step's end point (its play block's `until` lines) has been reached:
    // Play, Next event and Next timer have nothing left in this step.
    bool at_step_end() const;
    // A predict question of this step that is still open and whose answer
    // the next event would show: the learner's advance stops before it.
    const Question* gate() const;
    // The question that held the last advance back (for the "why"), if any.
    const std::string& held_by() const { return held_by_; }
    // Open questions of this step that ask for a value the views must hide.
    Hidden hidden() const;
    // Generation of the live run: changes whenever the run is rebuilt, so a
    // view that caches what it drew from the run knows to draw again.
    std::uint64_t run_generation() const { return run_generation_; }
    bool step_event();
    bool next_timer();
    void rewind_to(std::size_t position);
    void reset_step();
    // The learner's command at the view time; an error key for the UI or "".
    std::string apply(const SimCommand& c);

    // --- A busy host in free play (a busy-host scenario): no single
    // connection's simulation, but many connections on the same clock,
    // Play and speed (tutor_busy.cpp).
    const BusyHost* busy() const { return busy_.get(); }
    // Free play of a busy-host scenario (busy() is null only if it failed to start).
    bool in_busy_host() const;
    // The host panel's table: its order and filter, shared by every view.
    bool set_host_table(const HostTableView& v);

    // --- Settings on top of the scenario's knobs
    Profile profile() const;
    bool profile_overridden() const { return profile_override_.has_value(); }
    const std::vector<std::pair<std::string, std::string>>& knob_overrides() const { return knob_overrides_; }
    void set_profile(Profile p);
    // Empty on success, else the engine's message about the value.
    std::string set_knob(std::string_view name, std::string_view value);
    void reset_knobs();

    // --- Quiz
    const QuizEntry& quiz(std::string_view question_id) const;
    const EngineAnswer& engine_answer(std::string_view question_id) const;
    // The right answer as the learner's simulation has it (the engine's, when
    // the question has a check whose value is one of the options).
    int right_choice(const Question& q) const;
    std::int64_t right_number(const Question& q) const;
    // Answers; false when the question does not exist or is already right.
    bool answer_choice(std::string_view question_id, int choice);
    bool answer_number(std::string_view question_id, std::int64_t value);
    bool move_order_item(std::string_view question_id, int from, int to);
    // "Show me without answering": recorded as skipped, not as an answer.
    bool skip_question(std::string_view question_id);
    // Open: neither answered (here or before) nor skipped.
    bool question_open(const Question& q) const;
    // Feedback on a wrong number: the known slip it looks like (an ACK that
    // repeats the FIN's own Seq), else a hint at the rule to apply.
    std::string field_feedback(const Question& q, std::int64_t value) const;
    bool submit_order(std::string_view question_id);
    Score score(std::string_view lesson_id) const;
    void reset_progress();

    // --- How the app was launched (URL parameters, web/model/startup.cpp)
    // Quiz only: the steps that ask questions, without the lesson's text.
    bool quiz_only() const { return quiz_only_; }
    void set_quiz_only(bool on);
    // The compact layout for a small frame in another page.
    bool embedded() const { return embedded_; }
    void set_embedded(bool on);
    bool step_has_questions(std::size_t step) const;
    // One question alone (?question=ID): only its step, only it is asked.
    const std::string& focus_question() const { return focus_question_; }
    void set_focus_question(std::string id) { focus_question_ = std::move(id); }
    bool shows_question(const Question& q) const { return focus_question_.empty() || q.id == focus_question_; }
    // The first step from `from` on (direction +1) or back (-1) that asks a
    // question, `from` included.
    std::optional<std::size_t> question_step(std::size_t from, int direction) const;

    // --- What the learner did, for the page around the app (oldest first)
    std::vector<LearnerEvent> take_learner_events() { return std::exchange(learner_events_, {}); }
    // Every lesson's questions together.
    Score course_score() const;

    // --- Practice: generated exercises on the live simulation, scheduled by
    // the spaced review kept with the progress (finwave/review.hpp).
    // Today's date (days since 1970-01-01), from the platform: the model
    // reads no clock.
    void set_today(long days) { today_ = days; }
    long today() const { return today_; }
    // Opens the exercise of `seed` at `level` (0: the seed picks, as
    // `finwave practice --seed S` does).
    bool open_practice(std::uint64_t seed, int level);
    // The first card due today other than the one open, else the open one
    // if it is due, else a new exercise of today's.
    bool open_next_practice();
    bool in_practice() const { return practice_ && lesson_id_ == practice_->by_lang[0].id; }
    const practice::Exercise* practice_exercise() const { return in_practice() ? &practice_->exercise : nullptr; }
    const review::Schedule& schedule() const { return progress_.review; }
    std::size_t practice_due() const { return review::due_count(progress_.review, today_); }

    // --- Persistence (the page's localStorage, through main.cpp)
    void load_progress_text(std::string_view saved);
    std::string progress_json() const { return progress_.to_json(); }
    const Progress& progress() const { return progress_; }
    bool take_progress_dirty() { return std::exchange(progress_dirty_, false); }
    bool take_lang_dirty() { return std::exchange(lang_dirty_, false); }
    bool take_location_dirty() { return std::exchange(location_dirty_, false); }

    // --- Notices
    const std::vector<Alert>& notices() const { return notices_; }
    void add_notice(Alert::Level level, std::string key, std::vector<std::string> args = {});
    void dismiss_notice(std::size_t index);

    // --- Shared view state
    std::optional<std::uint64_t> selected_segment;

private:
    void rebuild_step();
    void rebuild_busy();
    // What any new run starts from: no run, no error, not playing, nothing selected.
    void clear_run();
    void tick_busy(double real_seconds);
    // The lesson `id` in the current language: the open practice exercise
    // or the catalog's.
    const Lesson* find_lesson(std::string_view id) const;
    // What an open exercise keeps off the views (its show_states and
    // show_timers), until the learner has answered.
    Hidden practice_hidden() const;
    // One event of the run, unless it is past the step's end or would show
    // an open predict question's answer; false when it did not happen.
    bool advance_event();
    // Moves the step's end tracking over the trace events from `from` on.
    void track_end(std::size_t from);
    void retrack_end();
    const std::vector<PlayDirective>* end_plan() const;
    void compute_engine_answers();
    EngineAnswer evaluate(const Question& q, const Simulation& at_step_start) const;
    std::optional<Simulation> step_start_sim(std::size_t step) const;
    QuizEntry& entry(const Question& q);
    void record_answer(const Question& q, bool right, std::string response);
    std::optional<Knobs> knobs_for(const Scenario& sc, std::string& error) const;
    // The run as `step` opens: the scenario of it or of the step before that
    // has one, the learner's profile and knobs, the play directives since.
    std::optional<LiveRun> start_run(std::size_t step, std::string& error) const;

    const UiStrings* strings_;
    Catalog catalog_;
    Lang lang_ = Lang::En;
    std::string lesson_id_;
    std::size_t step_ = 0;
    std::string sandbox_;

    std::optional<LiveRun> run_;
    std::unique_ptr<BusyHost> busy_;
    std::optional<Simulation> step_start_sim_;
    std::size_t step_start_ = 0;
    std::string sim_error_;
    Instant view_{};
    bool playing_ = false;
    static constexpr double kSingleConnectionSpeed = 0.02;  // a 10 ms flight takes half a second to watch
    double speed_ = kSingleConnectionSpeed;
    bool pause_on_state_ = false;
    std::size_t end_done_ = 0;  // how many of the step's `until` lines are reached
    std::string held_by_;
    std::uint64_t run_generation_ = 0;

    std::optional<Profile> profile_override_;
    std::vector<std::pair<std::string, std::string>> knob_overrides_;

    Progress progress_;
    std::optional<PracticeLesson> practice_;
    long today_ = 0;
    std::map<std::string, QuizEntry, std::less<>> quiz_;  // "lesson/question"
    mutable std::map<std::string, EngineAnswer, std::less<>> engine_answers_;  // question id, open lesson

    std::vector<Alert> notices_;
    bool quiz_only_ = false;
    std::string focus_question_;
    bool embedded_ = false;
    std::vector<LearnerEvent> learner_events_;
    bool progress_dirty_ = false;
    bool lang_dirty_ = false;
    bool location_dirty_ = false;
};

}  // namespace finwave::web
