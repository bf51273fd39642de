// Call graph checks. Threads run on fixed-size stacks laid out at compile time: recursion is
// bounded (SemaOptions::max_recursion occurrences of a function per chain) and so is the
// deepest chain (SemaOptions::max_call_depth).
#include <fmt/format.h>

#include <algorithm>

#include "model/sema/call_chains.hpp"
#include "model/sema/sema_impl.hpp"

namespace probecheck::model::detail {

void Sema::begin_field_store(ast::Expr const& value, Type field_type) {
    if (field_type.kind == TypeKind::Func) field_store_value_ = &value;
}

void Sema::end_field_store(ast::Expr const& value, Type field_type, uint32_t structure, uint32_t field,
                           uint32_t instance) {
    field_store_value_ = nullptr;
    if (field_type.kind != TypeKind::Func || value.kind == ast::ExprKind::NullLit) return;
    if (value.kind == ast::ExprKind::Name && value.symbol == ast::SymbolKind::Function)
        symbols_.field_functions[{structure, field}].push_back({value.symbol_index, instance});
    else
        symbols_.open_fields.insert({structure, field});
}

void Sema::note_instance_ref(uint32_t instance) {
    if (fn_) {
        if (function_instance_refs_.size() <= fn_index_) function_instance_refs_.resize(fn_index_ + 1);
        function_instance_refs_[fn_index_].push_back(instance);
    } else if (initializing_instance_ != kNoInstance) {
        if (instance_init_refs_.size() <= initializing_instance_) instance_init_refs_.resize(initializing_instance_ + 1);
        instance_init_refs_[initializing_instance_].push_back(instance);
    } else {
        top_level_instance_refs_.push_back(instance);
    }
}

// A call through a struct field reaches what was stored into that field by name (in a named
// instance only if a pointer to it can exist), and any escaping function of its signature;
// any other indirect call (or one through a field that also receives other references)
// reaches every address-taken function of its signature. Far fewer targets than the
// signature alone: an ops table's probe_finalize is not every void (struct device *)
// function, and each thread's stack is laid out for the deepest chain.
void Sema::add_indirect_callees() {
    auto n = static_cast<uint32_t>(module_.functions.size());
    for (uint32_t f = 0; f < n; ++f) {
        auto& out = symbols_.callees[f];
        for (IndirectCall const& call : symbols_.indirect_calls[f]) {
            std::pair<uint32_t, uint32_t> key{call.structure, call.field};
            bool by_field = call.structure != UINT32_MAX && !symbols_.open_fields.count(key);
            if (by_field)
                if (auto it = symbols_.field_functions.find(key); it != symbols_.field_functions.end())
                    for (auto const& store : it->second)
                        if (store.instance == SymbolTable::FieldStore::kNoInstance ||
                            symbols_.instance_reachable[store.instance])
                            out.push_back(store.function);
            for (uint32_t g = 0; g < n; ++g) {
                bool reachable = by_field ? symbols_.escapes[g] : symbols_.address_taken[g];
                if (reachable && symbols_.function_signature[g] == call.signature) out.push_back(g);
            }
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
}

std::vector<uint32_t> Sema::entry_functions() const {
    std::vector<uint32_t> entries(symbols_.spawn_targets.begin(), symbols_.spawn_targets.end());
    for (auto const& t : symbols_.threads) entries.push_back(t.function);
    for (auto const& p : symbols_.properties) entries.push_back(p.function);
    return entries;
}

// Adds the instances named by the reachable functions, then what those instances'
// initialisers name, to a fixpoint. Returns whether anything was added.
bool Sema::grow_reachable_instances(std::vector<bool> const& functions) {
    auto& reachable = symbols_.instance_reachable;
    std::vector<uint32_t> work;
    bool grew = false;
    auto add = [&](uint32_t i) {
        if (reachable[i]) return;
        reachable[i] = grew = true;
        work.push_back(i);
    };
    for (uint32_t f = 0; f < function_instance_refs_.size(); ++f)
        if (functions[f])
            for (uint32_t i : function_instance_refs_[f]) add(i);
    for (uint32_t i = 0; i < reachable.size(); ++i)
        if (reachable[i]) work.push_back(i);
    for (size_t k = 0; k < work.size(); ++k)
        if (work[k] < instance_init_refs_.size())
            for (uint32_t j : instance_init_refs_[work[k]]) add(j);
    return grew;
}

// Which instances a pointer can reach and which functions a call can reach depend on each
// other (a reachable driver names its own instances): both grow together to a fixpoint.
void Sema::resolve_indirect_calls() {
    auto const direct = symbols_.callees;
    auto& reachable = symbols_.instance_reachable;
    reachable.assign(symbols_.instances.size(), false);
    for (uint32_t i = 0; i < reachable.size(); ++i)
        if (symbols_.iterated_structs.count(symbols_.instances[i].struct_index)) reachable[i] = true;
    for (uint32_t i : top_level_instance_refs_) reachable[i] = true;
    std::vector<bool> no_functions(module_.functions.size(), false);
    grow_reachable_instances(no_functions);
    for (;;) {
        symbols_.callees = direct;
        add_indirect_callees();
        symbols_.function_reachable = reachable_from(symbols_.callees, entry_functions());
        if (!grow_reachable_instances(symbols_.function_reachable)) break;
    }
}

void Sema::check_call_graph() {
    resolve_indirect_calls();
    auto n = static_cast<uint32_t>(module_.functions.size());
    std::vector<uint64_t> frames(n, 1);
    auto chains = longest_chains(symbols_.callees, frames, options_.max_recursion);
    if (chains.budget_exceeded) {
        auto recursive = recursive_functions(symbols_.callees);
        auto f = static_cast<uint32_t>(std::find(recursive.begin(), recursive.end(), true) - recursive.begin());
        auto const& fn = module_.functions[f < n ? f : 0];
        diags_.report(DiagKind::RecursionTooComplex, fn.loc, {fn.name, std::to_string(options_.max_recursion)},
                      uint32_t(fn.name.size()));
        return;
    }
    symbols_.call_height.assign(chains.weight.begin(), chains.weight.end());
    symbols_.max_recursion = options_.max_recursion;
    for (auto const& t : symbols_.threads) {
        if (symbols_.call_height[t.function] <= options_.max_call_depth) continue;
        std::string chain;
        for (uint32_t f : heaviest_chain(symbols_.callees, frames, options_.max_recursion, t.function))
            chain += (chain.empty() ? "" : " -> ") + module_.functions[f].name;
        diags_.report(DiagKind::CallDepthExceeded, t.loc,
                      {chain, std::to_string(symbols_.call_height[t.function]), std::to_string(options_.max_call_depth)});
    }
}

}  // namespace probecheck::model::detail
