// Hardware topology for the IOMMU group checks: `must_share_group(a, b)` edges between named
// devices. Devices that must share a group are the connected components of that graph
// (Boost.Graph); each instance of a struct with an `int iommu_topology` field gets its
// component's number there (1, 2, ... in declaration order), so checks written in the
// language (properties/iommu_groups.model) can compare expected and actual groups.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include "model/sema/sema_impl.hpp"

namespace probecheck::model::detail {
namespace {

constexpr char const* kTopologyField = "iommu_topology";

}  // namespace

void Sema::apply_topology() {
    // Vertices: every instance whose struct has the field, in declaration order.
    std::vector<uint32_t> instance_of_vertex;
    std::vector<uint32_t> vertex_of_instance(symbols_.instances.size(), UINT32_MAX);
    for (uint32_t i = 0; i < symbols_.instances.size(); ++i) {
        auto const& s = symbols_.structs[symbols_.instances[i].struct_index];
        auto f = s.field_index.find(kTopologyField);
        if (f == s.field_index.end() || s.fields[f->second].type.kind != TypeKind::Int) continue;
        vertex_of_instance[i] = static_cast<uint32_t>(instance_of_vertex.size());
        instance_of_vertex.push_back(i);
    }
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> graph(instance_of_vertex.size());
    for (auto const& e : module_.topology) {
        uint32_t ends[2];
        bool ok = true;
        for (int k = 0; k < 2 && ok; ++k) {
            std::string const& name = k == 0 ? e.a : e.b;
            auto it = symbols_.values.find(name);
            if (it == symbols_.values.end() || it->second.kind != ast::SymbolKind::Instance) {
                diags_.report(DiagKind::UnknownName, e.loc, {name});
                ok = false;
            } else if (vertex_of_instance[it->second.index] == UINT32_MAX) {
                auto const& s = symbols_.structs[symbols_.instances[it->second.index].struct_index];
                diags_.report(DiagKind::TopologyField, e.loc, {name, s.name});
                ok = false;
            } else {
                ends[k] = vertex_of_instance[it->second.index];
            }
        }
        if (ok) boost::add_edge(ends[0], ends[1], graph);
    }
    if (instance_of_vertex.empty()) return;
    std::vector<int> component(instance_of_vertex.size());
    boost::connected_components(graph, component.data());
    // Number components by their first member in declaration order: stable across runs.
    std::vector<int> number(instance_of_vertex.size(), 0);
    int next = 0;
    for (size_t v = 0; v < instance_of_vertex.size(); ++v) {
        if (number[component[v]] == 0) number[component[v]] = ++next;
        InstanceInfo& inst = symbols_.instances[instance_of_vertex[v]];
        inst.field_init[symbols_.structs[inst.struct_index].field_index.at(kTopologyField)] = number[component[v]];
    }
}

}  // namespace probecheck::model::detail
