//! JSON as the binary wrote it, read with `serde_json`: numbers kept as
//! written (`serde_json` alone would read `200.00` as the float 200.0) and
//! object keys in the order written.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON value with numbers kept as written and object keys in the order
/// written (read by `serde_json`, through its raw values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub(crate) fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn num(&self) -> Option<&str> {
        match self {
            J::Num(s) => Some(s),
            _ => None,
        }
    }

    /// Every value of `key` at any depth, in the order written.
    pub(crate) fn all<'j>(&'j self, key: &str) -> Vec<&'j J> {
        let mut out = Vec::new();
        self.collect(key, &mut out);
        out
    }

    fn collect<'j>(&'j self, key: &str, out: &mut Vec<&'j J>) {
        match self {
            J::Obj(items) => {
                for (k, v) in items {
                    if k == key {
                        out.push(v);
                    }
                    v.collect(key, out);
                }
            }
            J::Arr(items) => items.iter().for_each(|v| v.collect(key, out)),
            _ => {}
        }
    }
}

/// Parses one JSON document (RFC 8259) with `serde_json`, keeping number text
/// and key order.
pub(crate) fn parse_json(text: &str) -> Result<J, String> {
    let raw: &RawValue = serde_json::from_str(text).map_err(|e| e.to_string())?;
    value(raw).map_err(|e| e.to_string())
}

/// One raw value as a [`J`]: a number is its text as written.
fn value(raw: &RawValue) -> serde_json::Result<J> {
    let text = raw.get().trim();
    Ok(match text.as_bytes().first() {
        Some(b'{') => {
            let Entries(items) = serde_json::from_str(text)?;
            J::Obj(items.into_iter().map(|(k, v)| Ok((k, value(v)?))).collect::<serde_json::Result<_>>()?)
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            J::Arr(items.into_iter().map(value).collect::<serde_json::Result<_>>()?)
        }
        Some(b'"') => J::Str(serde_json::from_str(text)?),
        _ => match serde_json::from_str::<serde_json::Value>(text)? {
            serde_json::Value::Null => J::Null,
            serde_json::Value::Bool(b) => J::Bool(b),
            _ => J::Num(text.to_string()),
        },
    })
}

/// An object's entries in the order written (a map would sort them).
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Visit<'a> {
            type Value = Entries<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Entries<'a>, M::Error> {
                let mut items = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    items.push(entry);
                }
                Ok(Entries(items))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}
