//! `docker rmi` and `docker image prune`: moby 20.10's `ImageDelete` and `ImagesPrune`, rule for rule.
//!
//! By name, only that reference goes, unless it was the last one; by ID, every reference goes when
//! they are all in one repository, else `-f` is needed. Conflicts are *hard* (child images, running
//! containers: never forced) or *soft* (other references, stopped containers: `-f` overrides). A
//! deleted image frees the layers no other image uses, reported top layer first.

use std::collections::HashSet;

use super::super::api::{DeleteItem, PruneReport};
use super::super::digest::Digest;
use super::super::image::StoreError;
use super::super::reference::Reference;
use super::super::{Engine, Result};
use super::filters::{ImageFilters, PRUNE_KEYS};
use super::{Snapshot, chains_in_use};

/// A container's hold on an image (containers arrive with the runtime).
#[derive(Debug, Clone)]
pub struct ContainerUse {
    pub id: String,
    pub image: Digest,
    pub running: bool,
}

const DEPENDENT_CHILD: u8 = 1;
const RUNNING_CONTAINER: u8 = 2;
const ACTIVE_REFERENCE: u8 = 4;
const STOPPED_CONTAINER: u8 = 8;
const HARD: u8 = DEPENDENT_CHILD | RUNNING_CONTAINER;
const SOFT: u8 = ACTIVE_REFERENCE | STOPPED_CONTAINER;

struct Conflict {
    hard: bool,
    used: bool,
    id: Digest,
    message: String,
}

impl Conflict {
    fn into_error(self) -> super::super::Error {
        let force = if self.hard {
            "cannot be forced"
        } else {
            "must be forced"
        };
        StoreError::Conflict(format!(
            "unable to delete {} ({force}) - {}",
            self.id.short(),
            self.message
        ))
        .into()
    }
}

/// One delete operation's working state: the snapshot, kept current as references go.
struct Deleter<'a> {
    engine: &'a Engine,
    snap: Snapshot,
    containers: Vec<ContainerUse>,
    refs_dirty: bool,
}

fn is_single_reference(refs: &[Reference]) -> bool {
    if refs.len() <= 1 {
        return refs.len() == 1;
    }
    let mut single: Option<&Reference> = None;
    let mut canonical = HashSet::new();
    for r in refs {
        if r.digest().is_some() {
            canonical.insert(r.name());
        } else if single.is_none() {
            single = Some(r);
        } else {
            return false;
        }
    }
    let single = single.unwrap_or(&refs[0]);
    canonical.len() == 1 && canonical.contains(&single.name())
}

fn is_id_prefix(id: &Digest, arg: &str) -> bool {
    id.to_string().starts_with(arg) || id.hex().starts_with(arg)
}

