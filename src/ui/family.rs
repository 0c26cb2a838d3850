//! The family tree: the image's oldest ancestor and everything made from
//! it, indented by generation, with how each came from its parent.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::format::one_line;
use super::panel::panel;
use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::{inside, overlay_area};
use crate::model::family::FamilyView;
use crate::model::{Model, Overlay};

pub fn render_family(model: &Model, view: &FamilyView, theme: Theme, frame: &mut Frame) {
    let screen = Rect::new(0, 0, model.size.0, model.size.1);
    let area = overlay_area(&Overlay::Family(view.clone()), screen);
    frame.render_widget(Clear, area);
    let title = format!(
        "Family · {} images · {} goes there",
        view.lines.len(),
        model.keymap.key(Context::Family, Command::Choose)
    );
    panel(frame, area, &title, true, theme);
    let inner = inside(area);
    let visible = usize::from(inner.height);
    let first = view.selected.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = view
        .lines
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(at, line)| {
            let when = line
                .created
                .to_zoned(model.session.time_zone.clone())
                .strftime("%m-%d %H:%M");
            let branch = if line.depth == 0 {
                String::new()
            } else {
                format!("{}└ ", "  ".repeat(line.depth - 1))
            };
            let selected = at == view.selected;
            let here = if selected { "›" } else { " " };
            let spans = vec![
                Span::raw(format!("{here}{branch}")),
                Span::styled(format!("{} ", one_line(&line.relation)), theme.warning()),
                Span::styled(format!("{when} {} ", one_line(&line.model)), theme.dim()),
                Span::raw(one_line(&line.prompt)),
            ];
            let line = Line::from(spans);
            if selected {
                line.patch_style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
