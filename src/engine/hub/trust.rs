//! Content trust for hub tags: the offline stand-in for `notary.docker.io`.
//!
//! Every tag of an official (`library/…`) repository carries a signed target: the manifest digest
//! and size the tag resolves to, signed with HMAC-SHA256 under a key built into the binary. The
//! "server" side ([`Hub::trust_record`]) produces the record; the "client" side ([`verify`]) checks
//! the signature before a caller may pull by the digest — the shape of Docker Content Trust, without
//! TUF's key hierarchy. Community repositories are unsigned, as most were on the real Hub.
//!
//! The HMAC uses `sha2` directly: it needs raw digest bytes, which [`Digest`] deliberately does not
//! expose.

use sha2::{Digest as _, Sha256};

use super::Hub;
use crate::engine::digest::Digest;
use crate::engine::distribution::DistributionError;
use crate::engine::error::ErrorKind;

/// The built-in signing key of the offline notary.
const KEY: &[u8] = b"drydock offline notary: docker.io root key, 2021";

/// A verified tag target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedTarget {
    /// `library/alpine`.
    pub repo: String,
    pub tag: String,
    /// The manifest (or manifest list) digest the tag is signed to.
    pub digest: Digest,
    /// Its size in bytes.
    pub size: u64,
    /// The signer's role, as `docker trust inspect` names it.
    pub signer: String,
    /// HMAC-SHA256 over [`canonical`], lowercase hex.
    pub signature: String,
}

/// Why a tag has no trusted target.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The repository has no trust data at all (unsigned or unknown).
    #[error(
        "remote trust data does not exist for docker.io/{repo}: notary.docker.io does not have trust data for docker.io/{repo}"
    )]
    NoTrustData { repo: String },
    /// The repository is signed but not this tag.
    #[error("No trust data for {tag}")]
    NoTag { repo: String, tag: String },
    /// The record does not verify.
    #[error(
        "could not validate the path to a trusted root: signature verification failed for docker.io/{repo}:{tag}"
    )]
    BadSignature { repo: String, tag: String },
    #[error(transparent)]
    Distribution(#[from] DistributionError),
}

impl TrustError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            TrustError::NoTrustData { .. } | TrustError::NoTag { .. } => ErrorKind::NotFound,
            TrustError::BadSignature { .. } => ErrorKind::Unauthorized,
            TrustError::Distribution(e) => e.kind(),
        }
    }
}

/// The signed bytes: `docker.io/<repo>:<tag>@<digest>#<size>`.
pub fn canonical(repo: &str, tag: &str, digest: &Digest, size: u64) -> String {
    format!("docker.io/{repo}:{tag}@{digest}#{size}")
}

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signature of a target.
pub fn sign(repo: &str, tag: &str, digest: &Digest, size: u64) -> String {
    hex(&hmac(KEY, canonical(repo, tag, digest, size).as_bytes()))
}

/// Checks a target's signature (constant-time comparison).
pub fn verify(t: &TrustedTarget) -> Result<(), TrustError> {
    let want = sign(&t.repo, &t.tag, &t.digest, t.size);
    let same = want.len() == t.signature.len()
        && want
            .bytes()
            .zip(t.signature.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(TrustError::BadSignature {
            repo: t.repo.clone(),
            tag: t.tag.clone(),
        })
    }
}

/// True when the hub signs the repository's tags.
pub fn is_signed(repo: &str) -> bool {
    repo.starts_with("library/") && super::catalog::repo(repo).is_some()
}

impl Hub {
    /// The notary's record for `repo:tag`, unverified.
    pub fn trust_record(&self, repo: &str, tag: &str) -> Result<TrustedTarget, TrustError> {
        if !is_signed(repo) {
            return Err(TrustError::NoTrustData { repo: repo.into() });
        }
        let (digest, size) = match self.resolve(repo, tag) {
            Ok(r) => r,
            Err(DistributionError::ManifestUnknown { .. }) => {
                return Err(TrustError::NoTag {
                    repo: repo.into(),
                    tag: tag.into(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        Ok(TrustedTarget {
            repo: repo.into(),
            tag: tag.into(),
            signature: sign(repo, tag, &digest, size),
            digest,
            size,
            signer: "Repo Admin".into(),
        })
    }

    /// The verified target of `repo:tag` (what `DOCKER_CONTENT_TRUST=1 docker pull` resolves).
    pub fn trusted_target(&self, repo: &str, tag: &str) -> Result<TrustedTarget, TrustError> {
        let t = self.trust_record(repo, tag)?;
        verify(&t)?;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
