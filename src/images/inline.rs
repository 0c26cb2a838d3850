//! Pictures printed at the cursor by the command line (`--show`), with
//! the app's engine: the terminal asked what it draws (the same queries,
//! the same choice), the picture fitted and encoded as for a thumbnail,
//! then written where the text is, as `kitty +kitten icat` and imggen's
//! `-S` do. The cursor ends on the line below the picture.

use std::io::IsTerminal;
#[cfg(unix)]
use std::io::{Read, Write};
#[cfg(unix)]
use std::time::{Duration, Instant};

use base64::Engine;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::detect::Replies;
#[cfg(unix)]
use super::detect::{parse, queries};
use super::graphics::{Environment, GraphicsChoice, TerminalImages};
use super::mode::Graphics;
use super::pixels::PixelBox;
use super::prepared::Prepared;

#[cfg(unix)]
/// How long the terminal has to answer: a terminal over SSH answers in
/// a round trip; one that never does (a dumb terminal) costs this once.
const ANSWER_WAIT: Duration = Duration::from_millis(800);
/// The largest picture, in cells: enough to judge an image, small enough
/// to keep the command's other output in view.
const MAX_CELLS: (u16, u16) = (64, 24);

/// How this terminal draws pictures, asked on stdout's terminal; `None`
/// when stdout is not a terminal (a pipe has no screen to draw on).
pub fn detect(choice: GraphicsChoice) -> Option<(TerminalImages, (u16, u16))> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    // A terminal that reports no size (0×0, as a bare pty does) is taken
    // as the common 80×24.
    let cells = crossterm::terminal::size()
        .ok()
        .filter(|(columns, rows)| *columns > 0 && *rows > 0)
        .unwrap_or((80, 24));
    let env = Environment::of_process(cells);
    let replies = if choice.needs_probe() {
        ask(&env).unwrap_or_default()
    } else {
        Replies::default()
    };
    Some((TerminalImages::choose(choice, &replies, &env), cells))
}

/// Elsewhere than Unix the terminal is not asked: the environment decides.
#[cfg(not(unix))]
fn ask(_env: &Environment) -> std::io::Result<Replies> {
    Ok(Replies::default())
}

/// Sends the queries and reads the answers from the terminal in raw mode,
/// until DA1 (which every terminal answers, last) or the wait runs out.
#[cfg(unix)]
fn ask(env: &Environment) -> std::io::Result<Replies> {
    let mut tty = std::fs::OpenOptions::new().read(true).open("/dev/tty")?;
    crossterm::terminal::enable_raw_mode()?;
    let result: std::io::Result<Replies> = (|| {
        let mut out = std::io::stdout();
        out.write_all(&queries(env.asking()))?;
        out.flush()?;
        let started = Instant::now();
        let mut heard = Vec::new();
        let mut replies = Replies::default();
        while let Some(left) = ANSWER_WAIT.checked_sub(started.elapsed()) {
            let mut fds = [rustix::event::PollFd::new(
                &tty,
                rustix::event::PollFlags::IN,
            )];
            let timeout = rustix::event::Timespec::try_from(left).ok();
            if rustix::event::poll(&mut fds, timeout.as_ref()).unwrap_or(0) == 0 {
                break;
            }
            let mut chunk = [0u8; 4096];
            let read = tty.read(&mut chunk)?;
            if read == 0 {
                break;
            }
            heard.extend_from_slice(&chunk[..read]);
            replies = parse(&heard);
            if replies.settled(env.route()) {
                break;
            }
        }
        Ok(replies)
    })();
    let restored = crossterm::terminal::disable_raw_mode();
    let replies = result?;
    restored?;
    Ok(replies)
}

