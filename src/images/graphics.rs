//! Which way images reach the screen, chosen once at start-up from the
//! terminal's answers, the environment and the user's override
//! (`--graphics`, or `graphics` in config.toml).

use super::detect::Replies;
pub use super::mode::{Graphics, Palette, Route};

/// What the user asked for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum GraphicsChoice {
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm,
    Blocks,
    None,
}

impl GraphicsChoice {
    /// The terminal's answers are worth asking for.
    pub fn needs_probe(self) -> bool {
        !matches!(self, GraphicsChoice::Blocks | GraphicsChoice::None)
    }
}

/// What start-up learned about the terminal besides the replies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    pub in_tmux: bool,
    /// tmux's `allow-passthrough` is on.
    pub tmux_passthrough: bool,
    /// The outer terminal as tmux knows it from its own XTVERSION query
    /// (`#{client_termtype}`, e.g. `kitty(0.26.5)`), and the features tmux
    /// found (`#{client_termfeatures}`, e.g. `RGB,sixel,…`).
    pub tmux_outer: Option<String>,
    pub tmux_features: Option<String>,
    /// viuer's check of TERM_PROGRAM / LC_TERMINAL / KONSOLE_VERSION.
    pub iterm: bool,
    /// KITTY_WINDOW_ID is set (kept by tmux from the terminal it started in).
    pub kitty_window: bool,
    /// COLORTERM says truecolor or 24bit.
    pub truecolor: bool,
    /// NO_COLOR is set: no colour codes at all.
    pub no_color: bool,
    /// `$TERM`.
    pub term: String,
    /// The pixel size of the window from the kernel (TIOCGWINSZ), if known.
    pub window_pixels: Option<(u16, u16)>,
    /// The size in cells.
    pub cells: (u16, u16),
}

impl Environment {
    /// Reads the environment of this process; `cells` is the terminal size.
    pub fn of_process(cells: (u16, u16)) -> Environment {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        let in_tmux = super::tmux::inside();
        let outer = in_tmux.then(super::tmux::client).flatten();
        Environment {
            in_tmux,
            tmux_passthrough: in_tmux && super::tmux::passthrough_allowed(),
            tmux_outer: outer.as_ref().map(|c| c.termtype.clone()),
            tmux_features: outer.map(|c| c.features),
            iterm: super::iterm::supported(),
            kitty_window: !var("KITTY_WINDOW_ID").is_empty(),
            truecolor: matches!(var("COLORTERM").as_str(), "truecolor" | "24bit"),
            no_color: !var("NO_COLOR").is_empty(),
            term: var("TERM"),
            window_pixels: crossterm::terminal::window_size()
                .ok()
                .filter(|w| w.width > 0 && w.height > 0)
                .map(|w| (w.width, w.height)),
            cells,
        }
    }

    pub fn route(&self) -> Route {
        if self.in_tmux {
            Route::Tmux
        } else {
            Route::Direct
        }
    }

    /// What to ask the terminal.
    pub fn asking(&self) -> super::detect::Asking {
        super::detect::Asking {
            route: self.route(),
            strings: !self.term.starts_with("linux"),
            background: self.no_color,
        }
    }
}

/// The terminal as images see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminalImages {
    pub graphics: Graphics,
    /// Width and height of a cell in pixels.
    pub cell: (u16, u16),
    pub palette: Palette,
    /// Animated GIFs play (kitty plays them itself; elsewhere the app
    /// steps their frames while they are on screen).
    pub animate: bool,
    /// The largest sixel image the terminal takes, in pixels.
    pub sixel_max: (u32, u32),
}

/// A cell size to assume when the terminal does not tell.
pub const DEFAULT_CELL: (u16, u16) = (10, 20);
/// xterm's default `maxGraphicSize`, assumed when a sixel terminal does
/// not say: larger images are dropped whole.
pub const DEFAULT_SIXEL_MAX: (u32, u32) = (1000, 1000);

