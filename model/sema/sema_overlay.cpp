// Overlays and annotations: `override` of functions and ops-table entries (a proposal replaces
// one definition of the imported encodings without copying the rest), @kernel provenance,
// @guarded_by locks, and `expect` lines.
#include <fmt/format.h>

#include <algorithm>

#include "model/sema/sema_impl.hpp"
#include "properties/violation.hpp"

namespace probecheck::model::detail {

// Each `override` function takes the place (and index) of the latest earlier definition of
// its name, so every call site and ops-table entry reaches the replacement.
void Sema::apply_function_overrides() {
    auto& fns = module_.functions;
    std::vector<bool> erased(fns.size(), false);
    for (size_t j = 0; j < fns.size(); ++j) {
        if (!fns[j].is_override) continue;
        erased[j] = true;
        size_t i = j;
        while (i-- > 0)
            if (!erased[i] && fns[i].name == fns[j].name) break;
        if (i == SIZE_MAX) {
            diags_.report(DiagKind::OverrideOfUndefined, fns[j].loc, {fns[j].name}, uint32_t(fns[j].name.size()));
            continue;
        }
        auto written_signature = [this](ast::FuncDecl& fn) {
            std::vector<Type> sig{resolve_type(fn.ret)};
            for (auto& p : fn.params) sig.push_back(resolve_type(p.type));
            return sig;
        };
        auto original = written_signature(fns[i]);
        auto replacement = written_signature(fns[j]);
        if (original != replacement) {
            auto show = [&](std::vector<Type> const& sig) {
                std::string out = tname(sig[0]) + " (";
                for (size_t k = 1; k < sig.size(); ++k) out += (k > 1 ? ", " : "") + tname(sig[k]);
                return out + ")";
            };
            diags_.report(DiagKind::OverrideSignature, fns[j].loc, {fns[j].name, show(replacement), show(original)},
                          uint32_t(fns[j].name.size()));
            diags_.note(DiagKind::OverriddenHere, fns[i].loc, {fns[i].name});
            continue;
        }
        fns[i] = std::move(fns[j]);
        fns[i].is_override = false;
    }
    size_t out = 0;
    std::vector<uint32_t> new_index(fns.size(), UINT32_MAX);
    for (size_t k = 0; k < fns.size(); ++k) {
        if (erased[k]) continue;
        if (out != k) fns[out] = std::move(fns[k]);  // never self-move: it empties the strings
        new_index[k] = static_cast<uint32_t>(out++);
    }
    fns.resize(out);
    for (auto& p : module_.properties) p.function = new_index[p.function];
}

void Sema::apply_field_overrides() {
    for (auto& o : module_.field_overrides) {
        auto it = symbols_.values.find(o.instance);
        if (it == symbols_.values.end() || it->second.kind != ast::SymbolKind::Instance) {
            diags_.report(DiagKind::OverrideOfUndefined, o.loc, {o.instance + "." + o.field},
                          uint32_t(o.instance.size()));
            continue;
        }
        InstanceInfo& inst = symbols_.instances[it->second.index];
        StructInfo const& s = symbols_.structs[inst.struct_index];
        auto f = s.field_index.find(o.field);
        if (f == s.field_index.end()) {
            report_unknown_field(s, o.field, o.loc);
            continue;
        }
        Type ft = s.fields[f->second].type;
        begin_field_store(*o.value, ft);
        initializing_instance_ = it->second.index;
        constant_value(*o.value, ft, inst.field_init[f->second], "override of '" + o.instance + "." + o.field + "'");
        initializing_instance_ = kNoInstance;
        end_field_store(*o.value, ft, inst.struct_index, f->second, it->second.index);
    }
}

void Sema::check_kernel_annotation(ast::Annotation const& a, KernelRef& out) {
    bool ok = a.args.size() == 3 && std::all_of(a.args.begin(), a.args.end(), [](auto const& x) { return x.is_string; });
    if (!ok) {
        diags_.report(DiagKind::AnnotationArguments, a.loc, {a.name, "three strings: file, symbol, kernel version"});
        return;
    }
    out = {a.args[0].text, a.args[1].text, a.args[2].text};
}

void Sema::check_guard_annotation(ast::Annotation const& a, StructInfo& s, FieldInfo& field) {
    if (a.args.size() != 1 || a.args[0].is_string) {
        diags_.report(DiagKind::AnnotationArguments, a.loc, {a.name, "one lock: a lock field of the same struct or a global lock"});
        return;
    }
    std::string const& lock = a.args[0].text;
    if (auto f = s.field_index.find(lock); f != s.field_index.end() && s.fields[f->second].type.is_lock()) {
        field.guard = {GuardInfo::Kind::SiblingField, f->second};
        return;
    }
    auto g = symbols_.values.find(lock);
    if (g != symbols_.values.end() && g->second.kind == ast::SymbolKind::Global && g->second.type.is_lock()) {
        field.guard = {GuardInfo::Kind::Global, g->second.index};
        return;
    }
    diags_.report(DiagKind::GuardNotALock, a.args[0].loc, {lock, s.name}, uint32_t(lock.size()));
}

void Sema::check_lockdep_class(ast::Annotation const& a, LockdepInfo& out) {
    if (a.args.size() != 1 || !a.args[0].is_string || a.args[0].text.empty()) {
        diags_.report(DiagKind::AnnotationArguments, a.loc, {a.name, "one string: the lock class key's name"});
        return;
    }
    out.key = a.args[0].text;
}

void Sema::check_lockdep_annotation(ast::Annotation const& a, FieldInfo& field) {
    if (!field.type.is_lock()) {
        diags_.report(DiagKind::AnnotationMisplaced, a.loc, {a.name, "locks"});
        return;
    }
    if (a.name == "lockdep_class") return check_lockdep_class(a, field.lockdep);
    if (!a.args.empty()) diags_.report(DiagKind::AnnotationArguments, a.loc, {a.name, "no arguments"});
    field.lockdep.novalidate = true;
}

void Sema::check_annotations() {
    symbols_.kernel_refs.assign(module_.functions.size(), {});
    for (size_t i = 0; i < module_.functions.size(); ++i) {
        for (auto const& a : module_.functions[i].annotations) {
            if (a.name == "kernel") check_kernel_annotation(a, symbols_.kernel_refs[i]);
            else if (a.name == "guarded_by") diags_.report(DiagKind::AnnotationMisplaced, a.loc, {a.name, "struct fields"});
            else diags_.report(DiagKind::UnknownAnnotation, a.loc, {a.name}, uint32_t(a.name.size()));
        }
    }
    for (auto const& g : module_.globals) {
        bool instance = g.type.resolved.kind == TypeKind::Object;
        for (auto const& a : g.annotations) {
            if (a.name == "freeable" && instance) continue;
            if (a.name == "lockdep_class" && g.type.resolved.is_lock()) {
                auto it = symbols_.values.find(g.name);
                if (it != symbols_.values.end() && it->second.kind == ast::SymbolKind::Global)
                    check_lockdep_class(a, symbols_.globals[it->second.index].lockdep);
                continue;
            }
            if (a.name == "lockdep_class" || a.name == "novalidate")
                diags_.report(DiagKind::AnnotationMisplaced, a.loc,
                              {a.name, a.name == "novalidate" ? "lock fields of structs" : "locks"});
            else if (a.name == "freeable") diags_.report(DiagKind::AnnotationMisplaced, a.loc, {a.name, "named instances"});
            else if (a.name == "kernel") diags_.report(DiagKind::AnnotationMisplaced, a.loc, {a.name, "functions"});
            else if (a.name == "guarded_by" || a.name == "racy")
                diags_.report(DiagKind::AnnotationMisplaced, a.loc, {a.name, "struct fields"});
            else diags_.report(DiagKind::UnknownAnnotation, a.loc, {a.name}, uint32_t(a.name.size()));
        }
    }
    for (auto const& decl : module_.structs) {
        auto it = symbols_.struct_index.find(decl.name);
        if (it == symbols_.struct_index.end()) continue;
        StructInfo& s = symbols_.structs[it->second];
        for (auto const& f : decl.fields) {
            auto fi = s.field_index.find(f.name);
            for (auto const& a : f.annotations) {
                if (a.name == "guarded_by" && fi != s.field_index.end()) check_guard_annotation(a, s, s.fields[fi->second]);
                else if (a.name == "racy" && fi != s.field_index.end()) s.fields[fi->second].guard.kind = GuardInfo::Kind::Racy;
                else if ((a.name == "novalidate" || a.name == "lockdep_class") && fi != s.field_index.end())
                    check_lockdep_annotation(a, s.fields[fi->second]);
                else if (a.name == "kernel") diags_.report(DiagKind::AnnotationMisplaced, a.loc, {a.name, "functions"});
                else if (a.name != "guarded_by" && a.name != "racy" && a.name != "novalidate" && a.name != "lockdep_class")
                    diags_.report(DiagKind::UnknownAnnotation, a.loc, {a.name}, uint32_t(a.name.size()));
            }
        }
    }
}

void Sema::collect_properties() {
    for (auto const& p : module_.properties) {
        if (p.function == UINT32_MAX) continue;
        std::string kind;
        for (auto const& a : p.annotations) {
            if (a.name != "kind") {
                diags_.report(DiagKind::UnknownAnnotation, a.loc, {a.name}, uint32_t(a.name.size()));
            } else if (a.args.size() != 1 || !a.args[0].is_string) {
                diags_.report(DiagKind::AnnotationArguments, a.loc, {a.name, "one string: a violation kind"});
            } else if (!properties::violation_from_id(a.args[0].text)) {
                diags_.report(DiagKind::UnknownViolationKind, a.args[0].loc,
                              {a.args[0].text, properties::all_violation_ids()});
            } else {
                kind = a.args[0].text;
            }
        }
        symbols_.properties.push_back({p.name, p.is_final, p.function, kind});
    }
}

// `expect at least violation` and plain `expect violation` lines disagree on whether other
// kinds may appear, so a model writes every violation line one way.
void Sema::check_expects() {
    ast::ExpectDecl const* exclusive = nullptr;
    ast::ExpectDecl const* open = nullptr;
    for (auto const& e : module_.expects) {
        bool verdict = e.what == "holds" || e.what == "incomplete";
        if (!verdict && !properties::violation_from_id(e.what)) {
            diags_.report(DiagKind::UnknownViolationKind, e.loc, {e.what, properties::all_violation_ids()},
                          uint32_t(e.what.size()));
            continue;
        }
        if (!verdict && e.at_least && !open) open = &e;
        if (!verdict && !e.at_least && !exclusive) exclusive = &e;
        if (e.times == 0 || e.times > 1000000)
            diags_.report(DiagKind::BadExpectCount, e.times_loc, {std::to_string(e.times)});
        symbols_.expects.kinds.push_back(e.what);
        symbols_.expects.at_least = symbols_.expects.at_least || e.at_least;
        if (e.times > 0) symbols_.expects.counts.emplace_back(e.what, static_cast<uint32_t>(e.times));
    }
    if (exclusive && open) {
        diags_.report(DiagKind::ExpectMixed, open->loc, {open->what}, uint32_t(open->what.size()));
        diags_.note(DiagKind::DeclaredHere, exclusive->loc, {"expect violation " + exclusive->what});
    }
}

}  // namespace probecheck::model::detail
