#pragma once
// One-factor model of a correlation matrix by minimum residuals (unweighted least squares).

#include <Eigen/Dense>

namespace qiscope::culture::detail {

struct OneFactor {
  Eigen::VectorXd loadings;  ///< standardised, signed so that their sum is positive
  int iterations = 0;
  bool converged = false;
};

/// Minimises the sum of squared off-diagonal residuals R - lambda lambda' (Harman's minres,
/// psych::fa(fm = "minres") with one factor) by iterated principal axes: put the communalities
/// lambda^2 on the diagonal, take the leading eigenpair, repeat. A fixed point satisfies the
/// minres normal equations sum_{j != i} r_ij lambda_j = lambda_i sum_{j != i} lambda_j^2.
/// Starts from squared multiple correlations.
OneFactor one_factor_minres(const Eigen::MatrixXd& R);

}  // namespace qiscope::culture::detail
