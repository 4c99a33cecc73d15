//! `docker diff`, `docker export` and `docker commit`: the container's filesystem against its
//! image, through `image::rootfs` (which owns the comparison and the tar formats).

use super::super::Engine;
use super::super::digest::Digest;
use super::super::image::refs::Refs;
use super::super::image::rootfs::{self, Change};
use super::super::image::{Image, StoreError};
use super::super::oci::{ContainerConfig, History, ImageConfig};
use super::super::reference::Reference;
use super::record::Container;

/// What `docker commit` asks for.
#[derive(Debug, Clone, Default)]
pub struct CommitRequest {
    pub reference: Option<String>,
    pub author: String,
    pub message: String,
    /// `--change` instructions already applied by the caller, as a config to use.
    pub config: Option<ContainerConfig>,
    pub pause: bool,
}

impl Engine {
    fn container_image(&self, c: &Container) -> super::super::Result<Image> {
        let d = Digest::parse(&c.image)?;
        Ok(self.image_store().get(&d)?)
    }

    /// `docker diff`: the changes, sorted by path.
    pub fn container_diff(&self, arg: &str) -> super::super::Result<Vec<Change>> {
        let c = self.container(arg)?;
        let img = self.container_image(&c)?;
        Ok(rootfs::diff(
            self.image_store(),
            &img,
            &self.containers().rootfs(&c),
        )?)
    }

    /// `docker export`: the container's whole filesystem as a tar stream.
    pub fn container_export(
        &self,
        arg: &str,
        out: &mut dyn std::io::Write,
    ) -> super::super::Result<()> {
        let c = self.container(arg)?;
        Ok(rootfs::export_tar(&self.containers().rootfs(&c), out)?)
    }

    /// `docker commit`: a new image of the image's layers plus the container's changes as one
    /// more layer, with the container's config; returns the image ID.
    pub fn container_commit(&self, arg: &str, req: &CommitRequest) -> super::super::Result<Digest> {
        let c = self.container(arg)?;
        let img = self.container_image(&c)?;
        let reference = match &req.reference {
            Some(r) => Some(Reference::parse_named(r)?.with_default_tag()),
            None => None,
        };
        let mut tar = Vec::new();
        rootfs::changes_tar(
            self.image_store(),
            &img,
            &self.containers().rootfs(&c),
            &mut tar,
        )?;
        let _lock = self.lock()?;
        let parent_chain = img.chain_ids().last().cloned();
        let diff = Digest::of(&tar);
        let layer = self
            .image_store()
            .layers
            .register(parent_chain.as_ref(), &diff, &mut tar.as_slice())
            .map_err(StoreError::from)?;
        let now = self.clock.now().to_string();
        let mut config = req.config.clone().unwrap_or_else(|| c.config.clone());
        config.image = c.image.clone();
        let mut container_config = c.config.clone();
        container_config.image = c.config.image.clone();
        let mut history = img.config.history.clone();
        history.push(History {
            created: Some(now.clone()),
            author: req.author.clone(),
            created_by: format!("{} {}", c.path, c.args.join(" "))
                .trim()
                .to_string(),
            comment: req.message.clone(),
            empty_layer: false,
        });
        let mut rootfs_cfg = img.config.rootfs.clone();
        rootfs_cfg.diff_ids.push(layer.diff.clone());
        let cfg = ImageConfig {
            architecture: img.config.architecture.clone(),
            author: req.author.clone(),
            comment: req.message.clone(),
            config: Some(config),
            container: c.id.clone(),
            container_config: Some(container_config),
            created: Some(now),
            docker_version: "20.10.24".into(),
            history,
            os: img.config.os.clone(),
            os_version: String::new(),
            parent: String::new(),
            rootfs: rootfs_cfg,
            variant: img.config.variant.clone(),
        };
        let id = self.image_store().put(&cfg.to_bytes(), Some(&img.id))?;
        if let Some(r) = reference {
            let mut refs = Refs::load(self.paths())?;
            refs.set(&r, &id);
            refs.save(self.paths())?;
            self.image_store()
                .set_last_tag_time(&id, self.clock.now())?;
        }
        self.image_store().commit(&id)?;
        Ok(id)
    }
}
