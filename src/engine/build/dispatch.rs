//! The classic builder's dispatch loop (moby `builder/dockerfile/build.go`, `dispatchers.go`,
//! `internals.go`): the step lines, one function per instruction, the cache probe, and the
//! commit of each step as an image whose parent is the step before.
//!
//! Each `dispatch_*` function follows its moby namesake: what it changes in the run config,
//! the comment it commits (`ENV A=1` → `/bin/sh -c #(nop)  ENV A=1` in the history), and
//! whether it makes a layer (`RUN`, `COPY`, `ADD`, and `WORKDIR` when the directory is new).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::super::Engine;
use super::super::archive::import::DOCKER_VERSION;
use super::super::archive::{self, Encoding};
use super::super::digest::{Digest, Hasher};
use super::super::filters::go_duration;
use super::super::image::refs::Refs;
use super::super::image::{Image, StoreError, rootfs};
use super::super::oci::{ContainerConfig, Empty, Healthcheck, History, ImageConfig, RootFs};
use super::super::progress::Progress;
use super::super::reference::Reference;
use super::super::runtime::{Attach, CreateRequest};
use super::cache::{self, Cache, Hit};
use super::context::{Context, Ignore, clean, has_glob};
use super::instruction::{self, CmdLine, Command, CopySpec, Health, Instruction, Stage};
use super::parser;
use super::shlex;
use super::{BuildError, BuildMessage, BuildRequest, io_at};

const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
];

type R<T> = super::super::Result<T>;

/// moby's `BuildArgs`: declared args (`ARG` in the stage), global ones (before the first
/// `FROM`), the `--build-arg` values, and which were referenced (for the unused warning).
#[derive(Debug, Clone, Default)]
struct BuildArgs {
    allowed: BTreeMap<String, Option<String>>,
    meta: BTreeMap<String, Option<String>>,
    options: BTreeMap<String, Option<String>>,
    referenced: BTreeSet<String>,
}

impl BuildArgs {
    fn get(&self, key: &str, mapping: &BTreeMap<String, Option<String>>) -> Option<String> {
        if let Some(Some(v)) = self.options.get(key) {
            return Some(v.clone());
        }
        match mapping.get(key) {
            Some(Some(v)) => Some(v.clone()),
            _ => self.meta.get(key).cloned().flatten(),
        }
    }

    fn all_from(&self, mapping: &BTreeMap<String, Option<String>>) -> BTreeMap<String, String> {
        let mut keys: BTreeSet<&str> = mapping.keys().map(String::as_str).collect();
        keys.extend(PROXY_ARGS);
        keys.into_iter()
            .filter_map(|k| self.get(k, mapping).map(|v| (k.to_string(), v)))
            .collect()
    }

    fn all_allowed(&self) -> BTreeMap<String, String> {
        self.all_from(&self.allowed)
    }

    fn all_meta(&self) -> BTreeMap<String, String> {
        self.all_from(&self.meta)
    }

    /// The allowed args the run config's `Env` does not already set, as `K=V`.
    fn filter_allowed(&self, env: &[String]) -> Vec<String> {
        let keys: BTreeSet<&str> = env
            .iter()
            .map(|e| e.split('=').next().unwrap_or(e))
            .collect();
        self.all_allowed()
            .into_iter()
            .filter(|(k, _)| !keys.contains(k.as_str()))
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }

    fn add_arg(&mut self, key: &str, value: Option<String>) {
        self.allowed.insert(key.to_string(), value);
        self.referenced.insert(key.to_string());
    }

    fn referenced_or_not_builtin(&self, key: &str) -> bool {
        self.allowed.contains_key(key) || !PROXY_ARGS.contains(&key)
    }

    fn unused(&self) -> Vec<String> {
        self.options
            .keys()
            .filter(|k| !self.referenced.contains(*k) && !PROXY_ARGS.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

/// The state of the stage being built (moby's `dispatchState`).
struct State {
    /// The current image (`None` before anything was committed on `FROM scratch`).
    image: Option<Image>,
    config: ContainerConfig,
    maintainer: String,
    cmd_set: bool,
    args: BuildArgs,
    /// The stage's base image (what `--squash` merges onto).
    base: Option<Digest>,
}

impl State {
    fn image_id(&self) -> Option<&Digest> {
        self.image.as_ref().map(|i| &i.id)
    }
    fn short_id(&self) -> String {
        self.image
            .as_ref()
            .map(|i| i.id.short().to_string())
            .unwrap_or_default()
    }
    fn shell(&self) -> Vec<String> {
        match &self.config.shell {
            Some(s) if !s.is_empty() => s.clone(),
            _ => vec!["/bin/sh".into(), "-c".into()],
        }
    }
    /// moby's `updateRunConfig`: the next step's config names this image.
    fn update(&mut self) {
        self.config.image = self
            .image
            .as_ref()
            .map(|i| i.id.to_string())
            .unwrap_or_default();
    }
    /// The environment for expanding words: `Env`, then the build args it does not set.
    fn expand_env(&self) -> Vec<String> {
        let env = self.config.env.clone().unwrap_or_default();
        let extra = self.args.filter_allowed(&env);
        env.into_iter().chain(extra).collect()
    }
}

/// A finished stage, for `FROM name` and `COPY --from`.
struct StageResult {
    name: String,
    image: Option<Digest>,
}

/// One build.
pub(super) struct Builder<'a> {
    engine: &'a Engine,
    req: &'a BuildRequest,
    out: &'a mut dyn FnMut(BuildMessage<'_>),
    cache: Cache,
    escape: char,
    stages: Vec<StageResult>,
}

/// Go's `%q` for a string (`strconv.Quote`).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` for a list of strings: `["a" "b"]`.
fn go_quote_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", items.join(" "))
}

/// Go's `%q` for an int (a rune literal): `'\x00'`, `'\x03'`, `'A'`.
fn go_quote_rune(n: i64) -> String {
    match n {
        7 => "'\\a'".into(),
        8 => "'\\b'".into(),
        9 => "'\\t'".into(),
        10 => "'\\n'".into(),
        11 => "'\\v'".into(),
        12 => "'\\f'".into(),
        13 => "'\\r'".into(),
        39 => "'\\''".into(),
        92 => "'\\\\'".into(),
        0x20..=0x7e => format!("'{}'", n as u8 as char),
        0..=0xff => format!("'\\x{n:02x}'"),
        _ => match char::from_u32(n as u32) {
            Some(c) if !c.is_control() => format!("'{c}'"),
            _ => format!("'\\u{n:04x}'"),
        },
    }
}

/// The history text of a `HEALTHCHECK` (`%q` of moby's `*HealthConfig`).
fn health_text(h: &Health) -> String {
    format!(
        "&{{{} {} {} {} {}}}",
        go_quote_list(&h.test),
        go_quote(&go_duration(h.interval)),
        go_quote(&go_duration(h.timeout)),
        go_quote(&go_duration(h.start_period)),
        go_quote_rune(h.retries)
    )
}

/// nat's `ParsePortSpecs` for EXPOSE: `80`, `80/udp`, `8000-8002`.
fn parse_ports(ports: &[String]) -> Result<Vec<String>, BuildError> {
    exposed_ports(ports).map_err(BuildError::Port)
}

