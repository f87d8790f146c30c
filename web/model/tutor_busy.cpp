// A busy host in free play: the Tutor's side of it (BusyHost runs the model).
#include <algorithm>

#include "finwave/builtin.hpp"
#include "tutor.hpp"

namespace finwave::web {

bool Tutor::in_busy_host() const { return in_sandbox() && find_host_builtin(sandbox_).has_value(); }

void Tutor::rebuild_busy() {
    clear_run();
    ++run_generation_;
    auto parsed = load_host_builtin(sandbox_);
    if (auto* e = std::get_if<ParseError>(&parsed)) {
        sim_error_ = e->to_string();
        return;
    }
    Scenario& sc = std::get<Scenario>(parsed);
    auto knobs = knobs_for(sc, sim_error_);
    if (!knobs) return;
    // The learner's order and filter of the table outlive a reset.
    const HostTableView table = busy_ ? busy_->table_view : HostTableView{};
    const std::uint64_t seed = sc.seed.value_or(1);
    busy_ = std::make_unique<BusyHost>(sandbox_, std::move(sc), *knobs, seed);
    busy_->table_view = table;
}

void Tutor::tick_busy(double real_seconds) {
    real_seconds = std::clamp(real_seconds, 0.0, 0.25);  // a background tab must not leap
    busy_->advance(Duration::micros(static_cast<std::int64_t>(real_seconds * speed_ * 1e6)));
    if (busy_->over()) playing_ = false;
}

bool Tutor::set_host_table(const HostTableView& v) {
    if (!busy_) return false;
    busy_->table_view = v;
    return true;
}

}  // namespace finwave::web
