//! The ways of drawing as plain values: which protocol (`Graphics`, with
//! kitty's `Route`) and which colours (`Palette`). Choosing one is
//! `graphics.rs`; drawing with one is each protocol's file.

/// Where kitty commands go: straight to the terminal, or through tmux.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Direct,
    Tmux,
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

/// How colours reach the screen, for pictures drawn in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    /// 24-bit colour.
    Rgb,
    /// The 256-colour palette.
    Indexed,
    /// The 16 classic colours.
    Sixteen,
    /// The 8 classic colours.
    Eight,
    /// No colour at all (NO_COLOR): pictures in characters of different
    /// density, denser for brighter on a dark background.
    Shades { light_background: bool },
}
