//! Image references: `[host[:port]/]path[:tag][@digest]`, parsed and normalised as Docker does
//! (`ubuntu` is `docker.io/library/ubuntu`), and printed in Docker's familiar form.
//!
//! This module owns the reference *grammar* and its normalisation; it knows nothing of stores or
//! registries. It follows the `docker/distribution` reference package that Docker 20.10 vendors
//! (`reference/regexp.go`, `reference.go`, `normalize.go`), without a regex engine:
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [domain '/'] path-component ['/' path-component]*
//! domain           := domain-component ['.' domain-component]* [':' port-number]
//! domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//! port-number      := /[0-9]+/
//! path-component   := alpha-numeric [separator alpha-numeric]*
//! alpha-numeric    := /[a-z0-9]+/
//! separator        := /[_.]|__|[-]*/
//! tag              := /[\w][\w.-]{0,127}/
//! digest           := algorithm ":" /[0-9a-fA-F]{32,}/   (then validated as go-digest does)
//! ```
//!
//! Vocabulary: the *domain* is the registry (`docker.io`, `localhost:5000`); the *path* is the
//! repository inside it (`library/ubuntu`); the *name* is both (`docker.io/library/ubuntu`); the
//! *familiar* form is what the CLI prints (`ubuntu:latest`, `bob/app`, `localhost:5000/app`).
//!
//! Entry points, by where Docker calls which parser:
//! * [`Reference::parse_named`] — `ParseNormalizedNamed`: `pull`, `push`, `tag`, `build -t`,
//!   `import`; rejects a bare 64-hex string.
//! * [`Reference::parse_any`] — `ParseAnyReference`: any `IMAGE` argument that may also be an ID
//!   (`run`, `inspect`, `rmi`, `history`, `save`…). Combine with [`id_prefix`] for the daemon's
//!   third lookup step (ID prefix search).
//! * [`Reference::parse`] — the same grammar and normalisation without the 64-hex check, for
//!   strings already known not to be IDs (stored references, `FROM` after its own checks).
//!
//! Docker 20.10 does not accept bracketed IPv6 domains (`[::1]:5000/app`); neither do we (the
//! 20.10 daemon answers `invalid reference format`).

use std::fmt;

use super::digest::{Digest, DigestError};

/// The default registry's domain.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The legacy spelling of the default registry, rewritten to [`DEFAULT_DOMAIN`].
pub const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// The namespace of official images on Docker Hub.
pub const OFFICIAL_REPO_NAME: &str = "library";
/// The tag added when a reference has neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";
/// The longest a full name (`domain/path`) may be.
pub const NAME_TOTAL_LENGTH_MAX: usize = 255;
/// The longest a tag may be.
pub const TAG_LENGTH_MAX: usize = 128;

/// Why a string is not a reference. The texts are Docker's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// Anything the grammar rejects.
    #[error("invalid reference format")]
    Format,
    /// Upper case in the repository part (checked before the grammar, as `ParseNormalizedNamed` does).
    #[error("invalid reference format: repository name must be lowercase")]
    Uppercase,
    /// The grammar only matches once lowercased (distribution's `ErrNameContainsUppercase`).
    #[error("repository name must be lowercase")]
    NameContainsUppercase,
    /// A bare 64-hex string where a name is required.
    #[error("invalid repository name ({0}), cannot specify 64-byte hexadecimal strings")]
    HexName(String),
    /// `domain/path` longer than [`NAME_TOTAL_LENGTH_MAX`].
    #[error("repository name must not be more than 255 characters")]
    NameTooLong,
    /// The digest part is well-formed for the grammar but not a valid digest.
    #[error(transparent)]
    Digest(#[from] DigestError),
}

/// A normalised reference: domain, path, and an optional tag and digest.
///
/// The domain is empty only in the odd case Docker also produces: a first component with a `.`
/// that is not a valid host but is a valid path component (`foo_bar.com/x`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

