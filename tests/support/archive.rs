//! Helpers shared by the archive tests: listing a tar the way `tar -tv` does, and building
//! archives entry by entry, hostile ones included (the `tar` crate's builder refuses `..` and
//! absolute names, so names are written into the header directly).

#![allow(dead_code)]

use std::io::Read;

/// `tar -tv`-like lines: type+mode in octal, owner, size, mtime, name (and link target).
pub fn listing(bytes: &[u8]) -> String {
    let mut a = tar::Archive::new(bytes);
    let mut s = String::new();
    for e in a.entries().expect("tar") {
        let e = e.expect("entry");
        let h = e.header();
        let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let link = e
            .link_name_bytes()
            .map(|l| format!(" -> {}", String::from_utf8_lossy(&l)))
            .unwrap_or_default();
        let raw_mode = String::from_utf8_lossy(&h.as_bytes()[100..107]).into_owned();
        s.push_str(&format!(
            "{raw_mode} {}/{} {:>9} {:>10} {name}{link}\n",
            h.username().ok().flatten().unwrap_or(""),
            h.groupname().ok().flatten().unwrap_or(""),
            h.size().unwrap_or(0),
            h.mtime().unwrap_or(0),
        ));
    }
    s
}

/// The bytes of one member of a tar.
pub fn member(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut a = tar::Archive::new(bytes);
    for e in a.entries().ok()? {
        let mut e = e.ok()?;
        if e.path_bytes().as_ref() == name.as_bytes() {
            let mut v = Vec::new();
            e.read_to_end(&mut v).ok()?;
            return Some(v);
        }
    }
    None
}

/// One entry to write.
pub struct E<'a> {
    pub name: &'a [u8],
    pub kind: tar::EntryType,
    pub data: &'a [u8],
    pub link: Option<&'a str>,
}

pub fn file<'a>(name: &'a str, data: &'a [u8]) -> E<'a> {
    E {
        name: name.as_bytes(),
        kind: tar::EntryType::Regular,
        data,
        link: None,
    }
}

/// A tar of `entries`, names taken as they are.
pub fn tar_of(entries: &[E<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(e.kind);
        h.set_mode(0o644);
        h.set_size(e.data.len() as u64);
        h.set_mtime(0);
        let gnu = h.as_gnu_mut().expect("gnu header");
        gnu.name[..e.name.len()].copy_from_slice(e.name);
        if let Some(l) = e.link {
            h.set_link_name(l).expect("link name");
        }
        h.set_cksum();
        b.append(&h, e.data).expect("append");
    }
    b.into_inner().expect("tar")
}

/// Gzip-compresses bytes.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    g.write_all(bytes).expect("gzip");
    g.finish().expect("gzip")
}

/// Bzip2-compresses bytes.
#[allow(dead_code)] // not every test binary that includes `support` uses it
pub fn bzip2(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = ::bzip2::write::BzEncoder::new(Vec::new(), ::bzip2::Compression::fast());
    e.write_all(bytes).expect("bzip2");
    e.finish().expect("bzip2")
}

/// Xz-compresses bytes.
#[allow(dead_code)]
pub fn xz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut w =
        lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).expect("xz");
    w.write_all(bytes).expect("xz");
    w.finish().expect("xz")
}
