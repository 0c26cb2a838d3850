//! `artty cost`: what the gallery's images cost, from the cost each
//! sidecar recorded when the image was made, by period and by model, with
//! how each figure was arrived at: from the token counts the server
//! reported (`usage`), from the model table's per-image prices
//! (`estimate`), or not known (`unpriced`).

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde_json::json;

use super::output::{Output, print_json};
use super::stdout;
use crate::api::cost::CostBasis;
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::gallery::Gallery;
use crate::store::index::GalleryIndex;
use crate::store::sidecar::SavedImage;
use crate::util::inert::inert;

/// Money and counts of one period or one model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spend {
    pub images: usize,
    /// Priced from the server's token counts.
    pub usage_usd: f64,
    /// Priced from the table's per-image prices: an estimate.
    pub estimate_usd: f64,
    /// Made where nothing is charged (the demo).
    pub free: usize,
    /// Made with no price known.
    pub unpriced: usize,
    /// Of the money above, what was billed at Batch API prices, and its images.
    pub batch_usd: f64,
    pub batch_images: usize,
}

impl Spend {
    pub fn usd(&self) -> f64 {
        self.usage_usd + self.estimate_usd
    }

    fn add(&mut self, image: &SavedImage) {
        self.images += 1;
        if let Some(cost) = image.sidecar.cost.filter(|c| c.batch) {
            self.batch_images += 1;
            if cost.basis != CostBasis::Free {
                self.batch_usd += cost.usd;
            }
        }
        match image.sidecar.cost {
            Some(cost) => match cost.basis {
                CostBasis::Usage => self.usage_usd += cost.usd,
                CostBasis::PerImage => self.estimate_usd += cost.usd,
                CostBasis::Free => self.free += 1,
            },
            None => self.unpriced += 1,
        }
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "images": self.images, "usd": round(self.usd()), "usd_from_usage": round(self.usage_usd),
            "usd_estimated": round(self.estimate_usd), "free": self.free, "unpriced": self.unpriced,
            "batch_api": { "images": self.batch_images, "usd": round(self.batch_usd) },
        })
    }
}

/// Sums to a tenth of a thousandth of a cent: float noise out of the JSON.
fn round(usd: f64) -> f64 {
    (usd * 1e7).round() / 1e7
}

/// A period's spending, overall and per model.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub name: &'static str,
    /// The first day counted; `None` for all time.
    pub since: Option<Date>,
    pub total: Spend,
    pub by_model: BTreeMap<String, Spend>,
}

/// Today, this week (from Monday), this month and all time, in the local
/// time zone, from the images' recorded costs.
pub fn periods<'a>(
    images: impl Iterator<Item = &'a SavedImage>,
    today: Date,
    tz: &jiff::tz::TimeZone,
) -> Vec<Period> {
    let monday = today
        .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
        .unwrap_or(today);
    let mut periods: Vec<Period> = [
        ("today", Some(today)),
        ("week", Some(monday)),
        ("month", Some(today.first_of_month())),
        ("all", None),
    ]
    .into_iter()
    .map(|(name, since)| Period {
        name,
        since,
        total: Spend::default(),
        by_model: BTreeMap::new(),
    })
    .collect();
    for image in images {
        let day = tz.to_datetime(image.sidecar.created).date();
        for period in &mut periods {
            if period.since.is_none_or(|since| day >= since) {
                period.total.add(image);
                period
                    .by_model
                    .entry(image.sidecar.model.clone())
                    .or_default()
                    .add(image);
            }
        }
    }
    periods
}

pub async fn run(ctx: &Context, out: &Output) -> Result<(), Failure> {
    let dir = ctx.gallery_dir.clone();
    let cache = ctx.dirs.cache.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let index = GalleryIndex::new(&cache, &dir);
        Gallery::open(dir)?.load_indexed(&index, usize::MAX, |_, _| {})
    })
    .await
    .map_err(|e| Failure::local(e.to_string()))?
    .map_err(|e| Failure::local(e.to_string()))?;
    if let Some(note) = &loaded.note {
        out.warn(note);
    }
    let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let periods = periods(loaded.images.iter(), today, &tz);
    for period in &periods {
        if out.json {
            let mut line = period.total.json();
            line["period"] = json!(period.name);
            line["since"] = json!(period.since.map(|d| d.to_string()));
            line["by_model"] = period
                .by_model
                .iter()
                .map(|(model, spend)| (model.clone(), spend.json()))
                .collect::<serde_json::Map<_, _>>()
                .into();
            print_json(&line);
        } else {
            print_period(period);
        }
    }
    Ok(())
}

fn print_period(period: &Period) {
    let since = period
        .since
        .map_or("all time".to_string(), |d| format!("since {d}"));
    stdout::line(&format!(
        "{:<6} {:<16} {}",
        period.name,
        since,
        spend_text(&period.total)
    ));
    if period.name == "all" || period.by_model.len() > 1 {
        for (model, spend) in &period.by_model {
            stdout::line(&format!(
                "         {:<22} {}",
                inert(model, 22),
                spend_text(spend)
            ));
        }
    }
}

