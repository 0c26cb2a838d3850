//! Money in the model: the estimate of what Generate would send, and what
//! the gallery's images cost today and this month.

use jiff::civil::Date;

use crate::api::cost::{Estimate, estimate};
use crate::api::{Endpoint, ImageParams};
use crate::store::sidecar::SavedImage;

use super::Model;

/// Spending by day, from the costs recorded in sidecars.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CostTotals {
    pub today: f64,
    pub month: f64,
    /// Images made today (this month) whose cost is not known.
    pub unknown_today: usize,
    pub unknown_month: usize,
}

impl CostTotals {
    pub fn of<'a>(
        images: impl Iterator<Item = &'a SavedImage>,
        today: Date,
        tz: &jiff::tz::TimeZone,
    ) -> CostTotals {
        let mut totals = CostTotals::default();
        let month_start = today.first_of_month();
        for image in images {
            let day = tz.to_datetime(image.sidecar.created).date();
            // Newest first: everything after this is older still.
            if day < month_start {
                break;
            }
            let cost = image.sidecar.cost.map(|c| c.usd);
            match cost {
                Some(usd) => totals.month += usd,
                None => totals.unknown_month += 1,
            }
            if day == today {
                match cost {
                    Some(usd) => totals.today += usd,
                    None => totals.unknown_today += 1,
                }
            }
        }
        totals
    }
}

/// What Generate would cost now: the open edit, the sweep, or the prompt
/// with the parameters. `None` when some price is not known.
pub fn pending_estimate(model: &Model) -> Option<Estimate> {
    let catalog = &model.session.catalog;
    let mut params = model.params.values.clone();
    params.prompt = Some(model.prompt.content());
    let (endpoint, inputs) = match &model.edit {
        Some(draft) => (draft.endpoint, draft.sources.len()),
        None => (Endpoint::Generations, 0),
    };
    let cells: Vec<ImageParams> = match &model.sweep {
        Some(sweep) if model.edit.is_none() => sweep
            .cells(&model.params, &model.prompt.content())
            .into_iter()
            .map(|cell| cell.params)
            .collect(),
        _ => vec![params],
    };
    let mut total = Estimate::exact(0.0);
    for cell in &cells {
        let spec = catalog.get(&cell.model)?;
        total = total + estimate(spec, cell, endpoint, inputs)?;
    }
    Some(total)
}

/// What Generate would cost, as shown: `~$0.042`, `cost unknown`.
pub fn pending_cost_text(model: &Model) -> String {
    if model.session.demo {
        return "free (demo)".into();
    }
    match pending_estimate(model) {
        Some(estimate) => format!("~{}", estimate_text(&estimate)),
        None => "cost unknown".into(),
    }
}

/// `$0.042`, `$1.25`, `$0.011–0.167`.
pub fn money(amount: f64) -> String {
    if amount != 0.0 && amount.abs() < 0.1 {
        format!("${amount:.3}")
    } else {
        format!("${amount:.2}")
    }
}

pub fn estimate_text(estimate: &Estimate) -> String {
    if estimate.is_range() {
        // Both ends to the precision of the low one.
        let low = money(estimate.low);
        let decimals = low.len() - low.find('.').unwrap_or(low.len()) - 1;
        format!("{low}–{:.*}", decimals, estimate.high)
    } else {
        money(estimate.low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_readable_at_every_scale() {
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(money(0.0425), "$0.043");
        assert_eq!(money(12.5), "$12.50");
        let e = Estimate {
            low: 0.011,
            high: 0.167,
        };
        assert_eq!(estimate_text(&e), "$0.011–0.167");
        assert_eq!(estimate_text(&Estimate::exact(0.04)), "$0.040");
    }
}
