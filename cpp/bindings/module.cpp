// The extension module qiscope._core: conversion only, no statistics.

#include <pybind11/pybind11.h>

#include <qiscope/version.hpp>

#include "register.hpp"

PYBIND11_MODULE(_core, m, pybind11::mod_gil_not_used()) {
  m.doc() = "qiscope's C++ core (private; use the qiscope package)";
  m.attr("__version__") = qiscope::version;
  qiscope::bindings::register_errors(m);
  auto spc = m.def_submodule("spc", "statistical process control");
  qiscope::bindings::register_spc(spc);
  auto funnel = m.def_submodule("funnel", "funnel plots for comparing units");
  qiscope::bindings::register_funnel(funnel);
  auto culture = m.def_submodule("culture", "safety-culture survey scoring");
  qiscope::bindings::register_culture(culture);
}
