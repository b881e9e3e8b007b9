//! Plain-English wording shared by pages, messages and explanations.

/// A number with its noun, singular or plural: "1 child", "2 children",
/// "0 sessions". Never "child(ren)".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(1, "child", "children"), "1 child");
        assert_eq!(count(0, "child", "children"), "0 children");
        assert_eq!(count(2, "session", "sessions"), "2 sessions");
    }
}
