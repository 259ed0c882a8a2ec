//! Stage `plan`: reading a plan file's text, bounded. A plan is a short
//! TOML file; whatever is named as one — `/dev/zero`, `/dev/urandom`, a
//! FIFO fed forever, a directory, a 1 GB export — is refused with a clear
//! message after reading at most [`MAX_PLAN_BYTES`] (16 MiB), never by
//! running out of memory.

use std::io::Read;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// The largest plan salesplit reads: 16 MiB. Reading a plan costs about
/// 1 KB of memory per member written inline (its TOML entry, its name,
/// weight and place for messages, its org leaf), measured: 1,200,000 SKUs
/// in 18 MB took 1.2 GB. At 16 MiB a run stays near 1 GB, while a real plan
/// is kilobytes — 50,000 SKUs with long Chinese names are about 2 MB, and
/// long lists of people belong in a roster CSV. Anything longer is not a
/// plan (a device, a stream, a data export named by mistake) and is refused
/// having read at most this much.
pub const MAX_PLAN_BYTES: usize = 16 * 1024 * 1024;

/// Bytes read at a time: validating UTF-8 as they come stops binary input
/// (`/dev/urandom`) at its first bad byte rather than after 16 MiB.
const CHUNK: usize = 64 * 1024;

/// The text of the plan at `path`: UTF-8, at most [`MAX_PLAN_BYTES`].
pub(super) fn read(path: &Path) -> Result<String> {
    let file = path.display().to_string();
    let refuse = |d: Diagnostic| Error::invalid(d.at(Location::file(&file)));
    let io = |source: std::io::Error| Error::Io { path: path.to_path_buf(), action: "read", source };
    // A directory opens on Unix but fails on the first read with a bare OS error: say what it is.
    if path.is_dir() {
        // Point at a real plan in the folder when there is one.
        let mut plans: Vec<String> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.display().to_string())
            .collect();
        plans.sort();
        let help = match plans.first() {
            Some(plan) => format!("name the plan's .toml file, e.g. `{plan}`"),
            None => format!("name the plan's .toml file; {file} holds none"),
        };
        return Err(refuse(Diagnostic::new(Code::NotAFile, format!("{file} is a folder, not a plan file")).help(help)));
    }
    let too_large = |size: String| {
        refuse(
            Diagnostic::new(Code::FileTooLarge, format!("{file} is {size}: too large to be a plan, which is at most 16 MB"))
                .note("a plan is a short TOML file: even 50,000 members written inline take about 2 MB")
                .help("check that this is the plan file you mean; put long lists of people in a roster CSV (`roster = \"reps.csv\"`)"),
        )
    };
    let handle = std::fs::File::open(path).map_err(io)?;
    if let Ok(meta) = handle.metadata() {
        if meta.is_file() && meta.len() > MAX_PLAN_BYTES as u64 {
            let mb = crate::plan::thousands(rust_decimal::Decimal::from(meta.len() / 1_000_000));
            return Err(too_large(format!("{mb} MB")));
        }
    }
    // Devices and pipes have no size: read them in chunks, up to one byte past the bound.
    let mut input = handle.take(MAX_PLAN_BYTES as u64 + 1);
    let mut bytes: Vec<u8> = Vec::new();
    let mut valid = 0;
    loop {
        let start = bytes.len();
        bytes.resize(start + CHUNK, 0);
        let n = match input.read(&mut bytes[start..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => 0,
            Err(e) => return Err(io(e)),
        };
        bytes.truncate(start + n);
        if bytes.len() > MAX_PLAN_BYTES {
            return Err(too_large("longer than 16 MB".to_string()));
        }
        match std::str::from_utf8(&bytes[valid..]) {
            Ok(_) => valid = bytes.len(),
            // A character cut at the end of the chunk is completed by the next one.
            Err(e) if e.error_len().is_none() && n > 0 => valid += e.valid_up_to(),
            Err(e) => {
                let at = valid + e.valid_up_to();
                let line = bytes[..at].split(|b| *b == b'\n').count();
                return Err(refuse(
                    Diagnostic::new(Code::NotUtf8, "the plan is not UTF-8 text")
                        .note(format!("the first byte that is not UTF-8 is on line {line}"))
                        .help("save the file as UTF-8 (in Excel or WPS: Save As, then choose UTF-8); a plan is a TOML text file"),
                ));
            }
        }
        if n == 0 {
            break;
        }
    }
    String::from_utf8(bytes).map_err(|_| {
        refuse(Diagnostic::new(Code::NotUtf8, "the plan is not UTF-8 text").help("save the file as UTF-8"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_plan_and_refuses_what_is_not_one() {
        let dir = tempfile::TempDir::new().unwrap();
        let plan = dir.path().join("plan.toml");
        // A CJK character cut by the chunk boundary is read whole.
        let text = format!("{}\nname = \"华东\"\n", "#".repeat(CHUNK - 1));
        std::fs::write(&plan, &text).unwrap();
        assert_eq!(read(&plan).unwrap(), text);
        let shown = |e: Error| e.to_string();
        assert!(shown(read(dir.path()).unwrap_err()).contains("is a folder, not a plan file"));
        std::fs::write(&plan, b"[plan]\nname = \"\xff\"\n").unwrap();
        let e = shown(read(&plan).unwrap_err());
        assert!(e.contains("the plan is not UTF-8 text") && e.contains("on line 2"), "{e}");
        let big = std::fs::File::create(&plan).unwrap();
        big.set_len(MAX_PLAN_BYTES as u64 + 1).unwrap();
        assert!(shown(read(&plan).unwrap_err()).contains("too large to be a plan"));
    }
}
