// "Did you mean" notes after an unknown struct, field, name or function: the nearest
// declared spelling (sorted first, so the note does not depend on hash order).
#include <algorithm>

#include "model/diag/suggest.hpp"
#include "model/sema/sema_impl.hpp"

namespace probecheck::model::detail {

void Sema::note_nearest(std::string const& wanted, std::vector<std::string> candidates, char const* prefix) {
    std::sort(candidates.begin(), candidates.end());
    if (auto near = closest_match(wanted, candidates)) diags_.suggest(prefix + *near);
}

void Sema::report_unknown_struct(std::string const& name, SourceLoc loc, uint32_t length) {
    diags_.report(DiagKind::UnknownType, loc, {"struct " + name}, length);
    std::vector<std::string> names;
    for (auto const& [n, index] : symbols_.struct_index) names.push_back(n);
    note_nearest(name, std::move(names), "struct ");
}

void Sema::report_unknown_field(StructInfo const& s, std::string const& field, SourceLoc loc, uint32_t length) {
    diags_.report(DiagKind::UnknownField, loc, {s.name, field}, length);
    std::vector<std::string> names;
    for (auto const& f : s.fields) names.push_back(f.name);
    note_nearest(field, std::move(names));
}

void Sema::note_nearest_value(std::string const& name) {
    std::vector<std::string> names;
    for (auto const& scope : scopes_)
        for (auto const& [n, index] : scope) names.push_back(n);
    for (auto const& [n, sym] : symbols_.values) names.push_back(n);
    note_nearest(name, std::move(names));
}

void Sema::note_nearest_function(std::string const& name) {
    std::vector<std::string> names;
    for (auto const& [n, index] : function_index_) names.push_back(n);
    note_nearest(name, std::move(names));
}

}  // namespace probecheck::model::detail
