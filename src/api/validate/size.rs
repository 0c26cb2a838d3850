//! The `size` rule: a listed size, or a free `WxH` within a model's size rule.

use super::Checker;
use crate::api::catalog::{ModelSpec, SizeRule};
use crate::api::request::parse_size;

impl Checker {
    pub(super) fn size(&mut self, size: Option<&str>, spec: &ModelSpec) {
        let Some(size) = size else { return };
        if spec.sizes.iter().any(|s| s == size) {
            self.experimental(size, spec.size_rule.as_ref());
            return;
        }
        match (&spec.size_rule, parse_size(size)) {
            (Some(rule), Some(wh)) => match size_rule_break(rule, wh) {
                None => self.experimental(size, Some(rule)),
                Some(why) => self.fail(
                    "size",
                    format!("{size} is not allowed for {}: {why}", spec.name),
                ),
            },
            (Some(_), None) => self.fail("size", format!("{size:?} is not auto or WIDTHxHEIGHT")),
            (None, _) => self.fail(
                "size",
                format!(
                    "{size} is not one of {}'s sizes: {}",
                    spec.name,
                    spec.sizes.join(", ")
                ),
            ),
        }
    }

    pub(super) fn experimental(&mut self, size: &str, rule: Option<&SizeRule>) {
        let over = rule.and_then(|r| r.experimental_above_pixels);
        if let (Some(limit), Some((w, h))) = (over, parse_size(size))
            && u64::from(w) * u64::from(h) > limit
        {
            self.warnings.push(format!(
                "{size} is above {limit} pixels: experimental, results may vary"
            ));
        }
    }
}

/// Why `(w, h)` breaks a free-size rule, if it does.
fn size_rule_break(rule: &SizeRule, (w, h): (u32, u32)) -> Option<String> {
    let m = rule.multiple_of;
    let (long, short) = (w.max(h), w.min(h));
    if w % m != 0 || h % m != 0 {
        Some(format!("both sides must be multiples of {m}"))
    } else if f64::from(long) / f64::from(short) > rule.max_aspect {
        Some(format!(
            "the aspect ratio must be between 1:{0} and {0}:1",
            rule.max_aspect
        ))
    } else if long > rule.max_edge || u64::from(w) * u64::from(h) > rule.max_pixels {
        Some(format!(
            "at most {} pixels on the long side and {} pixels in all",
            rule.max_edge, rule.max_pixels
        ))
    } else {
        None
    }
}

/// Checks one size for one model, as typed: `Ok` carries a warning when the
/// size is allowed but experimental, `Err` the rule it breaks.
pub fn check_size(size: &str, spec: &ModelSpec) -> Result<Option<String>, String> {
    let mut check = Checker::default();
    check.size(Some(size), spec);
    match check.violations.into_iter().next() {
        Some(violation) => Err(violation.message),
        None => Ok(check.warnings.into_iter().next()),
    }
}
