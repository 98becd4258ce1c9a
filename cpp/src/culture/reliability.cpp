// Cronbach's alpha and friends as psych 2.2.9 computes them (culture-spec §3.4), and omega
// total from a one-factor minres model (§3.5).

#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

#include <qiscope/culture/reliability.hpp>
#include <qiscope/error.hpp>

#include "checks.hpp"
#include "factor.hpp"
#include "prepare.hpp"
#include "stats.hpp"

namespace qiscope::culture {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Covariances (n - 1 denominator) and correlations from the respondents who answered both
/// items of each pair, with means taken over those same respondents (R's
/// cov/cor(use = "pairwise.complete.obs")); with complete data these are the usual matrices.
struct PairwiseMoments {
  Eigen::MatrixXd cov, cor;
  Eigen::MatrixXi n;
};

PairwiseMoments pairwise_moments(const Eigen::MatrixXd& x) {
  const Eigen::Index k = x.cols();
  PairwiseMoments m{Eigen::MatrixXd::Constant(k, k, nan), Eigen::MatrixXd::Constant(k, k, nan),
                    Eigen::MatrixXi::Zero(k, k)};
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = a; b < k; ++b) {
      double sa = 0, sb = 0;
      int n = 0;
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (!std::isnan(x(i, a)) && !std::isnan(x(i, b))) {
          sa += x(i, a);
          sb += x(i, b);
          ++n;
        }
      m.n(a, b) = m.n(b, a) = n;
      if (n < 2) continue;
      const double ma = sa / n, mb = sb / n;
      double sab = 0, saa = 0, sbb = 0;
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (!std::isnan(x(i, a)) && !std::isnan(x(i, b))) {
          sab += (x(i, a) - ma) * (x(i, b) - mb);
          saa += (x(i, a) - ma) * (x(i, a) - ma);
          sbb += (x(i, b) - mb) * (x(i, b) - mb);
        }
      m.cov(a, b) = m.cov(b, a) = sab / (n - 1);
      m.cor(a, b) = m.cor(b, a) = (saa > 0 && sbb > 0) ? sab / std::sqrt(saa * sbb) : nan;
    }
  return m;
}

/// Raw alpha k/(k-1) (1 - tr C / 1'C1).
double raw_alpha(const Eigen::MatrixXd& c) {
  const double k = static_cast<double>(c.rows());
  return k / (k - 1) * (1 - c.trace() / c.sum());
}

/// Mean off-diagonal correlation and standardised alpha k r / (1 + (k - 1) r).
std::pair<double, double> average_r_and_std_alpha(const Eigen::MatrixXd& r) {
  const double k = static_cast<double>(r.rows());
  const double av = (r.sum() - r.trace()) / (k * (k - 1));
  return {av, k * av / (1 + (k - 1) * av)};
}

Eigen::MatrixXd drop(const Eigen::MatrixXd& m, Eigen::Index i) {
  const Eigen::Index k = m.rows();
  Eigen::MatrixXd out(k - 1, k - 1);
  for (Eigen::Index a = 0, ra = 0; a < k; ++a) {
    if (a == i) continue;
    for (Eigen::Index b = 0, rb = 0; b < k; ++b) {
      if (b == i) continue;
      out(ra, rb++) = m(a, b);
    }
    ++ra;
  }
  return out;
}

}  // namespace

