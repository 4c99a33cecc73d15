//! The registry client side: the [`Registry`] interface every image source implements (the offline
//! hub now, the HTTP client for private registries later), and pulling through it.

pub mod pull;

use std::io::Read;

use super::digest::Digest;
use super::error::ErrorKind;

/// A manifest (or index) as a registry served it: exact bytes, their media type and digest.
#[derive(Debug, Clone)]
pub struct FetchedManifest {
    pub media_type: String,
    pub digest: Digest,
    pub bytes: Vec<u8>,
}

/// What a registry answered when it could not serve a request.
#[derive(Debug, thiserror::Error)]
pub enum DistributionError {
    /// The repository does not exist (or is not visible without login).
    #[error("repository {repo} not found: name unknown: repository name not known to registry")]
    NameUnknown { repo: String },
    /// The repository exists but not this tag or digest.
    #[error("manifest unknown: manifest unknown")]
    ManifestUnknown { repo: String, reference: String },
    #[error("blob unknown: blob unknown to registry")]
    BlobUnknown { digest: Digest },
    #[error("denied: requested access to the resource is denied")]
    Denied { repo: String },
    #[error("unauthorized: authentication required")]
    Unauthorized { repo: String },
    #[error("{reason}")]
    Unavailable { reason: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl DistributionError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            DistributionError::NameUnknown { .. }
            | DistributionError::ManifestUnknown { .. }
            | DistributionError::BlobUnknown { .. } => ErrorKind::NotFound,
            DistributionError::Denied { .. } | DistributionError::Unauthorized { .. } => {
                ErrorKind::Unauthorized
            }
            DistributionError::Unavailable { .. } => ErrorKind::Unavailable,
            DistributionError::Io(_) => ErrorKind::Internal,
        }
    }
}

/// A source of images speaking the Distribution protocol's model.
///
/// `repo` is the path inside the registry (`library/ubuntu`); `reference` is a tag or a digest
/// string. Blobs stream: a reader may yield hundreds of MiB and is verified by the caller.
pub trait Registry: Send + Sync {
    /// The repository's tags, sorted.
    fn tags(&self, repo: &str) -> Result<Vec<String>, DistributionError>;
    /// A manifest or index by tag or digest.
    fn manifest(&self, repo: &str, reference: &str) -> Result<FetchedManifest, DistributionError>;
    /// A blob's bytes as a stream.
    fn blob(
        &self,
        repo: &str,
        digest: &Digest,
    ) -> Result<Box<dyn Read + Send + '_>, DistributionError>;
}

/// The default registry's extras: Docker Hub's search and its content-trust (Notary) records.
pub trait Index: Registry {
    /// Repositories matching `term`, best first.
    fn search(&self, term: &str) -> Vec<super::api::SearchResult>;
    /// The signed manifest digest of `repo:tag`, or Docker's trust error text.
    fn trusted_target(&self, repo: &str, tag: &str) -> Result<Digest, String>;
}
