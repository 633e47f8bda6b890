//! Character encodings: byte-order marks, UTF-16 without a BOM, UTF-8 checked record by record
//! with a legacy fallback, and detection of legacy encodings (chardetng, as in Firefox).

use std::borrow::Cow;
use std::io::{self, Read};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How a file's bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileEncoding {
    /// UTF-8 (a BOM, if present, is skipped). Records that are not valid UTF-8 are decoded one
    /// by one with `fallback`, and each such record gets a diagnostic.
    Utf8 {
        bom: bool,
        fallback: &'static Encoding,
    },
    /// Another encoding for the whole file (UTF-16, Windows-1251, ...): transcoded to UTF-8
    /// while streaming.
    Other {
        encoding: &'static Encoding,
        bom: bool,
        detected: bool,
    },
}

impl FileEncoding {
    pub fn name(&self) -> String {
        match self {
            FileEncoding::Utf8 { bom: true, .. } => "UTF-8 (BOM)".into(),
            FileEncoding::Utf8 { .. } => "UTF-8".into(),
            FileEncoding::Other {
                encoding,
                bom,
                detected,
            } => format!(
                "{}{}",
                encoding.name(),
                if *bom {
                    " (BOM)"
                } else if *detected {
                    " (detected)"
                } else {
                    ""
                }
            ),
        }
    }
}

/// Looks at the first bytes of a file (`complete` when `sample` is the whole file).
pub fn sniff(sample: &[u8], complete: bool) -> FileEncoding {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return FileEncoding::Utf8 {
            bom: true,
            fallback: legacy_guess(&sample[3..], complete),
        };
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return FileEncoding::Other {
            encoding: UTF_16LE,
            bom: true,
            detected: false,
        };
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return FileEncoding::Other {
            encoding: UTF_16BE,
            bom: true,
            detected: false,
        };
    }
    if let Some(enc) = utf16_without_bom(sample) {
        return FileEncoding::Other {
            encoding: enc,
            bom: false,
            detected: true,
        };
    }
    if is_utf8_prefix(sample, complete) {
        return FileEncoding::Utf8 {
            bom: false,
            fallback: WINDOWS_1252,
        };
    }
    // Mostly UTF-8 with a few stray bytes (a Latin-1 byte in an otherwise UTF-8 file) is read
    // as UTF-8 with the stray records decoded by the fallback. So is a file that mixes UTF-8
    // records with records in a single-byte legacy encoding, when a good share (a fifth or more)
    // of its non-ASCII bytes are UTF-8: each record is read in the encoding it is valid in
    // (a record of legacy text is practically never valid UTF-8 as a whole). Otherwise the whole
    // file is taken to be in the detected legacy encoding; multi-byte legacy encodings (GBK,
    // Shift_JIS...) always are, as their bytes may look like the delimiters records are cut at.
    let (good, bad) = utf8_evidence(sample);
    let whole = legacy_guess(sample, complete);
    // Strong UTF-8 evidence (one bad sequence for twenty good ones at most) keeps UTF-8 even
    // when the whole sample looks like a multi-byte legacy encoding; weaker evidence does only
    // against a single-byte one (GBK text holds many byte pairs that are valid UTF-8).
    if good > 0 && (whole.is_single_byte() || bad * 20 <= good) {
        // What the bytes that are not UTF-8 are in, judged on those bytes alone.
        let stray = legacy_guess(&without_utf8(sample), complete);
        if bad * 20 <= good || (stray.is_single_byte() && bad <= good * 4) {
            return FileEncoding::Utf8 {
                bom: false,
                fallback: stray,
            };
        }
    }
    FileEncoding::Other {
        encoding: whole,
        bom: false,
        detected: true,
    }
}

/// True when `s` is valid UTF-8, allowing a sequence cut off at the end of an incomplete sample.
fn is_utf8_prefix(s: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(s) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none(),
    }
}

