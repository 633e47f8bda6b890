//! Hand-made zip archives for hostile-input tests: entries whose central-directory records all
//! point at one local entry (the overlapping-entry bomb), and entries with Unix modes (symbolic
//! links). Written byte by byte, because no zip writer makes such archives.

use std::io::Write;

/// One central-directory entry: its name, method (0 stored, 8 deflated), CRC, sizes, the
/// offset of the local header it points at (entries may share one), and a Unix mode for the
/// external attributes (`0o120777` is a symbolic link).
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: Vec<u8>,
    pub method: u16,
    pub crc: u32,
    pub compressed: u32,
    pub size: u32,
    pub offset: u32,
    pub unix_mode: Option<u32>,
}

/// CRC-32 as zip wants it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut h = flate2::Crc::new();
    h.update(data);
    h.sum()
}

/// Raw deflate, as inside a zip.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("deflating into memory");
    e.finish().expect("deflating into memory")
}

/// Appends a local file header for `e` (its data is appended by the caller).
pub fn local_header(out: &mut Vec<u8>, e: &Entry) {
    out.extend(0x04034b50u32.to_le_bytes());
    out.extend(20u16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(e.method.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(e.crc.to_le_bytes());
    out.extend(e.compressed.to_le_bytes());
    out.extend(e.size.to_le_bytes());
    out.extend((e.name.len() as u16).to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(&e.name);
}

/// Appends the central directory for `entries` and the end-of-central-directory record.
pub fn central_directory(out: &mut Vec<u8>, entries: &[Entry]) {
    let start = out.len() as u32;
    for e in entries {
        // Made by Unix (3) when a mode is given, so readers honour the external attributes.
        let made_by: u16 = if e.unix_mode.is_some() {
            3 << 8 | 20
        } else {
            20
        };
        out.extend(0x02014b50u32.to_le_bytes());
        out.extend(made_by.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(e.method.to_le_bytes());
        out.extend([0u8; 4]);
        out.extend(e.crc.to_le_bytes());
        out.extend(e.compressed.to_le_bytes());
        out.extend(e.size.to_le_bytes());
        out.extend((e.name.len() as u16).to_le_bytes());
        // Extra field length, comment length, disk number, internal attributes.
        out.extend([0u8; 8]);
        out.extend((e.unix_mode.unwrap_or(0) << 16).to_le_bytes());
        out.extend(e.offset.to_le_bytes());
        out.extend(&e.name);
    }
    let size = out.len() as u32 - start;
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
}

/// A zip of `(name, content, unix mode)` members, each stored once (deflated).
pub fn zip_of(members: &[(&[u8], &[u8], Option<u32>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut entries = Vec::new();
    for (name, content, mode) in members {
        let packed = deflate(content);
        let e = Entry {
            name: name.to_vec(),
            method: 8,
            crc: crc32(content),
            compressed: packed.len() as u32,
            size: content.len() as u32,
            offset: out.len() as u32,
            unix_mode: *mode,
        };
        local_header(&mut out, &e);
        out.extend(&packed);
        entries.push(e);
    }
    central_directory(&mut out, &entries);
    out
}

/// The overlapping-entry zip bomb (after David Fifield, "A better zip bomb"): `copies`
/// central-directory entries (`m0000.txt`, `m0001.txt`, …) that all point at one local entry
/// holding `body` deflated, so the archive is about the size of one compressed body and
/// unpacks to `copies` times the body.
pub fn overlapping_zip(body: &[u8], copies: usize) -> Vec<u8> {
    let packed = deflate(body);
    let first = Entry {
        name: b"m0000.txt".to_vec(),
        method: 8,
        crc: crc32(body),
        compressed: packed.len() as u32,
        size: body.len() as u32,
        offset: 0,
        unix_mode: None,
    };
    let mut out = Vec::new();
    local_header(&mut out, &first);
    out.extend(&packed);
    let entries: Vec<Entry> = (0..copies)
        .map(|i| Entry {
            name: format!("m{i:04}.txt").into_bytes(),
            ..first.clone()
        })
        .collect();
    central_directory(&mut out, &entries);
    out
}