/// The bytes that draw `image` (a file's bytes) at the cursor and leave
/// the cursor on the line below, within the terminal's width.
pub fn draw(
    image: &[u8],
    terminal: &TerminalImages,
    cells: (u16, u16),
    id: u32,
) -> Result<Vec<u8>, String> {
    let columns = cells.0.clamp(1, MAX_CELLS.0);
    let rows = cells.1.saturating_sub(2).clamp(1, MAX_CELLS.1);
    let (cell_w, cell_h) = (
        u32::from(terminal.cell.0.max(1)),
        u32::from(terminal.cell.1.max(1)),
    );
    let into = match terminal.graphics {
        Graphics::Blocks | Graphics::None => super::blocks::pixel_box(columns, rows),
        // Within the largest sixel image the terminal takes (xterm drops a
        // larger one whole): a big font makes 64 columns wider than that.
        Graphics::Sixel => PixelBox {
            width: (u32::from(columns) * cell_w).min(terminal.sixel_max.0.max(cell_w)),
            height: (u32::from(rows) * cell_h).min(terminal.sixel_max.1.max(cell_h)),
        },
        _ => PixelBox {
            width: u32::from(columns) * cell_w,
            height: u32::from(rows) * cell_h,
        },
    };
    let made =
        Prepared::from_image_bytes(image, into, terminal.graphics).map_err(|e| e.to_string())?;
    let prepared = made.prepared;
    let mut out = Vec::new();
    match terminal.graphics {
        Graphics::Kitty(route) => {
            let png = match made.png {
                Some(png) => png,
                None => prepared.thumb.to_png().map_err(|e| e.to_string())?,
            };
            super::kitty::transmit(route, id, &png, &mut out);
            super::kitty::place_at_cursor(route, id, &mut out);
            out.extend_from_slice(b"\r\n");
        }
        Graphics::Sixel => {
            out.extend_from_slice(&prepared.payload);
            out.extend_from_slice(b"\r\n");
        }
        Graphics::Iterm => {
            let png = prepared.thumb.to_png().map_err(|e| e.to_string())?;
            out.extend_from_slice(
                format!(
                    "\x1b]1337;File=inline=1;size={};width={}px;height={}px;preserveAspectRatio=1:{}\x07\r\n",
                    png.len(),
                    prepared.thumb.width,
                    prepared.thumb.height,
                    base64::engine::general_purpose::STANDARD.encode(&png)
                )
                .as_bytes(),
            );
        }
        Graphics::Blocks | Graphics::None => {
            let width = (prepared.thumb.width as u16).clamp(1, columns);
            let height = (prepared.thumb.height.div_ceil(2) as u16).clamp(1, rows);
            let area = Rect::new(0, 0, width, height);
            let mut buf = Buffer::empty(area);
            super::blocks::draw(&prepared.thumb, area, terminal.palette, &mut buf);
            out.extend_from_slice(ansi_lines(&buf).as_bytes());
        }
    }
    Ok(out)
}

/// A buffer of half blocks as lines of text with colour codes.
fn ansi_lines(buf: &Buffer) -> String {
    let area = buf.area;
    let mut text = String::new();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let Some(cell) = buf.cell((x, y)) else {
                continue;
            };
            text.push_str(&sgr(cell.fg, 38));
            text.push_str(&sgr(cell.bg, 48));
            text.push_str(cell.symbol());
        }
        text.push_str("\x1b[0m\r\n");
    }
    text
}

/// The SGR that sets `color` as foreground (38) or background (48).
fn sgr(color: Color, base: u8) -> String {
    match color {
        Color::Rgb(r, g, b) => format!("\x1b[{base};2;{r};{g};{b}m"),
        Color::Indexed(n) => format!("\x1b[{base};5;{n}m"),
        _ => format!("\x1b[{}m", base + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::kitty::Route;

    fn png() -> Vec<u8> {
        png_of(300, 200)
    }

    fn png_of(width: u32, height: u32) -> Vec<u8> {
        let picture = crate::images::synthetic::Synthetic {
            width,
            height,
            seed: 3,
            transparent: false,
            coarseness: 1,
        };
        picture.encode(crate::images::probe::ImageFormat::Png)
    }

    fn terminal(graphics: Graphics) -> TerminalImages {
        TerminalImages {
            graphics,
            ..TerminalImages::blocks()
        }
    }

    #[test]
    fn each_protocol_draws_at_the_cursor_and_ends_on_a_new_line() {
        let kitty = draw(
            &png(),
            &terminal(Graphics::Kitty(Route::Direct)),
            (80, 24),
            7,
        )
        .unwrap();
        let kitty = String::from_utf8_lossy(&kitty);
        assert!(kitty.starts_with("\x1b_Ga=t,f=100,t=d,i=7"), "{kitty:.40}");
        assert!(kitty.contains("\x1b_Ga=p,i=7,q=1\x1b\\"));
        assert!(
            !kitty.contains("\x1b["),
            "no cursor moves: it stays in the flow of text"
        );
        let sixel = draw(&png(), &terminal(Graphics::Sixel), (80, 24), 1).unwrap();
        assert!(sixel.starts_with(b"\x1bP") && sixel.ends_with(b"\x1b\\\r\n"));
        // Big cells: the picture stays within the terminal's sixel limit.
        let big = TerminalImages {
            cell: (24, 48),
            sixel_max: (1000, 1000),
            ..terminal(Graphics::Sixel)
        };
        let wide = png_of(2400, 1200);
        let raster = String::from_utf8_lossy(&draw(&wide, &big, (80, 24), 1).unwrap()).to_string();
        let size = raster.split('"').nth(1).unwrap_or_default();
        let width: u32 = size
            .split(';')
            .nth(2)
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        assert!(
            width > 0 && width <= 1000,
            "{}",
            &size[..size.len().min(30)]
        );
        let iterm =
            String::from_utf8(draw(&png(), &terminal(Graphics::Iterm), (80, 24), 1).unwrap())
                .unwrap();
        assert!(iterm.starts_with("\x1b]1337;File=inline=1;") && iterm.ends_with("\x07\r\n"));
        let blocks =
            String::from_utf8(draw(&png(), &terminal(Graphics::Blocks), (40, 24), 1).unwrap())
                .unwrap();
        let lines: Vec<&str> = blocks.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(!lines.is_empty() && lines.len() <= 22);
        assert!(
            lines
                .iter()
                .all(|l| l.matches('▀').count() <= 40 && l.ends_with("\x1b[0m"))
        );
    }
}
