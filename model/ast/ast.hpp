// The AST: a closed set of node kinds produced by the parser and annotated in place by sema
// (resolved symbols and types). The lowering reads only annotated trees of a module without
// errors, so every `resolved` field it uses is valid there.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/ast/types.hpp"
#include "model/source/source_manager.hpp"

namespace probecheck::model::ast {

/// A written type: `int`, `bool`, `mutex`, `spinlock`, `void`, `enum E`/`E`, `struct S`,
/// `struct S *`, or a function reference `RET (*name)(PARAMS)` (FuncPtr).
struct TypeRef {
    enum class Kind : uint8_t { Int, Bool, Void, Mutex, Spinlock, Named, Struct, StructPtr, FuncPtr } kind = Kind::Int;
    std::string name;  ///< enum or struct name for Named/Struct/StructPtr
    SourceLoc loc;
    std::vector<TypeRef> signature;  ///< FuncPtr: return type, then parameter types
    Type resolved;  ///< filled by sema
};

enum class ExprKind : uint8_t {
    IntLit, BoolLit, NullLit, StringLit, Name, Unary, Binary, Member, AddrOf, Call, Kzalloc,
    CallIndirect,  ///< args[0] is the callee (a function reference), args[1..] the arguments
};

/// What a Name or Call resolved to.
enum class SymbolKind : uint8_t {
    Unresolved, Local, Global, Instance, Constant, Function, Builtin
};

enum class Builtin : uint8_t {
    None, Lock, Unlock, Trylock, Assert, LockdepAssertHeld, LockdepAssertNotHeld, Kfree, MightSleep, MayDefer,
    WarnOn,   ///< WARN_ON(cond), WARN_ON_ONCE(cond), WARN(cond, "msg"): the condition's value
    DevWarn,  ///< dev_WARN(dev, "msg")
};

struct Expr {
    ExprKind kind;
    SourceLoc loc;
    uint32_t length = 1;       ///< bytes covered, for diagnostics' underline
    int64_t int_value = 0;     ///< IntLit/BoolLit; Constant value after sema
    std::string text;          ///< Name/Member field/Call callee/StringLit contents/Kzalloc struct
    std::string op;            ///< Unary/Binary operator spelling
    bool arrow = false;        ///< Member: '->' (true) or '.'
    std::vector<std::unique_ptr<Expr>> args;  ///< operands, Member base, call arguments
    // sema annotations
    Type type;
    SymbolKind symbol = SymbolKind::Unresolved;
    uint32_t symbol_index = 0;  ///< local/global/instance/function/field index
    Builtin builtin = Builtin::None;
};
using ExprPtr = std::unique_ptr<Expr>;

enum class StmtKind : uint8_t {
    Block, VarDecl, Expr, Assign, If, While, Return, Break, Continue,
    Choose,   ///< body: one block per alternative
    ForEach,  ///< `for each NAME in STRUCT [where expr] body`: name, var_type.name, expr (filter)
    Atomic,   ///< `atomic { }`: body[0] runs as one step
    Await,    ///< `await(expr);`: blocks until expr holds, then continues in the same step
    Spawn,    ///< `spawn f(args);`: expr is the call; starts it on a free work-item thread
};

struct Stmt {
    StmtKind kind;
    SourceLoc loc;
    std::vector<std::unique_ptr<Stmt>> body;  ///< Block statements; If: then[, else]; While: body
    ExprPtr expr;        ///< Expr/Return value/If,While condition/VarDecl initializer/Assign rhs
    ExprPtr target;      ///< Assign lhs
    std::string op;      ///< Assign: "=", "+=", "-="
    TypeRef var_type;    ///< VarDecl
    std::string name;    ///< VarDecl
    uint32_t end_offset = 0;   ///< byte after the last token, in loc's file: what a patch anchor reads
    uint32_t local_index = 0;  ///< VarDecl and ForEach variable, after sema
    uint32_t counter_index = 0;  ///< ForEach: hidden position local, after sema
    uint32_t struct_index = 0;   ///< ForEach: struct iterated, after sema
};
using StmtPtr = std::unique_ptr<Stmt>;

/// `@name(arg, ...)`: arguments are string literals or identifiers.
struct Annotation {
    struct Arg {
        bool is_string = false;
        std::string text;
        SourceLoc loc;
    };
    std::string name;
    SourceLoc loc;
    std::vector<Arg> args;
};

struct FieldDecl {
    TypeRef type;
    std::string name;
    SourceLoc loc;
    std::vector<Annotation> annotations;  ///< @guarded_by(L)
};

struct StructDecl {
    std::string name;
    SourceLoc loc;
    std::vector<FieldDecl> fields;
    bool is_extension = false;  ///< `extend struct S { ... }`: fields appended to an earlier S
};

struct EnumDecl {
    std::string name;
    SourceLoc loc;
    std::vector<std::pair<std::string, SourceLoc>> enumerators;
};

struct PoolDecl {
    bool is_thread = false;  ///< `pool thread[N];`
    std::string struct_name;
    SourceLoc loc;
    int64_t size = 0;
    uint32_t struct_index = 0;
    bool is_override = false;  ///< `override pool struct S[N];`: resizes an imported pool
};

/// A global variable, global mutex, or named struct instance (`struct device gpu;`).
struct GlobalDecl {
    TypeRef type;
    std::string name;
    SourceLoc loc;
    ExprPtr init;  ///< scalar globals only
    /// Instance field initializers: `= { .field = const, ... }`.
    std::vector<std::pair<std::string, ExprPtr>> field_inits;
    std::vector<Annotation> annotations;  ///< `@freeable` on a named instance
};

struct Param {
    TypeRef type;
    std::string name;
    SourceLoc loc;
};

struct FuncDecl {
    TypeRef ret;
    std::string name;
    SourceLoc loc;
    std::vector<Param> params;
    StmtPtr body;
    std::vector<Annotation> annotations;  ///< @kernel("file", "symbol", "version")
    bool is_override = false;             ///< `override RET NAME(...)`: replaces an imported definition
    std::string patched_by;               ///< "file:line" of each patch applied to it, comma-separated
    // sema annotations
    std::vector<Type> local_types;  ///< params first, then every VarDecl in order
    std::vector<std::string> local_names;
};

struct ThreadDecl {
    std::string name;
    SourceLoc loc;
    ExprPtr call;
};

/// `expect holds;`, `expect incomplete;` or `expect violation KIND;`.
struct ExpectDecl {
    std::string what;  ///< "holds", "incomplete" or a violation kind id
    SourceLoc loc;
    bool at_least = false;  ///< `expect at least violation K;`
    int64_t times = -1;     ///< `expect violation K times N;` (-1: one or more)
    SourceLoc times_loc;
};

/// `override instance.field = value;`: replaces one initialiser (an ops-table entry).
struct FieldOverride {
    std::string instance;
    std::string field;
    SourceLoc loc;
    ExprPtr value;
};

/// `invariant NAME { expr }` (checked on every state) or `final NAME { expr }` (on states
/// where every thread has finished). The parser turns the expression into the body of a
/// synthetic bool function, so sema and lowering treat it like any other code.
struct PropertyDecl {
    bool is_final = false;
    std::string name;
    SourceLoc loc;
    uint32_t function = 0;  ///< index of the synthetic function in Module::functions
    std::vector<Annotation> annotations;  ///< @kind("group_split"): the violation kind it reports
};

/// `must_share_group(a, b);`: two named devices that the hardware topology puts in one IOMMU
/// group (PCI aliases, devices behind one non-ACS bridge).
struct TopologyEdge {
    std::string a, b;
    SourceLoc loc;
};

/// One hunk of a `patch`: the statements it is anchored on, quoted as in the source, and
/// what it does there.
struct PatchClause {
    enum class Kind : uint8_t { Before, After, Replace, Delete } kind = Kind::Before;
    std::string anchor;  ///< the quoted statements, as written
    SourceLoc loc;       ///< the anchor's string literal
    uint32_t length = 1;
    StmtPtr body;        ///< Block of the statements to insert; null for Delete
};

/// `patch NAME { before "stmt;" { ... } after "..." { ... } replace "..." { ... } delete "..."; }`:
/// changes part of the latest earlier definition of NAME, hunk by hunk in order.
struct PatchDecl {
    std::string function;
    SourceLoc loc;
    uint32_t position = 0;  ///< functions of the module declared before it
    std::vector<PatchClause> clauses;
};

/// `import "linux/v6.15";`
struct ImportDecl {
    std::string path;
    SourceLoc loc;
};

/// The declarations of a model: the scenario file and everything it imports, imports first.
struct Module {
    FileId main_file;  ///< where module-level diagnostics (no threads, ...) point
    std::vector<StructDecl> structs;
    std::vector<EnumDecl> enums;
    std::vector<PoolDecl> pools;
    std::vector<GlobalDecl> globals;
    std::vector<FuncDecl> functions;
    std::vector<ThreadDecl> threads;
    std::vector<ExpectDecl> expects;
    std::vector<PropertyDecl> properties;
    std::vector<TopologyEdge> topology;
    std::vector<FieldOverride> field_overrides;
    std::vector<PatchDecl> patches;
    std::vector<ImportDecl> imports;  ///< of the file just parsed; the front end resolves them
};

}  // namespace probecheck::model::ast
