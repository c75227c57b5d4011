// binder_ref: a borrowed `void(Sink&)` callable, type-erased so that the code taking it is compiled
// once per backend rather than once per statement type.
#pragma once

#include <concepts>
#include <cstddef>
#include <memory>
#include <type_traits>

namespace crucible::backend {

// The SQL layer binds a statement's values by calling `binder(sink)`, and `sink(value)` once per
// parameter. Each statement type has its own binder; a backend function that took it as a template
// parameter would be instantiated (and optimised) again for every statement. A binder_ref holds a
// pointer to the binder and to one small function that calls it with the backend's concrete sink,
// so only that call is per statement. It does not own the binder: pass it down, do not keep it.
template <class Sink>
class binder_ref {
public:
    template <class F>
        requires(!std::same_as<std::remove_cvref_t<F>, binder_ref> && std::invocable<F&, Sink&>)
    binder_ref(F&& binder) noexcept  // NOLINT(bugprone-forwarding-reference-overload): a reference
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(binder)))),
          call_(&call<std::remove_reference_t<F>>) {}

    // A statement of the SQL layer, whose `bind(sink)` binds its values in placeholder order:
    // `binder_ref(&statement, &binder_ref::bind_statement<S>)`. Not a constructor template, so
    // that a statement type instantiates one function here (bind_statement), not three.
    using sink_type = Sink;
    using call_type = void (*)(void*, Sink&);
    binder_ref(const void* object, call_type call) noexcept : object_(const_cast<void*>(object)), call_(call) {}
    template <class S>
    static void bind_statement(void* object, Sink& sink) {
        static_cast<const S*>(object)->bind(sink);
    }

    void operator()(Sink& sink) const { call_(object_, sink); }

private:
    // Named function templates rather than a lambda: one function per binder type, where a lambda
    // adds its call operator and its conversion to a function pointer.
    template <class F>
    static void call(void* object, Sink& sink) {
        (*static_cast<F*>(object))(sink);
    }

    void* object_;
    call_type call_;
};

// A borrowed `void(std::size_t i, Sink&)`: binds the values of the i-th execution of a batch (one
// statement run once per item). Like binder_ref, it does not own what it calls.
template <class Sink>
class batch_binder_ref {
public:
    using sink_type = Sink;
    using call_type = void (*)(const void*, std::size_t, Sink&);
    batch_binder_ref(const void* object, call_type call) noexcept : object_(object), call_(call) {}

    template <class F>
        requires(!std::same_as<std::remove_cvref_t<F>, batch_binder_ref> && std::invocable<F&, std::size_t, Sink&>)
    batch_binder_ref(F&& binder) noexcept  // NOLINT(bugprone-forwarding-reference-overload): a reference
        : object_(std::addressof(binder)), call_(&call<std::remove_reference_t<F>>) {}

    void operator()(std::size_t i, Sink& sink) const { call_(object_, i, sink); }

private:
    template <class F>
    static void call(const void* object, std::size_t i, Sink& sink) {
        (*static_cast<F*>(const_cast<void*>(object)))(i, sink);
    }

    const void* object_;
    call_type call_;
};

}  // namespace crucible::backend
