//! Families: images made from one another form a tree. An edit or a
//! variation comes from its first source, a reuse (`r`) from the image it
//! reused, and the cells of a sweep from the sweep's first image.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::api::Endpoint;
use crate::store::sidecar::{GroupKind, SavedImage};

/// Trees deeper than this are cut (and cycles from hand-edited sidecars
/// cannot loop).
const MAX_DEPTH: usize = 64;

/// One line of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyLine {
    pub path: PathBuf,
    pub depth: usize,
    /// How it came from its parent: "edit", "variation", "reuse", "sweep …".
    pub relation: String,
    /// What the line shows, taken when the tree is made so drawing it
    /// looks nothing up.
    pub created: jiff::Timestamp,
    pub model: String,
    pub prompt: String,
}

/// The family overlay: the tree of the image it was opened on.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyView {
    pub lines: Vec<FamilyLine>,
    pub selected: usize,
}

/// The image `image` was made from, among `by_path`.
fn parent_of(
    image: &SavedImage,
    images: &[SavedImage],
    by_path: &HashMap<&Path, usize>,
    sweeps: &HashMap<&str, usize>,
) -> Option<usize> {
    let sidecar = &image.sidecar;
    let listed = |p: &str| by_path.get(Path::new(p)).copied();
    if let Some(at) = sidecar.sources.iter().find_map(|s| listed(&s.path)) {
        return Some(at);
    }
    if let Some(at) = sidecar.reused_from.as_deref().and_then(listed) {
        return Some(at);
    }
    let group = sidecar
        .group
        .as_ref()
        .filter(|g| g.kind == GroupKind::Sweep)?;
    let first = *sweeps.get(group.id.as_str())?;
    (images[first].path != image.path).then_some(first)
}

fn relation(image: &SavedImage) -> String {
    let sidecar = &image.sidecar;
    match (sidecar.endpoint, &sidecar.group) {
        (Endpoint::Edits, _) => "edit".into(),
        (Endpoint::Variations, _) => "variation".into(),
        (_, Some(group)) if group.kind == GroupKind::Sweep => {
            format!("sweep {}", group.item.as_deref().unwrap_or(""))
        }
        _ if sidecar.reused_from.is_some() => "reuse".into(),
        _ => "new".into(),
    }
}

/// The tree `path` belongs to, from its oldest ancestor down, children
/// oldest first. Empty when `path` is not in `images`.
pub fn family_of(images: &[SavedImage], path: &Path) -> FamilyView {
    let by_path: HashMap<&Path, usize> = images
        .iter()
        .enumerate()
        .map(|(at, i)| (i.path.as_path(), at))
        .collect();
    // A sweep's first image is its oldest (images are newest first).
    let mut sweeps: HashMap<&str, usize> = HashMap::new();
    for (at, image) in images.iter().enumerate() {
        if let Some(group) = image
            .sidecar
            .group
            .as_ref()
            .filter(|g| g.kind == GroupKind::Sweep)
        {
            sweeps.insert(group.id.as_str(), at);
        }
    }
    let parents: Vec<Option<usize>> = images
        .iter()
        .map(|i| parent_of(i, images, &by_path, &sweeps))
        .collect();
    let Some(&start) = by_path.get(path) else {
        return FamilyView {
            lines: Vec::new(),
            selected: 0,
        };
    };
    let mut root = start;
    let mut seen = HashSet::from([start]);
    while let Some(parent) = parents[root] {
        if !seen.insert(parent) || seen.len() > MAX_DEPTH {
            break;
        }
        root = parent;
    }
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    // Oldest first: the list is newest first, so walk it backwards.
    for at in (0..images.len()).rev() {
        if let Some(parent) = parents[at] {
            children.entry(parent).or_default().push(at);
        }
    }
    let mut lines = Vec::new();
    let mut stack = vec![(root, 0usize)];
    let mut visited = HashSet::new();
    while let Some((at, depth)) = stack.pop() {
        if !visited.insert(at) || depth > MAX_DEPTH {
            continue;
        }
        let sidecar = &images[at].sidecar;
        lines.push(FamilyLine {
            path: images[at].path.clone(),
            depth,
            relation: relation(&images[at]),
            created: sidecar.created,
            model: sidecar.model.clone(),
            prompt: sidecar.prompt.clone().unwrap_or_default(),
        });
        if let Some(kids) = children.get(&at) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    let selected = lines.iter().position(|l| l.path == path).unwrap_or(0);
    FamilyView { lines, selected }
}
