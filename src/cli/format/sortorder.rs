//! fvbommel/sortorder's `NaturalLess`, which docker/cli sorts some listings with (`docker volume
//! ls`): runs of digits compare as numbers (`v9` before `v10`), everything else byte by byte,
//! digits before other bytes.

use std::cmp::Ordering;

/// The natural order of two names.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (da, db) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if da != db {
            return if da {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        if !da {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
            continue;
        }
        // Leading zeros, then the significant digits.
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (za, zb) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let (na, nb) = (&a[za..i], &b[zb..j]);
        // A shorter number is smaller; equal lengths compare as text; then fewer zeros first.
        match na.len().cmp(&nb.len()).then_with(|| na.cmp(nb)) {
            Ordering::Equal if za != zb => return za.cmp(&zb),
            Ordering::Equal => {}
            other => return other,
        }
    }
    a.len().cmp(&b.len()).then(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_docker_volume_ls_does() {
        // The order Docker 20.10.24's `docker volume ls` printed.
        let mut names = vec![
            "cgv12", "cgv3", "Zed", "cg_a10", "cgv1", "cg_a9", "cgv14", "cgv2",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "Zed", "cg_a9", "cg_a10", "cgv1", "cgv2", "cgv3", "cgv12", "cgv14"
            ]
        );
        assert_eq!(natural_cmp("a01", "a1"), Ordering::Greater);
        assert_eq!(natural_cmp("a1", "a1b"), Ordering::Less);
        assert_eq!(natural_cmp("1a", "ab"), Ordering::Less);
        assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
    }
}
