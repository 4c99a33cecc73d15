//! `docker pull`, `images`, `tag`, `rmi`, `image prune`, `inspect`, `history`, `search`: docker/cli's
//! presentation of the engine's answers.

use jiff::Timestamp;

use super::args::Parsed;
use super::format::human::{go_time_string, human_duration, human_size, human_size3};
use super::view::{Row, render};
use super::{CmdResult, Fail, Io};
use crate::engine::Engine;
use crate::engine::api::{DeleteItem, ImageSummary};
use crate::engine::filters::Filters;
use crate::engine::image::StoreError;
use crate::engine::progress::Progress;
use crate::engine::reference::Reference;

fn since(now: Timestamp, then: Timestamp) -> String {
    format!("{} ago", human_duration(now.duration_since(then)))
}

fn filters_of(p: &Parsed) -> Filters {
    let mut f = Filters::new();
    for v in p.list("filter") {
        // The flag parser already refused values without `=`.
        let _ = f.add_flag(&v);
    }
    f
}

fn out(io: &mut Io<'_>, s: &str) {
    let _ = io.stdout.write_all(s.as_bytes());
}

/// Renders a progress stream (pull, load) as docker/cli's `DisplayJSONMessagesStream` does.
///
/// Off a terminal: messages carrying a progress bar are dropped, the rest print one per line. On a
/// terminal: every layer owns a line that later messages rewrite in place (cursor up, clear line,
/// print, cursor down), with the bar (`[==>   ]`, only wider than 110 columns) and the byte counts.
///
/// No time left, ever: docker/cli prints one only for a `progressDetail` with a `start`, and the
/// 20.10 daemon's stream formatter never sets it (checked on the API stream of a real 20.10.24
/// pull: `{"current":180224,"total":16781681}`, and on its terminal: `Downloading [>   …]
/// 14.32kB/1.088MB` with nothing after the counts, 120 columns).
pub(super) struct PullPrinter {
    tty: bool,
    width: usize,
    /// Layer IDs in the order their lines were printed.
    ids: Vec<String>,
}

/// `JSONProgress.String` for a progress detail without a start time: the bar and the counts.
fn progress_text(done: u64, total: u64, width: usize) -> String {
    if total == 0 {
        return if done == 0 {
            String::new()
        } else {
            format!("{:>8}", human_size(done as i64))
        };
    }
    let percentage = (((done as f64 / total as f64) * 100.0) as i64 / 2).min(50) as usize;
    let mut s = String::new();
    if width > 110 {
        s.push_str(&format!(
            "[{}>{}] ",
            "=".repeat(percentage),
            " ".repeat(50 - percentage)
        ));
    }
    if done <= total {
        s.push_str(&format!(
            "{:>8}/{}",
            human_size(done as i64),
            human_size(total as i64)
        ));
    }
    s
}

impl PullPrinter {
    pub(super) fn new(io: &Io<'_>) -> PullPrinter {
        let width = (io.env)("COLUMNS")
            .and_then(|c| c.parse().ok())
            .or_else(terminal_width)
            .unwrap_or(80);
        PullPrinter {
            tty: io.stdout_tty,
            width,
            ids: Vec::new(),
        }
    }

    fn show(&mut self, io: &mut Io<'_>, p: &Progress) {
        self.show_to(&mut *io.stdout, p);
    }

    /// Renders one message to `w`.
    pub(super) fn show_to(&mut self, w: &mut dyn std::io::Write, p: &Progress) {
        let mut out = |s: &str| {
            let _ = w.write_all(s.as_bytes());
        };
        if !self.tty {
            if p.bar.is_some() {
                return;
            }
            let line = match &p.id {
                Some(id) => format!("{id}: {}\n", p.status),
                None => format!("{}\n", p.status),
            };
            out(&line);
            return;
        }
        let Some(id) = &p.id else {
            // A line without an ID ends the in-place block (as `pull -a` moves to the next tag).
            self.ids.clear();
            out(&format!("{}\n", p.status));
            return;
        };
        let mut s = String::new();
        let pos = match self.ids.iter().position(|x| x == id) {
            Some(pos) => pos,
            None => {
                self.ids.push(id.clone());
                s.push('\n');
                self.ids.len() - 1
            }
        };
        let diff = self.ids.len() - pos;
        let bar = match p.bar {
            Some((done, total)) => progress_text(done, total, self.width),
            None => String::new(),
        };
        s.push_str(&format!(
            "\x1b[{diff}A\x1b[2K\r{id}: {} {bar}\r\x1b[{diff}B",
            p.status
        ));
        out(&s);
    }
}

