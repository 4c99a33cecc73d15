//! The filters of `docker images` and `docker image prune`, over the shared [`Filters`]: which
//! keys each accepts, and image look-ups for `before=`/`since=`.

use jiff::Timestamp;

use super::super::filters::{FilterError, Filters};
use super::super::image::Image;
use super::super::reference::Reference;
use super::super::{Engine, Result};
use super::Snapshot;

/// The filters of an image listing or prune.
pub type ImageFilters = Filters;

/// The keys `docker images` accepts.
pub const LIST_KEYS: &[&str] = &["dangling", "label", "before", "since", "reference"];
/// The keys `docker image prune` accepts.
pub const PRUNE_KEYS: &[&str] = &["dangling", "label", "label!", "until"];

/// Listing filters checked, with their images looked up.
pub(crate) struct Resolved<'a> {
    pub filters: &'a Filters,
    pub dangling: Option<bool>,
    pub dangling_only: bool,
    pub before: Option<Timestamp>,
    pub since: Option<Timestamp>,
}

pub(crate) fn resolve<'a>(
    filters: &'a Filters,
    engine: &Engine,
    snap: &Snapshot,
) -> Result<Resolved<'a>> {
    filters.validate(LIST_KEYS)?;
    let dangling = filters.exact_bool("dangling")?;
    let created_of = |key: &str| -> Result<Option<Timestamp>> {
        let mut out = None;
        for v in filters.get(key) {
            let id = engine.resolve(snap, v)?;
            out = Some(snap.images[&id].created());
        }
        Ok(out)
    };
    Ok(Resolved {
        filters,
        dangling,
        dangling_only: dangling == Some(true),
        before: created_of("before")?,
        since: created_of("since")?,
    })
}

impl Resolved<'_> {
    pub fn labels_match(&self, img: &Image) -> bool {
        if !self.filters.contains("label") {
            return true;
        }
        let labels = img
            .config
            .config
            .as_ref()
            .and_then(|c| c.labels.clone())
            .unwrap_or_default();
        self.filters.match_kv_list("label", &labels)
    }

    pub fn reference_matches(&self, r: &Reference) -> std::result::Result<bool, FilterError> {
        self.filters.match_reference(r)
    }

    pub fn has_references(&self) -> bool {
        self.filters.contains("reference")
    }
}
