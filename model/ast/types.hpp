// Semantic types of the modelling language. A Type is a small value (kind + id), so the AST can
// carry the resolved type of every expression without allocation.
#pragma once

#include <cstdint>

namespace probecheck::model {

enum class TypeKind : uint8_t {
    Error,   ///< already diagnosed; suppresses follow-on errors
    Void,
    Int,
    Bool,
    Null,    ///< the literal NULL, convertible to any pointer
    Enum,    ///< id = enum index
    Ptr,     ///< nullable reference to a struct; id = struct index
    Object,  ///< a named struct instance (only `&` and `.` apply); id = struct index
    Mutex,
    Spinlock,
    Func,    ///< reference to a function; id = signature index; NULL allowed
    String,  ///< only as assert's message
};

/// A resolved type.
struct Type {
    TypeKind kind = TypeKind::Error;
    uint32_t id = 0;
    friend bool operator==(Type, Type) = default;
    [[nodiscard]] bool is_error() const { return kind == TypeKind::Error; }
    [[nodiscard]] bool is_scalar() const {
        return kind == TypeKind::Int || kind == TypeKind::Bool || kind == TypeKind::Enum ||
               kind == TypeKind::Ptr || kind == TypeKind::Null || kind == TypeKind::Func;
    }
    [[nodiscard]] bool is_lock() const { return kind == TypeKind::Mutex || kind == TypeKind::Spinlock; }
};

}  // namespace probecheck::model
