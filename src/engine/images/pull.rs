//! `docker pull` as the daemon runs it: pick the registry for the reference's domain, pull one tag
//! (or every tag), and report Docker's status lines in the progress stream.

use super::super::digest::Digest;
use super::super::distribution::pull::{self, Target};
use super::super::distribution::{DistributionError, Registry};
use super::super::error::Error;
use super::super::image::StoreError;
use super::super::image::refs::Refs;
use super::super::progress::{Progress, ProgressSink};
use super::super::reference::Reference;
use super::super::{Engine, Result};

/// What the CLI needs after a pull.
#[derive(Debug, Clone)]
pub struct PullSummary {
    pub image_id: Option<Digest>,
    pub digest: Option<Digest>,
}

/// Errors as the daemon words them for a pull.
#[derive(Debug, thiserror::Error)]
pub enum PullFailure {
    #[error(
        "pull access denied for {name}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
    )]
    AccessDenied { name: String },
    #[error("manifest for {reference} not found: manifest unknown: manifest unknown")]
    ManifestUnknown { reference: String },
    #[error("'scratch' is a reserved name")]
    Scratch,
    #[error("Get \"https://{domain}/v2/\": dial tcp: lookup {host}: no such host")]
    NoSuchHost { domain: String, host: String },
}

impl Engine {
    /// The registry serving a domain: the offline hub for `docker.io`.
    pub fn registry_for(&self, domain: &str) -> Result<&dyn Registry> {
        if domain == super::super::reference::DEFAULT_DOMAIN {
            return Ok(self.hub());
        }
        let host = domain.split(':').next().unwrap_or(domain).to_string();
        Err(StoreError::Unavailable(
            PullFailure::NoSuchHost {
                domain: domain.to_string(),
                host,
            }
            .to_string(),
        )
        .into())
    }

    /// Pulls `reference` (which carries a tag or digest), or every tag of its repository.
    pub fn pull(
        &self,
        reference: &Reference,
        all_tags: bool,
        sink: &mut dyn ProgressSink,
    ) -> Result<PullSummary> {
        if reference.familiar_name() == "scratch" {
            return Err(StoreError::InvalidArgument(PullFailure::Scratch.to_string()).into());
        }
        let registry = self.registry_for(reference.domain())?;
        let _lock = self.lock()?;
        let mut refs = Refs::load(self.paths())?;
        let target = Target {
            paths: self.paths(),
            content: self.content(),
            images: self.image_store(),
        };
        let wrap = |e: Error, r: &Reference| -> Error {
            match e {
                Error::Distribution(
                    DistributionError::Denied { .. } | DistributionError::NameUnknown { .. },
                )
                | Error::Distribution(DistributionError::Unauthorized { .. }) => {
                    StoreError::NotFound(
                        PullFailure::AccessDenied {
                            name: r.familiar_name(),
                        }
                        .to_string(),
                    )
                    .into()
                }
                Error::Distribution(DistributionError::ManifestUnknown { .. }) => {
                    StoreError::NotFound(
                        PullFailure::ManifestUnknown {
                            reference: r.familiar(),
                        }
                        .to_string(),
                    )
                    .into()
                }
                other => other,
            }
        };
        if all_tags {
            let tags = registry
                .tags(reference.path())
                .map_err(|e| wrap(e.into(), reference))?;
            let mut changed = false;
            let mut last = PullSummary {
                image_id: None,
                digest: None,
            };
            for t in tags {
                let r = reference.with_tag(&t);
                let p =
                    pull::pull(&target, &mut refs, registry, &r, sink).map_err(|e| wrap(e, &r))?;
                sink.emit(Progress::status(format!("Digest: {}", p.digest)));
                changed |= !p.up_to_date;
                last = PullSummary {
                    image_id: Some(p.image_id),
                    digest: Some(p.digest),
                };
            }
            let name = reference.familiar_name();
            sink.emit(Progress::status(if changed {
                format!("Status: Downloaded newer image for {name}")
            } else {
                format!("Status: Image is up to date for {name}")
            }));
            return Ok(last);
        }
        let p = pull::pull(&target, &mut refs, registry, reference, sink)
            .map_err(|e| wrap(e, reference))?;
        sink.emit(Progress::status(format!("Digest: {}", p.digest)));
        let shown = reference.familiar();
        sink.emit(Progress::status(if p.up_to_date {
            format!("Status: Image is up to date for {shown}")
        } else {
            format!("Status: Downloaded newer image for {shown}")
        }));
        Ok(PullSummary {
            image_id: Some(p.image_id),
            digest: Some(p.digest),
        })
    }
}
