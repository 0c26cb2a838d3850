//! What the terminal can draw, revised each time it answers: the answers
//! to start-up's queries can come late (a slow link, tmux passing them
//! through), and a late kitty or sixel answer still upgrades the pictures.

use crate::images::detect::{self, Replies};
use crate::images::graphics::{Environment, GraphicsChoice, Palette, TerminalImages};
use crate::input::Report;
use crate::terminal::output::ColourCodes;

pub struct Capabilities {
    choice: GraphicsChoice,
    env: Environment,
    pub replies: Replies,
    animate: bool,
    pub images: TerminalImages,
}

impl Capabilities {
    pub fn new(choice: GraphicsChoice, env: Environment, animate: bool) -> Capabilities {
        let replies = Replies::default();
        let images = TerminalImages {
            animate,
            ..TerminalImages::choose(choice, &replies, &env)
        };
        Capabilities {
            choice,
            env,
            replies,
            animate,
            images,
        }
    }

    /// The queries to send, unless the user's choice makes them pointless
    /// (half blocks under NO_COLOR still want the background colour).
    pub fn queries(&self) -> Option<Vec<u8>> {
        let shades = self.choice == GraphicsChoice::Blocks && self.env.no_color;
        (self.choice.needs_probe() || shades).then(|| detect::queries(self.env.asking()))
    }

    /// Start-up has heard enough to draw the first frame.
    pub fn settled(&self) -> bool {
        self.replies.settled(self.env.route())
    }

    /// Takes one report; returns the terminal's new abilities when they changed.
    pub fn absorb(&mut self, report: &Report) -> Option<TerminalImages> {
        if !self.replies.absorb(report) {
            return None;
        }
        let images = TerminalImages {
            animate: self.animate,
            ..TerminalImages::choose(self.choice, &self.replies, &self.env)
        };
        if images == self.images {
            return None;
        }
        tracing::info!("images: {images:?}, replies {:?}", self.replies);
        self.images = images;
        Some(images)
    }

    pub fn colour_codes(&self) -> ColourCodes {
        match self.images.palette {
            Palette::Sixteen => ColourCodes::Sixteen,
            Palette::Eight => ColourCodes::Eight,
            _ => ColourCodes::Extended,
        }
    }
}