impl TerminalImages {
    /// Half blocks at the default cell size: tests and `--graphics blocks`.
    pub fn blocks() -> TerminalImages {
        TerminalImages {
            graphics: Graphics::Blocks,
            cell: DEFAULT_CELL,
            palette: Palette::Rgb,
            animate: true,
            sixel_max: DEFAULT_SIXEL_MAX,
        }
    }

    /// True when the terminal plays animations itself (kitty's animation
    /// protocol), so the app has nothing to step.
    pub fn plays_animations(&self) -> bool {
        matches!(self.graphics, Graphics::Kitty(_))
    }

    pub fn choose(choice: GraphicsChoice, replies: &Replies, env: &Environment) -> TerminalImages {
        TerminalImages {
            graphics: pick(choice, replies, env),
            cell: cell_size(replies, env),
            palette: palette(replies, env),
            animate: true,
            sixel_max: replies.sixel_max.unwrap_or(DEFAULT_SIXEL_MAX),
        }
    }
}

fn pick(choice: GraphicsChoice, replies: &Replies, env: &Environment) -> Graphics {
    let route = env.route();
    let kitty = replies.kitty == Some(true);
    match choice {
        GraphicsChoice::Kitty => Graphics::Kitty(route),
        GraphicsChoice::Sixel => Graphics::Sixel,
        GraphicsChoice::Iterm => Graphics::Iterm,
        GraphicsChoice::Blocks => Graphics::Blocks,
        GraphicsChoice::None => Graphics::None,
        GraphicsChoice::Auto if kitty && !env.in_tmux => Graphics::Kitty(Route::Direct),
        // Through tmux only placeholders stay where tmux puts the text, and
        // only terminals known to draw them get them: anything else would
        // show empty boxes, or images at the wrong place.
        GraphicsChoice::Auto
            if env.in_tmux
                && env.tmux_passthrough
                && (kitty || env.kitty_window)
                && draws_placeholders(outer_terminal(replies, env)) =>
        {
            Graphics::Kitty(Route::Tmux)
        }
        // tmux keeps iTerm2 images at the wrong place; sixel it draws itself.
        GraphicsChoice::Auto if env.iterm && !env.in_tmux => Graphics::Iterm,
        GraphicsChoice::Auto if replies.sixel() => Graphics::Sixel,
        GraphicsChoice::Auto => Graphics::Blocks,
    }
}

/// The terminal's name and version: its XTVERSION answer, or inside tmux
/// the one tmux got from the outer terminal.
fn outer_terminal<'a>(replies: &'a Replies, env: &'a Environment) -> Option<&'a str> {
    match env.tmux_outer.as_deref().filter(|t| !t.is_empty()) {
        Some(outer) if env.in_tmux => Some(outer),
        _ => replies.terminal_version(),
    }
}

/// Unicode placeholders came in kitty 0.28; ghostty has them from its first
/// release. Others (Konsole, WezTerm) take the transfer but draw nothing.
fn draws_placeholders(terminal: Option<&str>) -> bool {
    let Some(terminal) = terminal else {
        return false;
    };
    if let Some(version) = terminal.strip_prefix("kitty(") {
        return version_at_least(version.trim_end_matches(')'), (0, 28));
    }
    terminal.to_ascii_lowercase().starts_with("ghostty")
}

fn version_at_least(version: &str, floor: (u32, u32)) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) >= floor,
        _ => false,
    }
}