/// The width of the terminal on stdout, if it is one.
fn terminal_width() -> Option<usize> {
    // SAFETY: TIOCGWINSZ only writes into the winsize we pass.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        (libc::ioctl(1, libc::TIOCGWINSZ, &mut ws) == 0 && ws.ws_col > 0)
            .then_some(ws.ws_col as usize)
    }
}

fn content_trust(io: &Io<'_>, p: &Parsed) -> bool {
    if p.given("disable-content-trust") {
        return !p.bool("disable-content-trust");
    }
    match (io.env)("DOCKER_CONTENT_TRUST") {
        None => false,
        Some(v) if v.is_empty() => false,
        Some(v) => !matches!(v.as_str(), "0" | "f" | "F" | "FALSE" | "false" | "False"),
    }
}

pub(super) fn pull(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let name = &p.args[0];
    let all = p.bool("all-tags");
    let quiet = p.bool("quiet");
    let r = Reference::parse_named(name).map_err(|e| Fail::plain(e.to_string()))?;
    if all && (r.tag().is_some() || r.digest().is_some()) {
        return Err(Fail::plain("tag can't be used with --all-tags/-a"));
    }
    if !all && r.tag().is_none() && r.digest().is_none() && !quiet {
        out(io, "Using default tag: latest\n");
    }
    let r = if all { r } else { r.with_default_tag() };
    let mut printer = PullPrinter::new(io);
    if content_trust(io, p) && !all && r.digest().is_none() {
        let digest = engine
            .trusted_digest(&r)
            .map_err(|e| Fail::plain(e.to_string()))?;
        let pinned = r.with_digest(digest.clone());
        if !quiet {
            out(io, &format!("Pull (1 of 1): {}@{digest}\n", r.familiar()));
        }
        engine
            .pull(&pinned, false, &mut |ev: Progress| {
                if !quiet {
                    printer.show(io, &ev)
                }
            })
            .map_err(Fail::daemon)?;
        let _ = writeln!(
            io.stderr,
            "Tagging {} as {}",
            pinned.familiar(),
            r.familiar()
        );
        engine
            .tag(&pinned.familiar(), &r.familiar())
            .map_err(Fail::daemon)?;
        out(io, &format!("{r}\n"));
        return Ok(0);
    }
    engine
        .pull(&r, all, &mut |ev: Progress| {
            if !quiet {
                printer.show(io, &ev)
            }
        })
        .map_err(Fail::daemon)?;
    let last = if all { r.name() } else { r.to_string() };
    out(io, &format!("{last}\n"));
    Ok(0)
}

