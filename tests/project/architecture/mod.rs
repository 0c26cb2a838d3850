//! The architecture docs/architecture.md describes, checked against the
//! code: each module imports only what its row in the table allows, no
//! two modules or files import each other around a circle, update's
//! dispatch names every action, and every effect is documented.

mod paths;
mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use paths::{Reference, references, source_files};
use table::{Allowed, read_table};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn docs() -> String {
    std::fs::read_to_string(root().join("docs/architecture.md")).expect("docs/architecture.md")
}

/// Imports the table forbids, as `file: crate::path (module may use …)`.
fn forbidden(module: &str, file: &str, refs: &[Reference], allowed: &Allowed) -> Vec<String> {
    refs.iter()
        .filter(|r| r.module != module && !allowed.permits(module, r))
        .map(|r| {
            format!(
                "{file}: crate::{} ({module} may use {})",
                r,
                allowed.list(module)
            )
        })
        .collect()
}

#[test]
fn every_module_imports_only_what_its_row_allows() {
    let allowed = read_table(&docs());
    let files = source_files(root());
    let modules: BTreeSet<&str> = files.iter().map(|f| f.module.as_str()).collect();
    let rows: BTreeSet<&str> = allowed.modules().collect();
    assert_eq!(
        modules, rows,
        "every module of src/ has a row in docs/architecture.md, and every row a module"
    );
    let mut wrong = Vec::new();
    for file in &files {
        let refs = references(&file.text, &file.submodules_of);
        wrong.extend(forbidden(&file.module, &file.name, &refs, &allowed));
    }
    assert!(
        wrong.is_empty(),
        "imports the table forbids:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_catches_an_update_file_that_imports_the_view() {
    let allowed = read_table(&docs());
    let submodules = BTreeMap::from([("ui".to_string(), BTreeSet::from(["theme".to_string()]))]);
    let src =
        "use crate::model::Model;\nuse crate::ui::theme::Theme;\nfn f() { crate::ui::render(); }\n";
    let refs = references(src, &submodules);
    let wrong = forbidden("update", "update/mouse.rs", &refs, &allowed);
    assert_eq!(wrong.len(), 2, "{wrong:?}");
    assert!(
        wrong.iter().any(|w| w.contains("crate::ui::theme")),
        "{wrong:?}"
    );
    // A grouped import is read too, and a test module is not.
    let src = "use crate::{model::Model, ui::{theme::Theme, render}};\n#[cfg(test)]\nmod tests {\n    use crate::ui::x;\n}\n";
    let refs = references(src, &submodules);
    assert_eq!(forbidden("update", "update/x.rs", &refs, &allowed).len(), 2);
}

#[test]
fn no_modules_and_no_files_import_each_other_around_a_circle() {
    let files = source_files(root());
    let mut modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut between_files: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let known: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for file in &files {
        let refs = references(&file.text, &file.submodules_of);
        let entry = modules.entry(file.module.clone()).or_default();
        entry.extend(refs.iter().map(|r| r.module.clone()));
        entry.remove(&file.module);
        let targets = paths::file_targets(&file.text, &file.path, &known);
        between_files.insert(file.path.clone(), targets);
    }
    let circles: Vec<_> = paths::circles(&modules)
        .into_iter()
        .chain(paths::circles(&between_files))
        .collect();
    assert!(circles.is_empty(), "circles: {circles:?}");
}

#[test]
fn the_circle_finder_finds_one() {
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
        ("d".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(paths::circles(&graph), vec![vec!["a", "b", "c"]]);
}

/// The bodies of update's dispatching functions.
fn dispatch_bodies() -> Vec<(String, String)> {
    let mut bodies = Vec::new();
    for (file, name) in [
        ("src/update.rs", "dispatch"),
        ("src/update.rs", "on_file"),
        ("src/update/jobs.rs", "on_result"),
        ("src/update/gallery.rs", "on_result"),
        ("src/update/key_setup.rs", "on_result"),
    ] {
        let text = std::fs::read_to_string(root().join(file)).expect("update source");
        let body =
            paths::function_body(&text, name).unwrap_or_else(|| panic!("{file} has no fn {name}"));
        bodies.push((format!("{file} fn {name}"), body));
    }
    bodies
}

#[test]
fn update_dispatches_every_action_by_name() {
    let wild: Vec<String> = dispatch_bodies()
        .into_iter()
        .filter(|(_, body)| body.lines().any(|l| l.trim_start().starts_with("_ =>")))
        .map(|(name, _)| name)
        .collect();
    assert!(
        wild.is_empty(),
        "a `_ =>` arm drops new actions silently: {wild:?}"
    );
    assert!(
        paths::function_body("fn f() { match x { _ => {} } }", "f")
            .is_some_and(|b| b.contains("_ =>"))
    );
}

#[test]
fn every_effect_is_documented() {
    let effect = std::fs::read_to_string(root().join("src/effect.rs")).expect("src/effect.rs");
    let variants = paths::enum_variants(&effect, "Effect");
    assert!(variants.len() > 10, "{variants:?}");
    let docs = docs();
    let missing: Vec<&String> = variants
        .iter()
        .filter(|v| !docs.contains(&format!("`{v}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "effects docs/architecture.md does not name: {missing:?}"
    );
}