/// How many non-ASCII bytes of `s` are in well-formed UTF-8 sequences, and how many are not.
fn utf8_evidence(s: &[u8]) -> (usize, usize) {
    let mut good = 0usize;
    let mut bad = 0usize;
    let mut rest = s;
    loop {
        match std::str::from_utf8(rest) {
            Ok(v) => {
                good += v.bytes().filter(|b| *b >= 0x80).count();
                break;
            }
            Err(e) => {
                let (ok, tail) = rest.split_at(e.valid_up_to());
                good += ok.iter().filter(|b| **b >= 0x80).count();
                let skip = e.error_len().unwrap_or(tail.len()).max(1);
                bad += skip;
                rest = &tail[skip.min(tail.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    (good, bad)
}

/// `s` without its well-formed multi-byte UTF-8 sequences: ASCII and the stray bytes.
fn without_utf8(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    loop {
        match std::str::from_utf8(rest) {
            Ok(v) => {
                out.extend(v.bytes().filter(u8::is_ascii));
                return out;
            }
            Err(e) => {
                let (ok, tail) = rest.split_at(e.valid_up_to());
                out.extend(ok.iter().filter(|b| b.is_ascii()));
                let skip = e.error_len().unwrap_or(tail.len()).max(1).min(tail.len());
                out.extend(&tail[..skip]);
                rest = &tail[skip..];
                if rest.is_empty() {
                    return out;
                }
            }
        }
    }
}

/// Below this many non-ASCII bytes, a detector's guess is noise (one `0xA3` could be `£` or
/// `Ł`); the Western default, Windows-1252, is then the honest choice.
const MIN_EVIDENCE: usize = 16;

fn legacy_guess(sample: &[u8], complete: bool) -> &'static Encoding {
    if sample.iter().filter(|b| **b >= 0x80).count() < MIN_EVIDENCE {
        return WINDOWS_1252;
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(sample, complete);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    if enc == UTF_8 {
        WINDOWS_1252
    } else {
        enc
    }
}

/// How much of a sample the UTF-16 check looks at.
const UTF16_SAMPLE: usize = 64 * 1024;

/// UTF-16 without a BOM, in either byte order and in any script. Letters tell little: Cyrillic
/// has 0x04 as its high byte, Persian 0x06, Chinese ideographs dozens of values, and Latin text
/// read in pairs looks like CJK ideographs. But every script's text holds ASCII whitespace —
/// newlines, spaces, the tabs and line ends of CSV and JSON — which UTF-16 writes `0A 00`,
/// `20 00` (little-endian) or `00 0A`, `00 20` (big-endian), and 8-bit text (UTF-8, the legacy
/// encodings) never holds a NUL byte. So the order whose code units include whitespace (two at
/// least, and four times as many as the other order's) is the encoding, provided the units it
/// decodes to are text: at most 1% control characters, NULs, unpaired surrogates, private-use
/// characters or noncharacters (UTF-32, binary data and legacy 8-bit text read in pairs fail
/// there), not valid UTF-8 with multi-byte sequences, and at most half of them pairs of ASCII
/// bytes (8-bit text with a stray NUL after a space is nearly all such pairs; real UTF-16 has
/// none in alphabetic scripts and about a fifth in Chinese).
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let n = sample.len().min(UTF16_SAMPLE) & !1;
    if n < 16 {
        return None;
    }
    let sample = &sample[..n];
    // Text in an 8-bit encoding holds no NUL byte.
    memchr::memchr(0, sample)?;
    // UTF-8 with multi-byte sequences (and a stray NUL) is UTF-8: UTF-16 text is practically
    // never valid UTF-8 unless all its bytes are ASCII (English, Cyrillic and Greek can be).
    if !sample.is_ascii() && is_utf8_prefix(sample, false) {
        return None;
    }
    let le = Utf16Evidence::of(sample, false);
    let be = Utf16Evidence::of(sample, true);
    let (best, other, enc) = if le.whitespace >= be.whitespace {
        (le, be, UTF_16LE)
    } else {
        (be, le, UTF_16BE)
    };
    let units = n / 2;
    (best.whitespace >= 2
        && best.whitespace >= 4 * other.whitespace
        && best.implausible * 100 <= units
        && best.ascii_pairs * 2 <= units)
        .then_some(enc)
}

/// What the code units of a sample read in one byte order look like.
#[derive(Debug, Clone, Copy)]
struct Utf16Evidence {
    /// Tabs, line ends and spaces.
    whitespace: usize,
    /// NULs and other control characters, unpaired surrogates, private use, noncharacters.
    implausible: usize,
    /// Units whose two bytes are both printable ASCII (or ASCII whitespace): 8-bit text read
    /// in pairs.
    ascii_pairs: usize,
}

impl Utf16Evidence {
    fn of(sample: &[u8], big_endian: bool) -> Self {
        let mut e = Utf16Evidence {
            whitespace: 0,
            implausible: 0,
            ascii_pairs: 0,
        };
        let texty = |b: u8| matches!(b, 0x09 | 0x0A | 0x0D | 0x20..=0x7E);
        let mut pending_high = false;
        for pair in sample.chunks_exact(2) {
            let u = if big_endian {
                u16::from_be_bytes([pair[0], pair[1]])
            } else {
                u16::from_le_bytes([pair[0], pair[1]])
            };
            if texty(pair[0]) && texty(pair[1]) {
                e.ascii_pairs += 1;
            }
            let low_surrogate = (0xDC00..0xE000).contains(&u);
            if pending_high && !low_surrogate {
                e.implausible += 1;
            }
            match u {
                0x09 | 0x0A | 0x0D | 0x20 => e.whitespace += 1,
                0x00..=0x1F | 0x7F..=0x9F | 0xE000..=0xF8FF | 0xFFFE | 0xFFFF => e.implausible += 1,
                0xDC00..=0xDFFF if !pending_high => e.implausible += 1,
                _ => {}
            }
            pending_high = (0xD800..0xDC00).contains(&u);
        }
        e
    }
}

/// A note when the encoding of `sample` (read as `enc`) is in doubt: it holds NUL bytes, which
/// text in an 8-bit encoding never does, yet it was not recognised as UTF-16. It may be UTF-16
/// the check could not confirm, UTF-32, or not text at all. A stray NUL or two is not doubt.
pub fn uncertain(sample: &[u8], enc: &FileEncoding) -> Option<String> {
    if matches!(enc, FileEncoding::Other { encoding, .. } if *encoding == UTF_16LE || *encoding == UTF_16BE)
    {
        return None;
    }
    let sample = &sample[..sample.len().min(UTF16_SAMPLE)];
    let nuls = memchr::memchr_iter(0, sample).count();
    (nuls >= 4 && nuls * 200 >= sample.len()).then(|| {
        format!(
            "the text holds NUL bytes ({nuls} in the first {}), so its encoding is uncertain: it may be UTF-16 or UTF-32 without a byte-order mark, or not text; read as {} — if the text looks wrong, save the file as UTF-8 and import it again",
            crate::readers::human_bytes(sample.len() as u64),
            enc.name()
        )
    })
}

/// Decodes one record's bytes: as UTF-8 when valid, else with `fallback`. Returns a note for the
/// diagnostic when the fallback was used.
pub fn decode_record<'a>(
    bytes: &'a [u8],
    fallback: &'static Encoding,
) -> (Cow<'a, str>, Option<String>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), None),
        Err(e) => {
            let at = e.valid_up_to();
            let (text, _, had_errors) = fallback.decode(bytes);
            let note = format!(
                "bytes that are not valid UTF-8 (first at byte {at} of the record, 0x{:02X}); read as {}{}",
                bytes[at],
                fallback.name(),
                if had_errors {
                    ", with undecodable bytes replaced by U+FFFD"
                } else {
                    ""
                }
            );
            (Cow::Owned(text.into_owned()), Some(note))
        }
    }
}

/// Decodes a whole small file (one article per file), returning the text and the encoding name.
pub fn decode_whole(bytes: &[u8]) -> (String, String, Option<String>) {
    let enc = sniff(bytes, true);
    let (text, name, note) = decode_as(bytes, enc);
    let note = match (note, uncertain(bytes, &enc)) {
        (Some(a), Some(b)) => Some(format!("{b}; {a}")),
        (a, b) => b.or(a),
    };
    (text, name, note)
}

fn decode_as(bytes: &[u8], enc: FileEncoding) -> (String, String, Option<String>) {
    match enc {
        FileEncoding::Utf8 { bom, fallback } => {
            let body = if bom { &bytes[3..] } else { bytes };
            match std::str::from_utf8(body) {
                Ok(s) => (s.to_string(), enc.name(), None),
                Err(_) => {
                    let (text, note) = decode_record(body, fallback);
                    (text.into_owned(), enc.name(), note)
                }
            }
        }
        FileEncoding::Other { encoding, .. } => {
            let (text, _, had_errors) = encoding.decode(bytes);
            let note = had_errors.then(|| {
                format!(
                    "bytes not valid in {} were replaced by U+FFFD",
                    encoding.name()
                )
            });
            (text.into_owned(), enc.name(), note)
        }
    }
}

/// A reader that transcodes a byte stream from `encoding` into UTF-8.
pub struct TranscodingReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    inbuf: Vec<u8>,
    in_start: usize,
    in_end: usize,
    outbuf: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    /// The decoder has been flushed at the end of the input.
    flushed: bool,
    /// Set when undecodable bytes were replaced.
    pub had_errors: bool,
}

impl<R: Read> TranscodingReader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        TranscodingReader {
            inner,
            // BOM handling is ours (sniff); the decoder strips a BOM of its own encoding.
            decoder: encoding.new_decoder_with_bom_removal(),
            inbuf: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            outbuf: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            flushed: false,
            had_errors: false,
        }
    }
}