/// `$1.2345 · 12 images ($1.10 from usage, $0.1345 estimated; 2 unpriced)`.
fn spend_text(spend: &Spend) -> String {
    let mut notes = Vec::new();
    if spend.usage_usd > 0.0 {
        notes.push(format!("${:.4} from usage", spend.usage_usd));
    }
    if spend.estimate_usd > 0.0 {
        notes.push(format!("${:.4} estimated", spend.estimate_usd));
    }
    if spend.batch_images > 0 {
        notes.push(format!(
            "${:.4} of it through the Batch API for {} image(s)",
            spend.batch_usd, spend.batch_images
        ));
    }
    if spend.free > 0 {
        notes.push(format!("{} free", spend.free));
    }
    if spend.unpriced > 0 {
        notes.push(format!("{} unpriced", spend.unpriced));
    }
    let notes = match notes.is_empty() {
        true => String::new(),
        false => format!(" ({})", notes.join(", ")),
    };
    format!("${:.4} · {} image(s){notes}", spend.usd(), spend.images)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::cost::Cost;
    use crate::store::sidecar::Sidecar;

    #[test]
    fn batch_api_spending_is_counted_apart_within_the_total() {
        let today: Date = "2026-12-03".parse().unwrap();
        let mut batch = image(
            "gpt-image-2",
            "2026-12-03T10:00:00Z",
            Some((0.10, CostBasis::Usage)),
        );
        if let Some(cost) = batch.sidecar.cost.as_mut() {
            cost.batch = true;
        }
        let here = image(
            "gpt-image-2",
            "2026-12-03T11:00:00Z",
            Some((0.20, CostBasis::Usage)),
        );
        let periods = periods([batch, here].iter(), today, &jiff::tz::TimeZone::UTC);
        let day = &periods[0].total;
        assert!((day.usd() - 0.30).abs() < 1e-9);
        assert_eq!(day.batch_images, 1);
        assert!((day.batch_usd - 0.10).abs() < 1e-9);
        assert!(spend_text(day).contains("$0.1000 of it through the Batch API"));
        assert_eq!(day.json()["batch_api"]["images"], 1);
    }

    fn image(model: &str, created: &str, cost: Option<(f64, CostBasis)>) -> SavedImage {
        let info = crate::images::probe::ImageInfo {
            format: crate::images::probe::ImageFormat::Png,
            width: 1024,
            height: 1024,
            has_alpha: false,
            animation: None,
        };
        let params = crate::api::ImageParams {
            model: model.into(),
            ..Default::default()
        };
        let mut sidecar = Sidecar::new(
            "x.png",
            created.parse().unwrap(),
            crate::api::Endpoint::Generations,
            params,
            "http://127.0.0.1/v1",
            &info,
            1,
        );
        sidecar.cost = cost.map(|(usd, basis)| Cost {
            usd,
            basis,
            svg_unpriced: false,
            batch: false,
        });
        SavedImage {
            path: "x.png".into(),
            sidecar_path: "x.json".into(),
            sidecar,
        }
    }

    #[test]
    fn periods_count_from_today_monday_and_the_first_and_split_by_basis() {
        // Thursday 2026-12-03.
        let today: Date = "2026-12-03".parse().unwrap();
        let images = [
            image(
                "gpt-image-2",
                "2026-12-03T10:00:00Z",
                Some((0.25, CostBasis::Usage)),
            ),
            image(
                "dall-e-3",
                "2026-12-01T10:00:00Z",
                Some((0.04, CostBasis::PerImage)),
            ),
            image("gpt-image-2", "2026-11-30T10:00:00Z", None),
            image(
                "gpt-image-2",
                "2026-11-29T10:00:00Z",
                Some((1.0, CostBasis::Usage)),
            ),
            image(
                "gpt-image-2",
                "2026-10-02T10:00:00Z",
                Some((0.0, CostBasis::Free)),
            ),
        ];
        let periods = periods(images.iter(), today, &jiff::tz::TimeZone::UTC);
        let [day, week, month, all] = &periods[..] else {
            panic!("four periods")
        };
        assert_eq!((day.total.images, day.total.usd()), (1, 0.25));
        assert_eq!(week.since, Some("2026-11-30".parse().unwrap()));
        assert_eq!((week.total.images, week.total.unpriced), (3, 1));
        assert!((week.total.usd() - 0.29).abs() < 1e-9);
        assert_eq!(week.total.estimate_usd, 0.04);
        assert_eq!(month.total.images, 2);
        assert_eq!((all.total.images, all.total.free), (5, 1));
        assert!((all.by_model["gpt-image-2"].usage_usd - 1.25).abs() < 1e-9);
        assert_eq!(all.by_model["dall-e-3"].images, 1);
    }
}
