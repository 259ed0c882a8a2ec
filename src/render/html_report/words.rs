//! Stage `render`: the words of the HTML report, in the plan's language
//! (`[plan] language`); split, level and column names come from [`Labels`].

use crate::plan::Language;
use crate::render::Labels;

/// The report's headings and sentences in one language.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Words {
    zh: bool,
    /// Split, level and column names.
    pub(crate) labels: Labels,
}

impl Words {
    /// The words of `language`.
    pub(crate) fn of(language: Language) -> Words {
        Words { zh: language == Language::Zh, labels: Labels::of(language) }
    }

    /// Picks the English or the Chinese text.
    pub(crate) fn pick<'t>(self, en: &'t str, zh: &'t str) -> &'t str {
        if self.zh {
            zh
        } else {
            en
        }
    }

    /// A name (split, level, column) as people read it.
    pub(crate) fn name(self, name: &str) -> String {
        self.labels.name(name)
    }

    /// A tracking column's name in a sentence: `Actual to date`, `实际（至今）`.
    pub(crate) fn column(self, name: &str) -> String {
        if self.zh {
            return self.name(name);
        }
        let mut words = name.replace('_', " ");
        if let Some(first) = words.get(..1) {
            words = first.to_uppercase() + &words[1..];
        }
        words
    }

    /// `by month` / `按月份`.
    pub(crate) fn by(self, level: &str) -> String {
        if self.zh {
            format!("按{}", self.name(level))
        } else {
            format!("by {level}")
        }
    }

    /// `Each region by month` / `各区域按月份`.
    pub(crate) fn each_by(self, split: &str, level: &str) -> String {
        if self.zh {
            format!("各{}{}", self.name(split), self.by(level))
        } else {
            format!("Each {split} {}", self.by(level))
        }
    }

    /// `in 万` / `单位：万`, for a figure shown in a display unit.
    pub(crate) fn in_unit(self, unit: &str, currency: &str) -> String {
        match (self.zh, currency.is_empty()) {
            (true, true) => format!("单位：{unit}"),
            (true, false) => format!("单位：{unit} {currency}"),
            (false, true) => format!("in {unit}"),
            (false, false) => format!("in {unit} {currency}"),
        }
    }

    /// A status word (`behind`, `on track`...) as people read it.
    pub(crate) fn status(self, word: &str) -> String {
        if !self.zh {
            return word.to_string();
        }
        match word {
            "ahead" => "超前",
            "on track" => "正常",
            "behind" => "落后",
            "upcoming" => "未开始",
            "no target" => "无目标",
            other => other,
        }
        .to_string()
    }
}
