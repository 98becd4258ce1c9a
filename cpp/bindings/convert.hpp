#pragma once
// numpy <-> C++ conversion helpers for the bindings, and the one place where the GIL policy is
// written down: convert with the GIL held, release it around pure C++ work, wrap results after.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

namespace qiscope::bindings {

namespace py = pybind11;

/// A contiguous array of T converted from any array-like (None gives an empty array). The
/// array object is kept so that the span stays valid while the GIL is released.
template <class T>
struct Column {
  py::array_t<T, py::array::c_style | py::array::forcecast> array;
  std::span<const T> view;
};

template <class T>
Column<T> column(const py::object& obj, const char* name) {
  Column<T> c;
  if (obj.is_none()) return c;
  c.array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(obj);
  if (!c.array) throw py::type_error(std::string("column '") + name + "' cannot be read as numbers");
  if (c.array.ndim() != 1) throw py::value_error(std::string("column '") + name + "' must be one-dimensional");
  c.view = std::span<const T>(c.array.data(), static_cast<std::size_t>(c.array.size()));
  return c;
}

/// Moves a vector into a numpy array without copying its data.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(heap->size()), heap->data(), owner);
}

/// An enum vector as a numpy array of its underlying integer codes.
template <class E>
py::array_t<std::uint8_t> codes_to_numpy(const std::vector<E>& v) {
  std::vector<std::uint8_t> codes(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) codes[i] = static_cast<std::uint8_t>(v[i]);
  return to_numpy(std::move(codes));
}

}  // namespace qiscope::bindings
