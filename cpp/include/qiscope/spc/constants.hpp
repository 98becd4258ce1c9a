#pragma once
/// \file constants.hpp
/// Control-chart constants for subgroups of n normal observations, computed exactly rather than
/// read from rounded tables (Montgomery, Introduction to Statistical Quality Control, App. VI).
/// Every function returns NaN for n <= 1, where the constant is undefined.

namespace qiscope::spc {

/// c4(n) = E[s] / sigma = sqrt(2 / (n - 1)) * Gamma(n / 2) / Gamma((n - 1) / 2).
double c4(double n);

/// c5(n) = sd(s) / sigma = sqrt(1 - c4(n)^2).
double c5(double n);

/// Xbar-chart limit factor on s-bar: k / (c4(n) * sqrt(n)), for k-sigma limits (A3 with k = 3).
double a3(double n, double k = 3.0);

/// S-chart lower limit factor: max(0, 1 - k * c5(n) / c4(n)) (B3 with k = 3).
double b3(double n, double k = 3.0);

/// S-chart upper limit factor: 1 + k * c5(n) / c4(n) (B4 with k = 3).
double b4(double n, double k = 3.0);

/// d2(n) = E[R] / sigma as qcc tabulates it (`exp.R.unscaled`, 3 decimals, n = 2..25); NaN
/// outside that range. Only the qcc profile uses it, to reproduce qcc to the last digit.
double d2_qcc_table(int n);

/// d3(n) = sd(R) / sigma as qcc tabulates it (`se.R.unscaled`, 7 decimals, n = 2..50); NaN
/// outside that range. Used by qcc's MVLUE-R weights (d2 / d3)^2.
double d3_qcc_table(int n);

}  // namespace qiscope::spc
