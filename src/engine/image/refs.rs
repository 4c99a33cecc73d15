//! Tags and digest references: `repositories.json`, in Docker's format.
//!
//! `{"Repositories":{"ubuntu":{"ubuntu:20.04":"sha256:…","ubuntu@sha256:…":"sha256:…"}}}`: outer key
//! the familiar repository name, inner keys familiar references, values image IDs. The whole file is
//! rewritten atomically on every change (Docker does the same).

use std::collections::BTreeMap;
use std::fs;
use std::io;

use serde::{Deserialize, Serialize};

use super::super::digest::Digest;
use super::super::fsutil;
use super::super::paths::Paths;
use super::super::reference::Reference;
use super::StoreError;

#[derive(Serialize, Deserialize, Default)]
struct File {
    #[serde(rename = "Repositories", default)]
    repositories: BTreeMap<String, BTreeMap<String, String>>,
}

/// The references of one home and driver, loaded in memory.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    /// Full reference string (`docker.io/library/ubuntu:20.04`) → (reference, image ID).
    by_ref: BTreeMap<String, (Reference, Digest)>,
}

impl Refs {
    /// Loads `repositories.json` (absent → empty).
    pub fn load(paths: &Paths) -> Result<Refs, StoreError> {
        let path = paths.repositories_json();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Refs::default()),
            Err(source) => return Err(StoreError::Io { path, source }),
        };
        let corrupt = |what: String| StoreError::Corrupt {
            path: path.clone(),
            what,
        };
        let file: File =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(format!("not valid JSON: {e}")))?;
        let mut by_ref = BTreeMap::new();
        for refs in file.repositories.values() {
            for (r, id) in refs {
                let reference =
                    Reference::parse(r).map_err(|e| corrupt(format!("reference {r:?}: {e}")))?;
                let id =
                    Digest::parse(id).map_err(|e| corrupt(format!("image ID of {r:?}: {e}")))?;
                by_ref.insert(reference.to_string(), (reference, id));
            }
        }
        Ok(Refs { by_ref })
    }

    /// Writes the references back atomically.
    pub fn save(&self, paths: &Paths) -> Result<(), StoreError> {
        let mut file = File::default();
        for (r, id) in self.by_ref.values() {
            file.repositories
                .entry(r.familiar_name())
                .or_default()
                .insert(r.familiar(), id.to_string());
        }
        let bytes = serde_json::to_vec(&file).unwrap_or_default();
        let path = paths.repositories_json();
        fsutil::write_atomic(&paths.tmp(), &path, &bytes)
            .map_err(|source| StoreError::Io { path, source })
    }

    /// The image a reference points at.
    pub fn get(&self, r: &Reference) -> Option<&Digest> {
        self.by_ref.get(&r.to_string()).map(|(_, id)| id)
    }

    /// Points `r` at `id`; returns the image it pointed at before.
    pub fn set(&mut self, r: &Reference, id: &Digest) -> Option<Digest> {
        self.by_ref
            .insert(r.to_string(), (r.clone(), id.clone()))
            .map(|(_, old)| old)
    }

    /// Removes `r`; returns the image it pointed at.
    pub fn remove(&mut self, r: &Reference) -> Option<Digest> {
        self.by_ref.remove(&r.to_string()).map(|(_, id)| id)
    }

    /// The references to `id`, sorted by their full string.
    pub fn refs_to(&self, id: &Digest) -> Vec<Reference> {
        self.by_ref
            .values()
            .filter(|(_, i)| i == id)
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// Every (reference, image) pair, sorted by reference.
    pub fn iter(&self) -> impl Iterator<Item = (&Reference, &Digest)> {
        self.by_ref.values().map(|(r, i)| (r, i))
    }

    /// Drops references to images that no longer exist.
    pub fn retain_images(&mut self, exists: impl Fn(&Digest) -> bool) -> bool {
        let before = self.by_ref.len();
        self.by_ref.retain(|_, (_, id)| exists(id));
        before != self.by_ref.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_dockers_format() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::new(dir.path(), "overlay2");
        let id = Digest::of(b"config");
        let mut refs = Refs::default();
        refs.set(&Reference::parse("ubuntu:20.04").unwrap(), &id);
        refs.set(&Reference::parse("bob/app:1").unwrap(), &id);
        refs.save(&paths).unwrap();
        let text = fs::read_to_string(paths.repositories_json()).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"Repositories":{{"bob/app":{{"bob/app:1":"{id}"}},"ubuntu":{{"ubuntu:20.04":"{id}"}}}}}}"#
            )
        );
        let back = Refs::load(&paths).unwrap();
        assert_eq!(back.refs_to(&id).len(), 2);
    }

    #[test]
    fn a_hand_edited_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::new(dir.path(), "overlay2");
        fs::create_dir_all(paths.image_root()).unwrap();
        fs::write(
            paths.repositories_json(),
            b"{\"Repositories\": {\"x\": {\"x:1\": \"nope\"}}}",
        )
        .unwrap();
        let e = Refs::load(&paths).unwrap_err();
        assert!(e.to_string().contains("repositories.json"), "{e}");
    }
}