const IMAGE_HEADERS: &[(&str, &str)] = &[
    ("ID", "IMAGE ID"),
    ("Repository", "REPOSITORY"),
    ("Tag", "TAG"),
    ("Digest", "DIGEST"),
    ("CreatedSince", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("Size", "SIZE"),
    ("Containers", "CONTAINERS"),
    ("VirtualSize", "SIZE"),
    ("SharedSize", "SHARED SIZE"),
    ("UniqueSize", "UNIQUE SIZE"),
];

fn na(n: i64, f: impl Fn(i64) -> String) -> String {
    if n == -1 { "N/A".into() } else { f(n) }
}

fn image_row(
    img: &ImageSummary,
    repo: &str,
    tag: &str,
    digest: &str,
    trunc: bool,
    now: Timestamp,
) -> Row {
    let id = if trunc {
        img.id
            .strip_prefix("sha256:")
            .unwrap_or(&img.id)
            .chars()
            .take(12)
            .collect()
    } else {
        img.id.clone()
    };
    let created = Timestamp::from_second(img.created).unwrap_or(Timestamp::UNIX_EPOCH);
    Row {
        type_name: "*formatter.imageContext",
        methods: Vec::new(),
        fields: vec![
            ("Containers", na(img.containers, |n| n.to_string())),
            ("CreatedAt", go_time_string(created)),
            ("CreatedSince", since(now, created)),
            ("Digest", digest.to_string()),
            ("ID", id),
            ("Repository", repo.to_string()),
            ("SharedSize", na(img.shared_size, human_size)),
            ("Size", human_size3(img.size)),
            ("Tag", tag.to_string()),
            ("UniqueSize", "N/A".into()),
            ("VirtualSize", human_size(img.virtual_size)),
        ],
    }
}

/// docker/cli's `imageFormat`: one row per repository tag (per digest with `--digests`), digest-only
/// repositories as `<none>` tags, dangling images as `<none> <none>`.
fn image_rows(
    images: &[ImageSummary],
    show_digests: bool,
    trunc: bool,
    now: Timestamp,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for img in images {
        if img.repo_tags == ["<none>:<none>"] && img.repo_digests == ["<none>@<none>"] {
            rows.push(image_row(img, "<none>", "<none>", "<none>", trunc, now));
            continue;
        }
        let mut tags: Vec<(String, Vec<String>)> = Vec::new();
        for t in &img.repo_tags {
            let Ok(r) = Reference::parse(t) else { continue };
            let name = r.familiar_name();
            let tag = r.tag().unwrap_or("").to_string();
            match tags.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(tag),
                None => tags.push((name, vec![tag])),
            }
        }
        let mut digests: Vec<(String, Vec<String>)> = Vec::new();
        for d in &img.repo_digests {
            let Ok(r) = Reference::parse(d) else { continue };
            let name = r.familiar_name();
            let dg = r.digest().map(|d| d.to_string()).unwrap_or_default();
            match digests.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(dg),
                None => digests.push((name, vec![dg])),
            }
        }
        for (repo, repo_tags) in &tags {
            let mut ds = Vec::new();
            if let Some(pos) = digests.iter().position(|(n, _)| n == repo) {
                ds = digests.remove(pos).1;
            }
            if !show_digests {
                ds.clear();
            }
            for tag in repo_tags {
                if ds.is_empty() {
                    rows.push(image_row(img, repo, tag, "<none>", trunc, now));
                }
                for d in &ds {
                    rows.push(image_row(img, repo, tag, d, trunc, now));
                }
            }
        }
        for (repo, ds) in &digests {
            if show_digests {
                for d in ds {
                    rows.push(image_row(img, repo, "<none>", d, trunc, now));
                }
            } else {
                rows.push(image_row(img, repo, "<none>", "", trunc, now));
            }
        }
    }
    rows
}

pub(super) fn images(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut filters = filters_of(p);
    if let Some(arg) = p.args.first() {
        filters.add("reference", arg);
    }
    let list = engine.images(p.bool("all"), &filters)?;
    let quiet = p.bool("quiet");
    let mut show_digests = p.bool("digests");
    let format = match p.str("format").filter(|f| !f.is_empty()) {
        Some(f) if f != "table" => {
            let mut f = f.to_string();
            if f.starts_with("table") && show_digests && !f.contains("{{.Digest}}") {
                f.push_str("\t{{.Digest}}");
            }
            f
        }
        _ if quiet => "{{.ID}}".to_string(),
        _ if show_digests => {
            "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
                .into()
        }
        _ => "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}".into(),
    };
    if format.contains("{{.Digest}}") {
        show_digests = true;
    }
    let rows = image_rows(&list, show_digests, !p.bool("no-trunc"), engine.clock.now());
    out(io, &render(&format, &rows, IMAGE_HEADERS)?);
    Ok(0)
}

pub(super) fn tag(engine: &Engine, p: &Parsed, _io: &mut Io<'_>) -> CmdResult {
    let (src, dst) = (&p.args[0], &p.args[1]);
    if let Err(e) = Reference::parse_named(dst) {
        return Err(Fail::plain(format!(
            "Error parsing reference: {dst:?} is not a valid repository/tag: {e}"
        )));
    }
    engine.tag(src, dst)?;
    Ok(0)
}

pub(super) fn rmi(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let force = p.bool("force");
    let mut errors = Vec::new();
    let mut status = 0;
    for arg in &p.args {
        match engine.image_remove(arg, force, !p.bool("no-prune")) {
            Ok(items) => {
                for it in items {
                    match it {
                        DeleteItem::Untagged(s) => out(io, &format!("Untagged: {s}\n")),
                        DeleteItem::Deleted(s) => out(io, &format!("Deleted: {s}\n")),
                    }
                }
            }
            Err(crate::engine::Error::Store(StoreError::NoSuchImage(_))) => {
                // docker/cli words a missing image with the argument as typed; with -f it is
                // reported but not a failure.
                errors.push(format!("Error: No such image: {arg}"));
                if !force {
                    status = 1;
                }
            }
            Err(e) => {
                errors.push(format!("Error response from daemon: {e}"));
                status = 1;
            }
        }
    }
    if !errors.is_empty() {
        let _ = io.stdout.flush();
        let _ = writeln!(io.stderr, "{}", errors.join("\n"));
    }
    Ok(status)
}

