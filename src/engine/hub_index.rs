//! The hub as the engine's default registry: search results and trust records in the engine's
//! API types.

use super::api::SearchResult;
use super::digest::Digest;
use super::distribution::Index;
use super::hub::Hub;

impl Index for Hub {
    fn search(&self, term: &str) -> Vec<SearchResult> {
        Hub::search(self, term, 100)
            .into_iter()
            .map(|r| SearchResult {
                star_count: u64::from(r.star_count),
                is_official: r.is_official,
                name: r.name,
                is_automated: r.is_automated,
                description: r.description,
            })
            .collect()
    }

    fn trusted_target(&self, repo: &str, tag: &str) -> Result<Digest, String> {
        Hub::trusted_target(self, repo, tag)
            .map(|t| t.digest)
            .map_err(|e| e.to_string())
    }
}