/// What an `IMAGE` argument names, as Docker's `ParseAnyReference` sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ImageRef {
    /// A full image ID: `sha256:<64 hex>` or a bare 64-hex string.
    Id(Digest),
    /// A (normalised) name, with the tag or digest as given (no default tag added).
    Named(Reference),
}

impl ImageRef {
    /// The text of Docker's `No such image: …` for this argument: the familiar form with `latest`
    /// added to a bare name, or the full ID.
    pub fn not_found_name(&self) -> String {
        match self {
            ImageRef::Id(d) => d.to_string(),
            ImageRef::Named(r) => r.clone().with_default_tag().familiar(),
        }
    }
}

impl Reference {
    /// Parses and normalises (`docker.io`, `library/`), adding no tag. Does not reject a bare
    /// 64-hex string; use [`Reference::parse_named`] where Docker does.
    pub fn parse(s: &str) -> Result<Self, ReferenceError> {
        let (domain, remainder) = split_docker_domain(s);
        let remote = match remainder.find(':') {
            Some(i) => &remainder[..i],
            None => remainder.as_str(),
        };
        if remote.to_lowercase() != remote {
            return Err(ReferenceError::Uppercase);
        }
        parse_full(&format!("{domain}/{remainder}"))
    }

    /// Docker's `ParseNormalizedNamed`: [`Reference::parse`], but a bare 64-hex string is an error.
    pub fn parse_named(s: &str) -> Result<Self, ReferenceError> {
        if is_full_hex_id(s) {
            return Err(ReferenceError::HexName(s.to_string()));
        }
        Self::parse(s)
    }

    /// Docker's `ParseAnyReference`: a full ID (`<64 hex>` or `sha256:<64 hex>`), else a name.
    pub fn parse_any(s: &str) -> Result<ImageRef, ReferenceError> {
        if is_full_hex_id(s) {
            return Ok(ImageRef::Id(Digest::from_hex(s)?));
        }
        if let Ok(d) = Digest::parse(s) {
            return Ok(ImageRef::Id(d));
        }
        Self::parse_named(s).map(ImageRef::Named)
    }

    /// Adds `latest` when there is neither a tag nor a digest.
    pub fn with_default_tag(mut self) -> Self {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some(DEFAULT_TAG.into());
        }
        self
    }

    /// The same name with another tag and no digest. The tag is not checked: see [`is_valid_tag`].
    pub fn with_tag(&self, tag: &str) -> Self {
        Reference {
            tag: Some(tag.into()),
            digest: None,
            ..self.clone()
        }
    }

    /// The same name with this digest and no tag.
    pub fn with_digest(&self, digest: Digest) -> Self {
        Reference {
            tag: None,
            digest: Some(digest),
            ..self.clone()
        }
    }

    /// The name alone (no tag or digest).
    pub fn name_only(&self) -> Self {
        Reference {
            tag: None,
            digest: None,
            ..self.clone()
        }
    }

    /// The registry: `docker.io`, `localhost:5000`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The repository path inside the registry (`library/ubuntu`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The tag, if one was given.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest, if one was given.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// The full name: `docker.io/library/ubuntu`.
    pub fn name(&self) -> String {
        if self.domain.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// The familiar name: `ubuntu`, `bob/app`, `localhost:5000/app`.
    ///
    /// `library/` is dropped only from two-component Docker Hub paths, as distribution's
    /// `familiarizeName` does (`docker.io/library/a/b` stays `library/a/b`).
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            match self.path.split_once('/') {
                Some((OFFICIAL_REPO_NAME, rest)) if !rest.contains('/') => rest.to_string(),
                _ => self.path.clone(),
            }
        } else {
            self.name()
        }
    }

    /// The familiar form with tag/digest: `ubuntu:latest`, `ubuntu@sha256:…`.
    pub fn familiar(&self) -> String {
        let mut s = self.familiar_name();
        self.push_suffix(&mut s);
        s
    }

    fn push_suffix(&self, s: &mut String) {
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(&d.to_string());
        }
    }
}

impl fmt::Display for Reference {
    /// The fully qualified form: `docker.io/library/ubuntu:latest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.name();
        self.push_suffix(&mut s);
        f.write_str(&s)
    }
}