Reliability reliability(const Responses& responses, const Instrument& inst, std::string_view measure,
                        const ReliabilityOptions& options) {
  const std::vector<std::size_t> items = measure_items(inst, measure);
  if (items.size() < 2)
    throw input_error("measure", -1, "too_few_items",
                      "'" + std::string(measure) + "' has one item; reliability needs a composite of two or more");
  const double z = detail::z_for(options.conf_level);
  const detail::Prepared p = detail::prepare(responses, inst, options.reverse_range);
  const auto k = static_cast<Eigen::Index>(items.size());

  Reliability out;
  out.measure = std::string(measure);
  out.missing = options.missing;
  out.missing_data = options.missing == MissingPolicy::pairwise
                         ? "pairwise: each covariance and correlation from the respondents who answered both "
                           "items, over every respondent with an answer in the composite (psych::alpha's "
                           "default); n_used and the Feldt interval count those respondents"
                         : "listwise: respondents who answered every item of the composite";
  out.n_items = k;
  out.conf_level = options.conf_level;
  out.min_n = detail::resolve_min_n(options.min_n, inst);
  for (auto j : items) out.items.item.push_back(inst.items[j].id);

  // Rows: scored respondents with an answer in the composite (pairwise) or all of it (listwise).
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < p.n_rows; ++i) {
    if (!p.included[i]) continue;
    int answered = 0;
    for (auto j : items) answered += p.answered(i, j) ? 1 : 0;
    if (options.missing == MissingPolicy::pairwise ? answered > 0 : answered == k) rows.push_back(i);
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), k);
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < items.size(); ++c)
      x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
          p.x(static_cast<Eigen::Index>(rows[r]), static_cast<Eigen::Index>(items[c]));
  out.n_used = static_cast<std::int64_t>(rows.size());

  const std::size_t nk = items.size();
  out.items.n_valid.assign(nk, 0);
  for (auto* col : {&out.items.mean, &out.items.sd, &out.items.alpha_if_deleted, &out.items.std_alpha_if_deleted,
                    &out.items.average_r_if_deleted, &out.items.r_drop, &out.items.loading})
    col->assign(nk, nan);
  for (double* v : {&out.alpha, &out.alpha_ci_low, &out.alpha_ci_high, &out.alpha_ase, &out.alpha_ase_ci_low,
                    &out.alpha_ase_ci_high, &out.std_alpha, &out.average_r, &out.omega, &out.omega_mcdonald})
    *v = nan;

  if (out.n_used < out.min_n) {
    out.suppressed = true;
    out.reason = Reason::below_min_n;
    out.notes.push_back("withheld: " + std::to_string(out.n_used) + " respondents, fewer than min_n = " +
                        std::to_string(out.min_n));
    return out;
  }
  out.checks = detail::polarity_checks(p, inst);
  std::erase_if(out.checks, [&](const PolarityCheck& c) { return c.composite != out.measure; });

  const PairwiseMoments m = pairwise_moments(x);
  for (Eigen::Index c = 0; c < k; ++c) {
    double sum = 0;
    int n = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (!std::isnan(x(i, c))) {
        sum += x(i, c);
        ++n;
      }
    const auto cc = static_cast<std::size_t>(c);
    out.items.n_valid[cc] = n;
    if (n > 0) out.items.mean[cc] = sum / n;
    out.items.sd[cc] = std::sqrt(m.cov(c, c));
  }
  if (!m.cov.allFinite() || !(m.cov.sum() > 0)) {
    out.notes.push_back("alpha needs every pair of items answered together by at least two respondents, "
                        "and answers that vary");
    return out;
  }
  const Eigen::MatrixXd& cov = m.cov;
  // psych::alpha standardises the (pairwise) covariance matrix itself: cov2cor(C). An item
  // nobody varied on has no correlations: the correlation-based statistics are then undefined.
  const bool all_vary = (cov.diagonal().array() > 0).all();
  if (!all_vary) out.notes.push_back("an item has no variance: standardised alpha, average r and omega are undefined");
  const Eigen::VectorXd inv_sd = cov.diagonal().cwiseSqrt().cwiseInverse();
  const Eigen::MatrixXd r = inv_sd.asDiagonal() * cov * inv_sd.asDiagonal();

  out.alpha = raw_alpha(cov);
  if (all_vary) std::tie(out.average_r, out.std_alpha) = average_r_and_std_alpha(r);
  const auto n_used = static_cast<double>(out.n_used);
  std::tie(out.alpha_ci_low, out.alpha_ci_high) =
      detail::feldt(out.alpha, n_used, static_cast<double>(k), options.conf_level);
  // Duhachek & Iacobucci (2004) asymptotic standard error, as psych's total$ase.
  {
    const double kk = static_cast<double>(k);
    const double total = cov.sum();
    const Eigen::MatrixXd c2 = cov * cov;
    const double q = (2 * kk * kk / ((kk - 1) * (kk - 1) * total * total * total)) *
                     (total * (c2.trace() + cov.trace() * cov.trace()) - 2 * cov.trace() * c2.sum());
    out.alpha_ase = std::sqrt(q / n_used);
    out.alpha_ase_ci_low = out.alpha - z * out.alpha_ase;
    out.alpha_ase_ci_high = out.alpha + z * out.alpha_ase;
  }
  for (Eigen::Index i = 0; i < k; ++i) {
    const auto ii = static_cast<std::size_t>(i);
    const Eigen::MatrixXd rest = drop(cov, i);
    // r.drop: (sum_{j != i} C_ij) / sqrt(C_ii 1'C_-i 1) - the item against the sum of the others.
    if (cov(i, i) > 0 && rest.sum() > 0)
      out.items.r_drop[ii] = (cov.col(i).sum() - cov(i, i)) / std::sqrt(cov(i, i) * rest.sum());
    if (k < 3) continue;  // alpha of a single remaining item is undefined
    if (rest.sum() > 0) out.items.alpha_if_deleted[ii] = raw_alpha(rest);
    if (all_vary)
      std::tie(out.items.average_r_if_deleted[ii], out.items.std_alpha_if_deleted[ii]) =
          average_r_and_std_alpha(drop(r, i));
  }
  if (k < 3) out.notes.push_back("alpha if item deleted needs three or more items");

  // Omega: psych::omega factors cor(x, use = "pairwise") (with complete cases: the same matrix).
  if (k < 3) {
    out.notes.push_back("omega needs three or more items (a one-factor model of two is not identified)");
  } else if (!all_vary || !m.cor.allFinite()) {
    out.notes.push_back("omega needs every pair of items answered together by respondents who vary");
  } else {
    Eigen::MatrixXd cor = m.cor;
    cor.diagonal().setOnes();
    const detail::OneFactor f = detail::one_factor_minres(cor);
    const Eigen::VectorXd psi = (1.0 - f.loadings.array().square()).matrix();
    const double sum_l = f.loadings.sum();
    out.omega = (cor.sum() - psi.sum()) / cor.sum();
    out.omega_mcdonald = sum_l * sum_l / (sum_l * sum_l + psi.sum());
    for (Eigen::Index i = 0; i < k; ++i) out.items.loading[static_cast<std::size_t>(i)] = f.loadings(i);
    out.heywood = (f.loadings.array().abs() >= 1.0 - 1e-9).any();
    if (out.heywood) out.notes.push_back("Heywood case: a loading reached 1; omega is not a stable estimate");
    if (!f.converged) out.notes.push_back("the one-factor fit did not converge; omega is approximate");
  }
  return out;
}

}  // namespace qiscope::culture