/// Colours from the answers first (24-bit capabilities, the colour count),
/// then `COLORTERM` and `TERM`.
fn palette(replies: &Replies, env: &Environment) -> Palette {
    if env.no_color {
        let light = replies
            .background
            .is_some_and(|[r, g, b]| u32::from(r) + u32::from(g) + u32::from(b) > 3 * 128);
        return Palette::Shades {
            light_background: light,
        };
    }
    let direct_answer = replies.capability("RGB").is_some()
        || replies.capability("Tc").is_some()
        || replies.rendition.as_deref().is_some_and(|r| {
            ["2::1:2:3", "2:1:2:3", "2;1;2;3"]
                .iter()
                .any(|p| r.contains(p))
        });
    let direct_terminal = !env.in_tmux
        && (replies.kitty == Some(true)
            || replies.terminal_version().is_some_and(|v| {
                [
                    "XTerm(", "kitty(", "WezTerm", "foot", "ghostty", "contour", "mlterm",
                ]
                .iter()
                .any(|name| v.starts_with(name))
            }));
    // Inside tmux, 24-bit colour survives only if tmux found RGB outside.
    let tmux_rgb = env
        .tmux_features
        .as_deref()
        .is_some_and(|f| f.split(',').any(|f| f == "RGB"));
    let term = env.term.as_str();
    if env.in_tmux {
        if tmux_rgb || env.truecolor {
            return Palette::Rgb;
        }
    } else if env.truecolor || direct_answer || direct_terminal || term.ends_with("-direct") {
        return Palette::Rgb;
    }
    if let Some(count) = replies.capability("Co").and_then(|c| c.parse::<u32>().ok()) {
        return match count {
            256.. => Palette::Indexed,
            16.. => Palette::Sixteen,
            _ => Palette::Eight,
        };
    }
    if term.contains("256color") {
        Palette::Indexed
    } else if term.contains("16color") || term.starts_with("linux") {
        Palette::Sixteen
    } else if term.ends_with("-color")
        || term.ends_with("-8color")
        || ["vt100", "vt220", "ansi"].contains(&term)
    {
        Palette::Eight
    } else {
        Palette::Indexed
    }
}

