//! The "trivial writer" yardstick of README "Performance": how long a
//! program that does nothing but format and write a decompose CSV takes.
//!
//! ```text
//! cargo run --release --example format_bytes -- IN.csv OUT.csv
//! ```
//!
//! It reads `IN.csv` (a `salesplit decompose --format csv` output whose last
//! column is the amount) into memory first, untimed: each row's text
//! fields, and the amount as whole rounding units (cents) in an integer.
//! Dates (`YYYY-MM-DD`) are kept as numbers too. Then, timed, it formats
//! every row back (members as they are, dates and the amount from their
//! numbers) and writes it through a buffer, as salesplit's CSV writer does.
//! `OUT.csv` must come out byte for byte the same as `IN.csv`; it says so.

use std::io::Write as _;
use std::time::Instant;

/// A field of a row: text, a date, or the amount in units.
enum Field {
    Text(String),
    Date(u16, u8, u8),
    Units(i128, u32),
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: format_bytes IN.csv OUT.csv");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(input).expect("IN.csv reads as UTF-8");
    let mut lines = text.lines();
    let header = lines.next().expect("a header").to_string();
    let rows: Vec<Vec<Field>> = lines.map(fields).collect();
    drop(text);

    let start = Instant::now();
    let file = std::fs::File::create(output).expect("OUT.csv can be written");
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    writeln!(out, "{header}").expect("write");
    let mut line = Vec::with_capacity(256);
    for row in &rows {
        line.clear();
        for (i, field) in row.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            match field {
                Field::Text(s) => line.extend_from_slice(s.as_bytes()),
                Field::Date(y, m, d) => write!(line, "{y:04}-{m:02}-{d:02}").expect("write"),
                Field::Units(units, decimals) => units_text(&mut line, *units, *decimals),
            }
        }
        line.push(b'\n');
        out.write_all(&line).expect("write");
    }
    out.flush().expect("write");
    let took = start.elapsed();
    let same = std::fs::read(input).expect("read") == std::fs::read(output).expect("read");
    println!(
        "{} rows formatted and written in {:.2} s ({})",
        rows.len(),
        took.as_secs_f64(),
        if same { "the same bytes" } else { "NOT the same bytes" }
    );
}

/// A line's fields: dates and the last (the amount) as numbers.
fn fields(line: &str) -> Vec<Field> {
    let parts: Vec<&str> = line.split(',').collect();
    let last = parts.len() - 1;
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i == last {
                let (whole, cents) = part.split_once('.').unwrap_or((part, ""));
                let decimals = u32::try_from(cents.len()).expect("a few decimals");
                let whole: i128 = whole.parse().expect("an amount");
                let cents: i128 = if cents.is_empty() { 0 } else { cents.parse().expect("an amount") };
                return Field::Units(whole * 10i128.pow(decimals) + cents, decimals);
            }
            let b = part.as_bytes();
            if b.len() == 10 && b[4] == b'-' && b[7] == b'-' && part[..4].parse::<u16>().is_ok() {
                if let (Ok(y), Ok(m), Ok(d)) = (part[..4].parse(), part[5..7].parse(), part[8..].parse()) {
                    return Field::Date(y, m, d);
                }
            }
            Field::Text((*part).to_string())
        })
        .collect()
}

/// `units` over 10^`decimals`, written with that many decimals.
fn units_text(out: &mut Vec<u8>, units: i128, decimals: u32) {
    if decimals == 0 {
        write!(out, "{units}").expect("write");
        return;
    }
    let scale = 10i128.pow(decimals);
    let width = decimals as usize;
    write!(out, "{}.{:0width$}", units / scale, units % scale).expect("write");
}
