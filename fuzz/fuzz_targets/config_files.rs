//! The user's text files: config.toml, keys.toml, models.toml and batch
//! files. Any text gives settings or a one-line message naming the line;
//! nothing panics.
#![no_main]

use artty::api::{Catalog, ImageParams};
use artty::keymap::Keymap;
use artty::store::settings::Settings;
use libfuzzer_sys::fuzz_target;

fn one_line(text: &str) {
    assert!(!text.contains('\n'), "{text:?}");
    assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(why) = Settings::parse(&text) {
        assert!(!why.is_empty());
        one_line(&why);
    }
    // Its warnings quote the file (names of tables and keys) and are shown inert.
    let _ = Keymap::with_overrides(&text);
    if let Ok(catalog) = Catalog::with_overrides(&text, "models.toml") {
        for model in catalog.models() {
            let _ = catalog.prices(&model.name, false);
        }
    }
    let _ = artty::batch::parse("fuzz".into(), &text, &ImageParams::new("gpt-image-1"));
});
