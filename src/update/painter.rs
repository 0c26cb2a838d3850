//! The mask painter's commands: the cursor and brush, painting and
//! erasing, rectangles, fill, invert, clear and undo, and the mouse.

use crate::keymap::Command;
use crate::model::edit::{BRUSH_MAX, EditDraft};
use crate::model::{Level, Model, Overlay};
use crate::ui::layout::contains;
use crate::ui::painter::picture_rect;

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
    let grid = &draft
        .mask_for_painting(rect.width, rect.height, size)
        .edits
        .grid;
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
        if draft.mask.as_ref().is_some_and(|m| m.edits.grid.is_empty()) {
            draft.mask = None;
            draft.changed();
            model.set_status(
                Level::Info,
                "Nothing painted: no mask, the whole image may change",
            );
        }
    }
}

pub fn run(model: &mut Model, command: Command) {
    let Some(draft) = model.edit.as_mut() else {
        return;
    };
    match command {
        Command::Up => step(draft, 0, -1),
        Command::Down => step(draft, 0, 1),
        Command::Left => step(draft, -1, 0),
        Command::Right => step(draft, 1, 0),
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
    let Some(mask) = &draft.mask else { return };
    let (cols, rows) = (mask.edits.grid.cols, mask.edits.grid.rows);
    let (c, r) = draft.brush.cursor;
    draft.brush.cursor = (
        (i32::from(c) + dx).clamp(0, i32::from(cols) - 1) as u16,
        (i32::from(r) + dy).clamp(0, i32::from(rows) - 1) as u16,
    );
    if draft.brush.pen_down {
        let paint = !draft.brush.erasing;
        stroke(draft, paint);
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
pub fn mouse(model: &mut Model, column: u16, row: u16, erase: bool) {
    let Some(rect) = picture_rect(model) else {
        return;
    };
    if !contains(rect, column, row) {
        return;
    }
    let Some(draft) = model.edit.as_mut() else {
        return;
    };
    let Some(mask) = &draft.mask else { return };
    draft.brush.cursor =
        mask.edits
            .grid
            .cell_at(column - rect.x, row - rect.y, rect.width, rect.height);
    draft.brush.anchor = None;
    stroke(draft, !erase);
}
