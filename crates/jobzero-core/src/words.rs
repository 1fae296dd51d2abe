//! How messages name several things.

/// Up to four items in backticks, then how many more: `` `a`, `b`, `c`, `d` and 2 more ``.
pub fn listing(items: &[&str]) -> String {
    let shown: Vec<String> = items.iter().take(4).map(|i| format!("`{i}`")).collect();
    let more = items.len().saturating_sub(4);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_then_a_count() {
        assert_eq!(listing(&["a", "b"]), "`a`, `b`");
        assert_eq!(
            listing(&["a", "b", "c", "d", "e", "f"]),
            "`a`, `b`, `c`, `d` and 2 more"
        );
    }
}
