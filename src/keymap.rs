//! Keys are data: one table of (context, command, keys) dispatches key
//! presses, draws the status-bar hints and the help overlay, and is written
//! out as docs/keybindings.md. `keys.toml` in the config folder rebinds any
//! command, per context:
//!
//! ```toml
//! [global]
//! generate = ["ctrl-g", "f5", "ctrl-enter"]
//! [gallery]
//! delete = ["D"]
//! ```

mod chord;
mod command;
mod defaults;

use std::collections::BTreeMap;

pub use chord::{KeyChord, control_char};
pub use command::{Command, Context};
use crossterm::event::KeyEvent;

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub context: Context,
    pub command: Command,
    pub keys: Vec<KeyChord>,
    pub help: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let bindings = defaults::DEFAULTS
            .iter()
            .map(|(context, command, keys, help)| Binding {
                context: *context,
                command: *command,
                keys: keys
                    .iter()
                    .filter_map(|k| KeyChord::parse(k).ok())
                    .collect(),
                help,
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with a keys.toml applied; each entry that could not be
    /// used comes back as a warning and leaves the default in place.
    pub fn with_overrides(text: &str) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let table: BTreeMap<String, BTreeMap<String, Vec<String>>> = match toml::from_str(text) {
            Ok(table) => table,
            Err(e) => {
                let why = crate::util::toml_text::error_text(text, &e);
                return (
                    keymap,
                    vec![format!(
                        "keys.toml was not used ({why}); the default keys apply"
                    )],
                );
            }
        };
        let mut warnings = Vec::new();
        let mut rebound = Vec::new();
        for (context_name, entries) in &table {
            let Some(context) = Context::from_name(context_name) else {
                warnings.push(format!("keys.toml: no context called [{context_name}]"));
                continue;
            };
            for (command_name, keys) in entries {
                match keymap.rebind(context, command_name, keys) {
                    Ok(command) => rebound.push((context, command)),
                    Err(why) => {
                        warnings.push(format!("keys.toml [{context_name}] {command_name}: {why}"))
                    }
                }
            }
        }
        warnings.extend(keymap.settle_conflicts(&rebound));
        (keymap, warnings)
    }

    /// A key the user gave a command is taken from any default binding of
    /// the same context that had it (the user's choice wins, and the key is
    /// listed once); two user bindings of one key keep it where the table
    /// looks first. Each conflict is a warning naming both commands.
    fn settle_conflicts(&mut self, rebound: &[(Context, Command)]) -> Vec<String> {
        let mut warnings = Vec::new();
        for &(context, command) in rebound {
            let Some(mine) = self
                .bindings
                .iter()
                .find(|b| b.context == context && b.command == command)
                .map(|b| b.keys.clone())
            else {
                continue;
            };
            for key in mine {
                for other in self.bindings.iter_mut().filter(|b| {
                    b.context == context && b.command != command && b.keys.contains(&key)
                }) {
                    let (name, theirs) = (command.name(), other.command.name());
                    if rebound.contains(&(context, other.command)) {
                        // Both keys are the user's: `shared_user_keys` says so.
                        continue;
                    }
                    other.keys.retain(|k| *k != key);
                    let left = match other.keys.first() {
                        Some(k) => format!("{theirs} keeps {k}"),
                        None => format!("{theirs} has no key now"),
                    };
                    warnings.push(format!(
                        "keys.toml [{}] {name}: {key} was {theirs}'s key; {left}",
                        context.name()
                    ));
                }
            }
        }
        warnings.extend(self.shared_user_keys(rebound));
        warnings
    }

    /// Keys two user bindings of one context share: the first in table
    /// order runs.
    fn shared_user_keys(&self, rebound: &[(Context, Command)]) -> Vec<String> {
        let mine: Vec<&Binding> = self
            .bindings
            .iter()
            .filter(|b| rebound.contains(&(b.context, b.command)))
            .collect();
        let mut warnings = Vec::new();
        for (at, first) in mine.iter().enumerate() {
            for second in &mine[at + 1..] {
                if first.context != second.context {
                    continue;
                }
                for key in first.keys.iter().filter(|k| second.keys.contains(k)) {
                    warnings.push(format!(
                        "keys.toml [{}]: {key} is given to both {} and {}; {} runs",
                        first.context.name(),
                        first.command.name(),
                        second.command.name(),
                        first.command.name()
                    ));
                }
            }
        }
        warnings
    }

    fn rebind(
        &mut self,
        context: Context,
        command: &str,
        keys: &[String],
    ) -> Result<Command, String> {
        let command = Command::from_name(command).ok_or("no such command")?;
        let chords = keys
            .iter()
            .map(|k| KeyChord::parse(k))
            .collect::<Result<Vec<_>, _>>()?;
        let binding = self
            .bindings
            .iter_mut()
            .find(|b| b.context == context && b.command == command)
            .ok_or("this command has no binding in this context")?;
        binding.keys = chords;
        Ok(command)
    }

    /// The command `key` runs, asking `contexts` in order.
    pub fn lookup(&self, contexts: &[Context], key: &KeyEvent) -> Option<Command> {
        contexts.iter().find_map(|context| {
            self.bindings
                .iter()
                .find(|b| b.context == *context && b.keys.iter().any(|k| k.matches(key)))
                .map(|b| b.command)
        })
    }

    /// Bindings of one context, in table order.
    pub fn in_context(&self, context: Context) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.context == context)
    }

    /// The first key of a command in a context, as hints show it.
    pub fn first_key(&self, context: Context, command: Command) -> Option<String> {
        self.in_context(context)
            .find(|b| b.command == command)
            .and_then(|b| b.keys.first())
            .map(|k| k.to_string())
    }

    /// The first key of `command` in `context` that really runs it while
    /// `contexts` have the keys: a key an earlier context takes for
    /// something else is skipped, so a hint never names a shadowed key.
    pub fn live_key(
        &self,
        contexts: &[Context],
        context: Context,
        command: Command,
    ) -> Option<String> {
        self.in_context(context)
            .filter(|b| b.command == command)
            .flat_map(|b| b.keys.iter())
            .find(|chord| {
                let event = KeyEvent::new(chord.code, chord.mods);
                self.lookup(contexts, &event) == Some(command)
            })
            .map(|k| k.to_string())
    }

    /// A command's first key in a context as hints show it, or a note that
    /// it has none: every hint is made from this, so a rebinding in
    /// keys.toml is what the screen says.
    pub fn key(&self, context: Context, command: Command) -> String {
        self.first_key(context, command)
            .unwrap_or_else(|| "(no key)".into())
    }

    /// A global command's first key (`Ctrl+G`, `F2`, `Esc`…).
    pub fn global(&self, command: Command) -> String {
        self.key(Context::Global, command)
    }

    /// The first key of a gallery command, for status hints ("" when unbound).
    pub fn gallery_key(&self, command: Command) -> String {
        self.first_key(Context::Gallery, command)
            .unwrap_or_default()
    }

    /// The whole table as Markdown, for docs/keybindings.md.
    /// Every binding with its context's name, context by context, as
    /// `keys --json` lists them.
    pub fn listing(&self) -> impl Iterator<Item = (&'static str, &Binding)> {
        Context::ALL
            .into_iter()
            .flat_map(move |context| self.in_context(context).map(move |b| (context.name(), b)))
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        for context in Context::ALL {
            out.push_str(&format!(
                "\n## {} (`[{}]`)\n\n",
                context.title(),
                context.name()
            ));
            out.push_str("| keys | command | does |\n|---|---|---|\n");
            for b in self.in_context(context) {
                let keys: Vec<String> = b.keys.iter().map(|k| format!("`{k}`")).collect();
                out.push_str(&format!(
                    "| {} | `{}` | {} |\n",
                    keys.join(" "),
                    b.command.name(),
                    b.help
                ));
            }
        }
        out
    }
}