pub(super) fn prune(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let mut filters = filters_of(p);
    let all = p.bool("all");
    if all {
        filters.add("dangling", "false");
    }
    if !p.bool("force") {
        let warning = if all {
            "WARNING! This will remove all images without at least one container associated to them."
        } else {
            "WARNING! This will remove all dangling images."
        };
        out(
            io,
            &format!("{warning}\nAre you sure you want to continue? [y/N] "),
        );
        let _ = io.stdout.flush();
        let mut answer = Vec::new();
        let mut byte = [0u8; 1];
        while let Ok(1) = io.stdin.read(&mut byte) {
            if byte[0] == b'\n' {
                break;
            }
            answer.push(byte[0]);
        }
        let answer = String::from_utf8_lossy(&answer).trim().to_lowercase();
        if answer != "y" && answer != "yes" {
            out(io, "Total reclaimed space: 0B\n");
            return Ok(0);
        }
    }
    let report = engine.images_prune(&filters)?;
    let mut s = String::new();
    if !report.deleted.is_empty() {
        s.push_str("Deleted Images:\n");
        for it in &report.deleted {
            match it {
                DeleteItem::Untagged(x) => s.push_str(&format!("untagged: {x}\n")),
                DeleteItem::Deleted(x) => s.push_str(&format!("deleted: {x}\n")),
            }
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "Total reclaimed space: {}\n",
        human_size(report.space_reclaimed as i64)
    ));
    out(io, &s);
    Ok(0)
}

