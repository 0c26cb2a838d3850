//! The bordered box every panel and overlay is drawn in.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear};

use super::theme::Theme;

/// Draws the box and returns its inside. A focused box has a thick border
/// and a `▶` before its title, so focus shows without colour.
pub fn panel(frame: &mut Frame, area: Rect, title: &str, focused: bool, theme: Theme) -> Rect {
    let marker = if focused { "▶ " } else { "" };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.border(focused))
        .title(Line::from(Span::styled(
            format!(" {marker}{title} "),
            theme.title(focused),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// An overlay: clears what is under it, then draws a focused box.
pub fn overlay(frame: &mut Frame, area: Rect, title: &str, theme: Theme) -> Rect {
    frame.render_widget(Clear, area);
    panel(frame, area, title, true, theme)
}
