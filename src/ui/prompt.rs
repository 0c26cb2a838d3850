//! The prompt panel: the text area and a character counter against the
//! model's limit, which warns from 90 % and says by how much it is over.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel::panel;
use super::theme::Theme;
use crate::model::{Model, Panel};

pub fn render_prompt(model: &Model, theme: Theme, area: Rect, frame: &mut Frame) {
    if area.height < 3 {
        return;
    }
    let focused = model.focus == Panel::Prompt && model.overlay.is_none();
    let title = if focused && model.editing {
        "Prompt · typing"
    } else {
        "Prompt"
    };
    let inner = panel(frame, area, title, focused, theme);
    let counter = counter(model, theme);
    let counter_area = Rect::new(
        area.x + 1,
        area.bottom() - 1,
        area.width.saturating_sub(2),
        1,
    );
    frame.render_widget(&model.prompt.text, inner);
    frame.render_widget(
        Paragraph::new(counter).alignment(Alignment::Right),
        counter_area,
    );
}

fn counter(model: &Model, theme: Theme) -> Line<'static> {
    let count = model.prompt.char_count();
    let limit = model
        .session
        .catalog
        .get(model.params.model())
        .map(|m| m.prompt_max);
    let Some(limit) = limit else {
        return Line::from(format!(" {count} chars "));
    };
    let (style, note) = if count > limit {
        (theme.error(), format!(" ✗ over by {} ", count - limit))
    } else if count * 10 >= limit * 9 {
        (theme.warning(), " ⚠ near the limit ".to_string())
    } else {
        (theme.dim(), " ".to_string())
    };
    Line::from(vec![
        Span::styled(note, style),
        Span::styled(format!("{count}/{limit} "), style),
    ])
}
