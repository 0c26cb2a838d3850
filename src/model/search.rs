//! The gallery's search: a query typed after `/`, and the sort order.
//!
//! A query is words and filters, all of which must match:
//! - `fox "red hat"`: words and quoted phrases in the prompt (or the
//!   revised prompt), any case; `-snow` leaves out prompts with "snow";
//! - `model:dall-e` (or `m:`): models whose name starts with it;
//! - `fav` (or `is:fav`, `*`): favourites;
//! - `is:edit`, `is:variation`, `is:sweep`, `is:batch`: how it was made;
//! - `size:1024x1024`;
//! - `after:2026-11-01`, `before:2026-11-21`, `on:2026-11-20`, `since:7d`,
//!   `today`: by the day it was made, in the local time zone.

use jiff::civil::Date;

use crate::api::Endpoint;
use crate::store::sidecar::{GroupKind, Sidecar};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    /// By model name, newest first within a model.
    Model,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::Oldest,
            Sort::Oldest => Sort::Model,
            Sort::Model => Sort::Newest,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "newest first",
            Sort::Oldest => "oldest first",
            Sort::Model => "by model",
        }
    }
}

/// How an image was made, for `is:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Edit,
    Variation,
    Sweep,
    Batch,
}

/// A parsed query. Empty when nothing was typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub text: String,
    words: Vec<String>,
    excluded: Vec<String>,
    models: Vec<String>,
    sizes: Vec<String>,
    kinds: Vec<Kind>,
    favourites: bool,
    after: Option<Date>,
    before: Option<Date>,
    /// Terms that could not be read, shown under the search field.
    pub problems: Vec<String>,
}

impl Query {
    /// Reads `text`; `today` anchors `today` and `since:`.
    pub fn parse(text: &str, today: Date) -> Query {
        let mut query = Query {
            text: text.to_string(),
            ..Query::default()
        };
        for term in terms(text) {
            query.add(&term, today);
        }
        query
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.excluded.is_empty()
            && self.models.is_empty()
            && self.sizes.is_empty()
            && self.kinds.is_empty()
            && !self.favourites
            && self.after.is_none()
            && self.before.is_none()
    }

    fn add(&mut self, term: &str, today: Date) {
        let lower = term.to_lowercase();
        if let Some(word) = lower.strip_prefix('-').filter(|w| !w.is_empty()) {
            self.excluded.push(word.to_string());
            return;
        }
        if matches!(lower.as_str(), "fav" | "*" | "is:fav" | "is:favourite") {
            self.favourites = true;
            return;
        }
        if lower == "today" {
            self.after = Some(today);
            self.before = Some(today);
            return;
        }
        let Some((key, value)) = lower.split_once(':').filter(|(_, v)| !v.is_empty()) else {
            self.words.push(lower);
            return;
        };
        let date = || value.parse::<Date>().ok();
        match key {
            "model" | "m" => self.models.push(value.to_string()),
            "size" => self.sizes.push(value.to_string()),
            "is" => match value {
                "edit" => self.kinds.push(Kind::Edit),
                "variation" => self.kinds.push(Kind::Variation),
                "sweep" => self.kinds.push(Kind::Sweep),
                "batch" => self.kinds.push(Kind::Batch),
                _ => self.problems.push(format!(
                    "is:{value}? (is:fav, is:edit, is:variation, is:sweep, is:batch)"
                )),
            },
            "after" | "before" | "on" => match date() {
                Some(day) => {
                    if key != "before" {
                        self.after = Some(day);
                    }
                    if key != "after" {
                        self.before = Some(day);
                    }
                }
                None => self
                    .problems
                    .push(format!("{key}: takes a date like 2026-11-21")),
            },
            "since" => match value.strip_suffix('d').and_then(|n| n.parse::<i32>().ok()) {
                Some(days) => {
                    self.after = today.checked_sub(jiff::Span::new().days(days)).ok();
                }
                None => self
                    .problems
                    .push("since: takes days, like since:7d".into()),
            },
            // Not a filter: a word with a colon in it.
            _ => self.words.push(lower),
        }
    }

    /// True when the image passes. `haystack` is its prompt and revised
    /// prompt in lower case; `day` the local day it was made.
    pub fn matches(&self, sidecar: &Sidecar, haystack: &str, day: Date) -> bool {
        self.words.iter().all(|w| haystack.contains(w.as_str()))
            && !self.excluded.iter().any(|w| haystack.contains(w.as_str()))
            && (self.models.is_empty()
                || self
                    .models
                    .iter()
                    .any(|m| sidecar.model.to_lowercase().starts_with(m.as_str())))
            && (self.sizes.is_empty() || self.sizes.iter().any(|s| size_of(sidecar) == *s))
            && self.kinds.iter().all(|k| kind_matches(*k, sidecar))
            && (!self.favourites || sidecar.favourite)
            && self.after.is_none_or(|after| day >= after)
            && self.before.is_none_or(|before| day <= before)
    }
}

fn size_of(sidecar: &Sidecar) -> String {
    format!("{}x{}", sidecar.width, sidecar.height)
}

fn kind_matches(kind: Kind, sidecar: &Sidecar) -> bool {
    let group = sidecar.group.as_ref().map(|g| g.kind);
    match kind {
        Kind::Edit => sidecar.endpoint == Endpoint::Edits,
        Kind::Variation => sidecar.endpoint == Endpoint::Variations,
        Kind::Sweep => group == Some(GroupKind::Sweep),
        Kind::Batch => group == Some(GroupKind::Batch),
    }
}

/// The text an image is searched by, in lower case.
pub fn haystack(sidecar: &Sidecar) -> String {
    let mut text = sidecar.prompt.as_deref().unwrap_or("").to_lowercase();
    if let Some(revised) = &sidecar.revised_prompt {
        text.push('\n');
        text.push_str(&revised.to_lowercase());
    }
    text
}

/// Splits on spaces, keeping "quoted phrases" (and -"quoted") whole.
fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                if quoted && !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::constant(2026, 11, 21)
    }

    #[test]
    fn terms_keep_quoted_phrases() {
        assert_eq!(
            terms(r#"fox "red hat"  model:dall -snow"#),
            ["fox", "red hat", "model:dall", "-snow"]
        );
    }

    #[test]
    fn filters_are_read_and_bad_ones_named() {
        let q = Query::parse("Fox m:DALL fav since:7d is:edit size:1024x1024", today());
        assert_eq!(q.words, ["fox"]);
        assert_eq!(q.models, ["dall"]);
        assert!(q.favourites);
        assert_eq!(q.after, Some(Date::constant(2026, 11, 14)));
        assert_eq!(q.kinds, [Kind::Edit]);
        assert_eq!(q.sizes, ["1024x1024"]);
        assert!(q.problems.is_empty());
        let q = Query::parse("after:yesterday is:blue", today());
        assert_eq!(q.problems.len(), 2, "{:?}", q.problems);
        assert!(Query::parse("  ", today()).is_empty());
        // A colon that is not a filter is part of a word.
        assert_eq!(Query::parse("ratio:wide", today()).words, ["ratio:wide"]);
    }
}