/// Whether `s` is exactly 64 lowercase hex characters (distribution's `anchoredIdentifierRegexp`).
pub fn is_full_hex_id(s: &str) -> bool {
    s.len() == 64 && is_lower_hex(s)
}

/// The hex prefix an `IMAGE` argument would match in the daemon's ID prefix search (the third
/// step of `GetImage`, after the exact ID and the reference store): a non-empty lowercase hex
/// string of at most 64 characters, bare or after `sha256:`. `None` when it cannot match any ID.
pub fn id_prefix(s: &str) -> Option<&str> {
    let hex = s.strip_prefix("sha256:").unwrap_or(s);
    (!hex.is_empty() && hex.len() <= 64 && is_lower_hex(hex)).then_some(hex)
}

/// Whether `tag` matches `[\w][\w.-]{0,127}`.
pub fn is_valid_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    match b.split_first() {
        Some((first, rest)) => {
            b.len() <= TAG_LENGTH_MAX
                && is_word(*first)
                && rest.iter().all(|&c| is_word(c) || c == b'.' || c == b'-')
        }
        None => false,
    }
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// distribution's `splitDockerDomain`: the first component is a domain only if it has a `.` or a
/// `:` or is `localhost`; Docker Hub names get `library/` when they have a single component.
fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, remainder) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
            (first.to_string(), rest.to_string())
        }
        _ => (DEFAULT_DOMAIN.to_string(), name.to_string()),
    };
    if domain == LEGACY_DEFAULT_DOMAIN {
        domain = DEFAULT_DOMAIN.to_string();
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        return (domain, format!("{OFFICIAL_REPO_NAME}/{remainder}"));
    }
    (domain, remainder)
}

/// distribution's `Parse` on an already normalised string.
fn parse_full(s: &str) -> Result<Reference, ReferenceError> {
    let Some(parts) = match_reference(s) else {
        if match_reference(&s.to_lowercase()).is_some() {
            return Err(ReferenceError::NameContainsUppercase);
        }
        return Err(ReferenceError::Format);
    };
    if parts.name.len() > NAME_TOTAL_LENGTH_MAX {
        return Err(ReferenceError::NameTooLong);
    }
    let digest = parts.digest.map(validate_digest).transpose()?;
    let (domain, path) = split_domain(parts.name);
    Ok(Reference {
        domain: domain.to_string(),
        path: path.to_string(),
        tag: parts.tag.map(str::to_string),
        digest,
    })
}

struct Parts<'a> {
    name: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

/// `ReferenceRegexp`: `^(name)(?::(tag))?(?:@(digest))?$`. The split is unambiguous: `@` appears
/// nowhere else, and a `:` after the last `/` cannot be a port (a port is always followed by `/`).
fn match_reference(s: &str) -> Option<Parts<'_>> {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest
        && !is_digest_pattern(d)
    {
        return None;
    }
    let last_slash = rest.rfind('/');
    let (name, tag) = match rest.rfind(':') {
        Some(i) if last_slash.is_none_or(|j| i > j) => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    if let Some(t) = tag
        && !is_valid_tag(t)
    {
        return None;
    }
    is_name(name).then_some(Parts { name, tag, digest })
}

/// `namePat`: `[domain '/'] remote-name`.
fn is_name(s: &str) -> bool {
    is_remote_name(s)
        || s.split_once('/')
            .is_some_and(|(d, rest)| is_domain(d) && is_remote_name(rest))
}

/// distribution's `splitDomain` (via `anchoredNameRegexp`): the domain is the first component when
/// it is a valid domain, else empty.
fn split_domain(name: &str) -> (&str, &str) {
    match name.split_once('/') {
        Some((d, rest)) if is_domain(d) && is_remote_name(rest) => (d, rest),
        _ => ("", name),
    }
}

