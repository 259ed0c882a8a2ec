//! Stage `plan`: how the user says an input file is to be read when it is
//! not found from the file itself — the sheet of a workbook, the encoding of
//! a text file, its delimiter. The plan's `sheet`, `encoding` and
//! `delimiter` keys next to a file, and `track --sheet/--encoding/--delimiter`,
//! give one; [`ReadAs::default`] finds all three from the file.

/// How to read one input file; every field `None` is found from the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadAs {
    /// The sheet of a workbook to read (default: the first one).
    pub sheet: Option<String>,
    /// The text's encoding (default: UTF-8, else GB18030 when the file's
    /// start is not UTF-8 but is GB18030; UTF-16 when it starts with its BOM).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The byte between cells (default: `,`, or `;` or tab when the header has no comma but one of them).
    pub delimiter: Option<u8>,
}

/// The encodings salesplit reads, by the names users write (`gbk`, `utf-8`).
pub(crate) const ENCODING_NAMES: &str = "utf-8, gbk, gb18030, utf-16le, utf-16be";

/// The delimiters salesplit reads, as users write them.
pub(crate) const DELIMITER_NAMES: &str = "\",\", \";\", \"tab\" (or \"\\t\")";

impl ReadAs {
    /// The encoding named `label` (`gbk`, `GB18030`, `utf-8`, `utf-16le`), if
    /// salesplit reads it. GBK is read as GB18030, which contains it.
    pub fn encoding_named(label: &str) -> Option<&'static encoding_rs::Encoding> {
        let found = encoding_rs::Encoding::for_label_no_replacement(label.trim().as_bytes())?;
        let known =
            [encoding_rs::UTF_8, encoding_rs::GBK, encoding_rs::GB18030, encoding_rs::UTF_16LE, encoding_rs::UTF_16BE];
        // GBK's decoder is GB18030's: name it so in notes.
        known.contains(&found).then_some(if found == encoding_rs::GBK { encoding_rs::GB18030 } else { found })
    }

    /// The delimiter written `text` (`;`, `,`, `tab`, a tab character), if salesplit reads it.
    pub fn delimiter_named(text: &str) -> Option<u8> {
        match text {
            "," => Some(b','),
            ";" => Some(b';'),
            "\t" | "\\t" | "tab" | "TAB" | "Tab" => Some(b'\t'),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_users_write_are_known() {
        assert_eq!(ReadAs::encoding_named("gbk"), Some(encoding_rs::GB18030));
        assert_eq!(ReadAs::encoding_named(" GB2312 "), Some(encoding_rs::GB18030));
        assert_eq!(ReadAs::encoding_named("utf8"), Some(encoding_rs::UTF_8));
        assert_eq!(ReadAs::encoding_named("utf-16"), Some(encoding_rs::UTF_16LE));
        assert_eq!(ReadAs::encoding_named("shift_jis"), None);
        assert_eq!(ReadAs::encoding_named("latin9"), None);
        assert_eq!(ReadAs::delimiter_named("tab"), Some(b'\t'));
        assert_eq!(ReadAs::delimiter_named(";"), Some(b';'));
        assert_eq!(ReadAs::delimiter_named("::"), None);
    }
}
