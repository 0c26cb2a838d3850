//! The painter's markup mode: strokes, arrows and boxes in colour over
//! image 1, on the same grid as the mask.

use crate::edit::Mark;
use crate::keymap::Command;
use crate::model::edit::EditDraft;

pub fn run(draft: &mut EditDraft, command: Command) {
    match command {
        // The arrows are the painter's in both modes (`painter::step`).
        Command::Paint => dot(draft),
        Command::Pen => {
            draft.brush.pen_down = !draft.brush.pen_down;
            if draft.brush.pen_down {
                dot(draft);
            }
        }
        Command::Rectangle => two_points(draft, false),
        Command::Arrow => two_points(draft, true),
        Command::NextColour => draft.mark_colour = draft.mark_colour.next(),
        // x takes the last mark away, like undo.
        Command::Undo | Command::Erase => change(draft, |m| {
            m.undo();
        }),
        Command::ClearMask => change(draft, crate::edit::Markup::clear),
        _ => {}
    }
}

/// Records a change to the marks and marks the inputs changed.
fn change(draft: &mut EditDraft, f: impl FnOnce(&mut crate::edit::Markup)) {
    let Some(markup) = draft.markup_for_drawing() else {
        return;
    };
    let before = markup.marks.clone();
    f(markup);
    if markup.marks != before {
        draft.changed();
    }
}

/// Space: a dot where the cursor is, the start of a stroke.
fn dot(draft: &mut EditDraft) {
    let (cell, colour) = (draft.brush.cursor, draft.mark_colour);
    change(draft, |m| m.stroke_to(cell, colour, false));
}

/// The cursor moved with the pen down: the stroke follows it.
pub fn pen_moved(draft: &mut EditDraft) {
    let (cell, colour) = (draft.brush.cursor, draft.mark_colour);
    change(draft, |m| m.stroke_to(cell, colour, true));
}

/// r or a: the first press marks where the box or arrow starts, the
/// second draws it to the cursor.
fn two_points(draft: &mut EditDraft, arrow: bool) {
    let Some(from) = draft.brush.anchor.filter(|_| draft.brush.arrow == arrow) else {
        draft.brush.anchor = Some(draft.brush.cursor);
        draft.brush.arrow = arrow;
        return;
    };
    draft.brush.anchor = None;
    let (to, colour) = (draft.brush.cursor, draft.mark_colour);
    let mark = if arrow {
        Mark::Arrow { from, to, colour }
    } else {
        Mark::Frame { from, to, colour }
    };
    change(draft, |m| m.add(mark));
}

/// A click draws (a drag continues the stroke); a right click takes the
/// last mark away.
pub fn clicked(draft: &mut EditDraft, erase: bool) {
    if erase {
        return change(draft, |m| {
            m.undo();
        });
    }
    let (cell, colour) = (draft.brush.cursor, draft.mark_colour);
    // A drag arrives as clicks on neighbouring cells: they join the stroke.
    let near = |m: &crate::edit::Markup| match m.marks.last() {
        Some(Mark::Stroke { points, .. }) => points
            .last()
            .is_some_and(|p| p.0.abs_diff(cell.0) <= 2 && p.1.abs_diff(cell.1) <= 2),
        _ => false,
    };
    change(draft, |m| {
        let extend = near(m);
        m.stroke_to(cell, colour, extend)
    });
}
