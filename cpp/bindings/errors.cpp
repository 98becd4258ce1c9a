// qiscope::input_error becomes qiscope.InputError (a ValueError) with .column, .row and .rule.

#include <pybind11/pybind11.h>

#include <qiscope/error.hpp>

#include "register.hpp"

namespace qiscope::bindings {

void register_errors(py::module_& m) {
  (void)m;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const qiscope::input_error& e) {
      py::gil_scoped_acquire gil;
      py::object cls = py::module_::import("qiscope.errors").attr("InputError");
      py::object row = e.row() >= 0 ? py::object(py::int_(e.row())) : py::object(py::none());
      py::object err = cls(e.what(), py::arg("column") = e.field(), py::arg("row") = row,
                           py::arg("rule") = e.rule());
      PyErr_SetObject(cls.ptr(), err.ptr());
    }
  });
}

}  // namespace qiscope::bindings