/// Go's encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings; they only occur
/// inside strings in JSON text, so replacing them throughout is exact.
pub(crate) fn go_json_escape(s: &str) -> String {
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn indented(values: &[serde_json::Value]) -> String {
    if values.is_empty() {
        return "[]\n".into();
    }
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    let _ = serde::Serialize::serialize(&values, &mut ser);
    format!("{}\n", go_json_escape(&String::from_utf8_lossy(&buf)))
}

pub(super) fn inspect(engine: &Engine, p: &Parsed, io: &mut Io<'_>, generic: bool) -> CmdResult {
    let kind = p.str("type").filter(|t| !t.is_empty());
    const TYPES: &[&str] = &[
        "container",
        "image",
        "network",
        "volume",
        "node",
        "service",
        "task",
        "plugin",
        "secret",
        "config",
    ];
    if generic
        && let Some(t) = kind
        && !TYPES.contains(&t)
    {
        return Err(Fail::plain(format!(
            "\"{t}\" is not a valid value for --type"
        )));
    }
    // `docker inspect` looks for a container first, then an image (docker/cli's order).
    let containers = generic && kind.is_none_or(|t| t == "container");
    let images = !generic || kind.is_none_or(|t| t == "image");
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for arg in &p.args {
        if containers {
            match engine.container_inspect(arg) {
                Ok(v) => {
                    found.push(v);
                    continue;
                }
                Err(e) if e.kind() != crate::engine::ErrorKind::NotFound => {
                    return Err(Fail::daemon(e));
                }
                Err(_) => {}
            }
        }
        match (images, engine.image_inspect(arg)) {
            (true, Ok(i)) => found.push(serde_json::to_value(&i).unwrap_or_default()),
            (_, Err(e)) if e.kind() != crate::engine::ErrorKind::NotFound => {
                return Err(Fail::daemon(e));
            }
            _ => errors.push(if generic {
                format!("Error: No such object: {arg}")
            } else {
                format!("Error: No such image: {arg}")
            }),
        }
    }
    print_inspect(io, p, &found)?;
    if errors.is_empty() {
        Ok(0)
    } else {
        let _ = io.stdout.flush();
        let _ = writeln!(io.stderr, "{}", errors.join("\n"));
        Ok(1)
    }
}

/// Prints inspected objects: the JSON array (4-space indent), or `--format` once per object.
pub(super) fn print_inspect(
    io: &mut Io<'_>,
    p: &Parsed,
    found: &[serde_json::Value],
) -> Result<(), Fail> {
    match p.str("format").filter(|f| !f.is_empty()) {
        None => out(io, &indented(found)),
        // docker/cli writes the formatted objects and then a newline; with none, that newline
        // is all stdout gets.
        Some(_) if found.is_empty() => out(io, "\n"),
        Some(f) => {
            for v in found {
                out(io, &format!("{}\n", super::view::inspect_template(f, v)?));
            }
        }
    }
    Ok(())
}

const HISTORY_HEADERS: &[(&str, &str)] = &[
    ("ID", "IMAGE"),
    ("CreatedSince", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("CreatedBy", "CREATED BY"),
    ("Size", "SIZE"),
    ("Comment", "COMMENT"),
];

/// docker's `stringutils.Ellipsis`: cut to `max` display columns, the last one an ellipsis.
pub(crate) fn ellipsis(s: &str, max: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let width: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if width <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > max - 1 {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

pub(super) fn history(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let rows = engine.history(&p.args[0])?;
    let human = !p.given("human") || p.bool("human");
    let trunc = !p.bool("no-trunc");
    let now = engine.clock.now();
    let format = match p.str("format").filter(|f| !f.is_empty() && *f != "table") {
        Some(f) => f.to_string(),
        None if p.bool("quiet") => "{{.ID}}".into(),
        None if human => {
            "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}".into()
        }
        None => "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}".into(),
    };
    let rows: Vec<Row> = rows
        .iter()
        .map(|h| {
            let created = Timestamp::from_second(h.created).unwrap_or(Timestamp::UNIX_EPOCH);
            let created_at = created.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            let by = h.created_by.replace('\t', " ");
            let id = if trunc && h.id.starts_with("sha256:") {
                h.id[7..19].to_string()
            } else {
                h.id.clone()
            };
            Row {
                type_name: "*formatter.historyContext",
                methods: Vec::new(),
                fields: vec![
                    ("Comment", h.comment.clone()),
                    ("CreatedAt", created_at.clone()),
                    ("CreatedBy", if trunc { ellipsis(&by, 45) } else { by }),
                    (
                        "CreatedSince",
                        if human {
                            since(now, created)
                        } else {
                            created_at
                        },
                    ),
                    ("ID", id),
                    (
                        "Size",
                        if human {
                            human_size3(h.size)
                        } else {
                            h.size.to_string()
                        },
                    ),
                ],
            }
        })
        .collect();
    out(io, &render(&format, &rows, HISTORY_HEADERS)?);
    Ok(0)
}

const SEARCH_HEADERS: &[(&str, &str)] = &[
    ("Name", "NAME"),
    ("Description", "DESCRIPTION"),
    ("StarCount", "STARS"),
    ("IsOfficial", "OFFICIAL"),
    ("IsAutomated", "AUTOMATED"),
];

pub(super) fn search(engine: &Engine, p: &Parsed, io: &mut Io<'_>) -> CmdResult {
    let limit = p.int("limit").unwrap_or(25);
    let filters = filters_of(p);
    let mut results = engine.search(&p.args[0], limit, &filters)?;
    results.sort_by_key(|r| std::cmp::Reverse(r.star_count));
    let trunc = !p.bool("no-trunc");
    let format = p
        .str("format")
        .filter(|f| !f.is_empty() && *f != "table")
        .unwrap_or(
            "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}\t{{.IsAutomated}}",
        )
        .to_string();
    let ok = |b: bool| if b { "[OK]".to_string() } else { String::new() };
    let rows: Vec<Row> = results
        .iter()
        .map(|r| {
            let desc = r.description.replace(['\n', '\r'], " ");
            Row {
                type_name: "*formatter.searchContext",
                methods: Vec::new(),
                fields: vec![
                    (
                        "Description",
                        if trunc { ellipsis(&desc, 45) } else { desc },
                    ),
                    ("IsAutomated", ok(r.is_automated)),
                    ("IsOfficial", ok(r.is_official)),
                    ("Name", r.name.clone()),
                    ("StarCount", r.star_count.to_string()),
                ],
            }
        })
        .collect();
    out(io, &render(&format, &rows, SEARCH_HEADERS)?);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_text_is_docker_s() {
        assert_eq!(progress_text(0, 0, 80), "");
        assert_eq!(progress_text(12_300_000, 58_100_000, 80), "  12.3MB/58.1MB");
        let wide = progress_text(29_050_000, 58_100_000, 120);
        assert_eq!(
            wide,
            format!("[{}>{}]  29.05MB/58.1MB", "=".repeat(25), " ".repeat(25))
        );
        // Seen on Docker 20.10.24's terminal, 120 columns: the first bars of a 1 MB and a 16 MB
        // layer, with no time left after the counts.
        assert_eq!(
            progress_text(14_320, 1_088_000, 120),
            format!("[>{}]  14.32kB/1.088MB", " ".repeat(50))
        );
        assert_eq!(
            progress_text(16_781_681, 16_781_681, 120),
            format!("[{}>]  16.78MB/16.78MB", "=".repeat(50))
        );
    }
}
