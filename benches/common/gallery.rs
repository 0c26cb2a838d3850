//! A gallery of N synthetic images and sidecars, as a year of use would
//! leave it: spread over the last year, across every model, with
//! favourites, edits of earlier images, reuse chains, sweeps, batches and
//! costs. The same count always gives the same gallery. Used by the
//! gallery benchmarks and by scripts/fill-gallery.

use std::path::Path;

use artty::api::catalog::Endpoint;
use artty::api::cost::{Cost, CostBasis};
use artty::api::request::ImageParams;
use artty::images::probe::{ImageFormat, ImageInfo};
use artty::images::synthetic::Synthetic;
use artty::store::gallery::slug;
use artty::store::sidecar::{Group, GroupKind, Sidecar, SourceRef};

const SUBJECTS: &[&str] = &[
    "a red fox",
    "a lighthouse",
    "an old tram",
    "a paper crane",
    "a koi pond",
    "a robot gardener",
    "a desert city",
    "a teacup",
    "a mountain cabin",
    "a jellyfish",
    "a steam train",
    "a cat astronaut",
    "a bonsai tree",
    "a night market",
    "a glass whale",
    "an owl librarian",
];
const PLACES: &[&str] = &[
    "in the snow",
    "at dusk",
    "under neon rain",
    "on a foggy morning",
    "in a field of poppies",
    "on the moon",
    "inside a snow globe",
    "by the sea",
    "in a busy street",
    "in a forest",
];
const STYLES: &[&str] = &[
    "watercolour",
    "oil painting",
    "pixel art",
    "isometric 3d render",
    "ink sketch",
    "studio photograph",
    "ukiyo-e woodblock print",
    "flat vector illustration",
];
const MODELS: &[(&str, &[&str], &[&str])] = &[
    (
        "gpt-image-2",
        &["1024x1024", "1536x1024", "2048x2048"],
        &["low", "medium", "high"],
    ),
    (
        "gpt-image-1.5",
        &["1024x1024", "1024x1536"],
        &["low", "medium", "high"],
    ),
    (
        "gpt-image-1",
        &["1024x1024", "1536x1024"],
        &["medium", "high"],
    ),
    ("gpt-image-1-mini", &["1024x1024"], &["low", "medium"]),
    ("dall-e-3", &["1024x1024", "1792x1024"], &["standard", "hd"]),
    (
        "dall-e-2",
        &["256x256", "512x512", "1024x1024"],
        &["standard"],
    ),
];
/// Distinct pictures drawn; the rest are copies with their own names.
const PICTURES: u64 = 256;

pub fn fill(dir: &Path, count: usize, edge: u32) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let pictures: Vec<Vec<u8>> = (0..PICTURES)
        .map(|seed| {
            Synthetic {
                width: edge,
                height: edge,
                seed: artty::images::synthetic::seed_of(&[&seed.to_string()]),
                transparent: false,
                coarseness: 1,
            }
            .encode(ImageFormat::Png)
        })
        .collect();
    let mut rng = fastrand::Rng::with_seed(count as u64);
    let now = jiff::Timestamp::now();
    let year = 365 * 24 * 3600;
    let mut made: Vec<(String, String)> = Vec::with_capacity(count);
    let mut sweep: Option<(String, usize, String)> = None;
    for i in 0..count {
        // Oldest first, so edits and reuse point back in time.
        let age = (year as f64 * (1.0 - i as f64 / count as f64)) as i64;
        let created = now - jiff::SignedDuration::from_secs(age + 60);
        let (model, sizes, qualities) = MODELS[rng.usize(..MODELS.len())];
        let size = sizes[rng.usize(..sizes.len())];
        let quality = qualities[rng.usize(..qualities.len())];
        let prompt = format!(
            "{} {}, {}",
            SUBJECTS[rng.usize(..SUBJECTS.len())],
            PLACES[rng.usize(..PLACES.len())],
            STYLES[rng.usize(..STYLES.len())]
        );
        let stem = format!(
            "{}-{}-{i:06}",
            created.strftime("%Y%m%d-%H%M%S"),
            slug(&prompt, 40)
        );
        let image = format!("{stem}.png");
        let picture = &pictures[i % pictures.len()];
        std::fs::write(dir.join(&image), picture)?;
        let roll = rng.u8(..100);
        let mut sidecar = Sidecar {
            favourite: roll < 4,
            cost: (!model.starts_with("gpt-image-2")).then_some(Cost {
                usd: 0.011 + f64::from(rng.u8(..200)) / 1000.0,
                basis: CostBasis::Usage,
                svg_unpriced: false,
                batch: false,
            }),
            ..Sidecar::new(
                image.clone(),
                created,
                Endpoint::Generations,
                ImageParams {
                    prompt: Some(prompt),
                    size: Some(size.into()),
                    quality: Some(quality.into()),
                    ..ImageParams::new(model)
                },
                "https://api.openai.com/v1",
                &ImageInfo {
                    format: ImageFormat::Png,
                    width: edge,
                    height: edge,
                    has_alpha: false,
                    animation: None,
                },
                picture.len() as u64,
            )
        };
        match roll {
            // An edit of a recent image.
            4..=11 if !made.is_empty() => {
                let (parent, _) = &made[made.len() - 1 - rng.usize(..made.len().min(50))];
                sidecar.endpoint = Endpoint::Edits;
                sidecar.sources = vec![SourceRef {
                    path: dir.join(parent).display().to_string(),
                    format: "png".into(),
                    width: edge,
                    height: edge,
                }];
            }
            // A reuse of a recent image, with a word changed.
            12..=21 if !made.is_empty() => {
                let (parent, parent_prompt) =
                    &made[made.len() - 1 - rng.usize(..made.len().min(20))];
                let prompt = format!("{parent_prompt}, {}", STYLES[rng.usize(..STYLES.len())]);
                sidecar.prompt = Some(prompt.clone());
                sidecar.params.prompt = Some(prompt);
                sidecar.reused_from = Some(dir.join(parent).display().to_string());
            }
            // The start of a sweep of four.
            22..=24 if sweep.is_none() => {
                sweep = Some((
                    format!("sweep-{i:06}"),
                    4,
                    sidecar.params.prompt.clone().unwrap_or_default(),
                ))
            }
            _ => {}
        }
        if let Some((id, left, prompt)) = &mut sweep {
            // A sweep sends one prompt to every cell.
            sidecar.prompt = Some(prompt.clone());
            sidecar.params.prompt = Some(prompt.clone());
            sidecar.group = Some(Group {
                kind: GroupKind::Sweep,
                id: id.clone(),
                item: Some(format!("{model} {size} {quality}")),
            });
            *left -= 1;
            if *left == 0 {
                sweep = None;
            }
        } else if roll >= 95 {
            sidecar.group = Some(Group {
                kind: GroupKind::Batch,
                id: format!("batch-{:04}", i / 500),
                item: Some(format!("line {}", i % 500 + 1)),
            });
        }
        let json = serde_json::to_vec_pretty(&sidecar).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("{stem}.json")), json)?;
        made.push((image, sidecar.prompt.clone().unwrap_or_default()));
    }
    Ok(())
}
