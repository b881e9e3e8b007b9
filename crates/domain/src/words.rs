//! Plain-English wording shared by pages, messages and explanations.

/// A number with its noun, singular or plural: "1 child", "2 children",
/// "0 sessions". Never "child(ren)".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A whole number with commas between thousands: "5,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5000), "5,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(1, "child", "children"), "1 child");
        assert_eq!(count(0, "child", "children"), "0 children");
        assert_eq!(count(2, "session", "sessions"), "2 sessions");
    }
}
