//! Stage `plan`: the language of a plan's human-facing labels
//! (`[plan] language`), or the one its member names are written in.

/// The language of the words people read around the figures (`Total` or
/// `合计`) in terminal tables and workbooks. CSV and JSON keep the contract's
/// names in every language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    /// English (`language = "en"`).
    #[default]
    En,
    /// Chinese (`language = "zh"`).
    Zh,
}

impl Language {
    /// The values `[plan] language` allows.
    pub const NAMES: [&'static str; 2] = ["en", "zh"];

    /// The language named `name` (`en`, `zh`).
    pub fn parse(name: &str) -> Option<Language> {
        match name {
            "en" => Some(Language::En),
            "zh" => Some(Language::Zh),
            _ => None,
        }
    }

    /// The language of a plan without `language`: Chinese when any of its
    /// member names has a CJK ideograph (`华东`, `张伟`), else English.
    pub fn detect<'a>(mut names: impl Iterator<Item = &'a str>) -> Language {
        if names.any(|n| n.chars().any(is_cjk)) {
            Language::Zh
        } else {
            Language::En
        }
    }
}

/// A CJK unified ideograph (the basic block, extension A, compatibility
/// ideographs, extensions B to F).
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2EBEF}')
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn a_cjk_member_name_means_chinese() {
        assert_eq!(Language::detect(["East", "华东"].into_iter()), Language::Zh);
        assert_eq!(Language::detect(["East", "Zoë", "A"].into_iter()), Language::En);
        assert_eq!(Language::detect(std::iter::empty()), Language::En);
        assert_eq!(Language::parse("zh"), Some(Language::Zh));
        assert_eq!(Language::parse("cn"), None);
    }
}
