#include "tests/support/model_check.hpp"

#include "checker/search/dfs.hpp"
#include "model/frontend.hpp"
#include "model/state_checks.hpp"
#include "properties/deadlock.hpp"
#include "properties/lock_order.hpp"
#include "properties/violation.hpp"

namespace probecheck::test {

Outcome check_model(std::string const& text, std::string const& args, bool all_violations) {
    Outcome o;
    model::SourceManager sm;
    model::LoadOptions options;
    auto loaded = model::load_model_text("t.model", text, sm, options);
    for (auto const& d : loaded.diagnostics.diagnostics()) {
        if (d.severity == model::Severity::Error) o.errors.push_back(d.kind);
        o.diagnostics += model::render_text(d, sm);
    }
    if (!loaded.system) return o;
    model::bc::FaultOptions faults;
    faults.alloc = args.find("alloc") != std::string::npos;
    faults.defer = args.find("defer") != std::string::npos;
    if (auto at = args.find("budget="); at != std::string::npos) faults.budget = std::stoul(args.substr(at + 7));
    loaded.system->set_faults(faults);
    properties::DeadlockMonitor deadlock;
    model::StateChecks state_checks(*loaded.system);
    checker::Monitor const* monitors[] = {&deadlock, &state_checks};
    properties::LockOrderObserver lock_order;
    checker::StepObserver* observers[] = {&lock_order};
    checker::SearchOptions options_all;
    options_all.all_violations = all_violations;
    options_all.reduce = false;  // the language tests count the full interleaving graph
    o.result = checker::explore(*loaded.system, monitors, options_all, observers);
    for (auto const& v : o.result.violations)
        o.kinds.push_back(std::string(properties::violation_id(static_cast<properties::ViolationKind>(v.info.kind))));
    if (!o.result.violations.empty()) {
        auto k = static_cast<properties::ViolationKind>(o.result.violations[0].info.kind);
        o.kind = std::string(properties::violation_id(k));
        o.message = o.result.violations[0].info.message;
    }
    return o;
}

}  // namespace probecheck::test
