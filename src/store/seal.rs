//! Telling artty's own `artty-sidecar` chunk from anyone else's. A server
//! can put any iTXt chunk in the PNG it returns, and a PNG copied into the
//! gallery can carry any text: a forged sidecar there would bring back a
//! made-up prompt, a batch line marked done, or a mask path naming a
//! private file. So the copy artty writes is sealed: an HMAC-SHA256, under
//! a key kept in the gallery folder (`.artty-seal`, mode 0600, made on the
//! first save), over the sidecar text and the image's pixel data. Only a
//! sidecar whose seal checks is ever read back as artty's own.

use std::io::Read;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::atomic::write_new;
use super::local_file::{self, Named};

pub const SEAL_FILE: &str = ".artty-seal";
const KEY_LEN: usize = 32;

/// A gallery's sealing key.
#[derive(Clone)]
pub struct Seal([u8; KEY_LEN]);

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seal(…)")
    }
}

impl Seal {
    /// The gallery's key; `None` when it has none (nothing was sealed there).
    pub fn of(dir: &Path) -> Option<Seal> {
        let bytes = local_file::read(&dir.join(SEAL_FILE), 64, Named::ByArtty).ok()?;
        let key: [u8; KEY_LEN] = bytes.try_into().ok()?;
        Some(Seal(key))
    }

    /// The gallery's key, made when it has none yet.
    pub fn of_or_new(dir: &Path) -> Result<Seal, super::StoreError> {
        if let Some(seal) = Seal::of(dir) {
            return Ok(seal);
        }
        let mut key = [0u8; KEY_LEN];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut random| random.read_exact(&mut key))
            .map_err(super::StoreError::io("read", PathBuf::from("/dev/urandom")))?;
        match write_new(dir, SEAL_FILE, &key) {
            Ok(_) => Ok(Seal(key)),
            // Another artty made it first: theirs is the key.
            Err(e) => Seal::of(dir).ok_or(e),
        }
    }

    /// The seal of `sidecar` on an image whose pixel data is `pixels`.
    pub fn sign(&self, sidecar: &str, pixels: &[u8]) -> String {
        let tag = self.mac(sidecar, pixels).finalize().into_bytes();
        tag.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// True when `seal` is the seal of `sidecar` on `pixels` (checked in
    /// constant time).
    pub fn verifies(&self, sidecar: &str, pixels: &[u8], seal: &str) -> bool {
        let Some(tag) = unhex(seal) else {
            return false;
        };
        self.mac(sidecar, pixels).verify_slice(&tag).is_ok()
    }

    #[expect(
        clippy::expect_used,
        reason = "HMAC takes a key of any length: new_from_slice cannot fail"
    )]
    fn mac(&self, sidecar: &str, pixels: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("any key length");
        mac.update(&(sidecar.len() as u64).to_be_bytes());
        mac.update(sidecar.as_bytes());
        mac.update(pixels);
        mac
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_checks_only_for_its_sidecar_its_pixels_and_its_gallery() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Seal::of(dir.path()).is_none());
        let seal = Seal::of_or_new(dir.path()).unwrap();
        let again = Seal::of_or_new(dir.path()).unwrap();
        let tag = seal.sign("{\"prompt\":\"a fox\"}", b"pixels");
        assert!(again.verifies("{\"prompt\":\"a fox\"}", b"pixels", &tag));
        assert!(!seal.verifies("{\"prompt\":\"a wolf\"}", b"pixels", &tag));
        assert!(!seal.verifies("{\"prompt\":\"a fox\"}", b"other", &tag));
        assert!(!seal.verifies("{\"prompt\":\"a fox\"}", b"pixels", "00"));
        let other = tempfile::tempdir().unwrap();
        let foreign = Seal::of_or_new(other.path()).unwrap();
        assert!(!foreign.verifies("{\"prompt\":\"a fox\"}", b"pixels", &tag));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(SEAL_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