impl<R: Read> Read for TranscodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = (self.out_end - self.out_start).min(buf.len());
                buf[..n].copy_from_slice(&self.outbuf[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.eof && self.in_start == self.in_end {
                if self.flushed {
                    return Ok(0);
                }
                // Flush the decoder once: a decoder that has finished must never be used again,
                // even when the flush wrote something (a sequence cut off by the end of the
                // file becomes U+FFFD) and the caller reads on after it.
                let (_, _, written, errs) =
                    self.decoder.decode_to_utf8(&[], &mut self.outbuf, true);
                self.flushed = true;
                self.had_errors |= errs;
                if written == 0 {
                    return Ok(0);
                }
                self.out_start = 0;
                self.out_end = written;
                continue;
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.inbuf)?;
                self.in_start = 0;
                self.in_end = n;
                if n == 0 {
                    self.eof = true;
                    continue;
                }
            }
            let (_, read, written, errs) = self.decoder.decode_to_utf8(
                &self.inbuf[self.in_start..self.in_end],
                &mut self.outbuf,
                false,
            );
            self.had_errors |= errs;
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_utf16() {
        assert_eq!(sniff(b"\xEF\xBB\xBFhello", true).name(), "UTF-8 (BOM)");
        let le: Vec<u8> = "hello world, this is text"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff(&le, true).name(), "UTF-16LE (detected)");
        let be: Vec<u8> = "hello world, this is text"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(sniff(&be, true).name(), "UTF-16BE (detected)");
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&le);
        let (text, name, note) = decode_whole(&with_bom);
        assert_eq!(text, "hello world, this is text");
        assert_eq!(name, "UTF-16LE (BOM)");
        assert!(note.is_none());
    }

    #[test]
    fn windows_1251_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("Министр обороны России заявил, что Москва перевооружает армию Киргизии.");
        let (text, name, _) = decode_whole(&bytes);
        assert!(text.starts_with("Министр обороны"), "{text}");
        assert_eq!(name, "windows-1251 (detected)");
    }

    #[test]
    fn a_stray_latin1_byte_in_utf8_is_decoded_with_a_note() {
        // As in bbc_news sport/199.txt: a raw 0xA3 pound sign.
        let bytes = b"Price \xA3100 million";
        let (text, _, note) = decode_whole(bytes);
        assert_eq!(text, "Price \u{a3}100 million");
        assert!(note.is_none() || note.unwrap().contains("windows-1252"));
        let mixed = "Привет мир, это тест. ".repeat(5) + "caf\u{e9}";
        let mut b = mixed.into_bytes();
        b.extend(b" na\xEFve");
        let (rec, note) = decode_record(&b, WINDOWS_1252);
        assert!(rec.ends_with("naïve"));
        assert!(note.unwrap().contains("0xEF"));
    }

    /// A file mixing UTF-8 records with Windows-1251 ones is read record by record, each in
    /// the encoding it is valid in; a file of Windows-1251 whose text happens to hold a few
    /// valid UTF-8 pairs (`«НАТО»` is `CE BB` in places) is still read as Windows-1251.
    #[test]
    fn mixed_utf8_and_legacy_records_are_read_record_by_record() {
        let mut mixed = Vec::new();
        for i in 0..4 {
            mixed.extend(format!("Кыргызстан и Москва {i}\n").into_bytes());
            let line = format!("Москва и Бишкек {i}\n");
            let (cp, _, _) = WINDOWS_1251_FOR_TESTS.encode(&line);
            mixed.extend(cp.iter());
        }
        match sniff(&mixed, true) {
            FileEncoding::Utf8 { fallback, .. } => assert_eq!(fallback, WINDOWS_1251_FOR_TESTS),
            other => panic!("{other:?}"),
        }
        let text = "Генсек «НАТО» заявил, что Пётр и «ОДКБ» обсудили безопасность. ".repeat(20);
        let (cp, _, _) = WINDOWS_1251_FOR_TESTS.encode(&text);
        assert_eq!(sniff(&cp, true).name(), "windows-1251 (detected)");
    }

    /// Found by the `json` and `csv` fuzz targets (fuzz/regressions/{json,csv}/
    /// decoder-used-after-finishing): a legacy-encoded file ending in the middle of a sequence
    /// made the flush write U+FFFD, and the next read flushed the finished decoder again, which
    /// panics inside encoding_rs: an import of such a CSV or JSON file crashed.
    #[test]
    fn transcoding_reader_reads_past_a_sequence_cut_off_at_the_end() {
        for (enc, bytes) in [
            (encoding_rs::UTF_16LE, &b"h\0i\0!"[..]),
            (encoding_rs::SHIFT_JIS, &b"abc\x82"[..]),
            (encoding_rs::GBK, &b"x\xD6"[..]),
        ] {
            let mut r = TranscodingReader::new(bytes, enc);
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            assert!(s.ends_with('\u{FFFD}'), "{s:?}");
            let mut more = [0u8; 16];
            assert_eq!(r.read(&mut more).unwrap(), 0);
            assert_eq!(r.read(&mut more).unwrap(), 0);
            assert!(r.had_errors);
        }
    }

    /// News-like paragraphs in the scripts the UTF-16 tests use, with a language label.
    const SCRIPTS: [(&str, &str); 5] = [
        ("ru", "Министр обороны России заявил, что Москва перевооружает армию Киргизии.\nПо его словам, ситуация в Афганистане ухудшается из-за появления там боевиков «Исламского государства».\n"),
        ("fa", "وزیر امور خارجه ایران روز سه‌شنبه در سفر به مسکو با همتای روس خود دیدار کرد.\nدو طرف درباره امنیت منطقه و همکاری‌های اقتصادی گفت‌وگو کردند.\n"),
        ("el", "Ο υπουργός Εξωτερικών της Ελλάδας συναντήθηκε με τον Ρώσο ομόλογό του στη Μόσχα.\nΟι δύο πλευρές συζήτησαν την ασφάλεια στην περιοχή.\n"),
        ("zh", "国务院总理李克强20日在北京主持召开国务院常务会议，部署进一步推进简政放权、放管结合。\n会议指出，今年以来各地区各部门认真落实党中央、国务院决策部署，经济运行保持在合理区间。\n会议要求，继续做好稳就业工作。\n"),
        ("en", "The defence minister said Moscow was re-equipping the Kyrgyz army.\nThe situation in Afghanistan is worsening, he said.\n"),
    ];

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    /// Issue 19, item 7: UTF-16LE without a byte-order mark was recognised by its NUL bytes
    /// only when most characters were ASCII, so Cyrillic (high byte 0x04) and other scripts
    /// were decoded as garbage without a word. UTF-16 in either byte order is recognised in
    /// every script by its ASCII whitespace (`0A 00`, `20 00`), whatever the letters.
    #[test]
    fn utf16_without_a_bom_is_detected_in_any_script() {
        for (lang, text) in SCRIPTS {
            for (big, name) in [
                (false, "UTF-16LE (detected)"),
                (true, "UTF-16BE (detected)"),
            ] {
                for sample in [
                    text.to_string(),
                    format!("id,title,text\n1,{lang},\"{text}\"\n"),
                ] {
                    let bytes = utf16(&sample, big);
                    assert_eq!(sniff(&bytes, true).name(), name, "{lang} {sample:?}");
                    let (decoded, enc, note) = decode_whole(&bytes);
                    assert_eq!(
                        (decoded.as_str(), enc.as_str(), note),
                        (sample.as_str(), name, None)
                    );
                    // An incomplete sample cut at an odd byte, as a file's first 64 KB may be.
                    let cut = &bytes[..bytes.len() - 3];
                    assert_eq!(sniff(cut, false).name(), name, "{lang} cut");
                }
            }
        }
    }

    /// UTF-8 in every script, Windows-1251 and Latin-1 hold no NUL byte, so they are never
    /// taken for UTF-16 (read as UTF-16, Latin letters in pairs look like CJK ideographs).
    #[test]
    fn legacy_and_utf8_texts_are_not_taken_for_utf16() {
        for (lang, text) in SCRIPTS {
            assert_eq!(sniff(text.as_bytes(), true).name(), "UTF-8", "{lang}");
        }
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(SCRIPTS[0].1);
        assert_eq!(sniff(&cp1251, true).name(), "windows-1251 (detected)");
        let (latin1, _, _) = WINDOWS_1252
            .encode("Le ministre a déclaré à la presse qu'il était très préoccupé par la sécurité régionale et la hausse des prix à Paris.\n");
        assert_eq!(sniff(&latin1, true).name(), "windows-1252 (detected)");
    }

    /// Found while testing UTF-16: GBK text has many byte pairs that happen to be valid UTF-8
    /// (a lead byte 0xC2–0xDF before a trail byte 0x80–0xBF), so a Chinese GBK file was taken
    /// for UTF-8 mixed with a few Windows-1252 records, and every record read as Western
    /// garbage. A sample the detector judges to be a multi-byte legacy encoding as a whole is
    /// read in it.
    #[test]
    fn gbk_chinese_is_not_read_as_utf8_with_a_western_fallback() {
        let (gbk, _, _) = encoding_rs::GBK.encode(SCRIPTS[3].1);
        assert_eq!(sniff(&gbk, true).name(), "GBK (detected)");
        let (text, _, note) = decode_whole(&gbk);
        assert_eq!((text.as_str(), note), (SCRIPTS[3].1, None));
    }

    /// Found by the command-level hostile test's files: 8-bit text with a stray NUL after a space
    /// (`Raw NUL \x00 here`) read as UTF-16 once one whitespace unit was enough. Stray NULs in
    /// ASCII, UTF-8 Cyrillic, Windows-1251 or Latin-1 text are never UTF-16, whatever their
    /// parity.
    #[test]
    fn stray_nuls_in_8bit_text_are_not_utf16() {
        let mut jsonl = Vec::new();
        jsonl.extend(b"{\"title\":\"Raw NUL \x00 here\",\"text\":\"five\"}\n");
        for i in 0..5 {
            jsonl.extend(
                format!("{{\"title\":\"Кыргызстан и Таджикистан {i}\",\"text\":\"текст\"}}\n")
                    .bytes(),
            );
        }
        let nul_txt = b"NUL title\n\nA body\x00 with NUL\x00 bytes in it.".to_vec();
        let legacy = |enc: &'static Encoding, text: &str| {
            let (b, _, _) = enc.encode(text);
            let mut v = b"Raw NUL \x00 here \x00 and ".to_vec();
            v.extend(b.iter());
            v
        };
        let cp1251 = legacy(encoding_rs::WINDOWS_1251, SCRIPTS[0].1);
        let latin1 = legacy(
            WINDOWS_1252,
            "Le ministre a déclaré à la presse qu'il était très préoccupé.\n",
        );
        for base in [jsonl, nul_txt, cp1251, latin1] {
            // Every parity for the NULs: with and without a byte before.
            for pad in [&b""[..], b" ", b"  ", b"x \x00 "] {
                let mut b = pad.to_vec();
                b.extend(&base);
                let name = sniff(&b, true).name();
                assert!(
                    !name.starts_with("UTF-16"),
                    "{name}: {:?}",
                    String::from_utf8_lossy(&b)
                );
            }
        }
    }

    /// NUL bytes that do not make UTF-16 (UTF-32, or binary mixed into text) leave the encoding
    /// uncertain, and the reading says so rather than storing garbage without a word.
    #[test]
    fn nul_bytes_that_are_not_utf16_make_the_encoding_uncertain() {
        let utf32: Vec<u8> = SCRIPTS[0]
            .1
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let enc = sniff(&utf32, true);
        let note = uncertain(&utf32, &enc).expect("a note for UTF-32");
        assert!(note.contains("UTF-32") && note.contains("NUL"), "{note}");
        let (_, _, note) = decode_whole(&utf32);
        assert!(note.is_some_and(|n| n.contains("UTF-32")));
        // A stray NUL or two in a text is not a reason for doubt.
        let text = b"NUL title\n\nA body\x00 with NUL\x00 bytes in it.";
        assert_eq!(uncertain(text, &sniff(text, true)), None);
        // Nor is UTF-16 that was recognised.
        let le = utf16(SCRIPTS[0].1, false);
        assert_eq!(uncertain(&le, &sniff(&le, true)), None);
    }

    const WINDOWS_1251_FOR_TESTS: &encoding_rs::Encoding = encoding_rs::WINDOWS_1251;

    #[test]
    fn transcoding_reader_streams() {
        let text = "Кыргызстан ".repeat(20_000);
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
        let mut r = TranscodingReader::new(&bytes[..], encoding_rs::WINDOWS_1251);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "Кыргызстан ".repeat(20_000));
        assert!(!r.had_errors);
    }
}
