// Each profile's conventions, read in the tools' sources (shared/design/spc-spec.md §1-§4).

#include <cmath>

#include <qiscope/error.hpp>
#include <qiscope/spc/spec.hpp>

namespace qiscope::spc {

namespace {
/// d2 for moving ranges of two points, exactly: E|X1 - X2| / sigma = 2 / sqrt(pi).
const double exact_d2 = 2.0 / std::sqrt(std::acos(-1.0));
/// The tables' D4 for n = 2 (Nelson 1982 screens moving ranges at this multiple).
constexpr double table_d4 = 3.267;
}  // namespace

Options resolve(const Spec& spec) {
  Options o{};
  o.d4 = table_d4;
  o.shift_n = spec.rules == RuleSet::ihi ? 6 : 7;
  o.trend_n = spec.rules == RuleSet::ihi ? 5 : 7;
  o.freeze_ignored_with_parts = false;
  switch (spec.profile) {
    case Profile::qiscope:
      // The published method: sigma = mean MR / d2 with the exact d2; no screening (Wheeler,
      // Montgomery); MDC's 2023 two-of-three; repeated values neither add to nor break a trend
      // (IHI and NHS guidance).
      o.screen_mr = false;
      o.d2 = exact_d2;
      o.two_of_three = TwoOfThree::mdc2023;
      o.trend_ties_break = false;
      break;
    case Profile::qicharts2:
      // qicharts2 0.8.1 with the package attached: options(qic.screenedmr = TRUE), d2 = 1.128.
      o.screen_mr = true;
      o.d2 = 1.128;
      o.two_of_three = TwoOfThree::mdc2023;
      o.trend_ties_break = false;
      o.freeze_ignored_with_parts = true;
      break;
    case Profile::ptd:
      // NHSRplotthedots 0.2.2: limits at mean +/- 2.66 MR (so d2 = 3 / 2.66), screening on,
      // 7-point shift and trend, the pre-2023 two-of-three, ties break a trend.
      o.screen_mr = true;
      o.d2 = 3.0 / 2.66;
      o.shift_n = 7;
      o.trend_n = 7;
      o.two_of_three = TwoOfThree::legacy;
      o.trend_ties_break = true;
      break;
    case Profile::mdc_excel:
      // The Making Data Count spreadsheet: 2.66, no screening, the 2023 two-of-three.
      o.screen_mr = false;
      o.d2 = 3.0 / 2.66;
      o.shift_n = 7;
      o.trend_n = 7;
      o.two_of_three = TwoOfThree::mdc2023;
      o.trend_ties_break = true;
      break;
    case Profile::qcc:
      // qcc 2.7: xbar.one sigma = mean MR / 1.128, unscreened.
      o.screen_mr = false;
      o.d2 = 1.128;
      o.two_of_three = TwoOfThree::mdc2023;
      o.trend_ties_break = true;
      break;
  }
  if (spec.screen_mr) o.screen_mr = *spec.screen_mr;
  if (spec.d2) o.d2 = *spec.d2;
  if (spec.shift_n) o.shift_n = *spec.shift_n;
  if (spec.trend_n) o.trend_n = *spec.trend_n;
  if (spec.two_of_three) o.two_of_three = *spec.two_of_three;
  if (spec.trend_ties_break) o.trend_ties_break = *spec.trend_ties_break;
  if (!(o.d2 > 0) || o.d2 > max_magnitude)
    throw input_error("d2", -1, "range", "must be a positive number (the bias constant of moving ranges)");
  // A shift or trend of fewer than 2 points is no pattern (every point would be flagged).
  if (o.shift_n < 2) throw input_error("shift_n", -1, "range", "must be at least 2 points");
  if (o.trend_n < 2) throw input_error("trend_n", -1, "range", "must be at least 2 points");
  return o;
}

}  // namespace qiscope::spc
