// TransitionSystem over the bytecode interpreter.
#include "model/compiled_system.hpp"

#include <algorithm>

#include "model/vm/interpreter.hpp"

namespace probecheck::model {

checker::StepStatus CompiledSystem::initial_state(checker::StateView out, checker::ViolationInfo& v) const {
    std::fill(out.begin(), out.end(), 0);
    std::copy(program_.initial.begin(), program_.initial.end(), out.begin());
    for (auto const& t : program_.threads) {
        if (t.entry == UINT32_MAX) continue;  // work-item slots start empty
        out[t.base] = 1;
        out[t.base + 1] = t.entry << 16;
        for (size_t i = 0; i < t.args.size(); ++i) out[t.base + 2 + i] = static_cast<uint32_t>(t.args[i]);
    }
    for (uint32_t t = 0; t < thread_count(); ++t) {
        checker::Access access;
        auto status = vm::run_thread(program_, out, {t, 0}, vm::RunMode::Prefix, access, v);
        if (status == checker::StepStatus::Violation) return status;
    }
    return checker::StepStatus::Ok;
}

checker::StepStatus CompiledSystem::step(checker::ConstStateView s, checker::Step step,
                                         checker::StateView out, checker::Access& access,
                                         checker::ViolationInfo& v) const {
    if (s[program_.threads[step.thread].base] == 0) return checker::StepStatus::Disabled;
    return vm::run_step(program_, s, out, step, access, v);
}

uint32_t CompiledSystem::choice_count_slow(checker::ConstStateView s, uint32_t t) const {
    return vm::choice_count(program_, s, t);
}

std::vector<checker::Wait> CompiledSystem::waits(checker::ConstStateView s) const {
    std::vector<checker::Wait> out;
    for (uint32_t t = 0; t < thread_count(); ++t) {
        if (thread_finished(s, t)) continue;
        if (auto blocked = vm::pending_atomic(program_, s, t); !blocked.empty()) {
            out.push_back({t, blocked, UINT32_MAX});
            continue;
        }
        uint32_t slot = vm::pending_lock(program_, s, t);
        if (slot == UINT32_MAX) continue;
        uint32_t owner = s[slot] == 0 ? UINT32_MAX : s[slot] - 1;
        out.push_back({t, program_.lock_name(slot), owner});
    }
    return out;
}

std::vector<FrameDescription> CompiledSystem::call_stack(checker::ConstStateView s, uint32_t thread) const {
    std::vector<FrameDescription> out;
    for (auto const& f : vm::frames(program_, s, thread)) {
        auto const& fn = program_.functions[f.function];
        std::string kernel = fn.kernel_file.empty()
                                 ? std::string()
                                 : fn.kernel_file + " " + fn.kernel_symbol + " " + fn.kernel_version;
        if (!fn.patched_by.empty()) kernel += (kernel.empty() ? "" : ", ") + ("patched at " + fn.patched_by);
        out.push_back({fn.name, fn.code[f.pc].loc.valid() ? fn.code[f.pc].loc : fn.loc, std::move(kernel)});
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::string CompiledSystem::describe_access(checker::Access access, checker::ConstStateView after) const {
    using Kind = checker::Access::Kind;
    std::string name = program_.slot_name(access.slot);
    switch (access.kind) {
        case Kind::None: return "";
        case Kind::Read: return "read " + name + " == " + program_.format_value(access.slot, after[access.slot]);
        case Kind::Write: return "write " + name + " = " + program_.format_value(access.slot, after[access.slot]);
        case Kind::Lock: return "lock " + program_.lock_name(access.slot);
        case Kind::Unlock: return "unlock " + program_.lock_name(access.slot);
        case Kind::Alloc: return "kzalloc -> &" + name;
        case Kind::Free: return "kfree &" + name;
        case Kind::Choice: return "choose alternative " + std::to_string(access.value + 1);
        case Kind::Atomic:
            return access.value == UINT32_MAX ? "atomic block" : "await(" + program_.messages[access.value] + ")";
        case Kind::Spawn: return "spawn on thread '" + program_.threads[access.value].name + "'";
        case Kind::Fault: return access.value == 0 ? "kzalloc -> NULL (injected fault)"
                                                   : "may_defer -> true (injected -EPROBE_DEFER)";
    }
    return "";
}

std::vector<std::string> CompiledSystem::locks_held(checker::ConstStateView s, uint32_t thread) const {
    std::vector<std::string> out;
    for (auto const& l : program_.locks)
        if (s[l.slot] == thread + 1) out.push_back(l.name);
    return out;
}

}  // namespace probecheck::model
