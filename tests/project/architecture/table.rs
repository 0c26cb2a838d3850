//! The "may use" column of docs/architecture.md's module table.

use std::collections::BTreeMap;

use super::paths::Reference;

/// What each module may import: whole modules (`store`), one submodule
/// (`store::sidecar`) or a module's top-level items (`effect::self`).
pub struct Allowed {
    rows: BTreeMap<String, Vec<String>>,
}

impl Allowed {
    pub fn modules(&self) -> impl Iterator<Item = &str> {
        self.rows.keys().map(String::as_str)
    }

    pub fn permits(&self, module: &str, reference: &Reference) -> bool {
        let Some(row) = self.rows.get(module) else {
            return false;
        };
        let narrow = match &reference.submodule {
            Some(sub) => format!("{}::{sub}", reference.module),
            None => format!("{}::self", reference.module),
        };
        row.iter()
            .any(|entry| *entry == reference.module || *entry == narrow)
    }

    pub fn list(&self, module: &str) -> String {
        match self.rows.get(module) {
            Some(row) if !row.is_empty() => row.join(", "),
            Some(_) => "no other module".into(),
            None => "nothing: it has no row".into(),
        }
    }
}

/// Names in backticks.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.trim().to_string())
        .collect()
}

/// Reads the table under "## Modules and what they may use". Its first
/// column names a module (`update.rs`, `update/`); backticked names in the
/// third that start with a module's name are what it may use.
pub fn read_table(docs: &str) -> Allowed {
    let start = docs
        .find("## Modules and what they may use")
        .expect("docs/architecture.md has the module table");
    let rows: Vec<Vec<String>> = docs[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.split('|').map(str::to_string).collect())
        .collect();
    let name = |cell: &str| {
        quoted(cell)
            .first()
            .map(|n| n.trim_end_matches('/').trim_end_matches(".rs").to_string())
            .unwrap_or_default()
    };
    let modules: Vec<String> = rows.iter().map(|cells| name(&cells[1])).collect();
    let rows = rows
        .iter()
        .map(|cells| {
            let may_use = quoted(&cells[3])
                .into_iter()
                .filter(|n| {
                    let head = n.split("::").next().unwrap_or_default();
                    modules.iter().any(|m| m == head)
                })
                .collect();
            (name(&cells[1]), may_use)
        })
        .collect();
    Allowed { rows }
}
