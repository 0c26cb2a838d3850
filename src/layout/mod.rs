//! Where everything goes on screen, as pure functions of the model: the
//! panels' areas, the gallery's grid, every picture and the painter's
//! rectangle. `ui` draws into these rectangles, `update` hit-tests clicks
//! and asks for thumbnails with them, and the app places out-of-band images
//! with them, so all three agree on every cell.

pub mod areas;
pub mod compare;
pub mod edit;
pub mod grid;
pub mod painter;
pub mod picture_box;
pub mod pictures;