fn cell_size(replies: &Replies, env: &Environment) -> (u16, u16) {
    let (columns, rows) = env.cells;
    let per_cell = |(w, h): (u16, u16)| {
        (columns > 0 && rows > 0 && w >= columns && h >= rows).then(|| (w / columns, h / rows))
    };
    replies
        .cell
        .or_else(|| replies.area.and_then(per_cell))
        .or_else(|| env.window_pixels.and_then(per_cell))
        .unwrap_or(DEFAULT_CELL)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment {
            cells: (80, 24),
            ..Environment::default()
        }
    }

    fn replies(text: &[u8]) -> Replies {
        super::super::detect::parse(text)
    }

    #[test]
    fn auto_prefers_kitty_then_iterm_then_sixel_then_blocks() {
        let kitty = replies(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4c");
        let sixel = replies(b"\x1b[?62;4c");
        let plain = replies(b"\x1b[?62c");
        let auto = GraphicsChoice::Auto;
        assert_eq!(pick(auto, &kitty, &env()), Graphics::Kitty(Route::Direct));
        let iterm = Environment {
            iterm: true,
            ..env()
        };
        assert_eq!(pick(auto, &sixel, &iterm), Graphics::Iterm);
        assert_eq!(pick(auto, &sixel, &env()), Graphics::Sixel);
        assert_eq!(pick(auto, &plain, &env()), Graphics::Blocks);
        assert_eq!(pick(auto, &Replies::default(), &env()), Graphics::Blocks);
        assert_eq!(pick(GraphicsChoice::None, &kitty, &env()), Graphics::None);
    }

    #[test]
    fn inside_tmux_kitty_needs_passthrough_and_a_terminal_that_draws_placeholders() {
        let kitty = replies(b"\x1b_Gi=31;OK\x1b\\\x1b[?62c");
        let tmux = Environment {
            in_tmux: true,
            tmux_outer: Some("kitty(0.35.2)".into()),
            ..env()
        };
        assert_eq!(pick(GraphicsChoice::Auto, &kitty, &tmux), Graphics::Blocks);
        let open = Environment {
            tmux_passthrough: true,
            ..tmux.clone()
        };
        assert_eq!(
            pick(GraphicsChoice::Auto, &kitty, &open),
            Graphics::Kitty(Route::Tmux)
        );
        let from_env = Environment {
            kitty_window: true,
            ..open.clone()
        };
        assert_eq!(
            pick(GraphicsChoice::Auto, &Replies::default(), &from_env),
            Graphics::Kitty(Route::Tmux)
        );
        // kitty 0.26 (Debian 12) and Konsole answer the query but draw no
        // placeholders: empty boxes. Unknown outer terminals get blocks too.
        for outer in [Some("kitty(0.26.5)"), Some("Konsole 22.12.3"), None] {
            let old = Environment {
                tmux_outer: outer.map(String::from),
                ..open.clone()
            };
            assert_eq!(
                pick(GraphicsChoice::Auto, &kitty, &old),
                Graphics::Blocks,
                "{outer:?}"
            );
        }
        assert_eq!(
            pick(GraphicsChoice::Kitty, &Replies::default(), &open),
            Graphics::Kitty(Route::Tmux),
            "asked for by name"
        );
        let iterm = Environment {
            iterm: true,
            ..tmux
        };
        assert_eq!(
            pick(GraphicsChoice::Auto, &Replies::default(), &iterm),
            Graphics::Blocks
        );
        assert!(draws_placeholders(Some("ghostty 1.1.2")));
        assert!(!draws_placeholders(Some("kitty(0.27.1)")));
        assert!(draws_placeholders(Some("kitty(0.28.0)")));
        assert!(!draws_placeholders(Some("kitty(x)")));
    }

    #[test]
    fn colours_from_answers_then_colorterm_then_term() {
        let term = |t: &str| Environment {
            term: t.into(),
            ..env()
        };
        let none = Replies::default();
        assert_eq!(palette(&none, &term("xterm-256color")), Palette::Indexed);
        assert_eq!(palette(&none, &term("xterm-16color")), Palette::Sixteen);
        assert_eq!(palette(&none, &term("xterm-color")), Palette::Eight);
        assert_eq!(palette(&none, &term("linux")), Palette::Sixteen);
        assert_eq!(palette(&none, &term("xterm-direct")), Palette::Rgb);
        let xterm = replies(b"\x1bP>|XTerm(379)\x1b\\");
        assert_eq!(
            palette(&xterm, &term("xterm-256color")),
            Palette::Rgb,
            "xterm draws 24-bit colour"
        );
        let rgb = replies(b"\x1bP1+r524742=382F382F38\x1b\\");
        assert_eq!(palette(&rgb, &term("xterm")), Palette::Rgb);
        let sixteen = replies(b"\x1bP1+r436F=3136\x1b\\");
        assert_eq!(
            palette(&sixteen, &term("xterm-256color")),
            Palette::Sixteen,
            "the terminal's own count wins"
        );
        let colorterm = Environment {
            truecolor: true,
            ..term("screen")
        };
        assert_eq!(palette(&none, &colorterm), Palette::Rgb);
        let tmux = Environment {
            in_tmux: true,
            tmux_features: Some("256,RGB,title".into()),
            ..term("tmux-256color")
        };
        assert_eq!(palette(&xterm, &tmux), Palette::Rgb);
        let tmux_256 = Environment {
            tmux_features: Some("256,title".into()),
            ..tmux
        };
        assert_eq!(
            palette(&xterm, &tmux_256),
            Palette::Indexed,
            "tmux would turn 24-bit into 256"
        );
        let no_color = Environment {
            no_color: true,
            ..term("xterm-256color")
        };
        assert_eq!(
            palette(&xterm, &no_color),
            Palette::Shades {
                light_background: false
            }
        );
        let light = replies(b"\x1b]11;rgb:ffff/ffff/f0f0\x1b\\");
        assert_eq!(
            palette(&light, &no_color),
            Palette::Shades {
                light_background: true
            }
        );
    }

    #[test]
    fn cell_size_from_reply_area_window_or_default() {
        let e = env();
        assert_eq!(cell_size(&replies(b"\x1b[6;17;8t"), &e), (8, 17));
        assert_eq!(cell_size(&replies(b"\x1b[4;480;800t"), &e), (10, 20));
        let window = Environment {
            window_pixels: Some((640, 384)),
            ..env()
        };
        assert_eq!(cell_size(&Replies::default(), &window), (8, 16));
        assert_eq!(cell_size(&Replies::default(), &e), DEFAULT_CELL);
        let nonsense = Environment {
            window_pixels: Some((3, 3)),
            ..env()
        };
        assert_eq!(cell_size(&Replies::default(), &nonsense), DEFAULT_CELL);
    }
}
