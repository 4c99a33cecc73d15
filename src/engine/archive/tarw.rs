//! A tar writer that produces the bytes Go's `archive/tar` writes for Docker's save archive:
//! USTAR headers, numeric fields as zero-padded octal with a NUL, the checksum as six digits, a NUL
//! and a space, the file-type bits in the mode (`0040755`, `0100644`, `0120777`), owner `root`, and
//! two zero blocks at the end with no padding to a record size.

use std::io::{self, Read, Write};

const BLOCK: usize = 512;

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
}

/// One header's fields.
pub struct Entry<'a> {
    pub name: &'a str,
    pub kind: Kind,
    /// Permission bits (without the type bits).
    pub perm: u32,
    pub size: u64,
    pub mtime: i64,
    pub link: &'a str,
}

fn octal(field: &mut [u8], v: u64) -> io::Result<()> {
    let s = format!("{v:o}");
    if s.len() > field.len() - 1 {
        return Err(io::Error::other(format!(
            "value {v} does not fit in a tar header field"
        )));
    }
    let pad = field.len() - 1 - s.len();
    for b in field.iter_mut().take(pad) {
        *b = b'0';
    }
    field[pad..pad + s.len()].copy_from_slice(s.as_bytes());
    field[field.len() - 1] = 0;
    Ok(())
}

fn string(field: &mut [u8], s: &str) -> io::Result<()> {
    if s.len() > field.len() {
        return Err(io::Error::other(format!(
            "name {s:?} is too long for a tar header"
        )));
    }
    field[..s.len()].copy_from_slice(s.as_bytes());
    Ok(())
}

/// The 512-byte header Go writes for `e`.
pub fn header(e: &Entry<'_>) -> io::Result<[u8; BLOCK]> {
    let mut h = [0u8; BLOCK];
    string(&mut h[0..100], e.name)?;
    let type_bits = match e.kind {
        Kind::File => 0o100000,
        Kind::Dir => 0o040000,
        Kind::Symlink => 0o120000,
    };
    octal(&mut h[100..108], u64::from(type_bits | e.perm))?;
    octal(&mut h[108..116], 0)?;
    octal(&mut h[116..124], 0)?;
    octal(&mut h[124..136], e.size)?;
    octal(&mut h[136..148], e.mtime.max(0) as u64)?;
    h[156] = match e.kind {
        Kind::File => b'0',
        Kind::Dir => b'5',
        Kind::Symlink => b'2',
    };
    string(&mut h[157..257], e.link)?;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    string(&mut h[265..297], "root")?;
    string(&mut h[297..329], "root")?;
    octal(&mut h[329..337], 0)?;
    octal(&mut h[337..345], 0)?;
    // The checksum is computed with its own field as spaces.
    h[148..156].copy_from_slice(b"        ");
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    octal(&mut h[148..155], sum)?;
    h[155] = b' ';
    Ok(h)
}

/// Writes entries to `w`, counting bytes.
pub struct TarWriter<W: Write> {
    w: W,
}

impl<W: Write> TarWriter<W> {
    pub fn new(w: W) -> Self {
        TarWriter { w }
    }

    /// An entry with its whole content in memory.
    pub fn bytes(&mut self, e: &Entry<'_>, data: &[u8]) -> io::Result<()> {
        self.w.write_all(&header(e)?)?;
        self.w.write_all(data)?;
        self.pad(data.len() as u64)
    }

    /// An entry whose content streams from `r`, which must yield exactly `e.size` bytes.
    pub fn stream(&mut self, e: &Entry<'_>, r: &mut dyn Read, buf: &mut [u8]) -> io::Result<()> {
        self.w.write_all(&header(e)?)?;
        let mut left = e.size;
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = match r.read(&mut buf[..want]) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("{}: content ended {left} bytes early", e.name),
                    ));
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.w.write_all(&buf[..n])?;
            left -= n as u64;
        }
        self.pad(e.size)
    }

    fn pad(&mut self, size: u64) -> io::Result<()> {
        let rem = (size % BLOCK as u64) as usize;
        if rem != 0 {
            self.w.write_all(&[0u8; BLOCK][..BLOCK - rem])?;
        }
        Ok(())
    }

    /// The two zero blocks that end an archive; returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.w.write_all(&[0u8; BLOCK * 2])?;
        self.w.flush()?;
        Ok(self.w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_matches_go() {
        // Captured from `docker save` (Docker 20.10.24): a VERSION file of 3 bytes at 2000-01-01.
        let h = header(&Entry {
            name: "4257a7cfa2bdd3ffe70ba994a3c0db4e93d4e22b89fa39c04ac81f7144d8e63e/VERSION",
            kind: Kind::File,
            perm: 0o644,
            size: 3,
            mtime: 946_684_800,
            link: "",
        })
        .unwrap();
        assert_eq!(&h[100..108], b"0100644\0");
        assert_eq!(&h[124..136], b"00000000003\0");
        assert_eq!(&h[136..148], b"07033241600\0");
        assert_eq!(&h[148..156], b"023356\0 ");
        assert_eq!(&h[329..345], b"0000000\x000000000\x00");
    }
}
