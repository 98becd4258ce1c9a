#include <cmath>

#include "factor.hpp"

namespace qiscope::culture::detail {

OneFactor one_factor_minres(const Eigen::MatrixXd& R) {
  const Eigen::Index k = R.rows();
  Eigen::VectorXd h(k);
  // Squared multiple correlations 1 - 1/diag(R^-1); when R is singular, the largest absolute
  // correlation of each item (a common fallback start).
  Eigen::FullPivLU<Eigen::MatrixXd> lu(R);
  if (lu.isInvertible()) {
    h = (1.0 - lu.inverse().diagonal().array().inverse()).matrix();
  } else {
    for (Eigen::Index i = 0; i < k; ++i) {
      double best = 0;
      for (Eigen::Index j = 0; j < k; ++j)
        if (i != j) best = std::max(best, std::abs(R(i, j)));
      h(i) = best;
    }
  }
  OneFactor out;
  Eigen::VectorXd lambda = h.cwiseSqrt();
  for (int it = 1; it <= 100000; ++it) {
    Eigen::MatrixXd reduced = R;
    reduced.diagonal() = h;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(reduced);
    const double value = eig.eigenvalues()(k - 1);
    lambda = std::sqrt(std::max(value, 0.0)) * eig.eigenvectors().col(k - 1);
    const Eigen::VectorXd next = lambda.cwiseAbs2();
    const double step = (next - h).cwiseAbs().maxCoeff();
    h = next;
    out.iterations = it;
    if (step < 1e-13) {
      out.converged = true;
      break;
    }
  }
  if (lambda.sum() < 0) lambda = -lambda;
  out.loadings = lambda;
  return out;
}

}  // namespace qiscope::culture::detail
