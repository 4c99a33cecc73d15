//! The offline Docker Hub (`docker.io`). STUB until the catalog lands.

use std::io::Read;

use super::digest::Digest;
use super::distribution::{DistributionError, FetchedManifest, Index, Registry};

pub struct Hub;

impl Hub {
    pub fn builtin() -> Hub {
        Hub
    }
}

impl Registry for Hub {
    fn tags(&self, repo: &str) -> Result<Vec<String>, DistributionError> {
        Err(DistributionError::Denied { repo: repo.into() })
    }
    fn manifest(&self, repo: &str, _reference: &str) -> Result<FetchedManifest, DistributionError> {
        Err(DistributionError::Denied { repo: repo.into() })
    }
    fn blob(
        &self,
        _repo: &str,
        digest: &Digest,
    ) -> Result<Box<dyn Read + Send + '_>, DistributionError> {
        Err(DistributionError::BlobUnknown {
            digest: digest.clone(),
        })
    }
}

impl Index for Hub {
    fn search(&self, _term: &str) -> Vec<super::api::SearchResult> {
        vec![]
    }
    fn trusted_target(&self, repo: &str, _tag: &str) -> Result<Digest, String> {
        Err(format!(
            "remote trust data does not exist for docker.io/{repo}"
        ))
    }
}
