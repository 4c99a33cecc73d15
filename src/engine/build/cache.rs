//! The classic builder's cache (moby `daemon/images/cache.go` `localImageCache` and
//! `builder/dockerfile/imageprobe.go`): a step is cached when a child of the current image
//! (for `FROM scratch`: an image without a parent) has a `ContainerConfig` that [`compare`]s
//! equal to the one the step would commit; the newest such child wins. The first miss in a
//! stage busts the cache for the rest of that stage; `--no-cache` never looks.
//!
//! The key is the container config alone: metadata steps embed their instruction in `Cmd`
//! (`#(nop) ENV A=1`), `RUN` its command (with `|N K=V` build args), `COPY`/`ADD` the content
//! hash of their sources. The parent → children index is read once per build from the image
//! metadata and extended as the build commits.
//!
//! `--cache-from` (moby `image/cache` `ImageCache`, what `MakeImageCache` builds when source
//! images are given): a local hit counts only when it is an ancestor of one of the sources
//! (so the images of other builds are no longer candidates), and otherwise a source whose
//! history and layers start with the current image's and whose next history entry's
//! `created_by` equals the step's `Cmd` joined with spaces is a hit: on its last entry the
//! source itself (its parent is set to the current image), before that an image restored from
//! it (the current image's history and layers plus that entry and its layer, the step's config
//! as `Config`), after which only that source is considered. This is how a `docker load`ed
//! image (no parent chain) serves as cache.

use std::collections::HashMap;

use super::super::digest::Digest;
use super::super::image::{Image, ImageStore};
use super::super::oci::{ContainerConfig, ImageConfig, RootFs};

/// moby's `compare`: the fields the cache looks at (not `WorkingDir`, not `Hostname`).
pub fn compare(a: &ContainerConfig, b: &ContainerConfig) -> bool {
    fn len<T>(v: &Option<Vec<T>>) -> usize {
        v.as_ref().map_or(0, Vec::len)
    }
    fn mlen<K, V>(m: &Option<std::collections::BTreeMap<K, V>>) -> usize {
        m.as_ref().map_or(0, |m| m.len())
    }
    if a.open_stdin != b.open_stdin
        || a.attach_stdout != b.attach_stdout
        || a.attach_stderr != b.attach_stderr
        || a.user != b.user
        || a.tty != b.tty
    {
        return false;
    }
    if len(&a.cmd) != len(&b.cmd)
        || len(&a.env) != len(&b.env)
        || mlen(&a.labels) != mlen(&b.labels)
        || mlen(&a.exposed_ports) != mlen(&b.exposed_ports)
        || len(&a.entrypoint) != len(&b.entrypoint)
        || mlen(&a.volumes) != mlen(&b.volumes)
    {
        return false;
    }
    let same = |x: &Option<Vec<String>>, y: &Option<Vec<String>>| {
        x.iter()
            .flatten()
            .zip(y.iter().flatten())
            .all(|(p, q)| p == q)
    };
    if !same(&a.cmd, &b.cmd) || !same(&a.env, &b.env) || !same(&a.entrypoint, &b.entrypoint) {
        return false;
    }
    let labels_ok = a.labels.iter().flatten().all(|(k, v)| {
        b.labels
            .as_ref()
            .and_then(|m| m.get(k))
            .is_some_and(|w| w == v)
    });
    let ports_ok = a
        .exposed_ports
        .iter()
        .flatten()
        .all(|(k, _)| b.exposed_ports.as_ref().is_some_and(|m| m.contains_key(k)));
    let volumes_ok = a
        .volumes
        .iter()
        .flatten()
        .all(|(k, _)| b.volumes.as_ref().is_some_and(|m| m.contains_key(k)));
    labels_ok && ports_ok && volumes_ok
}

/// Cache look-ups for one build.
pub struct Cache {
    enabled: bool,
    busted: bool,
    /// Parent image → its children (local parent links).
    children: HashMap<Digest, Vec<Digest>>,
    /// Child → parent (the same links).
    parents: HashMap<Digest, Digest>,
    /// Images without a parent (`FROM scratch` candidates).
    roots: Vec<Digest>,
    /// `--cache-from` images (`None`: the local cache alone).
    sources: Option<Vec<Image>>,
}

