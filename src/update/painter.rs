//! The mask painter's commands: the cursor and brush, painting and
//! erasing, rectangles, fill, invert, clear and undo, and the mouse.

use crate::effect::Effect;
use crate::keymap::Command;
use crate::layout::areas::contains;
use crate::layout::painter::picture_rect;
use crate::model::edit::{BRUSH_MAX, EditDraft};
use crate::model::{Level, Model, Overlay};

/// Opens the painter on image 1, making an empty mask sized to the screen
/// if there is none yet.
pub fn open(model: &mut Model) {
    // The picture's size in cells now is the new mask's grid.
    let rect = picture_rect(model);
    let Some(draft) = model.edit.as_mut() else {
        return;
    };
    let (Some(size), Some(rect)) = (draft.first_size(), rect) else {
        let text = match &draft.preparation {
            crate::model::edit::Preparation::Failed(why) => {
                format!("Image 1 cannot be painted on: {why}")
            }
            _ => "Reading image 1: m again in a moment".into(),
        };
        model.set_status(Level::Info, text);
        return;
    };
    let fresh = draft.mask.is_none();
    // Marks drawn before keep their grid, so mask and marks line up.
    let (cols, rows) = draft
        .markup
        .as_ref()
        .map_or((rect.width, rect.height), |m| (m.cols, m.rows));
    let grid = &draft.mask_for_painting(cols, rows, size).edits.grid;
    let (gc, gr) = (grid.cols, grid.rows);
    if fresh || draft.brush.cursor.0 >= gc || draft.brush.cursor.1 >= gr {
        draft.brush.cursor = (gc / 2, gr / 2);
    }
    draft.brush.anchor = None;
    model.overlay = Some(Overlay::Painter);
}

/// Enter or q: back to the edit panel; the mask is prepared again if it changed.
pub fn done(model: &mut Model) {
    model.overlay = Some(Overlay::Edit);
    if let Some(draft) = model.edit.as_mut() {
        draft.brush.anchor = None;
        draft.brush.pen_down = false;
        let marks = draft.markup.as_ref().map_or(0, |m| m.marks.len());
        if draft.mask.as_ref().is_some_and(|m| m.edits.grid.is_empty()) {
            draft.mask = None;
            draft.changed();
            let text = if marks > 0 {
                format!(
                    "{marks} mark(s) go as markup over image 1; say in the prompt what they mean"
                )
            } else {
                "Nothing painted: no mask, the whole image may change".into()
            };
            model.set_status(Level::Info, text);
        }
    }
}

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    let Some(draft) = model.edit.as_mut() else {
        return Vec::new();
    };
    if command == Command::MarkupMode {
        switch_mode(model);
        return Vec::new();
    }
    // The cursor moves the same way in both modes; what a moving pen
    // leaves behind is the mode's.
    let arrow = match command {
        Command::Up => Some((0, -1)),
        Command::Down => Some((0, 1)),
        Command::Left => Some((-1, 0)),
        Command::Right => Some((1, 0)),
        _ => None,
    };
    if let Some((dx, dy)) = arrow {
        step(draft, dx, dy);
        return Vec::new();
    }
    if draft.marking {
        super::markup::run(draft, command);
        return Vec::new();
    }
    match command {
        Command::Paint => stroke(draft, true),
        Command::Erase => stroke(draft, false),
        Command::Pen => {
            draft.brush.pen_down = !draft.brush.pen_down;
            if draft.brush.pen_down {
                let paint = !draft.brush.erasing;
                stroke(draft, paint);
            }
        }
        Command::Eraser => draft.brush.erasing = !draft.brush.erasing,
        Command::BrushBigger => draft.brush.size = (draft.brush.size + 1).min(BRUSH_MAX),
        Command::BrushSmaller => draft.brush.size = draft.brush.size.saturating_sub(1).max(1),
        Command::Rectangle => rectangle(draft),
        Command::Fill => {
            let (c, r) = draft.brush.cursor;
            change(draft, |g| g.fill(c, r));
        }
        Command::Invert => change(draft, crate::edit::MaskGrid::invert),
        Command::ClearMask => change(draft, crate::edit::MaskGrid::clear),
        Command::Undo => {
            if let Some(mask) = draft.mask.as_mut()
                && mask.edits.undo()
            {
                mask.touched = true;
                draft.changed();
            }
        }
        Command::CycleFeather => draft.cycle_feather(),
        _ => {}
    }
    Vec::new()
}