impl Deleter<'_> {
    fn conflict(&self, id: &Digest, mask: u8) -> Option<Conflict> {
        if mask & DEPENDENT_CHILD != 0 && self.snap.has_children(id) {
            return Some(Conflict {
                hard: true,
                used: false,
                id: id.clone(),
                message: "image has dependent child images".into(),
            });
        }
        if mask & RUNNING_CONTAINER != 0
            && let Some(c) = self.containers.iter().find(|c| c.image == *id && c.running)
        {
            return Some(Conflict {
                hard: true,
                used: true,
                id: id.clone(),
                message: format!(
                    "image is being used by running container {}",
                    &c.id[..12.min(c.id.len())]
                ),
            });
        }
        if mask & ACTIVE_REFERENCE != 0 && !self.snap.refs_to(id).is_empty() {
            return Some(Conflict {
                hard: false,
                used: false,
                id: id.clone(),
                message: "image is referenced in multiple repositories".into(),
            });
        }
        if mask & STOPPED_CONTAINER != 0
            && let Some(c) = self
                .containers
                .iter()
                .find(|c| c.image == *id && !c.running)
        {
            return Some(Conflict {
                hard: false,
                used: true,
                id: id.clone(),
                message: format!(
                    "image is being used by stopped container {}",
                    &c.id[..12.min(c.id.len())]
                ),
            });
        }
        None
    }

    fn remove_ref(&mut self, r: &Reference) -> Reference {
        let r = r.clone().with_default_tag();
        if self.snap.refs.remove(&r).is_some() {
            self.refs_dirty = true;
        }
        r
    }

    fn delete(&mut self, arg: &str, force: bool, prune: bool) -> Result<Vec<DeleteItem>> {
        let id = self.engine.resolve(&self.snap, arg)?;
        let mut records = Vec::new();
        let mut repo_refs = self.snap.refs_to(&id);
        let mut removed_repository_ref = false;
        if !is_id_prefix(&id, arg) {
            if !force
                && is_single_reference(&repo_refs)
                && let Some(c) = self.containers.iter().find(|c| c.image == id)
            {
                return Err(StoreError::Conflict(format!(
                    "unable to remove repository reference \"{arg}\" (must force) - container {} is using its referenced image {}",
                    &c.id[..12.min(c.id.len())],
                    id.short()
                ))
                .into());
            }
            let parsed = Reference::parse(arg)?;
            let parsed = self.remove_ref(&parsed);
            records.push(DeleteItem::Untagged(parsed.familiar()));
            repo_refs = self.snap.refs_to(&id);
            if parsed.digest().is_none() {
                let same_repo_tag = repo_refs
                    .iter()
                    .any(|r| r.digest().is_none() && r.name() == parsed.name());
                if !same_repo_tag {
                    let mut remaining = Vec::new();
                    for r in repo_refs {
                        if r.digest().is_some() && r.name() == parsed.name() {
                            self.remove_ref(&r);
                            records.push(DeleteItem::Untagged(r.familiar()));
                        } else {
                            remaining.push(r);
                        }
                    }
                    repo_refs = remaining;
                }
            }
            if !repo_refs.is_empty() {
                return Ok(records);
            }
            removed_repository_ref = true;
        } else if is_single_reference(&repo_refs) {
            let mut mask = HARD;
            if !force {
                mask |= SOFT & !ACTIVE_REFERENCE;
            }
            if let Some(c) = self.conflict(&id, mask) {
                return Err(c.into_error());
            }
            for r in repo_refs {
                let r = self.remove_ref(&r);
                records.push(DeleteItem::Untagged(r.familiar()));
            }
        }
        self.delete_helper(&id, &mut records, force, prune, removed_repository_ref)?;
        Ok(records)
    }

    fn delete_helper(
        &mut self,
        id: &Digest,
        records: &mut Vec<DeleteItem>,
        force: bool,
        prune: bool,
        quiet: bool,
    ) -> Result<()> {
        let mut mask = HARD;
        if !force {
            mask |= SOFT;
        }
        if let Some(c) = self.conflict(id, mask) {
            let dangling = self.snap.refs_to(id).is_empty() && !self.snap.has_children(id);
            if quiet && (!dangling || c.used) {
                return Ok(());
            }
            return Err(c.into_error());
        }
        let parent = self.snap.images.get(id).and_then(|i| i.parent.clone());
        for r in self.snap.refs_to(id) {
            let r = self.remove_ref(&r);
            records.push(DeleteItem::Untagged(r.familiar()));
        }
        // References go to disk before the image goes, so a crash never leaves a reference to a
        // missing image that a later pull would report as "up to date".
        self.flush_refs()?;
        let freed = self.delete_image(id)?;
        records.push(DeleteItem::Deleted(id.to_string()));
        records.extend(
            freed
                .into_iter()
                .map(|c| DeleteItem::Deleted(c.to_string())),
        );
        if !prune {
            return Ok(());
        }
        match parent {
            Some(p) if self.snap.images.contains_key(&p) => {
                self.delete_helper(&p, records, false, true, true)
            }
            _ => Ok(()),
        }
    }

    /// Removes the image and the layers only it used; returns those layers' chain IDs, top first.
    fn delete_image(&mut self, id: &Digest) -> Result<Vec<Digest>> {
        let Some(img) = self.snap.images.get(id).cloned() else {
            return Ok(vec![]);
        };
        let in_use = chains_in_use(&self.snap, &HashSet::from([id.clone()]));
        let store = self.engine.image_store();
        store.delete(id)?;
        // A ready-made rootfs copy for `docker run` of this image is garbage now.
        let _ = super::super::fsutil::remove_dir_if_exists(
            &super::super::image::rootfs::spares_dir(store).join(id.hex()),
        );
        self.snap.images.remove(id);
        if let Some(p) = &img.parent
            && let Some(c) = self.snap.children.get_mut(p)
        {
            c.retain(|x| x != id);
        }
        let held_by_containers: HashSet<Digest> = HashSet::new();
        let mut freed = Vec::new();
        for chain in img.chain_ids().into_iter().rev() {
            if in_use.contains(&chain) || held_by_containers.contains(&chain) {
                break;
            }
            store.layers.remove(&chain).map_err(StoreError::from)?;
            freed.push(chain);
        }
        Ok(freed)
    }

    fn flush_refs(&mut self) -> Result<()> {
        if self.refs_dirty {
            self.snap.refs.save(self.engine.paths())?;
            self.refs_dirty = false;
        }
        Ok(())
    }
}

