//! Reading `crate::` paths out of Rust source: `use` trees expanded,
//! paths written inline, test modules and comments left out. A line-based
//! reader, which is enough for rustfmt-formatted code.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// One source file of `src/`.
pub struct SourceFile {
    /// `update/jobs.rs`
    pub name: String,
    /// The module path as files name it: `update/jobs`, `update`.
    pub path: String,
    /// The top-level module it belongs to: `update`.
    pub module: String,
    pub text: String,
    /// Each top-level module's submodules (files and folders under it).
    pub submodules_of: BTreeMap<String, BTreeSet<String>>,
}

/// `crate::store::sidecar::Sidecar` as (`store`, `Some("sidecar")`), or
/// (`effect`, `None`) for an item at the top of `effect`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    pub module: String,
    pub submodule: Option<String>,
    /// The path as written after `crate::`.
    pub written: String,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// Every `.rs` file under `src/`, but the crate roots.
pub fn source_files(root: &Path) -> Vec<SourceFile> {
    let src = root.join("src");
    let mut found = Vec::new();
    walk(&src, &src, &mut found);
    found.sort();
    let mut submodules_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &found {
        let parts: Vec<&str> = name.trim_end_matches(".rs").split('/').collect();
        if parts.len() > 1 {
            submodules_of
                .entry(parts[0].to_string())
                .or_default()
                .insert(parts[1].to_string());
        }
    }
    found
        .into_iter()
        .filter(|name| name != "lib.rs" && name != "main.rs")
        .map(|name| {
            let path = name
                .trim_end_matches(".rs")
                .trim_end_matches("/mod")
                .to_string();
            let module = path.split('/').next().unwrap_or_default().to_string();
            let text = std::fs::read_to_string(src.join(&name)).expect("a source file");
            SourceFile {
                name,
                path,
                module,
                text,
                submodules_of: submodules_of.clone(),
            }
        })
        .collect()
}

fn walk(dir: &Path, src: &Path, found: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).expect("src/ is readable");
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, src, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(src).expect("under src/");
            found.push(relative.to_string_lossy().into_owned());
        }
    }
}

/// The code that ships: the file up to its `#[cfg(test)]` module, without
/// comment lines.
pub fn shipped(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            break;
        }
        if line.trim_start().starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every `crate::` path in the shipped code.
pub fn references(
    text: &str,
    submodules_of: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Reference> {
    let code = shipped(text);
    let mut paths: Vec<Vec<String>> = Vec::new();
    let mut rest = code.as_str();
    let mut inline = String::new();
    // `use crate::…;` statements, expanded; everything else searched inline.
    while let Some(at) = rest.find("use crate::") {
        inline.push_str(&rest[..at]);
        let tree_start = at + "use crate::".len();
        let end = rest[tree_start..]
            .find(';')
            .map_or(rest.len(), |e| tree_start + e);
        expand(&rest[tree_start..end], &mut Vec::new(), &mut paths);
        rest = &rest[(end + 1).min(rest.len())..];
    }
    inline.push_str(rest);
    let mut search = inline.as_str();
    while let Some(at) = search.find("crate::") {
        let after = &search[at + "crate::".len()..];
        let path: Vec<String> = segments(after).into_iter().take(2).collect();
        if !path.is_empty() {
            paths.push(path);
        }
        search = after;
    }
    let mut refs: Vec<Reference> = paths
        .into_iter()
        .filter(|p| p[0] != "self")
        .map(|p| {
            let submodule = p.get(1).filter(|second| {
                submodules_of
                    .get(&p[0])
                    .is_some_and(|subs| subs.contains(second.as_str()))
            });
            Reference {
                module: p[0].clone(),
                submodule: submodule.cloned(),
                written: p.join("::"),
            }
        })
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

/// The path segments at the start of `text`: `a::b::C(…` gives a, b, C.
fn segments(text: &str) -> Vec<String> {
    text.split("::")
        .map(|s| {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .take_while(|s| !s.is_empty())
        .collect()
}

/// `a::{b::C, d}` into `[a, b, C]`, `[a, d]`.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(inner) = tree.strip_prefix('{') {
        let inner = inner.strip_suffix('}').unwrap_or(inner);
        for part in split_top(inner) {
            expand(part, &mut prefix.clone(), out);
        }
        return;
    }
    match tree.split_once("::") {
        Some((head, rest)) => {
            prefix.push(head.trim().to_string());
            expand(rest, prefix, out);
        }
        None => {
            let name = tree.split(" as ").next().unwrap_or("").trim();
            if !name.is_empty() {
                let mut path = prefix.clone();
                path.push(name.to_string());
                out.push(path);
            }
        }
    }
}

/// Splits at commas outside braces.
fn split_top(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The files one file imports (by `crate::` and `super::` paths), as
/// module paths of `known` files.
pub fn file_targets(text: &str, path: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let code = shipped(text);
    let parent: Vec<&str> = {
        let mut parts: Vec<&str> = path.split('/').collect();
        parts.pop();
        parts
    };
    let mut targets = BTreeSet::new();
    let mut add = |segments: Vec<String>| {
        for n in (1..=segments.len()).rev() {
            let candidate = segments[..n].join("/");
            if known.contains(&candidate) {
                if candidate != path {
                    targets.insert(candidate);
                }
                return;
            }
        }
    };
    for (marker, base) in [("crate::", Vec::new()), ("super::", parent.clone())] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(marker) {
            // `super::` inside `crate::…::super` does not occur; a match
            // inside a longer word (`xsuper::`) is skipped.
            let before = rest[..at].chars().last();
            let after = &rest[at + marker.len()..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find("};").unwrap_or(group.len());
                let mut items = Vec::new();
                expand(
                    &format!("{{{}}}", &group[..end]),
                    &mut Vec::new(),
                    &mut items,
                );
                for item in items {
                    add(base.iter().map(|s| s.to_string()).chain(item).collect());
                }
                continue;
            }
            let segments = segments(after);
            add(base.iter().map(|s| s.to_string()).chain(segments).collect());
        }
    }
    targets
}

/// The circles of a graph (its strongly connected parts of more than one
/// node), each sorted.
pub fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Reachability by repeated search: graphs here have a few hundred nodes.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(node) = todo.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|k| (k, reach(k))).collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    for (node, from_here) in &reachable {
        if !from_here.contains(*node) || found.iter().any(|c| c.contains(node)) {
            continue;
        }
        let circle: Vec<String> = from_here
            .iter()
            .filter(|other| reachable.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        if circle.len() > 1 {
            found.push(circle);
        }
    }
    found
}

/// The text of `fn name`'s body, braces included.
pub fn function_body(text: &str, name: &str) -> Option<String> {
    let start = text.find(&format!("fn {name}("))?;
    let open = start + text[start..].find('{')?;
    let mut depth = 0;
    for (at, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(text[open..=open + at].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

/// The variant names of `pub enum name`, as rustfmt lays them out.
pub fn enum_variants(text: &str, name: &str) -> Vec<String> {
    let Some(start) = text.find(&format!("pub enum {name} {{")) else {
        return Vec::new();
    };
    text[start..]
        .lines()
        .skip(1)
        .take_while(|line| *line != "}")
        .filter(|line| line.starts_with("    ") && !line.starts_with("     "))
        .map(str::trim)
        .filter(|line| line.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|line| {
            line.chars()
                .take_while(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .collect()
}
