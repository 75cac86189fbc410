//! Glob matching with `*` (any run, possibly empty) and `?` (one character), as IAM and S3 ARNs use them.

/// Whether `text` matches `pattern`. Linear in practice: the classic two-pointer algorithm with one
/// backtrack point, so no input can make it exponential.
pub fn matches(pattern: &str, text: &str) -> bool {
    matches_by(pattern, text, |a, b| a == b)
}

/// Like [`matches`], ignoring ASCII case (IAM action names).
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    matches_by(pattern, text, |a, b| a.eq_ignore_ascii_case(&b))
}

fn matches_by(pattern: &str, text: &str, eq: impl Fn(char, char) -> bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || eq(c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks() {
        assert!(matches("s3:*", "s3:GetObject"));
        assert!(matches("*", ""));
        assert!(matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/*"));
        assert!(!matches("arn:aws:s3:::b/a*", "arn:aws:s3:::b/*"));
        assert!(matches("s3:Get?bject", "s3:GetObject"));
        assert!(!matches("s3:Get?", "s3:Get"));
        assert!(matches("a*b*c", "axxbyyc"));
        assert!(!matches("a*b*c", "axxbyy"));
        assert!(matches_ignore_case("S3:getobject", "s3:GetObject"));
        assert!(!matches("S3:getobject", "s3:GetObject"));
    }
}