/// go-connections' `nat.ParsePortSpecs`, as `EXPOSE` (and `--change EXPOSE`) reads its words:
/// `[ip:][hostPort:]containerPort[/proto]`, ranges `a-b`; only the container ports are kept
/// (`80/tcp`), the protocol lower-cased. Errors are nat's texts.
pub(crate) fn exposed_ports(ports: &[String]) -> Result<Vec<String>, String> {
    fn range(p: &str) -> Option<(u16, u16)> {
        match p.split_once('-') {
            None => p.parse().ok().map(|n| (n, n)),
            Some((a, b)) => {
                let (a, b): (u16, u16) = (a.parse().ok()?, b.split('-').next()?.parse().ok()?);
                (b >= a).then_some((a, b))
            }
        }
    }
    let mut out = Vec::new();
    for raw in ports {
        let parts: Vec<&str> = raw.split(':').collect();
        let n = parts.len();
        let (ip, host, container) = match n {
            1 => (String::new(), "", parts[0]),
            2 => (String::new(), parts[0], parts[1]),
            _ => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
        };
        let (proto, container) = match container.split('/').collect::<Vec<_>>().as_slice() {
            [""] | [] => ("", ""),
            [p] => ("tcp", *p),
            [p, "", ..] => ("tcp", *p),
            ["", ..] => ("", ""),
            [p, proto, ..] => (*proto, *p),
        };
        let raw_ip = ip.trim_start_matches('[').trim_end_matches(']');
        if !raw_ip.is_empty() && raw_ip.parse::<std::net::IpAddr>().is_err() {
            return Err(format!("Invalid ip address: {ip}"));
        }
        if container.is_empty() {
            return Err(format!("No port specified: {raw}<empty>"));
        }
        let (lo, hi) =
            range(container).ok_or_else(|| format!("Invalid containerPort: {container}"))?;
        if !host.is_empty() {
            let (hlo, hhi) = range(host).ok_or_else(|| format!("Invalid hostPort: {host}"))?;
            if hhi - hlo != hi - lo && hi != lo {
                return Err(format!(
                    "Invalid ranges specified for container and host Ports: {container} and {host}"
                ));
            }
        }
        let proto = proto.to_lowercase();
        if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
            return Err(format!("Invalid proto: {proto}"));
        }
        for p in lo..=hi {
            out.push(format!("{p}/{proto}"));
        }
    }
    Ok(out)
}

/// An image's file (or directory) as its layers make it: the top-most layer that has the
/// path wins, a whiteout or an opaque directory above hides it. Returns the real path in the
/// layer store.
fn image_path(engine: &Engine, image: &Image, path: &str) -> Option<PathBuf> {
    find_in_layers(&layer_dirs(engine, image), path)
}

/// The unpacked directories of `image`'s layers, top first (none when one is missing).
fn layer_dirs(engine: &Engine, image: &Image) -> Vec<PathBuf> {
    let store = engine.image_store();
    let mut dirs = Vec::new();
    for chain in image.chain_ids().iter().rev() {
        match store.layers.get(chain) {
            Ok(layer) => dirs.push(engine.paths().layer_diff(&layer.cache_id)),
            Err(_) => return Vec::new(),
        }
    }
    dirs
}

/// [`image_path`] over layer directories already listed, top first.
fn find_in_layers(layers: &[PathBuf], path: &str) -> Option<PathBuf> {
    let rel = path.trim_matches('/');
    if rel.is_empty() {
        return None;
    }
    let parts: Vec<&str> = rel.split('/').collect();
    for dir in layers {
        let mut cur = dir.clone();
        for (i, part) in parts.iter().enumerate() {
            if cur.join(format!(".wh.{part}")).exists() {
                return None;
            }
            cur = cur.join(part);
            if i + 1 < parts.len()
                && cur.join(".wh..wh..opq").exists()
                && !cur.join(parts[i + 1..].join("/")).exists()
            {
                return None;
            }
        }
        if fs::symlink_metadata(&cur).is_ok() {
            return Some(cur);
        }
    }
    None
}

/// A layer tar under construction (COPY, ADD, WORKDIR).
struct LayerTar {
    tar: tar::Builder<io::BufWriter<tempfile::NamedTempFile>>,
    dirs: BTreeSet<String>,
    mtime: u64,
    /// The image's layer directories (top first): a parent directory the image has keeps its
    /// mode, owner and time in this layer (`/tmp` stays 1777).
    lower: Vec<PathBuf>,
    /// The owner of parent directories this layer makes: `--chown`'s, as moby's
    /// `MkdirAllAndChownNew` gives them (root without it).
    new_owner: (u64, u64),
}

impl LayerTar {
    /// A layer tar written to a staging file under `tmp` (a COPY of a big context must not be
    /// held in memory).
    fn new(mtime: u64, tmp: &Path) -> io::Result<Self> {
        fs::create_dir_all(tmp)?;
        let file = tempfile::Builder::new()
            .prefix("build-layer-")
            .tempfile_in(tmp)?;
        let mut tar = tar::Builder::new(io::BufWriter::with_capacity(1 << 20, file));
        tar.mode(tar::HeaderMode::Complete);
        Ok(LayerTar {
            tar,
            dirs: BTreeSet::new(),
            mtime,
            lower: Vec::new(),
            new_owner: (0, 0),
        })
    }

    /// This layer on top of the layer directories `lower` (top first), making missing parent
    /// directories for `new_owner`.
    fn over(mut self, lower: Vec<PathBuf>, new_owner: (u64, u64)) -> Self {
        self.lower = lower;
        self.new_owner = new_owner;
        self
    }

    fn header(kind: tar::EntryType, mode: u32, mtime: u64, owner: (u64, u64)) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(mode & 0o7777);
        h.set_mtime(mtime);
        h.set_uid(owner.0);
        h.set_gid(owner.1);
        h.set_size(0);
        h
    }

    /// The directories above `rel` (each once): the image's own as they are there, missing
    /// ones as new directories (0755, [`LayerTar::new_owner`]'s).
    fn parents(&mut self, rel: &str) -> io::Result<()> {
        let mut at = 0;
        while let Some(i) = rel[at..].find('/') {
            let d = rel[..at + i].to_string();
            at += i + 1;
            if self.dirs.contains(&d) {
                continue;
            }
            let below = find_in_layers(&self.lower, &d).and_then(|p| {
                fs::symlink_metadata(&p)
                    .ok()
                    .filter(|m| m.is_dir())
                    .map(|m| (p, m))
            });
            match below {
                Some((p, m)) => {
                    let (uid, gid) = crate::engine::image::owner::get(&p);
                    let mtime = m.mtime().max(0) as u64;
                    self.dir(&d, m.mode(), mtime, (uid.into(), gid.into()))?;
                }
                None => self.dir(&d, 0o755, self.mtime, self.new_owner)?,
            }
        }
        Ok(())
    }

    fn dir(&mut self, rel: &str, mode: u32, mtime: u64, owner: (u64, u64)) -> io::Result<()> {
        if rel.is_empty() || !self.dirs.insert(rel.to_string()) {
            return Ok(());
        }
        let mut h = Self::header(tar::EntryType::Directory, mode, mtime, owner);
        self.tar.append_data(&mut h, format!("{rel}/"), io::empty())
    }

    fn file(
        &mut self,
        rel: &str,
        mode: u32,
        mtime: u64,
        owner: (u64, u64),
        size: u64,
        data: &mut dyn Read,
    ) -> io::Result<()> {
        self.parents(rel)?;
        let mut h = Self::header(tar::EntryType::Regular, mode, mtime, owner);
        h.set_size(size);
        self.tar.append_data(&mut h, rel, data)
    }

    fn symlink(
        &mut self,
        rel: &str,
        target: &Path,
        mtime: u64,
        owner: (u64, u64),
    ) -> io::Result<()> {
        self.parents(rel)?;
        let mut h = Self::header(tar::EntryType::Symlink, 0o777, mtime, owner);
        self.tar.append_link(&mut h, rel, target)
    }

    fn finish(self) -> io::Result<StagedLayer> {
        let file = self
            .tar
            .into_inner()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        Ok(StagedLayer { file })
    }
}

/// A layer tar staged on disk: hashed, registered and stored by streaming it.
struct StagedLayer {
    file: tempfile::NamedTempFile,
}

impl StagedLayer {
    fn new(tmp: &Path) -> io::Result<Self> {
        fs::create_dir_all(tmp)?;
        Ok(StagedLayer {
            file: tempfile::Builder::new()
                .prefix("build-layer-")
                .tempfile_in(tmp)?,
        })
    }

    fn reader(&self) -> io::Result<fs::File> {
        fs::File::open(self.file.path())
    }

