// What sema learns about a module, in the form the lowering needs: structs with field types,
// enums, globals, named instances, pools, function signatures and thread entry calls. Object
// references are encoded as `object index + 1` (0 is NULL); instances come first, in
// declaration order, so a constant `&gpu` is known before any layout is computed.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/ast/ast.hpp"
#include "properties/expect_spec.hpp"

namespace probecheck::model {

/// The lock a field is @guarded_by: a lock field of the same object, or a global lock.
struct GuardInfo {
    enum class Kind : uint8_t { None, SiblingField, Global, Racy } kind = Kind::None;
    uint32_t index = 0;  ///< field index or global index
};

/// How lockdep classifies a lock: by default one class per declaration ("device.lock"),
/// `@lockdep_class("key")` joins the class of that key (lockdep_set_class), and `@novalidate`
/// (lockdep_set_novalidate_class, as the driver core's dev->mutex) gives each object's lock
/// its own class, so only the order between particular objects is checked.
struct LockdepInfo {
    std::string key;  ///< @lockdep_class; "" for the declaration's own class
    bool novalidate = false;
};

struct FieldInfo {
    std::string name;
    Type type;
    SourceLoc loc;
    GuardInfo guard;
    LockdepInfo lockdep;
};

/// An indirect call: its signature and, for a call through a struct field
/// (`ops->probe_device(dev)`), that field; `structure` is UINT32_MAX for any other callee.
struct IndirectCall {
    uint32_t signature = 0;
    uint32_t structure = UINT32_MAX;
    uint32_t field = 0;
};

/// @kernel("file", "symbol", "version"): what a function encodes.
struct KernelRef {
    std::string file, symbol, version;
};

struct StructInfo {
    std::string name;
    SourceLoc loc;
    std::vector<FieldInfo> fields;
    std::unordered_map<std::string, uint32_t> field_index;
    uint32_t pool_size = 0;  ///< 0: kzalloc not allowed
    SourceLoc pool_loc;      ///< the pool declaration that set pool_size
};

struct EnumInfo {
    std::string name;
    std::vector<std::string> enumerators;
    SourceLoc loc;
};

/// A global scalar or global mutex.
struct GlobalInfo {
    std::string name;
    Type type;
    int64_t init = 0;
    SourceLoc loc;
    LockdepInfo lockdep;
};

struct InstanceInfo {
    std::string name;
    uint32_t struct_index = 0;
    std::vector<int64_t> field_init;  ///< one per field
    SourceLoc loc;
    bool freeable = false;            ///< `@freeable`: kfree may free it, as a pool object
};

struct ThreadInfo {
    std::string name;
    uint32_t function = 0;
    std::vector<int64_t> args;
    SourceLoc loc;
};

/// Entry of the value namespace.
struct ValueSymbol {
    ast::SymbolKind kind = ast::SymbolKind::Unresolved;
    uint32_t index = 0;
    Type type;
    int64_t value = 0;  ///< Constant
    SourceLoc loc;
};

struct SymbolTable {
    std::vector<StructInfo> structs;
    std::vector<EnumInfo> enums;
    std::vector<GlobalInfo> globals;
    std::vector<InstanceInfo> instances;
    std::vector<ThreadInfo> threads;
    std::vector<KernelRef> kernel_refs;   ///< per function (empty strings: none)
    properties::ExpectSpec expects;       ///< the `expect` lines
    std::vector<uint32_t> spawn_targets;  ///< functions started by `spawn` (may repeat)
    struct Property {
        std::string name;
        bool is_final = false;
        uint32_t function = 0;  ///< the synthetic bool function evaluating it
        std::string kind;       ///< from @kind(...): "" for the default invariant/final
    };
    std::vector<Property> properties;
    uint32_t thread_pool = 0;             ///< `pool thread[N];`: slots for spawned work items
    std::unordered_map<std::string, uint32_t> struct_index;
    std::unordered_map<std::string, uint32_t> enum_index;
    std::unordered_map<std::string, ValueSymbol> values;
    /// Function reference types: return type, then parameter types; interned, so equal
    /// signatures have equal ids.
    std::vector<std::vector<Type>> signatures;
    /// Signature id of every function.
    std::vector<uint32_t> function_signature;
    /// Functions used as values (stored in ops tables, passed as references): the only
    /// possible targets of an indirect call.
    std::vector<bool> address_taken;
    /// Functions whose reference goes anywhere but straight into a struct field (a local, an
    /// argument, a global): an indirect call through any reference may reach them.
    std::vector<bool> escapes;
    /// A function stored into a field by name: into a named instance (its initialiser,
    /// `override inst.f = g;`, `inst.f = g;`) or, kNoInstance, through a pointer.
    struct FieldStore {
        static constexpr uint32_t kNoInstance = UINT32_MAX;
        uint32_t function = 0;
        uint32_t instance = kNoInstance;
    };
    /// For each (struct, field) of function type: the functions stored into it by name.
    std::map<std::pair<uint32_t, uint32_t>, std::vector<FieldStore>> field_functions;
    /// Named instances a pointer can reach: named (other than in a `==`/`!=` comparison) by a
    /// thread, a global, a reachable function or a reachable instance's initialiser, or of a
    /// struct some `for each` walks. An ops table a scenario never hands out adds no targets
    /// to calls through its fields, nor does the driver it belongs to.
    std::vector<bool> instance_reachable;
    std::set<uint32_t> iterated_structs;  ///< structs some `for each` walks
    /// Fields that also receive a function reference that is not a function's name (another
    /// field, a local): a call through them may reach any function of the signature.
    std::set<std::pair<uint32_t, uint32_t>> open_fields;
    /// For each function: its indirect calls (resolved into `callees` later).
    std::vector<std::vector<IndirectCall>> indirect_calls;
    /// For each function: the functions it may call, directly or through a reference
    /// (sorted, unique).
    std::vector<std::vector<uint32_t>> callees;
    /// Functions a thread, a spawned work item or a property can reach; the others are not
    /// lowered, so no analysis sees their accesses.
    std::vector<bool> function_reachable;
    /// Deepest call chain below each function, counting the function itself.
    std::vector<uint32_t> call_height;
    uint32_t max_recursion = 2;  ///< occurrences of one function per call chain (SemaOptions)
};

/// "int", "struct device *", "enum state", "int (*)(struct device *)", ...
[[nodiscard]] std::string type_name(Type t, SymbolTable const& symbols);
/// Id of the signature (return type, then parameter types), adding it if new.
uint32_t intern_signature(SymbolTable& symbols, std::vector<Type> const& signature);

}  // namespace probecheck::model
