//! The xterm 256-colour palette: the colour of an index, and the index
//! nearest a colour, for terminals without 24-bit colour. The sixteen
//! system colours (0–15) differ from terminal to terminal, so a colour is
//! only ever mapped into the 6×6×6 cube (16–231) or the grey ramp
//! (232–255), whose values every xterm-like terminal shares.

/// The cube's six levels per channel.
const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// xterm's defaults for the sixteen system colours.
const SYSTEM: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

/// The colour of palette index `index` (xterm's values).
pub fn rgb_from_ansi256(index: u8) -> (u8, u8, u8) {
    match index {
        0..=15 => SYSTEM[usize::from(index)],
        16..=231 => {
            let cube = index - 16;
            (
                LEVELS[usize::from(cube / 36)],
                LEVELS[usize::from(cube / 6 % 6)],
                LEVELS[usize::from(cube % 6)],
            )
        }
        232..=255 => {
            let grey = 8 + 10 * (index - 232);
            (grey, grey, grey)
        }
    }
}

/// The cube level nearest `value`, as its position 0–5.
fn nearest_level(value: u8) -> u8 {
    let mut best = 0;
    for (at, level) in LEVELS.iter().enumerate() {
        if value.abs_diff(*level) < value.abs_diff(LEVELS[best]) {
            best = at;
        }
    }
    best as u8
}

/// Distance between colours, weighted for how the eye sees them
/// (green most, blue least), squared.
fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| u32::from(a.abs_diff(b)).pow(2);
    2 * d(r1, r2) + 4 * d(g1, g2) + 3 * d(b1, b2)
}

/// The palette index (16–255) nearest `rgb`: the nearest cube colour or
/// the nearest grey, whichever is closer.
pub fn ansi256_from_rgb(rgb: (u8, u8, u8)) -> u8 {
    let (r, g, b) = rgb;
    let cube = 16 + 36 * nearest_level(r) + 6 * nearest_level(g) + nearest_level(b);
    let mean = ((u16::from(r) + u16::from(g) + u16::from(b)) / 3) as u8;
    let grey = 232 + (mean.saturating_sub(3) / 10).min(23);
    let candidates = [
        cube,
        grey,
        grey.saturating_add(1),
        grey.saturating_sub(1).max(232),
    ];
    candidates
        .into_iter()
        .min_by_key(|index| distance(rgb, rgb_from_ansi256(*index)))
        .unwrap_or(cube)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cube_and_grey_colour_maps_back_to_itself() {
        for index in 16..=255u8 {
            let rgb = rgb_from_ansi256(index);
            let back = ansi256_from_rgb(rgb);
            // Black and white are both in the cube and near the ramp's ends.
            assert_eq!(rgb_from_ansi256(back), rgb, "{index} → {rgb:?} → {back}");
        }
    }

    #[test]
    fn colours_go_to_their_nearest_entry() {
        assert_eq!(ansi256_from_rgb((255, 0, 0)), 196);
        assert_eq!(ansi256_from_rgb((0, 0, 0)), 16);
        assert_eq!(ansi256_from_rgb((128, 128, 128)), 244);
        assert_eq!(rgb_from_ansi256(244), (128, 128, 128));
        assert_eq!(rgb_from_ansi256(1), (205, 0, 0));
        // Never a system colour: their values are the terminal's choice.
        for value in [0u8, 37, 90, 130, 200, 255] {
            assert!(ansi256_from_rgb((value, 255 - value, value / 2)) >= 16);
        }
    }
}
