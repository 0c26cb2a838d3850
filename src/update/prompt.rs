//! The prompt panel's commands.

use crate::effect::Effect;
use crate::keymap::Command;
use crate::model::{Level, Model};

pub fn run(model: &mut Model, command: Command) -> Vec<Effect> {
    match command {
        Command::Edit => {
            model.editing = true;
            model.prompt.set_editing(true);
        }
        Command::ExternalEditor => return vec![Effect::OpenEditor(model.prompt.content())],
        Command::HistoryPrev => model.prompt.history_prev(),
        Command::HistoryNext => model.prompt.history_next(),
        _ => {}
    }
    Vec::new()
}

/// The external editor's text replaces the prompt; one trailing newline,
/// which every editor adds, is dropped.
pub fn editor_closed(model: &mut Model, result: Result<String, String>) -> Vec<Effect> {
    match result {
        Ok(text) => {
            let text = text.strip_suffix('\n').unwrap_or(&text);
            model
                .prompt
                .set_content(text.strip_suffix('\r').unwrap_or(text));
            model.set_status(Level::Info, "Prompt read back from the editor");
        }
        Err(why) => model.set_status(Level::Error, why),
    }
    Vec::new()
}