/// A cache hit.
pub enum Hit {
    /// An image in the store.
    Image(Image),
    /// A `--cache-from` source's history entry `index` on top of the current image: the
    /// builder writes the image ([`restored_config`]).
    Restore { target: Image, index: usize },
}

/// moby's `isValidParent`: `img`'s history and layers start with `parent`'s.
fn valid_parent(img: &Image, parent: Option<&Image>) -> bool {
    let h = &img.config.history;
    if h.is_empty() {
        return false;
    }
    let Some(p) = parent else { return true };
    let (ph, pd) = (&p.config.history, p.diff_ids());
    if ph.is_empty() && pd.is_empty() {
        return true;
    }
    ph.len() < h.len()
        && pd.len() <= img.diff_ids().len()
        && ph.iter().zip(h).all(|(a, b)| a == b)
        && pd.iter().zip(img.diff_ids()).all(|(a, b)| a == b)
}

/// moby's `restoreCachedImage`: the config of the image restored from `target`'s history entry
/// `index` on top of `parent`, with `config` (the step's) as `Config`.
pub fn restored_config(
    parent: Option<&Image>,
    target: &Image,
    index: usize,
    config: &ContainerConfig,
) -> ImageConfig {
    let t = &target.config;
    let mut history = parent.map(|p| p.config.history.clone()).unwrap_or_default();
    let mut rootfs = parent.map(|p| p.config.rootfs.clone()).unwrap_or(RootFs {
        kind: "layers".into(),
        diff_ids: vec![],
    });
    let entry = t.history[index].clone();
    if !entry.empty_layer {
        let layer = t.history[..index].iter().filter(|h| !h.empty_layer).count();
        if let Some(d) = t.rootfs.diff_ids.get(layer) {
            rootfs.diff_ids.push(d.clone());
        }
    }
    let created = entry.created.clone();
    history.push(entry);
    ImageConfig {
        architecture: t.architecture.clone(),
        author: t.author.clone(),
        config: Some(config.clone()),
        created,
        docker_version: super::super::archive::import::DOCKER_VERSION.into(),
        history,
        os: t.os.clone(),
        os_version: t.os_version.clone(),
        rootfs,
        comment: String::new(),
        container: String::new(),
        container_config: None,
        parent: String::new(),
        variant: String::new(),
    }
}

impl Cache {
    /// Reads the parent links of every image (`--no-cache`: none; nothing is looked up).
    pub fn load(store: &ImageStore, enabled: bool, sources: Option<Vec<Image>>) -> Cache {
        let mut cache = Cache {
            enabled,
            busted: false,
            children: HashMap::new(),
            parents: HashMap::new(),
            roots: Vec::new(),
            sources,
        };
        if !enabled {
            return cache;
        }
        let with_meta = store.ids_with_metadata();
        for id in store.ids().unwrap_or_default() {
            let parent = if with_meta.contains(&id) {
                std::fs::read_to_string(store.paths().image_metadata(&id).join("parent"))
                    .ok()
                    .and_then(|s| Digest::parse(s.trim()).ok())
            } else {
                None
            };
            match parent {
                Some(p) => {
                    cache.parents.insert(id.clone(), p.clone());
                    cache.children.entry(p).or_default().push(id);
                }
                None => cache.roots.push(id),
            }
        }
        cache
    }

    /// A new stage starts with a fresh chance of hits (moby resets the prober per stage).
    pub fn reset(&mut self) {
        self.busted = false;
    }

    /// Records a committed image so later steps (and stages) find it.
    pub fn add(&mut self, id: &Digest, parent: Option<&Digest>) {
        if let Some(p) = parent {
            self.parents.insert(id.clone(), p.clone());
        }
        let list = match parent {
            Some(p) => self.children.entry(p.clone()).or_default(),
            None => &mut self.roots,
        };
        if !list.contains(id) {
            list.push(id.clone());
        }
    }

