//! A 64-bit hash (FNV-1a) that stays the same across runs, platforms and
//! Rust versions (std's hasher does not promise that): it seeds the fake
//! server's pictures and names cached thumbnails.

/// Hashes the parts, each followed by a separator byte, so ["ab", "c"]
/// and ["a", "bc"] differ.
pub fn of(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_are_kept_apart() {
        assert_ne!(super::of(&["ab", "c"]), super::of(&["a", "bc"]));
    }

    /// Pinned values: the cached thumbnails' names and the fake server's
    /// pictures depend on them staying the same in every build.
    #[test]
    fn values_never_change() {
        assert_eq!(super::of(&["cat"]), 0xb568_e790_e882_6808);
        assert_eq!(super::of(&[""]), 0xaf64_724c_8602_eb6e);
    }
}
