#pragma once
/// \file qiscope.hpp
/// Umbrella header: everything public in qiscope.

#include <qiscope/culture.hpp>
#include <qiscope/error.hpp>
#include <qiscope/io/json.hpp>
#include <qiscope/spc.hpp>
#include <qiscope/version.hpp>
