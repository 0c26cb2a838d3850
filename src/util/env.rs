//! Environment variables (and flags clap filled from them) as the SDKs
//! read them: trimmed, and an empty value (`OPENAI_BASE_URL=`) the same as
//! none.

/// The variable's value, trimmed, unless it is unset or empty.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A flag's value unless it is empty: clap takes `OPENAI_BASE_URL=` as
/// given, and empty.
pub fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}