fn is_remote_name(s: &str) -> bool {
    s.split('/').all(is_path_component)
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`
fn is_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: &u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    if !alnum(first) || !alnum(last) {
        return false;
    }
    b.split(alnum)
        .all(|sep| matches!(sep, b"" | b"." | b"_" | b"__") || sep.iter().all(|&x| x == b'-'))
}

/// `domain-component ('.' domain-component)* (':' [0-9]+)?`
fn is_domain(s: &str) -> bool {
    let (host, port) = match s.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    host.split('.').all(|c| {
        let b = c.as_bytes();
        match (b.first(), b.last()) {
            (Some(f), Some(l)) => {
                f.is_ascii_alphanumeric()
                    && l.is_ascii_alphanumeric()
                    && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
            }
            _ => false,
        }
    })
}

/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
fn is_digest_pattern(s: &str) -> bool {
    let Some((alg, hex)) = s.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['-', '_', '+', '.']).all(|c| {
        let b = c.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphabetic) && b.iter().all(u8::is_ascii_alphanumeric)
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// go-digest's `Digest.Validate` for a string that passed [`is_digest_pattern`], then our
/// [`Digest`] (sha256 only: a valid sha384/sha512 digest is reported as unsupported).
fn validate_digest(s: &str) -> Result<Digest, ReferenceError> {
    let (alg, hex) = s.split_once(':').ok_or(DigestError::Format)?;
    let size = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            // go-digest's DigestRegexp: [a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+
            let alg_ok = alg.split(['.', '+', '_', '-']).all(|c| {
                !c.is_empty()
                    && c.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            return Err(if alg_ok {
                DigestError::Algorithm
            } else {
                DigestError::Format
            }
            .into());
        }
    };
    if hex.len() != size {
        return Err(DigestError::Length.into());
    }
    if !is_lower_hex(hex) {
        return Err(DigestError::Format.into());
    }
    if alg != "sha256" {
        return Err(DigestError::Algorithm.into());
    }
    Ok(Digest::from_hex(hex)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
    const FFF: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    fn err(s: &str) -> String {
        match Reference::parse_named(s) {
            Ok(r) => panic!("{s:?} parsed as {r}"),
            Err(e) => e.to_string(),
        }
    }

    /// distribution's `TestReferenceParse`, on the grammar alone (`Parse`, no normalisation):
    /// input, then `domain`, `path`, tag, digest hex, or the error text.
    #[test]
    fn distribution_reference_parse_cases() {
        let long_ok = format!("{}a:tag-puts-this-over-max", "a/".repeat(127));
        let long_bad = format!("{}a:tag", "a/".repeat(128));
        type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
        let ok: &[Case] = &[
            ("test_com", "", "test_com", None, None),
            ("test.com:tag", "", "test.com", Some("tag"), None),
            ("test.com:5000", "", "test.com", Some("5000"), None),
            ("test.com/repo:tag", "test.com", "repo", Some("tag"), None),
            ("test:5000/repo", "test:5000", "repo", None, None),
            ("test:5000/repo:tag", "test:5000", "repo", Some("tag"), None),
            (
                "sub-dom1.foo.com/bar/baz/quux",
                "sub-dom1.foo.com",
                "bar/baz/quux",
                None,
                None,
            ),
            (
                "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
                "sub-dom1.foo.com",
                "bar/baz/quux",
                Some("some-long-tag"),
                None,
            ),
            (
                "b.gcr.io/test.example.com/my-app:test.example.com",
                "b.gcr.io",
                "test.example.com/my-app",
                Some("test.example.com"),
                None,
            ),
            (
                "xn--n3h.com/myimage:xn--n3h.com",
                "xn--n3h.com",
                "myimage",
                Some("xn--n3h.com"),
                None,
            ),
            ("foo_bar.com:8080", "", "foo_bar.com", Some("8080"), None),
            (
                "foo/foo_bar.com:8080",
                "foo",
                "foo_bar.com",
                Some("8080"),
                None,
            ),
            (
                &long_ok,
                "a",
                &long_ok[2..long_ok.len() - 23],
                Some("tag-puts-this-over-max"),
                None,
            ),
        ];
        for (input, domain, path, tag, digest) in ok {
            let r = parse_full(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                (r.domain(), r.path(), r.tag()),
                (*domain, *path, *tag),
                "{input}"
            );
            assert_eq!(
                r.digest().map(|d| d.hex().to_string()).as_deref(),
                *digest,
                "{input}"
            );
            assert_eq!(r.to_string(), *input);
        }
        let with_digest = format!("test:5000/repo:tag@sha256:{FFF}");
        let r = parse_full(&with_digest).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (r.domain(), r.path(), r.tag()),
            ("test:5000", "repo", Some("tag"))
        );
        assert_eq!(r.digest().map(Digest::hex), Some(FFF));
        assert_eq!(r.to_string(), with_digest);

        let bad: &[(&str, &str)] = &[
            ("", "invalid reference format"),
            (":justtag", "invalid reference format"),
            (&format!("@sha256:{FFF}"), "invalid reference format"),
            (
                &format!("validname@invaliddigest:{FFF}"),
                "unsupported digest algorithm",
            ),
            (
                &long_bad,
                "repository name must not be more than 255 characters",
            ),
            ("aa/asdf$$^/aa", "invalid reference format"),
            ("Uppercase:tag", "repository name must be lowercase"),
            // A valid sha512 that our sha256-only Digest cannot hold.
            (
                &format!("xn--7o8h.com/myimage:xn--7o8h.com@sha512:{FFF}"),
                "invalid checksum digest length",
            ),
            (
                &format!("a@sha512:{FFF}{FFF}"),
                "unsupported digest algorithm",
            ),
        ];
        for (input, want) in bad {
            let got = parse_full(input).map(|r| r.to_string());
            assert_eq!(
                got.map_err(|e| e.to_string()),
                Err(want.to_string()),
                "{input}"
            );
        }
    }

    /// distribution's `TestValidateReferenceName` / `TestValidateRemoteName`.
    #[test]
    fn distribution_valid_and_invalid_names() {
        let valid = [
            "docker/docker",
            "library/debian",
            "debian",
            "docker.io/docker/docker",
            "docker.io/library/debian",
            "docker.io/debian",
            "index.docker.io/docker/docker",
            "index.docker.io/library/debian",
            "index.docker.io/debian",
            "127.0.0.1:5000/docker/docker",
            "127.0.0.1:5000/library/debian",
            "127.0.0.1:5000/debian",
            "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
            "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "docker-rules/docker",
            "docker---rules/docker",
            "doc/docker",
            "d/docker",
            "jess/t",
            "dock__er/docker",
            "a--b",
        ];
        for name in valid {
            assert!(Reference::parse_named(name).is_ok(), "{name}");
        }
        let invalid = [
            "https://github.com/docker/docker",
            "docker/Docker",
            "-docker",
            "-docker/docker",
            "-docker.io/docker/docker",
            "docker///docker",
            "docker.io/docker/Docker",
            "docker.io/docker///docker",
            "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
            "docker-/docker",
            "-docker-/docker",
            "____/____",
            "_docker/_docker",
            "dock..er/docker",
            "dock_.er/docker",
            "dock-.er/docker",
            "docker/",
            "a___b",
            "[::1]:5000/foo",
            "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/docker",
        ];
        for name in invalid {
            assert!(Reference::parse_named(name).is_err(), "{name}");
        }
    }

    /// distribution's `TestParseRepositoryInfo`: every spelling gives the same reference.
    #[test]
    fn distribution_repository_info() {
        let cases: &[(&str, &str, &str, &str, &[&str])] = &[
            // path, familiar, full, domain, other spellings
            (
                "fooo/bar",
                "fooo/bar",
                "docker.io/fooo/bar",
                "docker.io",
                &["index.docker.io/fooo/bar"],
            ),
            (
                "library/ubuntu",
                "ubuntu",
                "docker.io/library/ubuntu",
                "docker.io",
                &["library/ubuntu"],
            ),
            (
                "nonlibrary/ubuntu",
                "nonlibrary/ubuntu",
                "docker.io/nonlibrary/ubuntu",
                "docker.io",
                &[],
            ),
            (
                "other/library",
                "other/library",
                "docker.io/other/library",
                "docker.io",
                &[],
            ),
            (
                "private/moonbase",
                "127.0.0.1:8000/private/moonbase",
                "127.0.0.1:8000/private/moonbase",
                "127.0.0.1:8000",
                &[],
            ),
            (
                "privatebase",
                "127.0.0.1:8000/privatebase",
                "127.0.0.1:8000/privatebase",
                "127.0.0.1:8000",
                &[],
            ),
            (
                "private/moonbase",
                "example.com/private/moonbase",
                "example.com/private/moonbase",
                "example.com",
                &[],
            ),
            (
                "privatebase",
                "example.com/privatebase",
                "example.com/privatebase",
                "example.com",
                &[],
            ),
            (
                "private/moonbase",
                "example.com:8000/private/moonbase",
                "example.com:8000/private/moonbase",
                "example.com:8000",
                &[],
            ),
            (
                "privatebasee",
                "example.com:8000/privatebasee",
                "example.com:8000/privatebasee",
                "example.com:8000",
                &[],
            ),
            (
                "library/ubuntu-12.04-base",
                "ubuntu-12.04-base",
                "docker.io/library/ubuntu-12.04-base",
                "docker.io",
                &["index.docker.io/library/ubuntu-12.04-base"],
            ),
            (
                "library/foo",
                "foo",
                "docker.io/library/foo",
                "docker.io",
                &["docker.io/foo"],
            ),
            (
                "library/foo/bar",
                "library/foo/bar",
                "docker.io/library/foo/bar",
                "docker.io",
                &[],
            ),
            (
                "store/foo/bar",
                "store/foo/bar",
                "docker.io/store/foo/bar",
                "docker.io",
                &[],
            ),
        ];
        for (path, familiar, full, domain, others) in cases {
            for s in [*familiar, *full].iter().chain(others.iter()) {
                let r = Reference::parse_named(s).unwrap_or_else(|e| panic!("{s}: {e}"));
                assert_eq!(r.familiar_name(), *familiar, "{s}");
                assert_eq!(r.to_string(), *full, "{s}");
                assert_eq!(r.name(), *full, "{s}");
                assert_eq!(r.domain(), *domain, "{s}");
                assert_eq!(r.path(), *path, "{s}");
            }
        }
    }

    #[test]
    fn tag_and_digest_together() {
        let short = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
        let r = Reference::parse_named(short).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.to_string(), format!("docker.io/library/{short}"));
        assert_eq!(r.familiar(), short);
        assert_eq!(r.tag(), Some("latest"));
        assert!(r.digest().is_some());
    }

    /// Error texts, as the 20.10 CLI prints them (checked against `docker pull`).
    #[test]
    fn error_texts() {
        let upper = "invalid reference format: repository name must be lowercase";
        let format = "invalid reference format";
        let cases: &[(&str, &str)] = &[
            ("Foo", upper),
            // The lowercase check runs before the grammar, so this is "lowercase" too.
            ("Foo!", upper),
            ("EXAMPLE/foo", upper),
            ("localhost:5000/Foo", upper),
            ("foo@SHA256:0123456789abcdef0123456789abcdef", upper),
            ("foo!", format),
            ("", format),
            ("a:B/c", format),
            ("foo/", format),
            ("foo:", format),
            ("foo:-tag", format),
            ("foo@sha256:abc", format),
            ("foo@bar@sha256:0123456789abcdef0123456789abcdef", format),
            (
                "foo@sha256:0123456789abcdef0123456789abcdef",
                "invalid checksum digest length",
            ),
            (
                "foo@sha512:0123456789abcdef0123456789abcdef",
                "invalid checksum digest length",
            ),
            (
                "foo@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                "invalid checksum digest format",
            ),
            (
                "foo:t@Sha256:0123456789abcdef0123456789abcdef",
                "invalid checksum digest format",
            ),
            (
                &"a".repeat(250),
                "repository name must not be more than 255 characters",
            ),
            (
                HEX,
                &format!(
                    "invalid repository name ({HEX}), cannot specify 64-byte hexadecimal strings"
                ),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(err(input), *want, "{input:?}");
        }
        // 255 counts the normalised name: docker.io/library/ is 18 characters.
        assert!(Reference::parse_named(&"a".repeat(237)).is_ok());
        assert!(Reference::parse_named(&"a".repeat(238)).is_err());
        // Upper case is fine in the domain and the tag.
        let r = Reference::parse_named("Example.com/foo:TAG").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (r.domain(), r.path(), r.tag()),
            ("Example.com", "foo", Some("TAG"))
        );
    }

    #[test]
    fn tag_grammar() {
        assert!(is_valid_tag("latest"));
        assert!(is_valid_tag("_x"));
        assert!(is_valid_tag("V1.0-rc_2"));
        assert!(is_valid_tag(&"a".repeat(128)));
        assert!(!is_valid_tag(&"a".repeat(129)));
        assert!(!is_valid_tag(""));
        assert!(!is_valid_tag(".x"));
        assert!(!is_valid_tag("-x"));
        assert!(!is_valid_tag("a/b"));
        assert!(!is_valid_tag("é"));
        assert!(Reference::parse_named(&format!("foo:{}", "a".repeat(128))).is_ok());
        assert!(Reference::parse_named(&format!("foo:{}", "a".repeat(129))).is_err());
    }

    #[test]
    fn normalisation_and_familiar_forms() {
        let cases: &[(&str, &str, &str)] = &[
            // input, fully qualified, familiar
            ("ubuntu", "docker.io/library/ubuntu", "ubuntu"),
            (
                "ubuntu:20.04",
                "docker.io/library/ubuntu:20.04",
                "ubuntu:20.04",
            ),
            ("bob/app:1", "docker.io/bob/app:1", "bob/app:1"),
            (
                "index.docker.io/ubuntu",
                "docker.io/library/ubuntu",
                "ubuntu",
            ),
            ("index.docker.io/bob/app", "docker.io/bob/app", "bob/app"),
            (
                "docker.io/library/a/b",
                "docker.io/library/a/b",
                "library/a/b",
            ),
            (
                "myregistry/app",
                "docker.io/myregistry/app",
                "myregistry/app",
            ),
            (
                "myregistry:5000/app",
                "myregistry:5000/app",
                "myregistry:5000/app",
            ),
            (
                "reg.example.com/app:v1",
                "reg.example.com/app:v1",
                "reg.example.com/app:v1",
            ),
            ("localhost/app", "localhost/app", "localhost/app"),
            (
                "localhost:5000/a/b/c",
                "localhost:5000/a/b/c",
                "localhost:5000/a/b/c",
            ),
            (
                "localhostx/app",
                "docker.io/localhostx/app",
                "localhostx/app",
            ),
            ("127.0.0.1:5000/x", "127.0.0.1:5000/x", "127.0.0.1:5000/x"),
            // Not a valid host, but a valid path component: Docker leaves the domain empty.
            ("foo_bar.com/x", "foo_bar.com/x", "foo_bar.com/x"),
        ];
        for (input, full, familiar) in cases {
            let r = Reference::parse_named(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(r.to_string(), *full, "{input}");
            assert_eq!(r.familiar(), *familiar, "{input}");
        }
        let r = Reference::parse_named("foo_bar.com/x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.domain(), r.path()), ("", "foo_bar.com/x"));
    }

    #[test]
    fn builders() {
        let r = Reference::parse_named("ubuntu").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.clone().with_default_tag().familiar(), "ubuntu:latest");
        let d = Digest::from_hex(HEX).unwrap_or_else(|e| panic!("{e}"));
        let pinned = r.with_digest(d.clone());
        assert_eq!(
            pinned.clone().with_default_tag().familiar(),
            format!("ubuntu@sha256:{HEX}")
        );
        assert_eq!(
            pinned.with_tag("1").to_string(),
            "docker.io/library/ubuntu:1"
        );
        let both =
            Reference::parse_named(&format!("a:b@sha256:{HEX}")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(both.name_only().familiar(), "a");
        assert_eq!(both.name_only().tag(), None);
    }

    /// distribution's `TestParseAnyReference` (the cases without a digest set).
    #[test]
    fn parse_any_reference() {
        let named = [
            ("redis", "docker.io/library/redis"),
            ("redis:latest", "docker.io/library/redis:latest"),
            ("dmcgowan/myapp", "docker.io/dmcgowan/myapp"),
            (
                "docker.io/mcgowan/myapp:latest",
                "docker.io/mcgowan/myapp:latest",
            ),
        ];
        for (input, full) in named {
            match Reference::parse_any(input) {
                Ok(ImageRef::Named(r)) => assert_eq!(r.to_string(), full),
                other => panic!("{input}: {other:?}"),
            }
        }
        let with_digest = format!("redis@sha256:{HEX}");
        assert!(matches!(
            Reference::parse_any(&with_digest),
            Ok(ImageRef::Named(_))
        ));
        for id in [HEX.to_string(), format!("sha256:{HEX}")] {
            match Reference::parse_any(&id) {
                Ok(ImageRef::Id(d)) => assert_eq!(d.hex(), HEX),
                other => panic!("{id}: {other:?}"),
            }
        }
        // 63 hex characters are a name (and an ID prefix).
        let short = &HEX[..63];
        match Reference::parse_any(short) {
            Ok(ImageRef::Named(r)) => {
                assert_eq!(r.to_string(), format!("docker.io/library/{short}"))
            }
            other => panic!("{other:?}"),
        }
        // `sha256:<prefix>` is a name too (library/sha256 with a tag), then an ID prefix.
        assert!(matches!(
            Reference::parse_any("sha256:dbcc1c"),
            Ok(ImageRef::Named(_))
        ));
        assert_eq!(
            Reference::parse_any("Foo").map_err(|e| e.to_string()),
            Err("invalid reference format: repository name must be lowercase".to_string())
        );
    }

    #[test]
    fn not_found_names() {
        let id = Reference::parse_any(HEX).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id.not_found_name(), format!("sha256:{HEX}"));
        let named = Reference::parse_any("foo").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(named.not_found_name(), "foo:latest");
        let named = Reference::parse_any("localhost:5000/foo:1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(named.not_found_name(), "localhost:5000/foo:1");
    }

    #[test]
    fn id_prefixes() {
        let cases: &[(&str, Option<&str>)] = &[
            ("d", Some("d")),
            ("dbcc1c", Some("dbcc1c")),
            (HEX, Some(HEX)),
            ("sha256:dbcc1c", Some("dbcc1c")),
            ("sha256:", None),
            ("", None),
            ("DBCC", None),
            ("ubuntu", None),
            ("dbcc1c:latest", None),
            ("sha512:dbcc", None),
        ];
        for (input, want) in cases {
            assert_eq!(id_prefix(input), *want, "{input}");
        }
        assert_eq!(id_prefix(&format!("{HEX}0")), None);
        assert!(is_full_hex_id(HEX));
        assert!(!is_full_hex_id(&HEX[1..]));
        assert!(!is_full_hex_id(&HEX.to_uppercase()));
    }

    #[test]
    fn component_grammar() {
        for ok in [
            "a",
            "a0",
            "a.b",
            "a_b",
            "a__b",
            "a-b",
            "a---b",
            "a.b-c_d__e",
        ] {
            assert!(is_path_component(ok), "{ok}");
        }
        for bad in [
            "", "A", "a.", ".a", "a..b", "a___b", "a._b", "a-_b", "a-", "a b", "é",
        ] {
            assert!(!is_path_component(bad), "{bad}");
        }
        for ok in [
            "a",
            "a.b",
            "a-b.c",
            "A.B",
            "a:1",
            "a.b:65535",
            "xn--n3h.com:18080",
            "127.0.0.1",
        ] {
            assert!(is_domain(ok), "{ok}");
        }
        for bad in [
            "", "-a", "a-", "a..b", "a:", "a:x", "a_b.com", "[::1]", "a:1:2", "a.b.",
        ] {
            assert!(!is_domain(bad), "{bad}");
        }
    }
}
