#pragma once
// One registration function per topic; module.cpp calls them all.

#include <pybind11/pybind11.h>

namespace qiscope::bindings {
namespace py = pybind11;

void register_errors(py::module_& m);
void register_spc(py::module_& m);
void register_funnel(py::module_& m);
void register_culture(py::module_& m);
}  // namespace qiscope::bindings
