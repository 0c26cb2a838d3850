//! Which way images reach the screen, chosen once at start-up from the
//! terminal's answers, the environment and the user's override
//! (`--graphics`, or `graphics` in config.toml).

use super::detect::Replies;
use super::kitty::Route;

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

/// How images are drawn in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graphics {
    /// kitty graphics protocol: sent once by id, placed by id; inside tmux,
    /// through passthrough with unicode placeholders.
    Kitty(Route),
    Sixel,
    /// iTerm2 inline images, printed by viuer.
    Iterm,
    /// Half-block characters in the cell grid.
    Blocks,
    /// Text only.
    None,
}

impl Graphics {
    /// How the help overlay names it.
    pub fn describe(self) -> &'static str {
        match self {
            Graphics::Kitty(Route::Direct) => "kitty graphics protocol",
            Graphics::Kitty(Route::Tmux) => "kitty graphics through tmux (unicode placeholders)",
            Graphics::Sixel => "sixel",
            Graphics::Iterm => "iTerm2 inline images",
            Graphics::Blocks => "half blocks (colour cells)",
            Graphics::None => "none (text only)",
        }
    }

    /// Drawn by writing escape sequences beside ratatui's cells, so the
    /// app must place and erase them itself.
    pub fn out_of_band(self) -> bool {
        matches!(
            self,
            Graphics::Kitty(Route::Direct) | Graphics::Sixel | Graphics::Iterm
        )
    }
}

/// What start-up learned about the terminal besides the replies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    pub in_tmux: bool,
    /// tmux's `allow-passthrough` is on.
    pub tmux_passthrough: bool,
    /// viuer's check of TERM_PROGRAM / LC_TERMINAL / KONSOLE_VERSION.
    pub iterm: bool,
    /// KITTY_WINDOW_ID is set (kept by tmux from the terminal it started in).
    pub kitty_window: bool,
    /// COLORTERM says truecolor or 24bit.
    pub truecolor: bool,
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
        Environment {
            in_tmux,
            tmux_passthrough: in_tmux && super::tmux::passthrough_allowed(),
            iterm: super::iterm::supported(),
            kitty_window: !var("KITTY_WINDOW_ID").is_empty(),
            truecolor: matches!(var("COLORTERM").as_str(), "truecolor" | "24bit"),
            window_pixels: crossterm::terminal::window_size()
                .ok()
                .filter(|w| w.width > 0 && w.height > 0)
                .map(|w| (w.width, w.height)),
            cells,
        }
    }
}

/// The terminal as images see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminalImages {
    pub graphics: Graphics,
    /// Width and height of a cell in pixels.
    pub cell: (u16, u16),
    pub truecolor: bool,
    /// Animated GIFs play (kitty plays them itself; elsewhere the app
    /// steps their frames while they are on screen).
    pub animate: bool,
}

/// A cell size to assume when the terminal does not tell.
pub const DEFAULT_CELL: (u16, u16) = (10, 20);

impl TerminalImages {
    /// Half blocks at the default cell size: tests and `--graphics blocks`.
    pub fn blocks() -> TerminalImages {
        TerminalImages {
            graphics: Graphics::Blocks,
            cell: DEFAULT_CELL,
            truecolor: true,
            animate: true,
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
            truecolor: env.truecolor || replies.kitty == Some(true),
            animate: true,
        }
    }
}

fn pick(choice: GraphicsChoice, replies: &Replies, env: &Environment) -> Graphics {
    let route = if env.in_tmux {
        Route::Tmux
    } else {
        Route::Direct
    };
    let kitty = replies.kitty == Some(true) || (env.in_tmux && env.kitty_window);
    match choice {
        GraphicsChoice::Kitty => Graphics::Kitty(route),
        GraphicsChoice::Sixel => Graphics::Sixel,
        GraphicsChoice::Iterm => Graphics::Iterm,
        GraphicsChoice::Blocks => Graphics::Blocks,
        GraphicsChoice::None => Graphics::None,
        GraphicsChoice::Auto if kitty && (!env.in_tmux || env.tmux_passthrough) => {
            Graphics::Kitty(route)
        }
        // tmux keeps iTerm2 images at the wrong place; sixel it draws itself.
        GraphicsChoice::Auto if env.iterm && !env.in_tmux => Graphics::Iterm,
        GraphicsChoice::Auto if replies.sixel() => Graphics::Sixel,
        GraphicsChoice::Auto => Graphics::Blocks,
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
    fn inside_tmux_kitty_needs_passthrough() {
        let kitty = replies(b"\x1b_Gi=31;OK\x1b\\\x1b[?62c");
        let tmux = Environment {
            in_tmux: true,
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
            ..open
        };
        assert_eq!(
            pick(GraphicsChoice::Auto, &Replies::default(), &from_env),
            Graphics::Kitty(Route::Tmux)
        );
        let iterm = Environment {
            iterm: true,
            ..tmux
        };
        assert_eq!(
            pick(GraphicsChoice::Auto, &Replies::default(), &iterm),
            Graphics::Blocks
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