    /// Only end-of-archive blocks: the step changed nothing.
    fn is_empty(&self) -> bool {
        let Ok(mut f) = self.reader() else {
            return true;
        };
        let mut head = Vec::new();
        if io::Read::read_to_end(&mut io::Read::take(&mut f, 10241), &mut head).is_err() {
            return true;
        }
        head.len() <= 10240 && head.iter().all(|b| *b == 0)
    }
}

/// Whether a file starts like an archive ADD extracts (plain tar or gzip).
fn archive_kind(p: &Path) -> Option<Encoding> {
    let mut f = fs::File::open(p).ok()?;
    let mut head = [0u8; 8];
    let n = read_up_to(&mut f, &mut head).ok()?;
    let enc = archive::detect(&head[..n]);
    // Docker's `isArchivePath`: a local file is extracted when, once decompressed, it opens as a
    // tar (its first header reads).
    let f = fs::File::open(p).ok()?;
    let mut block = [0u8; 512];
    let n = read_up_to(&mut archive::decompress(enc, f), &mut block).ok()?;
    let ustar = n >= 262 && &block[257..262] == b"ustar";
    (ustar || (n == 512 && tar_checksum_ok(&block))).then_some(enc)
}

/// Reads until `buf` is full or the stream ends; how many bytes came.
fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Whether a 512-byte block is a tar header with a right checksum (a v7 header has no magic).
fn tar_checksum_ok(block: &[u8; 512]) -> bool {
    let field = String::from_utf8_lossy(&block[148..156]);
    let Ok(stored) = u32::from_str_radix(field.trim_matches([' ', '\0']), 8) else {
        return false;
    };
    let sum: u32 = block[..148]
        .iter()
        .chain(&block[156..])
        .map(|b| *b as u32)
        .sum::<u32>()
        + 8 * b' ' as u32;
    sum == stored
}

/// One source of a COPY/ADD: its path in the context (or the source image) and its hash.
struct Source {
    /// The path as the instruction resolved it (relative to the source root).
    rel: String,
    real: PathBuf,
    is_dir: bool,
    hash: String,
}

fn hash_file(h: &mut Hasher, p: &Path, m: &fs::Metadata) -> io::Result<()> {
    h.update(format!("mode={:o};", m.mode() & 0o7777).as_bytes());
    if m.file_type().is_symlink() {
        h.update(fs::read_link(p)?.to_string_lossy().as_bytes());
    } else if m.is_file() {
        let mut f = fs::File::open(p)?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
    }
    Ok(())
}

fn hash_source(ctx: &Context, rel: &str, real: &Path) -> io::Result<(bool, String)> {
    let m = fs::symlink_metadata(real)?;
    let mut h = Hasher::new();
    if !m.is_dir() {
        hash_file(&mut h, real, &m)?;
        return Ok((false, format!("file:{}", h.finish().hex())));
    }
    let mut stack = vec![(rel.to_string(), real.to_path_buf())];
    while let Some((r, p)) = stack.pop() {
        let mut names: Vec<_> = fs::read_dir(&p)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for n in names.into_iter().rev() {
            let name = n.to_string_lossy().into_owned();
            let cr = if r.is_empty() || r == "." {
                name.clone()
            } else {
                format!("{r}/{name}")
            };
            if !ctx.ignore.sends(&cr) {
                continue;
            }
            let cp = p.join(&name);
            let cm = fs::symlink_metadata(&cp)?;
            h.update(format!("\0{cr}\0").as_bytes());
            if cm.is_dir() {
                h.update(format!("dir mode={:o};", cm.mode() & 0o7777).as_bytes());
                stack.push((cr, cp));
            } else {
                hash_file(&mut h, &cp, &cm)?;
            }
        }
    }
    Ok((true, format!("dir:{}", h.finish().hex())))
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.split(':').next().unwrap_or(host).to_string()
}

