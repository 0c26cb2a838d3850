//! The API key as a type that cannot be printed whole by accident.

/// An API key. `Debug` and [`ApiKey::masked`] show only its last four characters.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts a key after trimming; `None` when it is empty or holds spaces or control characters.
    pub fn new(raw: &str) -> Option<ApiKey> {
        let key = raw.trim();
        let plausible =
            !key.is_empty() && !key.chars().any(|c| c.is_whitespace() || c.is_control());
        plausible.then(|| ApiKey(key.to_string()))
    }

    /// The whole key, for the `Authorization` header and the credentials file only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A form safe to show: `sk-…wxyz`.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 12 {
            return "…".repeat(3);
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        let head = if self.0.starts_with("sk-") { "sk-" } else { "" };
        format!("{head}…{tail}")
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shown_whole() {
        let key = ApiKey::new("  sk-proj-0123456789abcdefWXYZ\n").unwrap();
        assert_eq!(key.masked(), "sk-…WXYZ");
        assert_eq!(format!("{key:?}"), "ApiKey(sk-…WXYZ)");
        assert_eq!(ApiKey::new("short1").unwrap().masked(), "………");
        assert!(ApiKey::new("two words").is_none());
        assert!(ApiKey::new("   ").is_none());
    }
}
