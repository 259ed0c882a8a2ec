//! Stage `plan`: the language of a plan's human-facing labels
//! (`[plan] language`). It is never guessed from the member names: one
//! Chinese name joining an English roster must not change a report's words.

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
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn only_the_written_names_are_languages() {
        assert_eq!(Language::parse("zh"), Some(Language::Zh));
        assert_eq!(Language::parse("en"), Some(Language::En));
        assert_eq!(Language::parse("cn"), None);
    }
}