impl<'a> Builder<'a> {
    /// Parses and builds; see [`Engine::build`].
    pub(super) fn run(
        engine: &'a Engine,
        req: &'a BuildRequest,
        out: &'a mut dyn FnMut(BuildMessage<'_>),
    ) -> R<Digest> {
        if req.dockerfile.is_empty() {
            return Err(BuildError::EmptyDockerfile(req.dockerfile_name.clone()).into());
        }
        let text = String::from_utf8_lossy(&req.dockerfile);
        let df = parser::parse(&text).map_err(|source| BuildError::Syntax {
            name: req.dockerfile_name.clone(),
            source,
        })?;
        let (mut stages, meta) = instruction::parse(&df).map_err(BuildError::from)?;
        if let Some(t) = req.target.as_deref().filter(|t| !t.is_empty()) {
            match stages.iter().position(|s| s.name.eq_ignore_ascii_case(t)) {
                Some(ix) => stages.truncate(ix + 1),
                None => return Err(BuildError::TargetNotFound(t.to_string()).into()),
            }
        }
        if stages.is_empty() {
            return Err(instruction::InstructionError::NoStage.into_build().into());
        }
        if req.squash && !engine.config().experimental {
            return Err(BuildError::SquashNotExperimental.into());
        }
        if let Some(last) = stages.last_mut() {
            for (k, v) in &req.labels {
                last.commands.push(Command {
                    inst: Instruction::Label(vec![(k.clone(), v.clone())]),
                    code: format!("LABEL {k}={v}"),
                    line: 0,
                    no_expand: true,
                });
            }
        }
        // moby's `MakeImageCache`: sources that cannot be found are skipped (a daemon warning).
        let cache_from = (!req.cache_from.is_empty()).then(|| {
            let snap = engine.snapshot().ok();
            req.cache_from
                .iter()
                .filter_map(|name| {
                    let id = engine.resolve(snap.as_ref()?, name).ok()?;
                    engine.image_store().get(&id).ok()
                })
                .collect::<Vec<_>>()
        });
        let mut b = Builder {
            engine,
            req,
            out,
            cache: Cache::load(engine.image_store(), !req.no_cache, cache_from),
            escape: df.escape,
            stages: Vec::new(),
        };
        for w in &df.warnings {
            b.say(&format!("{w}\n"));
        }
        b.build(stages, meta)
    }

    fn say(&mut self, s: &str) {
        (self.out)(BuildMessage::Stream(s.as_bytes()));
    }

    fn build(&mut self, stages: Vec<Stage>, meta: Vec<Command>) -> R<Digest> {
        let total =
            meta.len() + stages.len() + stages.iter().map(|s| s.commands.len()).sum::<usize>();
        let mut n = 1;
        let mut global = BuildArgs {
            options: self.req.build_args.clone(),
            ..Default::default()
        };
        for m in &meta {
            self.say(&format!("Step {n}/{total} : {}\n", m.code));
            n += 1;
            if let Instruction::Arg { key, value } = &m.inst {
                let env: Vec<String> = global
                    .all_allowed()
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                let key = shlex::process_word(key, &env, self.escape).map_err(BuildError::from)?;
                let value = match value {
                    Some(v) => {
                        Some(shlex::process_word(v, &env, self.escape).map_err(BuildError::from)?)
                    }
                    None => None,
                };
                global.add_arg(&key, value.clone());
                global.meta.insert(key, value);
            }
        }
        let mut last: Option<State> = None;
        for stage in stages {
            self.say(&format!("Step {n}/{total} : {}\n", stage.code));
            n += 1;
            let mut args = global.clone();
            args.allowed.clear();
            let mut st = self.from(&stage, args)?;
            st.update();
            let short = st.short_id();
            self.say(&format!(" ---> {short}\n"));
            for cmd in &stage.commands {
                self.say(&format!("Step {n}/{total} : {}\n", cmd.code));
                n += 1;
                self.dispatch(&mut st, cmd)?;
                st.update();
                let short = st.short_id();
                self.say(&format!(" ---> {short}\n"));
            }
            global.referenced.extend(st.args.referenced.iter().cloned());
            self.stages.push(StageResult {
                name: stage.name.clone(),
                image: st.image_id().cloned(),
            });
            last = Some(st);
        }
        let unused = global.unused();
        if !unused.is_empty() {
            self.say(&format!(
                "[Warning] One or more build-args [{}] were not consumed\n",
                unused.join(" ")
            ));
        }
        let st = last.ok_or(BuildError::NoImage)?;
        let Some(image) = st.image.clone() else {
            return Err(BuildError::NoImage.into());
        };
        let id = if self.req.squash {
            self.squash(&image, st.base.as_ref())?
        } else {
            image.id.clone()
        };
        self.say(&format!("Successfully built {}\n", id.short()));
        if !self.req.tags.is_empty() {
            let _lock = self.engine.lock()?;
            let mut refs = Refs::load(self.engine.paths())?;
            for t in &self.req.tags {
                refs.set(t, &id);
            }
            refs.save(self.engine.paths())?;
            self.engine
                .image_store()
                .set_last_tag_time(&id, self.engine.clock.now())?;
        }
        for t in &self.req.tags.clone() {
            self.say(&format!("Successfully tagged {}\n", t.familiar()));
        }
        Ok(id)
    }

    /// `FROM`: the base image (a stage, `scratch`, a local image, or pulled), then its
    /// `ONBUILD` triggers.
    fn from(&mut self, stage: &Stage, args: BuildArgs) -> R<State> {
        self.cache.reset();
        let meta: Vec<String> = args
            .all_meta()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let name =
            shlex::process_word(&stage.base, &meta, self.escape).map_err(BuildError::from)?;
        if name.is_empty() {
            return Err(BuildError::BlankBaseName(stage.base.clone()).into());
        }
        let image = if let Some(s) = self
            .stages
            .iter()
            .find(|s| !s.name.is_empty() && s.name.eq_ignore_ascii_case(&name))
        {
            match &s.image {
                Some(id) => Some(self.engine.image_store().get(id)?),
                None => None,
            }
        } else if name.eq_ignore_ascii_case("scratch") {
            None
        } else {
            Some(self.image_for(&name)?)
        };
        let mut config = image
            .as_ref()
            .and_then(|i| i.config.config.clone())
            .unwrap_or_default();
        let env = config.env.get_or_insert_with(Vec::new);
        if !env.iter().any(|e| e.split('=').next() == Some("PATH")) {
            env.push(format!("PATH={DEFAULT_PATH}"));
        }
        config.open_stdin = false;
        config.stdin_once = false;
        let mut st = State {
            base: image.as_ref().map(|i| i.id.clone()),
            image,
            config,
            maintainer: String::new(),
            cmd_set: false,
            args,
        };
        let triggers = st.config.on_build.take().unwrap_or_default();
        if !triggers.is_empty() {
            let s = if triggers.len() > 1 { "s" } else { "" };
            self.say(&format!(
                "# Executing {} build trigger{s}\n",
                triggers.len()
            ));
            for t in triggers {
                st.update();
                let df = parser::parse(&t).map_err(|source| BuildError::Syntax {
                    name: "Dockerfile".into(),
                    source,
                })?;
                if df.nodes.len() != 1 {
                    return Err(BuildError::Trigger.into());
                }
                let cmd = match instruction::parse_instruction(&df.nodes[0]) {
                    Ok(instruction::Parsed::Command(c)) => c,
                    Ok(instruction::Parsed::Stage(_)) => return Err(BuildError::Trigger.into()),
                    Err(message) => {
                        return Err(instruction::InstructionError::Parse {
                            line: df.nodes[0].start_line,
                            message,
                        }
                        .into_build()
                        .into());
                    }
                };
                self.dispatch(&mut st, &cmd)?;
            }
        }
        Ok(st)
    }

    /// A local image by name or ID; pulled (progress in the stream) when absent or `--pull`.
    fn image_for(&mut self, name: &str) -> R<Image> {
        let engine = self.engine;
        if !self.req.pull {
            if let Ok(r) = Reference::parse(name) {
                let r = r.with_default_tag();
                if let Ok(refs) = Refs::load(engine.paths())
                    && let Some(id) = refs.get(&r)
                    && let Ok(img) = engine.image_store().get(id)
                {
                    return Ok(img);
                }
            }
            let snap = engine.snapshot()?;
            if let Ok(id) = engine.resolve(&snap, name) {
                return Ok(engine.image_store().get(&id)?);
            }
        }
        let r = Reference::parse_named(name)?.with_default_tag();
        let out = &mut *self.out;
        let summary = engine.pull(&r, false, &mut |p: Progress| {
            out(BuildMessage::Progress(&p))
        })?;
        match summary.image_id {
            Some(id) => Ok(engine.image_store().get(&id)?),
            None => Err(StoreError::NoSuchImage(name.to_string()).into()),
        }
    }

    fn expand(&self, st: &State, word: &str) -> R<String> {
        Ok(shlex::process_word(word, &st.expand_env(), self.escape).map_err(BuildError::from)?)
    }

    /// moby's `dispatch`: one instruction.
    fn dispatch(&mut self, st: &mut State, cmd: &Command) -> R<()> {
        match &cmd.inst {
            Instruction::Env(pairs) => self.dispatch_env(st, pairs),
            Instruction::Label(pairs) => self.dispatch_label(st, pairs, cmd.no_expand),
            Instruction::Maintainer(m) => self.dispatch_maintainer(st, m),
            Instruction::Add(spec) => self.dispatch_copy(st, spec, "ADD"),
            Instruction::Copy(spec) => self.dispatch_copy(st, spec, "COPY"),
            Instruction::Onbuild(expr) => self.dispatch_onbuild(st, expr),
            Instruction::Workdir(p) => self.dispatch_workdir(st, p),
            Instruction::Run { cmd, flags_used } => self.dispatch_run(st, cmd, flags_used),
            Instruction::Cmd(c) => self.dispatch_cmd(st, c),
            Instruction::Entrypoint(c) => self.dispatch_entrypoint(st, c),
            Instruction::Healthcheck(h) => self.dispatch_healthcheck(st, h),
            Instruction::Expose(p) => self.dispatch_expose(st, p),
            Instruction::User(u) => self.dispatch_user(st, u),
            Instruction::Volume(v) => self.dispatch_volume(st, v),
            Instruction::StopSignal(s) => self.dispatch_stopsignal(st, s),
            Instruction::Arg { key, value } => self.dispatch_arg(st, key, value.as_deref()),
            Instruction::Shell(s) => self.dispatch_shell(st, s),
        }
    }

    fn dispatch_env(&mut self, st: &mut State, pairs: &[(String, String)]) -> R<()> {
        let mut msg = String::from("ENV");
        let mut expanded = Vec::new();
        for (k, v) in pairs {
            expanded.push((self.expand(st, k)?, self.expand(st, v)?));
        }
        let env = st.config.env.get_or_insert_with(Vec::new);
        for (k, v) in expanded {
            let kv = format!("{k}={v}");
            msg.push(' ');
            msg.push_str(&kv);
            match env
                .iter_mut()
                .find(|e| e.split('=').next() == Some(k.as_str()))
            {
                Some(slot) => *slot = kv,
                None => env.push(kv),
            }
        }
        self.commit_meta(st, &msg)
    }

    fn dispatch_label(&mut self, st: &mut State, pairs: &[(String, String)], raw: bool) -> R<()> {
        let mut msg = String::from("LABEL");
        for (k, v) in pairs {
            let (k, v) = if raw {
                (k.clone(), v.clone())
            } else {
                (self.expand(st, k)?, self.expand(st, v)?)
            };
            msg.push_str(&format!(" {k}={v}"));
            st.config
                .labels
                .get_or_insert_with(BTreeMap::new)
                .insert(k, v);
        }
        self.commit_meta(st, &msg)
    }

    fn dispatch_maintainer(&mut self, st: &mut State, m: &str) -> R<()> {
        st.maintainer = m.to_string();
        self.commit_meta(st, &format!("MAINTAINER {m}"))
    }

    fn dispatch_onbuild(&mut self, st: &mut State, expr: &str) -> R<()> {
        st.config
            .on_build
            .get_or_insert_with(Vec::new)
            .push(expr.to_string());
        self.commit_meta(st, &format!("ONBUILD {expr}"))
    }

    /// moby's `resolveCmdLine`: the shell form gets the stage's shell in front, even when empty
    /// (a bare `CMD` is `["/bin/sh","-c"]`).
    fn resolve_cmd(&self, st: &State, c: &CmdLine) -> Vec<String> {
        if c.prepend_shell {
            let mut v = st.shell();
            v.extend(c.args.iter().cloned());
            v
        } else {
            c.args.clone()
        }
    }

    fn dispatch_cmd(&mut self, st: &mut State, c: &CmdLine) -> R<()> {
        let cmd = self.resolve_cmd(st, c);
        st.config.cmd = Some(cmd.clone());
        st.config.args_escaped = false;
        self.commit_meta(st, &format!("CMD {}", go_quote_list(&cmd)))?;
        if !c.args.is_empty() {
            st.cmd_set = true;
        }
        Ok(())
    }

    fn dispatch_entrypoint(&mut self, st: &mut State, c: &CmdLine) -> R<()> {
        // The parser reads an empty ENTRYPOINT (bare, or `[]`) as none at all: it clears it.
        let ep = if c.args.is_empty() {
            Vec::new()
        } else {
            self.resolve_cmd(st, c)
        };
        st.config.entrypoint = (!ep.is_empty()).then(|| ep.clone());
        st.config.args_escaped = false;
        if !st.cmd_set {
            st.config.cmd = None;
        }
        self.commit_meta(st, &format!("ENTRYPOINT {}", go_quote_list(&ep)))
    }

    fn dispatch_healthcheck(&mut self, st: &mut State, h: &Health) -> R<()> {
        if let Some(old) = st.config.healthcheck.as_ref().and_then(|h| h.test.clone())
            && old.first().is_some_and(|t| t != "NONE")
        {
            self.say(&format!(
                "Note: overriding previous HEALTHCHECK: [{}]\n",
                old.join(" ")
            ));
        }
        st.config.healthcheck = Some(Healthcheck {
            test: Some(h.test.clone()),
            interval: h.interval,
            timeout: h.timeout,
            start_period: h.start_period,
            retries: h.retries,
        });
        self.commit_meta(st, &format!("HEALTHCHECK {}", health_text(h)))
    }

    fn dispatch_expose(&mut self, st: &mut State, ports: &[String]) -> R<()> {
        let env = st.expand_env();
        let mut words = Vec::new();
        for p in ports {
            words.extend(shlex::process_words(p, &env, self.escape).map_err(BuildError::from)?);
        }
        for p in parse_ports(&words)? {
            st.config
                .exposed_ports
                .get_or_insert_with(BTreeMap::new)
                .insert(p, Empty {});
        }
        self.commit_meta(st, &format!("EXPOSE {}", words.join(" ")))
    }

    fn dispatch_user(&mut self, st: &mut State, u: &str) -> R<()> {
        let u = self.expand(st, u)?;
        st.config.user = u.clone();
        self.commit_meta(st, &format!("USER {u}"))
    }

    fn dispatch_volume(&mut self, st: &mut State, vols: &[String]) -> R<()> {
        let mut list = Vec::new();
        for v in vols {
            let v = self.expand(st, v)?;
            if v.is_empty() {
                return Err(BuildError::CopyFailed {
                    cmd: "VOLUME".into(),
                    message: "VOLUME specified can not be an empty string".into(),
                }
                .into());
            }
            st.config
                .volumes
                .get_or_insert_with(BTreeMap::new)
                .insert(v.clone(), Empty {});
            list.push(v);
        }
        self.commit_meta(st, &format!("VOLUME [{}]", list.join(" ")))
    }

    fn dispatch_stopsignal(&mut self, st: &mut State, s: &str) -> R<()> {
        let s = self.expand(st, s)?;
        if super::super::runtime::sys::parse_signal(&s).is_err() {
            return Err(BuildError::InvalidSignal(s).into());
        }
        st.config.stop_signal = s.clone();
        self.commit_meta(st, &format!("STOPSIGNAL {s}"))
    }

    fn dispatch_arg(&mut self, st: &mut State, key: &str, value: Option<&str>) -> R<()> {
        let key = self.expand(st, key)?;
        let value = match value {
            Some(v) => Some(self.expand(st, v)?),
            None => None,
        };
        let mut msg = format!("ARG {key}");
        if let Some(v) = &value {
            msg.push('=');
            msg.push_str(v);
        }
        st.args.add_arg(&key, value);
        self.commit_meta(st, &msg)
    }

    fn dispatch_shell(&mut self, st: &mut State, s: &[String]) -> R<()> {
        st.config.shell = Some(s.to_vec());
        self.commit_meta(st, &format!("SHELL [{}]", s.join(" ")))
    }

    fn dispatch_workdir(&mut self, st: &mut State, p: &str) -> R<()> {
        let p = self.expand(st, p)?;
        let wd = if p.starts_with('/') {
            p
        } else {
            clean(&format!("/{}/{p}", st.config.working_dir))
        };
        st.config.working_dir = wd.clone();
        let mut cc = st.config.clone();
        let mut cmd = st.shell();
        cmd.push(format!("#(nop) WORKDIR {wd}"));
        cc.cmd = Some(cmd);
        if self.probe(st, &cc)? {
            return Ok(());
        }
        let cid = self.engine.rng.hex(32);
        self.say(&format!(" ---> Running in {}\n", &cid[..12]));
        cc.hostname = cid[..12].to_string();
        let exists = st
            .image
            .as_ref()
            .and_then(|img| image_path(self.engine, img, &wd))
            .is_some_and(|p| p.is_dir());
        let layer = if exists || wd == "/" {
            None
        } else {
            let tmp = self.engine.paths().tmp();
            let rel = wd.trim_matches('/');
            let lower = st
                .image
                .as_ref()
                .map(|img| layer_dirs(self.engine, img))
                .unwrap_or_default();
            let r = LayerTar::new(self.now_secs(), &tmp)
                .map(|t| t.over(lower, (0, 0)))
                .and_then(|mut t| t.parents(&format!("{rel}/x")).map(|_| t))
                .and_then(|t| t.finish());
            Some(r.map_err(io_at(&wd))?)
        };
        self.commit_image(st, &cid, cc, layer, true)?;
        self.removed(&cid);
        Ok(())
    }

    fn removed(&mut self, cid: &str) {
        if self.req.rm || self.req.force_rm {
            self.say(&format!("Removing intermediate container {}\n", &cid[..12]));
        }
    }

    fn now_secs(&self) -> u64 {
        self.engine.clock.now().as_second().max(0) as u64
    }

    /// Looks the step up in the cache; a hit becomes the current image.
    fn probe(&mut self, st: &mut State, cc: &ContainerConfig) -> R<bool> {
        let store = self.engine.image_store();
        let img = match self.cache.probe(store, st.image.as_ref(), cc) {
            None => return Ok(false),
            Some(Hit::Image(img)) => {
                // A --cache-from source on its last entry: its parent becomes the current image.
                if let Some(p) = st.image.as_ref()
                    && img.parent.as_ref() != Some(&p.id)
                {
                    let _lock = self.engine.lock()?;
                    store.put(&img.raw, Some(&p.id))?;
                    drop(_lock);
                    self.cache.add(&img.id, Some(&p.id));
                }
                img
            }
            Some(Hit::Restore { target, index }) => {
                let cfg = cache::restored_config(st.image.as_ref(), &target, index, cc);
                let parent = st.image_id().cloned();
                let _lock = self.engine.lock()?;
                let id = store.put(&cfg.to_bytes(), parent.as_ref())?;
                store.commit(&id)?;
                drop(_lock);
                self.cache.add(&id, parent.as_ref());
                store.get(&id)?
            }
        };
        self.say(" ---> Using cache\n");
        st.image = Some(img);
        Ok(true)
    }

    /// moby's `commit` for a metadata step: probe, "create" the container, commit its config
    /// with `#(nop)  <comment>` as the command.
    fn commit_meta(&mut self, st: &mut State, comment: &str) -> R<()> {
        let mut cc = st.config.clone();
        let mut cmd = st.shell();
        cmd.push("#(nop) ".into());
        cmd.push(comment.to_string());
        cc.cmd = Some(cmd);
        if self.probe(st, &cc)? {
            return Ok(());
        }
        let cid = self.engine.rng.hex(32);
        self.say(&format!(" ---> Running in {}\n", &cid[..12]));
        cc.hostname = cid[..12].to_string();
        self.commit_image(st, &cid, cc, None, true)?;
        self.removed(&cid);
        Ok(())
    }

    /// Writes the step's image: the parent's layers (plus `layer`, a tar, when the step changed
    /// files), the run config as `Config`, `cc` as `ContainerConfig`, one more history entry.
    fn commit_image(
        &mut self,
        st: &mut State,
        container: &str,
        cc: ContainerConfig,
        layer: Option<StagedLayer>,
        from_container: bool,
    ) -> R<()> {
        let engine = self.engine;
        let store = engine.image_store();
        let now = engine.clock.now().to_string();
        let parent = st.image.as_ref();
        let layer = layer.filter(|t| !t.is_empty());
        let mut history = parent.map(|p| p.config.history.clone()).unwrap_or_default();
        history.push(History {
            created: Some(now.clone()),
            author: st.maintainer.clone(),
            created_by: cc.cmd.clone().unwrap_or_default().join(" "),
            comment: String::new(),
            empty_layer: layer.is_none(),
        });
        let mut rootfs_cfg = parent.map(|p| p.config.rootfs.clone()).unwrap_or(RootFs {
            kind: "layers".into(),
            diff_ids: vec![],
        });
        let _lock = engine.lock()?;
        if let Some(tar) = &layer {
            let path = tar.file.path().to_path_buf();
            let mut hashing =
                crate::engine::digest::HashingReader::new(tar.reader().map_err(io_at(&path))?);
            io::copy(&mut hashing, &mut io::sink()).map_err(io_at(&path))?;
            let (diff, _) = hashing.finish();
            let parent_chain = parent.and_then(|p| p.chain_ids().last().cloned());
            store
                .layers
                .register(
                    parent_chain.as_ref(),
                    &diff,
                    &mut tar.reader().map_err(io_at(&path))?,
                )
                .map_err(StoreError::from)?;
            // `docker save` reads layers from the content store, as for an import.
            engine
                .content()
                .ingest(
                    &mut tar.reader().map_err(io_at(&path))?,
                    Some(&diff),
                    None,
                    &mut |_| {},
                )
                .map_err(StoreError::from)?;
            rootfs_cfg.diff_ids.push(diff);
        }
        let arch = match (from_container, parent) {
            (false, Some(p)) if !p.config.architecture.is_empty() => p.config.architecture.clone(),
            _ => "amd64".to_string(),
        };
        let cfg = ImageConfig {
            architecture: arch,
            author: st.maintainer.clone(),
            comment: String::new(),
            config: Some(st.config.clone()),
            container: container.to_string(),
            container_config: Some(cc),
            created: Some(now),
            docker_version: DOCKER_VERSION.into(),
            history,
            os: "linux".into(),
            os_version: parent
                .map(|p| p.config.os_version.clone())
                .unwrap_or_default(),
            parent: String::new(),
            rootfs: rootfs_cfg,
            variant: if from_container {
                String::new()
            } else {
                parent.map(|p| p.config.variant.clone()).unwrap_or_default()
            },
        };
        let parent_id = parent.map(|p| p.id.clone());
        let id = store.put(&cfg.to_bytes(), parent_id.as_ref())?;
        store.commit(&id)?;
        drop(_lock);
        self.cache.add(&id, parent_id.as_ref());
        st.image = Some(store.get(&id)?);
        Ok(())
    }

    fn dispatch_run(&mut self, st: &mut State, c: &CmdLine, flags: &[String]) -> R<()> {
        if let Some(f) = flags.first() {
            return Err(BuildError::BuildKitOnly(f.clone()).into());
        }
        let cmd = self.resolve_cmd(st, c);
        let env = st.config.env.clone().unwrap_or_default();
        let build_env = st.args.filter_allowed(&env);
        let mut save_cmd = cmd.clone();
        if !build_env.is_empty() {
            let mut used: Vec<String> = build_env
                .iter()
                .filter(|kv| {
                    st.args
                        .referenced_or_not_builtin(kv.split('=').next().unwrap_or(kv))
                })
                .cloned()
                .collect();
            used.sort();
            let mut v = vec![format!("|{}", used.len())];
            v.extend(used);
            v.extend(cmd.clone());
            save_cmd = v;
        }
        let mut cc = st.config.clone();
        cc.cmd = Some(save_cmd.clone());
        cc.args_escaped = false;
        if !save_cmd.is_empty() {
            cc.entrypoint = None;
        }
        if self.probe(st, &cc)? {
            return Ok(());
        }
        let Some(image) = st.image.clone() else {
            let exe = cmd.first().cloned().unwrap_or_default();
            return Err(BuildError::NoShell(exe).into());
        };
        let engine = self.engine;
        let create = CreateRequest {
            image: image.id.to_string(),
            cmd: cmd.clone(),
            entrypoint: Some(String::new()),
            env: build_env,
            attach: true,
            ..Default::default()
        };
        let cid = engine.container_create(&create)?;
        self.say(&format!(" ---> Running in {}\n", &cid[..12]));
        let code = {
            let sink = RefCell::new(&mut *self.out);
            let mut o = StreamOut {
                sink: &sink,
                red: false,
            };
            let mut e = StreamOut {
                sink: &sink,
                red: true,
            };
            let mut attach = Attach {
                stdout: &mut o,
                stderr: &mut e,
                stdin: None,
                terminal: false,
                serve_tty: false,
                hold: false,
            };
            engine.container_run_attached(&cid, &mut attach)?
        };
        if code != 0 {
            if self.req.force_rm {
                let _ = engine.container_remove(&cid, true, true);
                self.say(&format!("Removing intermediate container {}\n", &cid[..12]));
            }
            return Err(BuildError::NonZero {
                command: cmd.join(" "),
                code,
            }
            .into());
        }
        let ct = engine.container(&cid)?;
        let tmp = engine.paths().tmp();
        let tar = StagedLayer::new(&tmp).map_err(io_at(&tmp))?;
        {
            let mut w = io::BufWriter::with_capacity(1 << 20, tar.file.as_file());
            rootfs::changes_tar(
                engine.image_store(),
                &image,
                &engine.containers().rootfs(&ct),
                &mut w,
            )?;
            io::Write::flush(&mut w).map_err(io_at(&tmp))?;
        }
        self.commit_image(st, &cid, cc, Some(tar), true)?;
        if self.req.rm || self.req.force_rm {
            engine.container_remove(&cid, true, true)?;
        }
        self.removed(&cid);
        Ok(())
    }

    /// `--chown user:group`, numeric or from the image's `/etc/passwd` and `/etc/group`.
    fn chown(&self, st: &State, spec: &str) -> Result<(u64, u64), BuildError> {
        let (u, g) = match spec.split_once(':') {
            Some((u, g)) => (u, Some(g)),
            None => (spec, None),
        };
        let lookup = |file: &str, name: &str, what: &str| -> Result<u64, BuildError> {
            if let Ok(n) = name.parse::<u64>() {
                return Ok(n);
            }
            let text = st
                .image
                .as_ref()
                .and_then(|img| image_path(self.engine, img, file))
                .and_then(|p| fs::read_to_string(p).ok())
                .unwrap_or_default();
            text.lines()
                .find_map(|l| {
                    let f: Vec<&str> = l.split(':').collect();
                    (f.first() == Some(&name)).then(|| f.get(2).and_then(|n| n.parse().ok()))
                })
                .flatten()
                .ok_or_else(|| {
                    BuildError::Chown(format!(
                        "can't find {what} for {what2}: no such {what3}: {name}",
                        what2 = if what == "uid" { "user" } else { "group" },
                        what3 = if what == "uid" { "user" } else { "group" }
                    ))
                })
        };
        let uid = lookup("/etc/passwd", u, "uid")?;
        let gid = match g {
            Some(g) => lookup("/etc/group", g, "gid")?,
            None => uid,
        };
        Ok((uid, gid))
    }

    /// The image or stage `COPY --from` names, assembled into a scratch directory.
    fn copy_source_image(&mut self, name: &str) -> R<(tempfile::TempDir, Context)> {
        let img = if let Some(s) = self
            .stages
            .iter()
            .find(|s| !s.name.is_empty() && s.name.eq_ignore_ascii_case(name))
        {
            s.image.clone()
        } else if let Ok(ix) = name.parse::<i64>() {
            if ix < 0 || ix as usize >= self.stages.len() {
                return Err(BuildError::StageIndex(ix).into());
            }
            self.stages[ix as usize].image.clone()
        } else {
            Some(self.image_for(name)?.id)
        };
        let tmp_root = self.engine.paths().tmp();
        fs::create_dir_all(&tmp_root).map_err(io_at(&tmp_root))?;
        let dir = tempfile::Builder::new()
            .prefix("build-from-")
            .tempdir_in(&tmp_root)
            .map_err(io_at(&tmp_root))?;
        if let Some(id) = img {
            let image = self.engine.image_store().get(&id)?;
            rootfs::assemble(self.engine.image_store(), &image, dir.path())?;
        }
        let ctx = Context {
            root: Some(dir.path().to_path_buf()),
            ignore: Ignore::default(),
        };
        Ok((dir, ctx))
    }

    fn dispatch_copy(&mut self, st: &mut State, spec: &CopySpec, name: &str) -> R<()> {
        if !spec.chmod.is_empty() {
            return Err(BuildError::BuildKitOnly("chmod".into()).into());
        }
        let failed = |message: String| BuildError::CopyFailed {
            cmd: name.to_string(),
            message,
        };
        let mut srcs = Vec::new();
        for s in &spec.srcs {
            srcs.push(self.expand(st, s)?);
        }
        let dest = self.expand(st, &spec.dest)?;
        let chown_str = self.expand(st, &spec.chown)?;
        let from = self.expand(st, &spec.from)?;
        let _holder;
        let ctx = if from.is_empty() {
            self.req.context.clone()
        } else {
            let (dir, ctx) = self.copy_source_image(&from)?;
            _holder = dir;
            ctx
        };
        let mut sources = Vec::new();
        for s in &srcs {
            if is_url(s) {
                if name == "COPY" {
                    return Err(failed("source can't be a URL for COPY".into()).into());
                }
                return Err(failed(format!(
                    "Get \"{s}\": dial tcp: lookup {}: no such host",
                    url_host(s)
                ))
                .into());
            }
            let rel = clean(&format!("/{s}")).trim_start_matches('/').to_string();
            let rel = if rel.is_empty() { ".".to_string() } else { rel };
            let matches = if has_glob(&rel) {
                ctx.glob(&rel)
            } else {
                match ctx.lookup(&rel) {
                    Some(_) => vec![rel.clone()],
                    None => {
                        return Err(failed(format!(
                            "file not found in build context or excluded by .dockerignore: stat {s}: file does not exist"
                        ))
                        .into());
                    }
                }
            };
            for m in matches {
                let real = match ctx.root.as_ref() {
                    Some(r) if m == "." => r.clone(),
                    Some(r) => r.join(&m),
                    None => continue,
                };
                let (is_dir, hash) = hash_source(&ctx, &m, &real).map_err(io_at(&real))?;
                sources.push(Source {
                    rel: m,
                    real,
                    is_dir,
                    hash,
                });
            }
        }
        if sources.is_empty() {
            return Err(failed("no source files were specified".into()).into());
        }
        if sources.len() > 1 && !dest.ends_with('/') {
            return Err(BuildError::MultiSourceDest(name.to_string()).into());
        }
        let hash = if sources.len() == 1 {
            sources[0].hash.clone()
        } else {
            let all: Vec<&str> = sources.iter().map(|s| s.hash.as_str()).collect();
            format!("multi:{}", Digest::of(all.join(",").as_bytes()).hex())
        };
        let chown_comment = if chown_str.is_empty() {
            String::new()
        } else {
            format!("--chown={chown_str}")
        };
        let mut cc = st.config.clone();
        let mut cmd = st.shell();
        cmd.push(format!("#(nop) {name} {chown_comment}{hash} in {dest} "));
        cc.cmd = Some(cmd);
        if self.probe(st, &cc)? {
            return Ok(());
        }
        let owner = if chown_str.is_empty() {
            (0, 0)
        } else {
            self.chown(st, &chown_str)?
        };
        // The destination, absolute: relative to WORKDIR, its trailing slash kept.
        let mut abs = if dest.starts_with('/') {
            dest.clone()
        } else {
            clean(&format!("/{}/{dest}", st.config.working_dir))
        };
        if dest.ends_with('/') && !abs.ends_with('/') {
            abs.push('/');
        }
        let dest_is_dir = abs.ends_with('/')
            || st
                .image
                .as_ref()
                .and_then(|img| image_path(self.engine, img, &abs))
                .is_some_and(|p| p.is_dir());
        let base = abs.trim_matches('/').to_string();
        let lower = st
            .image
            .as_ref()
            .map(|img| layer_dirs(self.engine, img))
            .unwrap_or_default();
        let mut t = LayerTar::new(self.now_secs(), &self.engine.paths().tmp())
            .map_err(io_at(&abs))?
            .over(lower, owner);
        for s in &sources {
            let r = if s.is_dir {
                if !base.is_empty() {
                    t.parents(&format!("{base}/x")).map_err(io_at(&s.real))?;
                }
                self.copy_dir(&mut t, &ctx, &s.rel, &s.real, &base, owner)
            } else {
                let file_name = Path::new(&s.rel)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let target = if dest_is_dir {
                    if base.is_empty() {
                        file_name
                    } else {
                        format!("{base}/{file_name}")
                    }
                } else {
                    base.clone()
                };
                let extract = if name == "ADD" {
                    archive_kind(&s.real)
                } else {
                    None
                };
                match extract {
                    Some(enc) => self.extract(&mut t, &s.real, enc, &base),
                    None => self.copy_entry(&mut t, &s.real, &target, owner),
                }
            };
            r.map_err(io_at(&s.real))?;
        }
        let tar = t.finish().map_err(io_at(&abs))?;
        self.commit_image(st, "", cc, Some(tar), false)
    }

    fn copy_entry(
        &self,
        t: &mut LayerTar,
        real: &Path,
        target: &str,
        owner: (u64, u64),
    ) -> io::Result<()> {
        let m = fs::symlink_metadata(real)?;
        let mtime = m.mtime().max(0) as u64;
        if m.file_type().is_symlink() {
            let link = fs::read_link(real)?;
            return t.symlink(target, &link, mtime, owner);
        }
        if m.is_dir() {
            t.parents(target)?;
            return t.dir(target, m.mode(), mtime, owner);
        }
        let mut f = fs::File::open(real)?;
        t.file(target, m.mode(), mtime, owner, m.len(), &mut f)
    }

    /// A directory source: its contents (not itself) under `base`.
    fn copy_dir(
        &self,
        t: &mut LayerTar,
        ctx: &Context,
        rel: &str,
        real: &Path,
        base: &str,
        owner: (u64, u64),
    ) -> io::Result<()> {
        let mut names: Vec<_> = fs::read_dir(real)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for n in names {
            let name = n.to_string_lossy().into_owned();
            let child_rel = if rel == "." {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if !ctx.ignore.sends(&child_rel) {
                continue;
            }
            let target = if base.is_empty() {
                name.clone()
            } else {
                format!("{base}/{name}")
            };
            let p = real.join(&name);
            let m = fs::symlink_metadata(&p)?;
            self.copy_entry(t, &p, &target, owner)?;
            if m.is_dir() {
                self.copy_dir(t, ctx, &child_rel, &p, &target, owner)?;
            }
        }
        Ok(())
    }

    /// ADD of a local archive: its entries under `base`.
    fn extract(&self, t: &mut LayerTar, real: &Path, enc: Encoding, base: &str) -> io::Result<()> {
        let f = fs::File::open(real)?;
        let mut archive = tar::Archive::new(archive::decompress(enc, f));
        if !base.is_empty() {
            t.parents(&format!("{base}/x"))?;
            t.dir(base, 0o755, t.mtime, (0, 0))?;
        }
        for entry in archive.entries()? {
            let mut e = entry?;
            let path = e.path()?.to_string_lossy().into_owned();
            let rel = clean(&format!("/{path}"))
                .trim_start_matches('/')
                .to_string();
            if rel.is_empty() {
                continue;
            }
            let target = if base.is_empty() {
                rel
            } else {
                format!("{base}/{rel}")
            };
            let h = e.header().clone();
            let mode = h.mode().unwrap_or(0o644);
            let mtime = h.mtime().unwrap_or(0);
            let owner = (h.uid().unwrap_or(0), h.gid().unwrap_or(0));
            match h.entry_type() {
                tar::EntryType::Directory => {
                    t.parents(&target)?;
                    t.dir(&target, mode, mtime, owner)?;
                }
                tar::EntryType::Symlink => {
                    if let Some(link) = e.link_name()? {
                        let link = link.into_owned();
                        t.symlink(&target, &link, mtime, owner)?;
                    }
                }
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let size = h.size().unwrap_or(0);
                    t.file(&target, mode, mtime, owner, size, &mut e)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `--squash`: the layers built on top of the stage's base merged into one new layer; the
    /// history kept (its new steps marked empty) plus a `merge` entry; no parent.
    fn squash(&mut self, image: &Image, base: Option<&Digest>) -> R<Digest> {
        let engine = self.engine;
        let store = engine.image_store();
        let base_img = match base {
            Some(b) => Some(store.get(b)?),
            None => None,
        };
        let tmp_root = engine.paths().tmp();
        fs::create_dir_all(&tmp_root).map_err(io_at(&tmp_root))?;
        let dir = tempfile::Builder::new()
            .prefix("build-squash-")
            .tempdir_in(&tmp_root)
            .map_err(io_at(&tmp_root))?;
        rootfs::assemble(store, image, dir.path())?;
        let empty = Image {
            id: Digest::of(b""),
            raw: Vec::new(),
            config: ImageConfig {
                architecture: String::new(),
                author: String::new(),
                comment: String::new(),
                config: None,
                container: String::new(),
                container_config: None,
                created: None,
                docker_version: String::new(),
                history: vec![],
                os: String::new(),
                os_version: String::new(),
                parent: String::new(),
                rootfs: RootFs {
                    kind: "layers".into(),
                    diff_ids: vec![],
                },
                variant: String::new(),
            },
            parent: None,
            last_tag_time: None,
        };
        let below = base_img.as_ref().unwrap_or(&empty);
        let mut tar = Vec::new();
        rootfs::changes_tar(store, below, dir.path(), &mut tar)?;
        let now = engine.clock.now().to_string();
        let mut cfg = image.config.clone();
        let keep = below.config.history.len();
        for (i, h) in cfg.history.iter_mut().enumerate() {
            if i >= keep {
                h.empty_layer = true;
            }
        }
        cfg.history.push(History {
            created: Some(now.clone()),
            comment: match base {
                Some(b) => format!("merge {} to {b}", image.id),
                None => format!("create new from {}", image.id),
            },
            ..Default::default()
        });
        cfg.created = Some(now);
        let _lock = engine.lock()?;
        let diff = Digest::of(&tar);
        let parent_chain = below.chain_ids().last().cloned();
        store
            .layers
            .register(parent_chain.as_ref(), &diff, &mut tar.as_slice())
            .map_err(StoreError::from)?;
        engine.content().put(&tar).map_err(StoreError::from)?;
        let mut rfs = below.config.rootfs.clone();
        rfs.diff_ids.push(diff);
        cfg.rootfs = rfs;
        let id = store.put(&cfg.to_bytes(), None)?;
        store.commit(&id)?;
        Ok(id)
    }
}

/// A RUN's output stream into the build stream; stderr wrapped in red as dockerd does.
struct StreamOut<'s, 'o, 'a> {
    sink: &'s RefCell<&'o mut (dyn FnMut(BuildMessage<'_>) + 'a)>,
    red: bool,
}

impl Write for StreamOut<'_, '_, '_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut f = self.sink.borrow_mut();
        if self.red {
            let mut v = Vec::with_capacity(buf.len() + 9);
            v.extend_from_slice(b"\x1b[91m");
            v.extend_from_slice(buf);
            v.extend_from_slice(b"\x1b[0m");
            (f)(BuildMessage::Stream(&v));
        } else {
            (f)(BuildMessage::Stream(buf));
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl instruction::InstructionError {
    fn into_build(self) -> BuildError {
        BuildError::Instruction(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_formatting() {
        assert_eq!(go_duration(300_000_000_000), "5m0s");
        assert_eq!(go_duration(3_000_000_000), "3s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(100_000_000), "100ms");
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_quote_rune(0), "'\\x00'");
        assert_eq!(go_quote_rune(3), "'\\x03'");
        assert_eq!(go_quote_rune(65), "'A'");
        assert_eq!(
            go_quote_list(&["nginx".into(), "-g".into(), "daemon off;".into()]),
            "[\"nginx\" \"-g\" \"daemon off;\"]"
        );
        let h = Health {
            test: vec![
                "CMD-SHELL".into(),
                "curl -f http://localhost/ || exit 1".into(),
            ],
            interval: 300_000_000_000,
            timeout: 3_000_000_000,
            start_period: 0,
            retries: 0,
        };
        assert_eq!(
            health_text(&h),
            "&{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"5m0s\" \"3s\" \"0s\" '\\x00'}"
        );
    }

    #[test]
    fn ports() {
        assert_eq!(
            parse_ports(&["80".into(), "53/udp".into(), "8000-8001".into()]).unwrap(),
            ["80/tcp", "53/udp", "8000/tcp", "8001/tcp"]
        );
        assert_eq!(
            parse_ports(&["abc".into()]).unwrap_err().to_string(),
            "Invalid containerPort: abc"
        );
        // As Docker 20.10.24 reads `EXPOSE` words (`docker commit -c 'EXPOSE …'`).
        let ok = |p: &str| exposed_ports(&[p.to_string()]);
        assert_eq!(ok("80:80"), Ok(vec!["80/tcp".to_string()]));
        assert_eq!(ok("1.2.3.4:80:81"), Ok(vec!["81/tcp".to_string()]));
        assert_eq!(ok(":80"), Ok(vec!["80/tcp".to_string()]));
        assert_eq!(ok("0"), Ok(vec!["0/tcp".to_string()]));
        assert_eq!(ok("80/UDP"), Ok(vec!["80/udp".to_string()]));
        assert_eq!(ok("80/xyz"), Err("Invalid proto: xyz".to_string()));
        assert_eq!(ok("70000"), Err("Invalid containerPort: 70000".to_string()));
        assert_eq!(ok("90-80"), Err("Invalid containerPort: 90-80".to_string()));
    }

    #[test]
    fn build_args_follow_moby() {
        let mut a = BuildArgs {
            options: [
                ("V".to_string(), Some("2".to_string())),
                ("HTTP_PROXY".into(), Some("p".into())),
            ]
            .into(),
            ..Default::default()
        };
        a.add_arg("V", Some("1".into()));
        a.add_arg("D", Some("d".into()));
        a.add_arg("N", None);
        let all = a.all_allowed();
        assert_eq!(all.get("V").map(String::as_str), Some("2"));
        assert_eq!(all.get("D").map(String::as_str), Some("d"));
        assert!(!all.contains_key("N"));
        assert_eq!(all.get("HTTP_PROXY").map(String::as_str), Some("p"));
        assert_eq!(a.filter_allowed(&["D=x".into()]).len(), 2);
        assert!(a.unused().is_empty());
    }
}
