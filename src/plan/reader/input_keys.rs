//! Stage `plan`: the keys that say how an input file named in the plan is
//! read, next to the key that names it: `sheet = "华东"` (a workbook's
//! sheet), `encoding = "gbk"` and `delimiter = ";"` (a text file's), as in
//! `roster = "reps.xlsx"`, `sheet = "华东"`. Each is found from the file
//! when not given.

use toml::de::DeTable;

use super::{get, Reader};
use crate::diagnostic::Code;
use crate::plan::csv_source::{ReadAs, DELIMITER_NAMES, ENCODING_NAMES};

/// The keys of a table that names an input file, besides the file's own.
pub(super) const INPUT_KEYS: [&str; 3] = ["sheet", "encoding", "delimiter"];

impl Reader<'_> {
    /// How table `t`'s file is to be read (`what` names that file's key in messages).
    pub(super) fn read_as(&mut self, t: &DeTable<'_>, what: &str) -> ReadAs {
        let mut read_as = ReadAs::default();
        if let Some((_, v)) = get(t, "sheet") {
            read_as.sheet = self.string(v, "sheet", "sheet = \"华东\"").map(str::to_string);
        }
        if let Some((_, v)) = get(t, "encoding") {
            if let Some(label) = self.string(v, "encoding", "encoding = \"gbk\"") {
                read_as.encoding = ReadAs::encoding_named(label);
                if read_as.encoding.is_none() {
                    self.error(
                        Code::UnknownTextFormat,
                        v.span(),
                        format!("the {what}'s encoding `{label}` is not one salesplit reads"),
                        format!(
                            "write one of: {ENCODING_NAMES}; or leave `encoding` out to have it found from the file"
                        ),
                    );
                }
            }
        }
        if let Some((_, v)) = get(t, "delimiter") {
            if let Some(text) = self.string(v, "delimiter", "delimiter = \";\"") {
                read_as.delimiter = ReadAs::delimiter_named(text);
                if read_as.delimiter.is_none() {
                    self.error(
                        Code::UnknownTextFormat,
                        v.span(),
                        format!("the {what}'s delimiter `{text}` is not one salesplit reads"),
                        format!("write one of: {DELIMITER_NAMES}; or leave `delimiter` out to have it found from the header"),
                    );
                }
            }
        }
        read_as
    }
}
