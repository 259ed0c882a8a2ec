//! Stage `render`: the words people read around the figures — `Total` or
//! `合计`, a split's or a column's name — in the plan's [`Language`], chosen
//! once per run from the run's header. CSV and JSON never use these: their
//! names are the contract's.

use crate::plan::Language;

/// The labels of one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Labels {
    language: Language,
}

impl Labels {
    /// The labels of `language`.
    pub fn of(language: Language) -> Labels {
        Labels { language }
    }

    /// The word of a total row or column: `Total`, `合计`.
    pub fn total(self) -> &'static str {
        match self.language {
            Language::En => "Total",
            Language::Zh => "合计",
        }
    }

    /// A subtotal row's label: `华东 Total`, `华东 合计`.
    pub fn subtotal(self, member: &str) -> String {
        format!("{member} {}", self.total())
    }

    /// A split, time level or value column as people read it: the usual
    /// names translated (`region` 区域, `month` 月份, `target` 目标, `actual_to_date`
    /// 实际（至今）, `attainment` 达成率), any other name as written.
    pub fn name(self, name: &str) -> String {
        if self.language == Language::En {
            return name.to_string();
        }
        let zh = match name {
            "region" | "area" => "区域",
            "product" => "产品",
            "channel" => "渠道",
            "segment" => "客户类型",
            "source" => "业务来源",
            "team" => "团队",
            "salesperson" => "销售员",
            "store" | "shop" => "门店",
            "year" => "年度",
            "quarter" => "季度",
            "month" => "月份",
            "week" => "周",
            "day" => "日期",
            "slot" => "时段",
            "period" => "期间",
            "sales" => "销售额",
            "target" => "目标",
            "actual" => "实际",
            "target_to_date" => "目标（至今）",
            "actual_to_date" => "实际（至今）",
            "attainment" => "达成率",
            "gap" => "差距",
            "remaining" => "剩余",
            "run_rate" => "日均所需",
            "projected" => "预计",
            "status" => "状态",
            "share" => "占比",
            _ => return name.to_string(),
        };
        zh.to_string()
    }

    /// A pivot's note that its periods are summed into months: `day summed by month`.
    pub fn by_month(self, level: &str) -> String {
        match self.language {
            Language::En => format!("{level} summed by month"),
            Language::Zh => format!("{}按月汇总", self.name(level)),
        }
    }

    /// A printed page's footer: `Page N of M` in Excel's codes.
    pub fn page_footer(self) -> &'static str {
        match self.language {
            Language::En => "&CPage &P of &N",
            Language::Zh => "&C第 &P 页，共 &N 页",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Labels;
    use crate::plan::Language;

    #[test]
    fn chinese_labels_translate_the_usual_names_and_keep_the_rest() {
        let zh = Labels::of(Language::Zh);
        assert_eq!(zh.total(), "合计");
        assert_eq!(zh.name("region"), "区域");
        assert_eq!(zh.name("attainment"), "达成率");
        assert_eq!(zh.name("new_customers"), "new_customers");
        assert_eq!(zh.subtotal("华东"), "华东 合计");
        let en = Labels::of(Language::En);
        assert_eq!(en.name("region"), "region");
        assert_eq!(en.subtotal("East"), "East Total");
    }
}
