//! The edit panel and painter, set up for flow tests and snapshots: a
//! gallery of two, the worker's answer for a draft, keys typed as text.

use std::sync::Arc;

use super::*;
use artty::action::{Action, FileResult, GalleryResult};
use artty::api::InputImage;
use artty::edit::fit::Fitted;
use artty::edit::prepare::PreparedMask;
use artty::edit::{MaskGrid, PreparedEdit};
use artty::effect::Effect;
use artty::images::graphics::TerminalImages;
use artty::images::prepared::Prepared;
use artty::images::thumbnail::Thumbnail;
use artty::model::edit::EditDraft;
use artty::model::{Model, Overlay, Panel};
use bytes::Bytes;
use crossterm::event::KeyCode;

pub fn png(w: u32, h: u32) -> Bytes {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(image::RgbaImage::new(w, h))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    Bytes::from(out)
}

pub fn fitted(name: &str, w: u32, h: u32) -> Fitted {
    Fitted {
        image: InputImage::from_bytes(name, png(w, h)).unwrap(),
        steps: Vec::new(),
        changes: Vec::new(),
        original: (w, h),
        original_format: "png".into(),
    }
}

/// The gallery with two images, focused, and nothing typed.
pub fn gallery_model(size: (u16, u16)) -> Model {
    let mut m = model(size);
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(vec![
            saved("a fox", 2),
            saved("a hat", 1),
        ])),
    );
    m.focus = Panel::Gallery;
    m.editing = false;
    m.prompt.set_editing(false);
    m
}

pub fn draft(m: &Model) -> &EditDraft {
    m.edit.as_ref().expect("an edit is open")
}

/// The worker's answer for the draft as it stands: every source 1024².
pub fn prepared(m: &mut Model) -> Vec<Effect> {
    let d = draft(m);
    let images = d
        .sources
        .iter()
        .map(|p| fitted(&p.file_name().unwrap().to_string_lossy(), 1024, 1024))
        .collect();
    let mask = d.mask.as_ref().map(|_| PreparedMask {
        sent: InputImage::from_bytes("mask.png", png(1024, 1024)).unwrap(),
        painted: png(1024, 1024),
    });
    let markup = d
        .markup
        .as_ref()
        .filter(|m| !m.is_empty())
        .map(|_| PreparedMask {
            sent: InputImage::from_bytes("markup.png", png(1024, 1024)).unwrap(),
            painted: png(1024, 1024),
        });
    let version = d.version;
    act(
        m,
        Action::File(FileResult::EditPrepared {
            version,
            result: Ok(Arc::new(PreparedEdit {
                images,
                mask,
                markup,
            })),
        }),
    )
}

pub fn grid(m: &Model) -> &MaskGrid {
    &draft(m).mask.as_ref().expect("a mask").edits.grid
}

pub fn keys(m: &mut Model, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            ' ' => KeyCode::Char(' '),
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        press(m, key(code));
    }
}

pub fn prepare_effect(effects: &[Effect]) -> Option<&artty::effect::EditInputs> {
    effects.iter().find_map(|e| match e {
        Effect::PrepareEdit(inputs) => Some(inputs.as_ref()),
        _ => None,
    })
}

pub fn open_painter(m: &mut Model) {
    press(m, key(KeyCode::Char('e')));
    prepared(m);
    press(m, key(KeyCode::Char('m')));
    assert_eq!(m.overlay, Some(Overlay::Painter));
}

/// A model drawing half blocks, with image 1 ready for the painter.
pub fn painter_model(size: (u16, u16)) -> Model {
    let mut m = gallery_model(size);
    m.session.images = TerminalImages::blocks();
    open_painter(&mut m);
    let key = artty::layout::painter::picture_key(&m).expect("the painter draws image 1");
    let thumb = Thumbnail::from_rgba(
        64,
        64,
        (0..64 * 64)
            // No red in the picture: red in a cell comes from the mask's tint.
            .flat_map(|i| [0, (i % 64 * 4) as u8, (i / 64 * 4) as u8, 255])
            .collect(),
        key.size,
    )
    .unwrap();
    let ready = Prepared::still(thumb, Vec::new());
    act(
        &mut m,
        Action::Gallery(GalleryResult::ThumbnailMade {
            key,
            result: Ok(Arc::new(ready)),
        }),
    );
    keys(&mut m, "r+llljjr");
    m
}
