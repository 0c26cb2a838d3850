//! The model picker: the model table, plus image models the server listed
//! that the table does not know, filtered by what is typed. A typed name
//! that matches nothing is used as it is (OpenAI-compatible servers).

use jiff::civil::Date;

use crate::api::{Catalog, Lifecycle};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picker {
    pub filter: crate::model::line_edit::LineEdit,
    pub selected: usize,
}

/// One line of the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct PickerEntry {
    pub name: String,
    /// "shut down 2026-05-12", "deprecated: shuts down 2026-12-01", "server only".
    pub badge: Option<String>,
}

/// Entries matching `filter`, table models first.
pub fn entries(
    catalog: &Catalog,
    remote: &[String],
    filter: &str,
    today: Date,
) -> Vec<PickerEntry> {
    let needle = filter.trim().to_lowercase();
    let table = catalog.models().iter().map(|spec| PickerEntry {
        name: spec.name.clone(),
        badge: match spec.lifecycle(today) {
            Lifecycle::Active => None,
            Lifecycle::Deprecated { shutdown } => {
                Some(format!("deprecated: shuts down {shutdown}"))
            }
            Lifecycle::ShutDown { since } => Some(format!("shut down {since}")),
        },
    });
    // The server's own names: dated snapshots of table models (which take
    // their model's parameters), and models the table does not know.
    let extra = remote
        .iter()
        .filter(|name| !catalog.models().iter().any(|m| &m.name == *name))
        .map(|name| PickerEntry {
            name: name.clone(),
            badge: Some(match catalog.get(name) {
                Some(spec) => format!("snapshot of {}", spec.name),
                None => "listed by the server, not in the model table".into(),
            }),
        });
    table
        .chain(extra)
        .filter(|e| e.name.to_lowercase().contains(&needle))
        .collect()
}