/// m: mask or markup. The API takes one or the other, so the switch says
/// when the other is already drawn.
fn switch_mode(model: &mut Model) {
    let Some(draft) = model.edit.as_mut() else {
        return;
    };
    draft.marking = !draft.marking;
    draft.brush.anchor = None;
    draft.brush.pen_down = false;
    let painted = draft
        .mask
        .as_ref()
        .is_some_and(|m| !m.edits.grid.is_empty());
    let marked = draft.markup.as_ref().is_some_and(|m| !m.is_empty());
    let text = match (draft.marking, painted, marked) {
        (true, true, _) => {
            "Markup: marks over image 1. A mask is painted too: the API takes one or the other, c in mask mode clears it"
        }
        (true, false, _) => {
            "Markup: draw what to change where (space, p pen, a arrow, r box, n colour); the prompt says what the marks mean"
        }
        (false, _, true) => {
            "Mask: paint what may change. Markup is drawn too: the API takes one or the other, c in markup mode clears it"
        }
        (false, _, false) => "Mask: paint what may change",
    };
    let level = if (draft.marking && painted) || (!draft.marking && marked) {
        Level::Warning
    } else {
        Level::Info
    };
    model.set_status(level, text);
}

/// A change to the grid, recorded for undo and marking the inputs changed.
fn change(draft: &mut EditDraft, f: impl FnOnce(&mut crate::edit::MaskGrid)) {
    let Some(mask) = draft.mask.as_mut() else {
        return;
    };
    if mask.edits.change(f) {
        mask.touched = true;
        draft.changed();
    }
}

fn step(draft: &mut EditDraft, dx: i32, dy: i32) {
    let Some(mask) = &draft.mask else {
        return;
    };
    let (cols, rows) = (mask.edits.grid.cols, mask.edits.grid.rows);
    let (c, r) = draft.brush.cursor;
    draft.brush.cursor = (
        (i32::from(c) + dx).clamp(0, i32::from(cols) - 1) as u16,
        (i32::from(r) + dy).clamp(0, i32::from(rows) - 1) as u16,
    );
    if draft.brush.pen_down {
        if draft.marking {
            super::markup::pen_moved(draft);
        } else {
            let paint = !draft.brush.erasing;
            stroke(draft, paint);
        }
    }
}

/// Space or x: the brush (or a pending rectangle) paints or erases.
fn stroke(draft: &mut EditDraft, paint: bool) {
    let brush = draft.brush.clone();
    if let Some(anchor) = brush.anchor {
        draft.brush.anchor = None;
        change(draft, |g| g.rect(anchor, brush.cursor, paint));
        return;
    }
    let (c, r) = brush.cursor;
    change(draft, |g| g.brush(c, r, brush.size, paint));
}

/// r: first press marks a corner, the second fills to the cursor.
fn rectangle(draft: &mut EditDraft) {
    match draft.brush.anchor {
        None => draft.brush.anchor = Some(draft.brush.cursor),
        Some(_) => {
            let paint = !draft.brush.erasing;
            stroke(draft, paint);
        }
    }
}

/// A click or drag on the picture paints (left button) or erases (right).
pub fn mouse(model: &mut Model, column: u16, row: u16, erase: bool) -> Vec<Effect> {
    let Some(rect) = picture_rect(model) else {
        return Vec::new();
    };
    if !contains(rect, column, row) {
        return Vec::new();
    }
    let Some(draft) = model.edit.as_mut() else {
        return Vec::new();
    };
    let Some(mask) = &draft.mask else {
        return Vec::new();
    };
    draft.brush.cursor =
        mask.edits
            .grid
            .cell_at(column - rect.x, row - rect.y, rect.width, rect.height);
    if draft.marking {
        super::markup::clicked(draft, erase);
        return Vec::new();
    }
    draft.brush.anchor = None;
    stroke(draft, !erase);
    Vec::new()
}
