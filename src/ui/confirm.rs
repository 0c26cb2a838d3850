//! The question asked before quitting with jobs running.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::layout::overlay_area;
use super::panel::overlay;
use super::theme::Theme;
use crate::model::Model;
use crate::model::Overlay;

pub fn render_confirm(model: &Model, theme: Theme, frame: &mut Frame) {
    let area = overlay_area(&Overlay::ConfirmQuit, frame.area());
    let inner = overlay(frame, area, "Quit?", theme);
    let running = model.jobs.running();
    let lines = vec![
        Line::from(format!("{running} job(s) still running.")),
        Line::from("Quitting stops them; they are listed as interrupted next time"),
        Line::from("and may already have been billed."),
        Line::default(),
        Line::styled("y quit · n or Esc stay", theme.key()),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
