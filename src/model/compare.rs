//! Comparing 2–4 images: what differs between them, word by word in the
//! prompt and parameter by parameter.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::store::sidecar::Sidecar;

/// Images shown side by side at once.
pub const PER_PAGE: usize = 4;

/// The compare overlay: the images, and which four are shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    pub paths: Vec<PathBuf>,
    pub page: usize,
}

impl Compare {
    pub fn pages(&self) -> usize {
        self.paths.len().div_ceil(PER_PAGE).max(1)
    }

    pub fn shown(&self) -> &[PathBuf] {
        let start = (self.page * PER_PAGE).min(self.paths.len());
        &self.paths[start..(start + PER_PAGE).min(self.paths.len())]
    }
}

/// A word of a prompt against the first image's prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    Same(String),
    Added(String),
    Removed(String),
}

/// `other`'s words against `base`'s: the longest common run of words
/// stays, the rest is marked added or removed.
pub fn word_diff(base: &str, other: &str) -> Vec<Word> {
    let a: Vec<&str> = base.split_whitespace().collect();
    let b: Vec<&str> = other.split_whitespace().collect();
    // lcs[i][j]: the common length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(Word::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(Word::Added(b[j].to_string()));
            j += 1;
        } else {
            out.push(Word::Removed(a[i].to_string()));
            i += 1;
        }
    }
    out
}

/// The fields compared, by name, as shown.
fn fields(s: &Sidecar) -> BTreeMap<&'static str, String> {
    let p = &s.params;
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "default".into());
    let mut map = BTreeMap::new();
    map.insert("model", s.model.clone());
    map.insert("made", s.endpoint.name().to_string());
    map.insert("size", format!("{}x{}", s.width, s.height));
    map.insert("quality", text(&p.quality));
    map.insert("style", text(&p.style));
    map.insert("background", text(&p.background));
    map.insert("format", s.format.api_name().to_string());
    map.insert("moderation", text(&p.moderation));
    map.insert("fidelity", text(&p.input_fidelity));
    map.insert(
        "cost",
        s.cost
            .map(|c| super::costs::money(c.usd))
            .unwrap_or_else(|| "unknown".into()),
    );
    map
}

/// Every field whose value is not the same for all images, with the
/// values in the images' order.
pub fn differing(sidecars: &[&Sidecar]) -> Vec<(&'static str, Vec<String>)> {
    let all: Vec<BTreeMap<&'static str, String>> = sidecars.iter().map(|s| fields(s)).collect();
    let Some(first) = all.first() else {
        return Vec::new();
    };
    first
        .keys()
        .filter_map(|key| {
            let values: Vec<String> = all.iter().map(|m| m[key].clone()).collect();
            values
                .iter()
                .any(|v| *v != values[0])
                .then_some((*key, values))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_what_changed() {
        let diff = word_diff("a red fox in snow", "a grey fox in deep snow");
        assert_eq!(
            diff,
            vec![
                Word::Same("a".into()),
                Word::Added("grey".into()),
                Word::Removed("red".into()),
                Word::Same("fox".into()),
                Word::Same("in".into()),
                Word::Added("deep".into()),
                Word::Same("snow".into()),
            ]
        );
        assert!(
            word_diff("same words", "same words")
                .iter()
                .all(|w| matches!(w, Word::Same(_)))
        );
    }

    #[test]
    fn pages_hold_four() {
        let c = Compare {
            paths: (0..6).map(|i| PathBuf::from(format!("{i}"))).collect(),
            page: 1,
        };
        assert_eq!(c.pages(), 2);
        assert_eq!(c.shown().len(), 2);
    }
}
