// binder_ref: a borrowed `void(Sink&)` callable, type-erased so that the code taking it is compiled
// once per backend rather than once per statement type.
#pragma once

#include <concepts>
#include <memory>
#include <type_traits>

namespace crucible::backend {

// The SQL layer binds a statement's values by calling `binder(sink)`, and `sink(value)` once per
// parameter. Each statement type has its own binder; a backend function that took it as a template
// parameter would be instantiated (and optimised) again for every statement. A binder_ref holds a
// pointer to the binder and to one small function that calls it with the backend's concrete sink,
// so only that call is per statement. It does not own the binder: pass it down, do not keep it.
// Tag of the constructor that binds a statement object: `binder_ref(statement, binds_statement)`
// calls `statement.bind(sink)` without a lambda around it.
struct binds_statement_t {};
inline constexpr binds_statement_t binds_statement{};

template <class Sink>
class binder_ref {
public:
    template <class F>
        requires(!std::same_as<std::remove_cvref_t<F>, binder_ref> && std::invocable<F&, Sink&>)
    binder_ref(F&& binder) noexcept  // NOLINT(bugprone-forwarding-reference-overload): a reference
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(binder)))),
          call_(&call<std::remove_reference_t<F>>) {}

    // A statement of the SQL layer, whose `bind(sink)` binds its values in placeholder order.
    template <class S>
    binder_ref(const S& statement, binds_statement_t) noexcept
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(statement)))),
          call_(&bind_statement<S>) {}

    void operator()(Sink& sink) const { call_(object_, sink); }

private:
    // Named function templates rather than a lambda: one function per binder type, where a lambda
    // adds its call operator and its conversion to a function pointer.
    template <class F>
    static void call(void* object, Sink& sink) {
        (*static_cast<F*>(object))(sink);
    }
    template <class S>
    static void bind_statement(void* object, Sink& sink) {
        static_cast<const S*>(object)->bind(sink);
    }

    void* object_;
    void (*call_)(void*, Sink&);
};

}  // namespace crucible::backend