impl Engine {
    /// Containers holding images: every container, running or not, holds its image.
    pub fn containers_using_images(&self) -> Vec<ContainerUse> {
        self.image_users()
            .into_iter()
            .filter_map(|c| {
                Some(ContainerUse {
                    image: Digest::parse(&c.image).ok()?,
                    running: c.state.running,
                    id: c.id,
                })
            })
            .collect()
    }

    fn deleter(&self) -> Result<Deleter<'_>> {
        Ok(Deleter {
            engine: self,
            snap: self.snapshot()?,
            containers: self.containers_using_images(),
            refs_dirty: false,
        })
    }

    /// `docker rmi`: deletes or untags one image argument.
    pub fn image_remove(&self, arg: &str, force: bool, prune: bool) -> Result<Vec<DeleteItem>> {
        let _lock = self.lock()?;
        let mut d = self.deleter()?;
        let result = d.delete(arg, force, prune);
        d.flush_refs()?;
        result
    }

    /// `docker image prune`: `dangling` unless `--all` (the CLI's `dangling=false`), `until=`,
    /// `label=`, `label!=`. Images a container uses are skipped.
    pub fn images_prune(&self, filters: &ImageFilters) -> Result<PruneReport> {
        filters.validate(PRUNE_KEYS)?;
        let dangling_only = filters.prune_bool("dangling", true)?;
        let now = self.clock.now();
        let until = filters.until(now, jiff::tz::TimeZone::system().to_offset(now))?;
        let _lock = self.lock()?;
        let mut d = self.deleter()?;
        let sizes: std::collections::HashMap<Digest, u64> = d
            .snap
            .images
            .values()
            .flat_map(|i| i.chain_ids())
            .filter_map(|c| self.image_store().layers.get(&c).ok().map(|l| (c, l.size)))
            .collect();
        let mut top = Vec::new();
        for (id, img) in &d.snap.images {
            if dangling_only && d.snap.has_children(id) {
                continue;
            }
            if d.snap.refs_to(id).is_empty() && d.snap.has_children(id) {
                continue;
            }
            if let Some(u) = until
                && img.created() > u
            {
                continue;
            }
            if let Some(c) = &img.config.config
                && !filters.match_labels(&c.labels.clone().unwrap_or_default())
            {
                continue;
            }
            top.push(id.clone());
        }
        let mut report = PruneReport::default();
        for id in top {
            if !d.snap.images.contains_key(&id) {
                continue;
            }
            let refs = d.snap.refs_to(&id);
            if !refs.is_empty() {
                let should = !dangling_only || !refs.iter().any(|r| r.digest().is_none());
                if should {
                    for r in refs {
                        if let Ok(items) = d.delete(&r.to_string(), false, true) {
                            report.deleted.extend(items);
                        }
                    }
                }
            } else if let Ok(items) = d.delete(id.hex(), false, true) {
                report.deleted.extend(items);
            }
        }
        d.flush_refs()?;
        for item in &report.deleted {
            if let DeleteItem::Deleted(s) = item
                && let Ok(c) = Digest::parse(s)
                && let Some(n) = sizes.get(&c)
            {
                report.space_reclaimed += n;
            }
        }
        Ok(report)
    }
}
