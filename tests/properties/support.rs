//! Running the library and reading its outputs: a collecting sink, amount
//! checks, and a small JSON reader that keeps numbers as written.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplit::engine::{Cell, CellSink, Engine, Header, Value};

use super::model::Prec;

/// One cell as the library handed it over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub members: Vec<String>,
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub value: Decimal,
}

/// Everything a run passes to its sink.
#[derive(Debug, Default)]
pub struct Collect {
    pub header: Option<Header>,
    pub rows: Vec<Row>,
    pub totals: Option<Vec<Decimal>>,
    calls_after_finish: usize,
}

impl CellSink for Collect {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        assert!(self.header.is_none(), "begin called twice");
        self.header = Some(header.clone());
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        assert!(self.header.is_some(), "a cell before begin");
        if self.totals.is_some() {
            self.calls_after_finish += 1;
        }
        assert_eq!(cell.values.len(), 1, "one metric per plan");
        self.rows.push(Row {
            members: cell.members.iter().map(|m| m.to_string()).collect(),
            label: cell.period.label.clone(),
            start: cell.period.start,
            end: cell.period.end,
            value: cell.values[0].amount().expect("decompose cells are amounts"),
        });
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        assert!(self.totals.is_none(), "finish called twice");
        self.totals = Some(totals.iter().map(|v| v.amount().expect("decompose totals are amounts")).collect());
        Ok(())
    }
}

impl Collect {
    pub fn total(&self) -> Decimal {
        let totals = self.totals.as_ref().expect("finished");
        assert_eq!(totals.len(), 1, "one total per metric");
        totals[0]
    }
}

/// Runs `--by by --period period` through the library (no relative periods).
pub fn run(engine: &Engine<'_>, by: Option<&str>, period: Option<&str>) -> Result<Collect, String> {
    run_on(engine, by, period, NaiveDate::from_ymd_opt(1999, 1, 1).expect("a date"))
}

/// Runs `--by by --period period --today today` through the library.
pub fn run_on(
    engine: &Engine<'_>,
    by: Option<&str>,
    period: Option<&str>,
    today: NaiveDate,
) -> Result<Collect, String> {
    let breakdown =
        engine.breakdown_on(by, period, today).map_err(|e| format!("breakdown {by:?} {period:?} on {today}: {e}"))?;
    let mut sink = Collect::default();
    engine.run(&breakdown, &mut sink).map_err(|e| format!("run: {e}"))?;
    if sink.header.is_none() || sink.totals.is_none() || sink.calls_after_finish > 0 {
        return Err("the run did not call begin, cells, finish in order".to_string());
    }
    Ok(sink)
}

/// An amount as whole units of the precision, if it has exactly the
/// precision's decimals and is a non-negative multiple of it.
pub fn units(prec: Prec, d: Decimal) -> Result<u128, String> {
    if d.scale() != prec.decimals() || d.is_sign_negative() {
        return Err(format!("amount {d} does not have exactly {} decimals (or is negative)", prec.decimals()));
    }
    let m = d.mantissa() as u128;
    match prec {
        Prec::Hundred if m % 100 != 0 => Err(format!("amount {d} is not a multiple of 100")),
        Prec::Hundred => Ok(m / 100),
        _ => Ok(m),
    }
}

/// Whether `text` is an amount written with exactly the precision's decimals.
pub fn amount_text_ok(prec: Prec, text: &str) -> bool {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let whole_ok =
        !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && (whole == "0" || !whole.starts_with('0'));
    let frac_ok = match (prec, frac) {
        (Prec::Cent, Some(f)) => f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()),
        (Prec::Cent, None) => false,
        (_, Some(_)) => false,
        (Prec::One, None) => true,
        (Prec::Hundred, None) => whole == "0" || whole.ends_with("00"),
    };
    whole_ok && frac_ok
}

/// Rows grouped by member combination, in order of first appearance.
pub fn groups(rows: &[Row]) -> Vec<(Vec<String>, Vec<&Row>)> {
    let mut index: HashMap<&[String], usize> = HashMap::new();
    let mut out: Vec<(Vec<String>, Vec<&Row>)> = Vec::new();
    for r in rows {
        let i = *index.entry(&r.members).or_insert_with(|| {
            out.push((r.members.clone(), Vec::new()));
            out.len() - 1
        });
        out[i].1.push(r);
    }
    out
}

/// A JSON value with numbers kept as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn num(&self) -> Option<&str> {
        match self {
            J::Num(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses one JSON document (RFC 8259), keeping number text and key order.
pub fn parse_json(text: &str) -> Result<J, String> {
    let mut p = JsonParser { s: text.as_bytes(), i: 0 };
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("trailing text at byte {}", p.i));
    }
    Ok(v)
}

struct JsonParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Result<(), String> {
        self.ws();
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", b as char, self.i))
        }
    }

    fn value(&mut self) -> Result<J, String> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(J::Obj(items));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.eat(b':')?;
                    items.push((k, self.value()?));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(J::Obj(items));
                        }
                        _ => return Err(format!("expected , or }} at byte {}", self.i)),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(J::Arr(items));
                }
                loop {
                    items.push(self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(J::Arr(items));
                        }
                        _ => return Err(format!("expected , or ] at byte {}", self.i)),
                    }
                }
            }
            Some(b'"') => Ok(J::Str(self.string()?)),
            Some(b't') if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                Ok(J::Bool(true))
            }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                Ok(J::Bool(false))
            }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                Ok(J::Null)
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                while self.i < self.s.len() && matches!(self.s[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).expect("ascii").to_string();
                Ok(J::Num(t))
            }
            _ => Err(format!("unexpected input at byte {}", self.i)),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self.s.get(self.i..self.i + 4).ok_or("short \\u escape")?;
        self.i += 4;
        u32::from_str_radix(std::str::from_utf8(h).map_err(|e| e.to_string())?, 16).map_err(|e| e.to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err(format!("expected a string at byte {}", self.i));
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let b = *self.s.get(self.i).ok_or("unterminated string")?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or("unterminated escape")?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err("lone surrogate".to_string());
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or("bad \\u escape")?
                        }
                        _ => return Err(format!("bad escape at byte {}", self.i)),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                b if b < 0x20 => return Err("control character in a string".to_string()),
                b => out.push(b),
            }
        }
    }
}
