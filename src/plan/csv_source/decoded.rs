//! Stage `plan`: a text file in another encoding than UTF-8 (GB18030 from
//! Excel on Chinese Windows, UTF-16 from its "Unicode Text"), turned into
//! UTF-8 as it is read, so that the CSV reader and its line counts see UTF-8
//! text. A UTF-8 file passes through untouched (no copy, no check here: the
//! csv crate checks it), which keeps large actuals files as fast as before.

use std::io::Read;

/// How much of the file is decoded at a time.
const CHUNK: usize = 64 << 10;

/// Bytes that are not text in the file's encoding, raised as the I/O error
/// of [`Decoded::read`] so that the guard can name the line.
#[derive(Debug)]
pub(super) struct Undecodable;

impl std::fmt::Display for Undecodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bytes that are not text in the file's encoding")
    }
}

impl std::error::Error for Undecodable {}

/// Whether `e` is [`Decoded`]'s error for undecodable bytes.
pub(super) fn is_undecodable(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(<dyn std::error::Error + Send + Sync>::is::<Undecodable>)
}

/// The file's bytes as UTF-8: passed through, or decoded.
pub(super) struct Decoded<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    /// Bytes read and not yet decoded, from `raw_at` on.
    raw: Vec<u8>,
    raw_at: usize,
    /// Decoded bytes not yet passed on, from `out_at` on.
    out: Vec<u8>,
    out_at: usize,
    eof: bool,
    done: bool,
    /// Set at bytes that are not text in the encoding: reading fails from there.
    failed: bool,
}

impl<R: Read> Decoded<R> {
    /// `inner` as it is (UTF-8 text, or what the csv reader refuses).
    pub(super) fn plain(inner: R) -> Decoded<R> {
        Decoded::with(inner, None)
    }

    /// `inner` decoded from `encoding`: a BOM of that encoding is dropped.
    pub(super) fn decoding(inner: R, encoding: &'static encoding_rs::Encoding) -> Decoded<R> {
        Decoded::with(inner, Some(encoding.new_decoder_with_bom_removal()))
    }

    fn with(inner: R, decoder: Option<encoding_rs::Decoder>) -> Decoded<R> {
        Decoded {
            inner,
            decoder,
            raw: Vec::new(),
            raw_at: 0,
            out: Vec::new(),
            out_at: 0,
            eof: false,
            done: false,
            failed: false,
        }
    }

    /// Decodes the next piece into `out`; `false` when nothing is left.
    fn fill(&mut self) -> std::io::Result<bool> {
        let Some(decoder) = self.decoder.as_mut() else { return Ok(false) };
        loop {
            if self.failed {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, Undecodable));
            }
            if self.done {
                return Ok(false);
            }
            if self.raw_at == self.raw.len() && !self.eof {
                self.raw.clear();
                self.raw_at = 0;
                self.raw.resize(CHUNK, 0);
                let n = loop {
                    match self.inner.read(&mut self.raw) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        other => break other?,
                    }
                };
                self.raw.truncate(n);
                self.eof = n == 0;
            }
            let src = &self.raw[self.raw_at..];
            self.out.clear();
            self.out_at = 0;
            self.out.resize(decoder.max_utf8_buffer_length_without_replacement(src.len()).unwrap_or(CHUNK * 3), 0);
            let (result, read, written) = decoder.decode_to_utf8_without_replacement(src, &mut self.out, self.eof);
            self.raw_at += read;
            self.out.truncate(written);
            if let encoding_rs::DecoderResult::Malformed(..) = result {
                // What was decoded before the bad bytes is passed on first;
                // the next read fails.
                self.done = true;
                self.failed = true;
                return Ok(written > 0);
            }
            if written > 0 {
                return Ok(true);
            }
            if self.eof && matches!(result, encoding_rs::DecoderResult::InputEmpty) {
                self.done = true;
                return Ok(false);
            }
        }
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.decoder.is_none() {
            return self.inner.read(buf);
        }
        if self.out_at == self.out.len() && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> std::io::Result<String> {
        let mut text = String::new();
        Decoded::decoding(bytes, encoding).read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn text_in_another_encoding_comes_out_as_utf8() {
        let source = "name,region,weight\n张伟,华东,1\n".repeat(5000);
        let (gbk, _, bad) = encoding_rs::GB18030.encode(&source);
        assert!(!bad && gbk.len() < source.len());
        assert_eq!(decode(&gbk, encoding_rs::GB18030).unwrap(), source);
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(source.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16, encoding_rs::UTF_16LE).unwrap(), source);
    }

    #[test]
    fn bytes_that_are_not_text_fail_after_the_text_before_them() {
        let mut bytes = b"date,sales\n".to_vec();
        bytes.extend_from_slice(&[0x81, 0x20]);
        let mut text = Vec::new();
        let e = Decoded::decoding(bytes.as_slice(), encoding_rs::GB18030).read_to_end(&mut text).unwrap_err();
        assert!(is_undecodable(&e));
        assert_eq!(text, b"date,sales\n");
    }
}
