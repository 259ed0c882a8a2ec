//! Replays fuzz inputs and says how each ends, grouping panics by where
//! they happen: `cargo run --example triage -- <target> <file>...`.

use std::collections::BTreeMap;
use std::sync::Mutex;

static WHERE: Mutex<String> = Mutex::new(String::new());

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().expect("usage: triage <target> <file>...");
    let check = salesplit_fuzz::check(&target).expect("a target: plan, roster, actuals, baseline or holidays");
    std::panic::set_hook(Box::new(|info| {
        let mut at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        // A panic inside a dependency (a Decimal overflow): name salesplit's frame too.
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the crate").join("src");
        if !at.starts_with(&*src.to_string_lossy()) {
            let trace = std::backtrace::Backtrace::force_capture().to_string();
            if let Some(frame) =
                trace.lines().map(str::trim).find(|l| l.starts_with("at ") && l.contains(&*src.to_string_lossy()))
            {
                at = format!(
                    "{at} (from {})",
                    frame.trim_start_matches("at ").rsplit_once(':').map_or(frame, |(f, _)| f)
                );
            }
        }
        let why = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        // Group by place and the message's words (not its numbers and quotes).
        let words: String = why.lines().next().unwrap_or("").split('`').step_by(2).collect::<Vec<_>>().join("…");
        let mut words: String = words.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect();
        while words.contains("##") {
            words = words.replace("##", "#");
        }
        *WHERE.lock().unwrap() = format!("{at}: {words}");
    }));
    let mut groups: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for file in args {
        let data = std::fs::read(&file).expect("read an input");

        let outcome = std::panic::catch_unwind(|| check(&data));

        let key = match outcome {
            Ok(Ok(())) => "ok".to_string(),
            Ok(Err(m)) => format!("refused without `error[E`: {}", m.lines().nth(1).unwrap_or("")),
            Err(_) => format!("panic at {}", WHERE.lock().unwrap()),
        };
        groups.entry(key).or_default().push((data.len(), file));
    }
    for (key, mut files) in groups {
        files.sort();
        println!("{key}\n  {} input(s); smallest: {} ({} bytes)", files.len(), files[0].1, files[0].0);
    }
}