    /// moby's `isParent`: whether `ancestor` is a (strict) ancestor of `id`.
    fn is_ancestor(&self, id: &Digest, ancestor: &Digest) -> bool {
        let mut at = id;
        for _ in 0..self.parents.len() + 1 {
            match self.parents.get(at) {
                Some(p) if p == ancestor => return true,
                Some(p) => at = p,
                None => return false,
            }
        }
        false
    }

    /// The cached image for a step on `parent` committing `config`; a miss busts the cache.
    pub fn probe(
        &mut self,
        store: &ImageStore,
        parent: Option<&Image>,
        config: &ContainerConfig,
    ) -> Option<Hit> {
        if !self.enabled || self.busted {
            return None;
        }
        let hit = self.probe_inner(store, parent, config);
        if hit.is_none() {
            self.busted = true;
        }
        hit
    }

    fn probe_inner(
        &mut self,
        store: &ImageStore,
        parent: Option<&Image>,
        config: &ContainerConfig,
    ) -> Option<Hit> {
        let local = self.local(store, parent.map(|p| &p.id), config);
        let Some(sources) = &self.sources else {
            return local.map(Hit::Image);
        };
        if let Some(img) = local
            && sources.iter().any(|s| self.is_ancestor(&s.id, &img.id))
        {
            return Some(Hit::Image(img));
        }
        let index = parent.map_or(0, |p| p.config.history.len());
        let created_by = config.cmd.clone().unwrap_or_default().join(" ");
        let target = sources
            .iter()
            .find(|t| {
                valid_parent(t, parent)
                    && t.config
                        .history
                        .get(index)
                        .is_some_and(|h| h.created_by == created_by)
            })?
            .clone();
        if index + 1 == target.config.history.len() {
            return Some(Hit::Image(target));
        }
        self.sources = Some(vec![target.clone()]);
        Some(Hit::Restore { target, index })
    }

    /// The local cache: the newest child of `parent` whose container config matches.
    fn local(
        &self,
        store: &ImageStore,
        parent: Option<&Digest>,
        config: &ContainerConfig,
    ) -> Option<Image> {
        let siblings = match parent {
            Some(p) => self.children.get(p).map(Vec::as_slice).unwrap_or_default(),
            None => &self.roots,
        };
        let mut best: Option<Image> = None;
        for id in siblings {
            let Ok(img) = store.get_with(id, false) else {
                continue;
            };
            // An image whose layers are gone (deleted meanwhile) cannot be reused.
            if !img.chain_ids().iter().all(|c| store.layers.exists(c)) {
                continue;
            }
            let Some(cc) = img.config.container_config.as_ref() else {
                continue;
            };
            if compare(cc, config) && best.as_ref().is_none_or(|b| b.created() < img.created()) {
                best = Some(img);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(cmd: &[&str], env: &[&str]) -> ContainerConfig {
        ContainerConfig {
            cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
            env: Some(env.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn compare_is_mobys() {
        let a = cfg(&["/bin/sh", "-c", "#(nop) ", "ENV A=1"], &["PATH=/bin"]);
        assert!(compare(&a, &a.clone()));
        assert!(!compare(
            &a,
            &cfg(&["/bin/sh", "-c", "#(nop) ", "ENV A=2"], &["PATH=/bin"])
        ));
        assert!(!compare(
            &a,
            &cfg(&["/bin/sh", "-c", "#(nop) ", "ENV A=1"], &["PATH=/x"])
        ));
        // WorkingDir and Hostname are not compared.
        let mut b = a.clone();
        b.working_dir = "/app".into();
        b.hostname = "abc".into();
        assert!(compare(&a, &b));
        let mut c = a.clone();
        c.labels = Some([("k".to_string(), "v".to_string())].into());
        assert!(!compare(&a, &c));
        // nil and empty lists are the same length.
        let mut d = a.clone();
        d.entrypoint = Some(vec![]);
        assert!(compare(&a, &d));
    }
}
