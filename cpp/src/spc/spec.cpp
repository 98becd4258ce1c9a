// Each rule set's published definition and each profile's conventions, read in the tools'
// sources (shared/design/spc-spec.md §1-§5). resolve() applies them in that order, then the
// options the user set explicitly.

#include <cmath>
#include <string>

#include <qiscope/error.hpp>
#include <qiscope/spc/spec.hpp>

namespace qiscope::spc {

namespace {
/// d2 for moving ranges of two points, exactly: E|X1 - X2| / sigma = 2 / sqrt(pi).
const double exact_d2 = 2.0 / std::sqrt(std::acos(-1.0));
/// The tables' D4 for n = 2 (Nelson 1982 screens moving ranges at this multiple).
constexpr double table_d4 = 3.267;

constexpr std::uint32_t rules_1_to(int last) { return (1u << last) - 1u; }

/// The rule sets as published (spc-spec.md §5): run lengths, what a point on the centre line
/// and a repeated value do to a run or a trend, and which numbered rules apply.
void rule_set_defaults(Options& o, RuleSet rules) {
  o.shift_n = 7;
  o.trend_n = 7;
  o.on_cl_breaks = true;
  o.trend_ties_break = true;
  o.rule_mask = 0;
  switch (rules) {
    case RuleSet::anhoej:
      // Points on the centre line are dropped from the runs analysis (Anhøj & Olesen 2014).
      o.on_cl_breaks = false;
      break;
    case RuleSet::ihi:
      // Provost & Murray (2011): shift 6, trend 5; points on the median and repeated values
      // neither count nor break.
      o.shift_n = 6;
      o.trend_n = 5;
      o.on_cl_breaks = false;
      o.trend_ties_break = false;
      break;
    case RuleSet::mdc:
      // NHS Making Data Count: 7-point shift and trend; a point on the mean is on neither side,
      // so it ends a shift; NHS guidance: repeated values neither add to nor cancel a trend.
      o.trend_ties_break = false;
      break;
    case RuleSet::western_electric:
      // Western Electric (1956): rule 4 is 8 successive points on one side.
      o.shift_n = 8;
      o.trend_n = 6;
      o.rule_mask = rules_1_to(4);
      break;
    case RuleSet::nelson:
      // Nelson (1984): rule 2 is 9 in a row on one side, rule 3 six points steadily
      // increasing or decreasing (a repeated value is neither).
      o.shift_n = 9;
      o.trend_n = 6;
      o.rule_mask = rules_1_to(8);
      break;
  }
}

void check_rule_numbers(const Spec& spec) {
  if (spec.rule_numbers.empty()) return;
  int last = 0;
  if (spec.rules == RuleSet::western_electric) last = 4;
  if (spec.rules == RuleSet::nelson) last = 8;
  if (last == 0)
    throw input_error("rule_numbers", -1, "rule_set",
                      "numbered rules apply to the 'western_electric' and 'nelson' rule sets, not '" +
                          std::string(to_string(spec.rules)) + "'");
  for (int k : spec.rule_numbers)
    if (k < 1 || k > last)
      throw input_error("rule_numbers", -1, "range",
                        "rule " + std::to_string(k) + " does not exist; the '" +
                            std::string(to_string(spec.rules)) + "' rules are numbered 1 to " +
                            std::to_string(last));
}
/// Rules that need the 1- and 2-sigma zones; the zones come from the 3-sigma limits, which
/// probability limits replace (rules.cpp, patterns.cpp).
bool uses_sigma_zones(const Spec& spec, const Options& o) {
  switch (spec.rules) {
    case RuleSet::mdc: return true;  // two of three beyond 2 sigma
    case RuleSet::western_electric: return (o.rule_mask & 0b110u) != 0;  // rules 2 and 3
    case RuleSet::nelson: return (o.rule_mask & 0b11110000u) != 0;      // rules 5 to 8
    default: return false;
  }
}

/// qcc's confidence.level: a probability in (0, 1), for the charts qcc 2.7 defines probability
/// limits for (limits.xbar, limits.xbar.one, limits.S, limits.p, limits.np, limits.c,
/// limits.u, limits.g), with qcc's own sigma and centre (profile qcc), and no rule that needs
/// the sigma zones the probability limits no longer define.
void check_confidence_level(const Spec& spec, const Options& o) {
  if (!spec.confidence_level) return;
  const double level = *spec.confidence_level;
  if (!(level > 0 && level < 1))
    throw input_error("confidence_level", -1, "range", "must be a probability strictly between 0 and 1");
  // The upper limit is the quantile of 1 - (1 - level) / 2 (qcc); a level so close to 1 that
  // this rounds to 1 in double precision has no finite limit (found by fuzz_engine: 1 - 1e-16).
  if (!(1 - (1 - level) / 2 < 1))
    throw input_error("confidence_level", -1, "range",
                      "is too close to 1: its limits would be infinite (use a level of at most 1 - 1e-15)");
  const Chart c = spec.chart;
  const bool defined = c == Chart::xbar || c == Chart::i || c == Chart::s || c == Chart::p ||
                       c == Chart::np || c == Chart::c || c == Chart::u || c == Chart::g;
  if (!defined)
    throw input_error("confidence_level", -1, "not_applicable",
                      "qcc has no probability limits for the " + std::string(to_string(c)) +
                          " chart (only xbar, i, s, p, np, c, u and g)");
  if (spec.profile != Profile::qcc)
    throw input_error("confidence_level", -1, "profile",
                      "probability limits are qcc's, on qcc's centre and sigma: use profile='qcc'");
  if (uses_sigma_zones(spec, o))
    throw input_error("confidence_level", -1, "sigma_zones",
                      "the chosen rules use the 1- and 2-sigma zones, which probability limits do "
                      "not define (use the rules 1 and 4 of western_electric, or anhoej or ihi)");
}

/// A fixed centre line the chart's statistic cannot take would give limits of NaN (the square
/// root of a negative variance) on every point: a proportion outside [0, 1], a negative count
/// or rate. The centre line is on the plotted scale, so it is compared after dividing by multiply.
void check_fixed_cl(const Spec& spec) {
  if (!spec.cl || !(spec.multiply > 0)) return;  // multiply is checked with the numeric options
  const double cl = *spec.cl / spec.multiply;
  const bool proportion = spec.chart == Chart::p || spec.chart == Chart::pp;
  const bool count = spec.chart == Chart::c || spec.chart == Chart::u || spec.chart == Chart::up ||
                     spec.chart == Chart::g || spec.chart == Chart::t;
  if (proportion && !(cl >= 0 && cl <= 1))
    throw input_error("cl", -1, "range",
                      "a p chart's centre line is a proportion: cl / multiply must be in [0, 1] (it is " +
                          std::to_string(cl) + ")");
  if (count && !(cl >= 0))
    throw input_error("cl", -1, "range",
                      "the centre line of a " + std::string(to_string(spec.chart)) +
                          " chart is a count or rate: it cannot be negative (it is " + std::to_string(cl) + ")");
}

}  // namespace

Options resolve(const Spec& spec) {
  check_rule_numbers(spec);
  // The Making Data Count, Western Electric and Nelson rules read the sigma limits a run chart
  // does not have (api.md: a run chart takes the Anhøj or the IHI rules).
  if (spec.chart == Chart::run && spec.rules != RuleSet::anhoej && spec.rules != RuleSet::ihi)
    throw input_error("rules", -1, "needs_limits",
                      "the '" + std::string(to_string(spec.rules)) +
                          "' rules need control limits, which a run chart has not; use 'anhoej' or "
                          "'ihi', or a control chart such as 'i'");
  if (spec.shift_n && *spec.shift_n < 2)
    throw input_error("shift_n", -1, "range", "a run on one side needs at least 2 points");
  if (spec.trend_n && *spec.trend_n < 3)
    throw input_error("trend_n", -1, "range", "a trend needs at least 3 points");
  check_fixed_cl(spec);

  Options o{};
  o.d4 = table_d4;
  o.freeze_ignored_with_parts = false;
  o.missing_breaks = false;
  o.flag_points = FlagPoints::pattern;
  o.ptd_trend_labels = false;
  rule_set_defaults(o, spec.rules);
  switch (spec.profile) {
    case Profile::qiscope:
      // The published method: sigma = mean MR / d2 with the exact d2; no screening (Wheeler,
      // Montgomery); MDC's 2023 two-of-three; ties and points on the centre line as the rule set
      // defines them.
      o.screen_mr = false;
      o.d2 = exact_d2;
      o.two_of_three = TwoOfThree::mdc2023;
      break;
    case Profile::qicharts2:
      // qicharts2 0.8.1 with the package attached: options(qic.screenedmr = TRUE), d2 = 1.128.
      o.screen_mr = true;
      o.d2 = 1.128;
      o.two_of_three = TwoOfThree::mdc2023;
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
      o.ptd_trend_labels = true;
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
      // qcc 2.7: xbar.one sigma = mean MR / 1.128, unscreened. Its rules are "beyond limits"
      // and a run of 7 on one side, flagged from the 7th point on; with the Western Electric
      // set that is rules 1 and 4 with a run of 7 (qcc 3.0's default is the same with 8).
      // An NA ends a run (rle), and so does a point on the centre.
      o.screen_mr = false;
      o.d2 = 1.128;
      o.two_of_three = TwoOfThree::mdc2023;
      o.trend_ties_break = true;
      o.missing_breaks = true;
      o.flag_points = FlagPoints::completing;
      if (spec.rules == RuleSet::western_electric) {
        o.rule_mask = (1u << 0) | (1u << 3);
        o.shift_n = 7;
      }
      break;
  }
  if (spec.screen_mr) o.screen_mr = *spec.screen_mr;
  if (spec.d2) o.d2 = *spec.d2;
  if (spec.shift_n) o.shift_n = *spec.shift_n;
  if (spec.trend_n) o.trend_n = *spec.trend_n;
  if (spec.two_of_three) o.two_of_three = *spec.two_of_three;
  o.runs_method = spec.runs_method;
  if (spec.trend_ties_break) o.trend_ties_break = *spec.trend_ties_break;
  if (spec.flag_points) o.flag_points = *spec.flag_points;
  if (!spec.rule_numbers.empty()) {
    o.rule_mask = 0;
    for (int k : spec.rule_numbers) o.rule_mask |= 1u << (k - 1);
  }
  check_confidence_level(spec, o);
  if (!(o.d2 > 0) || o.d2 > max_magnitude)
    throw input_error("d2", -1, "range", "must be a positive number (the bias constant of moving ranges)");
  // A shift or trend of fewer than 2 points is no pattern (every point would be flagged).
  if (o.shift_n < 2) throw input_error("shift_n", -1, "range", "must be at least 2 points");
  if (o.trend_n < 2) throw input_error("trend_n", -1, "range", "must be at least 2 points");
  return o;
}

}  // namespace qiscope::spc
