//! The question asked before quitting with jobs running or images not
//! yet saved.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::panel::overlay;
use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::overlay_area;
use crate::model::Model;
use crate::model::Overlay;

pub fn render_confirm(model: &Model, theme: Theme, frame: &mut Frame) {
    let area = overlay_area(&Overlay::ConfirmQuit, frame.area());
    let inner = overlay(frame, area, "Quit?", theme);
    let (running, unsaved) = (model.jobs.running(), model.jobs.unsaved());
    let mut lines = Vec::new();
    if running > 0 {
        lines.push(Line::from(format!("{running} job(s) still running.")));
        lines.push(Line::from(
            "Quitting stops them; they are listed as interrupted next time",
        ));
        lines.push(Line::from("and may already have been billed."));
    }
    if unsaved > 0 {
        lines.push(Line::styled(
            format!("{unsaved} job(s) have images the gallery refused; quitting"),
            theme.error(),
        ));
        let retry = model.keymap.gallery_key(Command::Reuse);
        lines.push(Line::from(format!(
            "puts them in $TMPDIR/artty-rescued-…; {retry} on the job retries."
        )));
    }
    lines.push(Line::default());
    let keys = &model.keymap;
    lines.push(Line::styled(
        format!(
            "{} quit · {} or {} stay",
            keys.key(Context::Confirm, Command::Yes),
            keys.key(Context::Confirm, Command::No),
            keys.global(Command::Close),
        ),
        theme.key(),
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
