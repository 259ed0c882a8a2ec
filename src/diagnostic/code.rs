//! Cross-stage: the kinds of problem salesplit reports, each with a stable
//! code (`E0301`, `W0102`). A code names a *kind* of problem, not a place in
//! the source: every split whose shares do not add up says `E0301`.
//!
//! Codes are grouped by area: `E01xx` plan syntax, structure and keys;
//! `E02xx` amounts, numbers and percentages; `E03xx` splits, members and
//! weights; `E04xx` time, calendars, holds and periods; `E05xx` rosters and
//! people; `E06xx` every CSV input (header, cells, encoding, size); `E07xx`
//! track, actuals and baselines; `E08xx` the request (`--by`, `--period`,
//! `--cell`, `--metric`); `E09xx` files and output; `W01xx` warnings.
//!
//! **An id never changes once given**, and is never given to another kind:
//! scripts and users look them up. Numbers may have gaps (a kind that is no
//! longer reported keeps its number unused). To add a kind: a variant, its
//! arm in each method below, its entry in [`Code::ALL`], a catalogue test
//! whose expected message shows the id, and its row in README's "Errors"
//! table (`tests/error_codes.rs` checks the last three).
//!
//! The file is long on purpose: one match per method over every code, so
//! that each method reads as one table and a missing arm does not compile.

use super::Severity;

/// One kind of problem; see the module doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// `E0101`: the plan file is not valid TOML.
    TomlSyntax,
    /// `E0102`: a key or table the plan format does not have.
    UnknownKey,
    /// `E0103`: a value of the wrong TOML type (a string where a table is needed, a number where a date is needed).
    WrongType,
    /// `E0104`: a table or key the plan needs is missing.
    MissingKey,
    /// `E0105`: a word that is not one of the allowed choices.
    UnknownChoice,
    /// `E0106`: a name used twice, or one the output already uses.
    NameTaken,
    /// `E0107`: a name that is empty or only spaces.
    EmptyName,
    /// `E0108`: two settings that cannot be used together.
    ConflictingKeys,
    /// `E0109`: a setting that needs another one the plan does not have.
    MissingSetting,
    /// `E0110`: the plan names a metric that \[target\] does not have, or one of the wrong kind.
    UnknownMetric,
    /// `E0111`: the plan names a split that it does not have.
    UnknownSplit,
    /// `E0201`: a value that is not a number salesplit can use.
    NotANumber,
    /// `E0202`: a number with more digits than salesplit computes exactly with (28).
    TooPrecise,
    /// `E0203`: an amount, or a sum of amounts, too large to compute exactly.
    TooLarge,
    /// `E0204`: a weight, amount or share that is negative.
    Negative,
    /// `E0205`: a bare number where a percentage is needed.
    PercentageExpected,
    /// `E0206`: a percentage where an amount or a plain number is needed.
    PercentageNotAllowed,
    /// `E0207`: a number outside the range allowed for it.
    OutOfRange,
    /// `E0208`: an amount that is not a multiple of the plan's precision.
    NotAMultiple,
    /// `E0209`: a precision that is not a power of ten.
    BadPrecision,
    /// `E0210`: a count that is not a whole number.
    NotWhole,
    /// `E0211`: a list with the wrong number of values (months, quarters).
    WrongLength,
    /// `E0212`: a level's values mix percentages and plain numbers.
    LevelMixed,
    /// `E0301`: shares that do not add up: percentages that do not make 100%, or percentages mixed with plain weights.
    SharesDoNotAddUp,
    /// `E0302`: a name that is not a member of the split it is looked for in.
    UnknownMember,
    /// `E0303`: a split, or a part of it, with nobody to share its amount.
    NoMembers,
    /// `E0304`: every weight that would share an amount is zero.
    AllWeightsZero,
    /// `E0305`: fixed amounts that add up to more than there is to share.
    FixedOverParent,
    /// `E0306`: `within` on the first split, which has no parent.
    WithinWithoutParent,
    /// `E0307`: an org tree with more leaves than salesplit can hold.
    TooManyLeaves,
    /// `E0401`: text that is not a date.
    NotADate,
    /// `E0402`: a fiscal year start that is not the 1st of a month in the plan year.
    BadYearStart,
    /// `E0403`: a date outside the plan year.
    DateOutsideYear,
    /// `E0404`: a period with a share of the target but no day with a positive weight to carry it.
    NoDaysToCarry,
    /// `E0405`: \[time.fixed\] holds that cannot be met: they exceed their parent, do not add up to it, or leave an amount to periods that weigh nothing.
    HoldsDoNotFit,
    /// `E0406`: a period label that is not a period of the plan.
    NotAPeriod,
    /// `E0407`: \[time.fixed\] holds a period twice, or the whole year.
    HoldTwice,
    /// `E0408`: \[time.fixed\] holds combined with people's start or end dates, ramps or vacancies.
    HoldsWithDates,
    /// `E0409`: a holiday calendar that is neither built in nor a file.
    UnknownHolidays,
    /// `E0410`: a holiday calendar that marks one date both as a day off and as a working day.
    HolidayTwice,
    /// `E0501`: a person who appears twice in a roster.
    DuplicatePerson,
    /// `E0502`: a roster with a header but no rows.
    EmptyRoster,
    /// `E0503`: a roster's people cells that cannot be used together: an end before the start, a ramp without a start, going down or not in percentages, a min above the max, a max or min above 100% or below one unit.
    BadRosterCell,
    /// `E0504`: floors and caps that cannot be met (a floor above a cap, floors above the target, caps below it).
    FloorsAndCaps,
    /// `E0505`: a target for a time when nobody is in seat.
    NobodyInSeat,
    /// `E0506`: two splits with people's dates, ramps or vacancies.
    TwoDatedSplits,
    /// `E0601`: a text file that is neither UTF-8 nor GB18030 (GBK) or UTF-16 text.
    NotUtf8,
    /// `E0602`: a file that is neither CSV text nor a workbook (another zip, binary data).
    NotCsv,
    /// `E0603`: a CSV header without a column salesplit needs.
    MissingColumn,
    /// `E0604`: a CSV header that names a column twice.
    DuplicateColumn,
    /// `E0605`: a CSV row with more or fewer cells than its header.
    WrongCellCount,
    /// `E0606`: a file read as comma-separated that is separated by semicolons or tabs.
    WrongDelimiter,
    /// `E0607`: a CSV cell that must be filled is empty.
    EmptyCell,
    /// `E0608`: an input file larger than salesplit reads.
    FileTooLarge,
    /// `E0609`: a CSV file with more rows than salesplit reads.
    TooManyRows,
    /// `E0610`: a CSV row longer than 1 MB.
    RowTooLong,
    /// `E0611`: more rows have problems than are shown.
    MoreProblems,
    /// `E0612`: a workbook (.xlsx, .xls, .ods) that cannot be read.
    BadWorkbook,
    /// `E0613`: a sheet that the workbook does not have.
    NoSuchSheet,
    /// `E0614`: an encoding or delimiter that salesplit does not read.
    UnknownTextFormat,
    /// `E0701`: a baseline without sales in the baseline year.
    NoSalesInYear,
    /// `E0702`: a member without sales in the baseline, so without history to grow.
    NoHistory,
    /// `E0703`: a plan with no amount or count for track to follow.
    NothingToTrack,
    /// `E0704`: actuals that name members the plan does not have (with --strict).
    UnplannedMembers,
    /// `E0801`: --by, --rows or --cols names something the plan or breakdown does not have.
    UnknownDimension,
    /// `E0802`: --by, --rows or --cols written wrongly (an empty name, a name twice, two time levels).
    BadDimensions,
    /// `E0803`: --period that is not a period.
    BadPeriod,
    /// `E0804`: --period finer than the breakdown's time level.
    PeriodTooFine,
    /// `E0805`: --period outside the plan's year.
    PeriodOutsidePlan,
    /// `E0806`: --cell written wrongly (an unclosed quote, no split before `=`, a name twice).
    BadCell,
    /// `E0807`: --cell names something the plan does not have.
    UnknownCell,
    /// `E0808`: --cell names a member that could be in several splits.
    AmbiguousCell,
    /// `E0809`: --metric names a metric the plan does not have.
    UnknownMetricFlag,
    /// `E0810`: --metric names a level, which is not shared and has nothing to track or explain.
    MetricIsLevel,
    /// `E0811`: track needs --metric: the plan has several metrics of the kind.
    MetricNeeded,
    /// `E0812`: a breakdown with more cells than allowed or shown.
    TooManyCells,
    /// `E0813`: a time level coarser than the one period a plan covers.
    CoarserThanPlan,
    /// `E0814`: --shard with a breakdown that sums org leaves into fewer rows.
    ShardNeedsLeaves,
    /// `E0901`: a file that cannot be read.
    CannotRead,
    /// `E0902`: a file or folder that cannot be written.
    CannotWrite,
    /// `E0903`: a path that is a folder or a device, not a file.
    NotAFile,
    /// `E0904`: an output that would overwrite an input or an existing file.
    WouldOverwrite,
    /// `E0905`: a figure with more significant digits than an xlsx number keeps (15).
    XlsxDigits,
    /// `E0906`: a figure with more decimals (or digits) than its Parquet DECIMAL column keeps.
    ParquetDigits,
    /// `E0999`: an internal error of salesplit.
    Internal,
    /// `W0101`: holidays that do not change the figures, because spread is not "workdays".
    HolidaysIgnored,
    /// `W0102`: a plan year that no holiday calendar covers in full.
    HolidaysDoNotCover,
    /// `W0103`: members' figures that do not add up to a hold, because of rounding.
    HoldMissed,
    /// `W0104`: a person with more than twice the average target of their team.
    HighTarget,
    /// `W0105`: growth above 50%.
    HighGrowth,
    /// `W0106`: over-assignment above 30%.
    HighOverAssign,
    /// `W0107`: a ramp longer than a year.
    LongRamp,
    /// `W0108`: actuals columns that cannot be placed, so are not tracked by them.
    ActualsColumnUnused,
    /// `W0109`: actuals dated outside the plan year, left out.
    ActualsOutsideYear,
    /// `W0110`: actuals that name members the plan does not have.
    ActualsUnplanned,
    /// `W0111`: actuals dated after the as-of date, not in the figures to date.
    ActualsAfterAsOf,
    /// `W0112`: actuals that end days before the as-of date.
    ActualsEndEarly,
    /// `W0113`: a shortfall that cannot be carried: no later day has a target.
    CannotCarry,
    /// `W0114`: cross-cuts that controlled rounding could not make exact.
    CrossCutMissed,
}

impl Code {
    /// Every code, in the order of their ids.
    pub const ALL: &[Code] = &[
        Code::TomlSyntax,
        Code::UnknownKey,
        Code::WrongType,
        Code::MissingKey,
        Code::UnknownChoice,
        Code::NameTaken,
        Code::EmptyName,
        Code::ConflictingKeys,
        Code::MissingSetting,
        Code::UnknownMetric,
        Code::UnknownSplit,
        Code::NotANumber,
        Code::TooPrecise,
        Code::TooLarge,
        Code::Negative,
        Code::PercentageExpected,
        Code::PercentageNotAllowed,
        Code::OutOfRange,
        Code::NotAMultiple,
        Code::BadPrecision,
        Code::NotWhole,
        Code::WrongLength,
        Code::LevelMixed,
        Code::SharesDoNotAddUp,
        Code::UnknownMember,
        Code::NoMembers,
        Code::AllWeightsZero,
        Code::FixedOverParent,
        Code::WithinWithoutParent,
        Code::TooManyLeaves,
        Code::NotADate,
        Code::BadYearStart,
        Code::DateOutsideYear,
        Code::NoDaysToCarry,
        Code::HoldsDoNotFit,
        Code::NotAPeriod,
        Code::HoldTwice,
        Code::HoldsWithDates,
        Code::UnknownHolidays,
        Code::HolidayTwice,
        Code::DuplicatePerson,
        Code::EmptyRoster,
        Code::BadRosterCell,
        Code::FloorsAndCaps,
        Code::NobodyInSeat,
        Code::TwoDatedSplits,
        Code::NotUtf8,
        Code::NotCsv,
        Code::MissingColumn,
        Code::DuplicateColumn,
        Code::WrongCellCount,
        Code::WrongDelimiter,
        Code::EmptyCell,
        Code::FileTooLarge,
        Code::TooManyRows,
        Code::RowTooLong,
        Code::MoreProblems,
        Code::BadWorkbook,
        Code::NoSuchSheet,
        Code::UnknownTextFormat,
        Code::NoSalesInYear,
        Code::NoHistory,
        Code::NothingToTrack,
        Code::UnplannedMembers,
        Code::UnknownDimension,
        Code::BadDimensions,
        Code::BadPeriod,
        Code::PeriodTooFine,
        Code::PeriodOutsidePlan,
        Code::BadCell,
        Code::UnknownCell,
        Code::AmbiguousCell,
        Code::UnknownMetricFlag,
        Code::MetricIsLevel,
        Code::MetricNeeded,
        Code::TooManyCells,
        Code::CoarserThanPlan,
        Code::ShardNeedsLeaves,
        Code::CannotRead,
        Code::CannotWrite,
        Code::NotAFile,
        Code::WouldOverwrite,
        Code::XlsxDigits,
        Code::ParquetDigits,
        Code::Internal,
        Code::HolidaysIgnored,
        Code::HolidaysDoNotCover,
        Code::HoldMissed,
        Code::HighTarget,
        Code::HighGrowth,
        Code::HighOverAssign,
        Code::LongRamp,
        Code::ActualsColumnUnused,
        Code::ActualsOutsideYear,
        Code::ActualsUnplanned,
        Code::ActualsAfterAsOf,
        Code::ActualsEndEarly,
        Code::CannotCarry,
        Code::CrossCutMissed,
    ];

    /// The stable id, `E0301` or `W0102`.
    pub fn id(self) -> &'static str {
        match self {
            Code::TomlSyntax => "E0101",
            Code::UnknownKey => "E0102",
            Code::WrongType => "E0103",
            Code::MissingKey => "E0104",
            Code::UnknownChoice => "E0105",
            Code::NameTaken => "E0106",
            Code::EmptyName => "E0107",
            Code::ConflictingKeys => "E0108",
            Code::MissingSetting => "E0109",
            Code::UnknownMetric => "E0110",
            Code::UnknownSplit => "E0111",
            Code::NotANumber => "E0201",
            Code::TooPrecise => "E0202",
            Code::TooLarge => "E0203",
            Code::Negative => "E0204",
            Code::PercentageExpected => "E0205",
            Code::PercentageNotAllowed => "E0206",
            Code::OutOfRange => "E0207",
            Code::NotAMultiple => "E0208",
            Code::BadPrecision => "E0209",
            Code::NotWhole => "E0210",
            Code::WrongLength => "E0211",
            Code::LevelMixed => "E0212",
            Code::SharesDoNotAddUp => "E0301",
            Code::UnknownMember => "E0302",
            Code::NoMembers => "E0303",
            Code::AllWeightsZero => "E0304",
            Code::FixedOverParent => "E0305",
            Code::WithinWithoutParent => "E0306",
            Code::TooManyLeaves => "E0307",
            Code::NotADate => "E0401",
            Code::BadYearStart => "E0402",
            Code::DateOutsideYear => "E0403",
            Code::NoDaysToCarry => "E0404",
            Code::HoldsDoNotFit => "E0405",
            Code::NotAPeriod => "E0406",
            Code::HoldTwice => "E0407",
            Code::HoldsWithDates => "E0408",
            Code::UnknownHolidays => "E0409",
            Code::HolidayTwice => "E0410",
            Code::DuplicatePerson => "E0501",
            Code::EmptyRoster => "E0502",
            Code::BadRosterCell => "E0503",
            Code::FloorsAndCaps => "E0504",
            Code::NobodyInSeat => "E0505",
            Code::TwoDatedSplits => "E0506",
            Code::NotUtf8 => "E0601",
            Code::NotCsv => "E0602",
            Code::MissingColumn => "E0603",
            Code::DuplicateColumn => "E0604",
            Code::WrongCellCount => "E0605",
            Code::WrongDelimiter => "E0606",
            Code::EmptyCell => "E0607",
            Code::FileTooLarge => "E0608",
            Code::TooManyRows => "E0609",
            Code::RowTooLong => "E0610",
            Code::MoreProblems => "E0611",
            Code::BadWorkbook => "E0612",
            Code::NoSuchSheet => "E0613",
            Code::UnknownTextFormat => "E0614",
            Code::NoSalesInYear => "E0701",
            Code::NoHistory => "E0702",
            Code::NothingToTrack => "E0703",
            Code::UnplannedMembers => "E0704",
            Code::UnknownDimension => "E0801",
            Code::BadDimensions => "E0802",
            Code::BadPeriod => "E0803",
            Code::PeriodTooFine => "E0804",
            Code::PeriodOutsidePlan => "E0805",
            Code::BadCell => "E0806",
            Code::UnknownCell => "E0807",
            Code::AmbiguousCell => "E0808",
            Code::UnknownMetricFlag => "E0809",
            Code::MetricIsLevel => "E0810",
            Code::MetricNeeded => "E0811",
            Code::TooManyCells => "E0812",
            Code::CoarserThanPlan => "E0813",
            Code::ShardNeedsLeaves => "E0814",
            Code::CannotRead => "E0901",
            Code::CannotWrite => "E0902",
            Code::NotAFile => "E0903",
            Code::WouldOverwrite => "E0904",
            Code::XlsxDigits => "E0905",
            Code::ParquetDigits => "E0906",
            Code::Internal => "E0999",
            Code::HolidaysIgnored => "W0101",
            Code::HolidaysDoNotCover => "W0102",
            Code::HoldMissed => "W0103",
            Code::HighTarget => "W0104",
            Code::HighGrowth => "W0105",
            Code::HighOverAssign => "W0106",
            Code::LongRamp => "W0107",
            Code::ActualsColumnUnused => "W0108",
            Code::ActualsOutsideYear => "W0109",
            Code::ActualsUnplanned => "W0110",
            Code::ActualsAfterAsOf => "W0111",
            Code::ActualsEndEarly => "W0112",
            Code::CannotCarry => "W0113",
            Code::CrossCutMissed => "W0114",
        }
    }

    /// Whether a problem of this kind stops the run.
    pub fn severity(self) -> Severity {
        match self {
            Code::HolidaysIgnored
            | Code::HolidaysDoNotCover
            | Code::HoldMissed
            | Code::HighTarget
            | Code::HighGrowth
            | Code::HighOverAssign
            | Code::LongRamp
            | Code::ActualsColumnUnused
            | Code::ActualsOutsideYear
            | Code::ActualsUnplanned
            | Code::ActualsAfterAsOf
            | Code::ActualsEndEarly
            | Code::CannotCarry
            | Code::CrossCutMissed => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What the code means, in one line (README's "Errors" table).
    pub fn summary(self) -> &'static str {
        match self {
            Code::TomlSyntax => "the plan file is not valid TOML",
            Code::UnknownKey => "a key or table the plan format does not have",
            Code::WrongType => "a value of the wrong TOML type (a string where a table is needed, a number where a date is needed)",
            Code::MissingKey => "a table or key the plan needs is missing",
            Code::UnknownChoice => "a word that is not one of the allowed choices",
            Code::NameTaken => "a name used twice, or one the output already uses",
            Code::EmptyName => "a name that is empty or only spaces",
            Code::ConflictingKeys => "two settings that cannot be used together",
            Code::MissingSetting => "a setting that needs another one the plan does not have",
            Code::UnknownMetric => "the plan names a metric that [target] does not have, or one of the wrong kind",
            Code::UnknownSplit => "the plan names a split that it does not have",
            Code::NotANumber => "a value that is not a number salesplit can use",
            Code::TooPrecise => "a number with more digits than salesplit computes exactly with (28)",
            Code::TooLarge => "an amount, or a sum of amounts, too large to compute exactly",
            Code::Negative => "a weight, amount or share that is negative",
            Code::PercentageExpected => "a bare number where a percentage is needed",
            Code::PercentageNotAllowed => "a percentage where an amount or a plain number is needed",
            Code::OutOfRange => "a number outside the range allowed for it",
            Code::NotAMultiple => "an amount that is not a multiple of the plan's precision",
            Code::BadPrecision => "a precision that is not a power of ten",
            Code::NotWhole => "a count that is not a whole number",
            Code::WrongLength => "a list with the wrong number of values (months, quarters)",
            Code::LevelMixed => "a level's values mix percentages and plain numbers",
            Code::SharesDoNotAddUp => "shares that do not add up: percentages that do not make 100%, or percentages mixed with plain weights",
            Code::UnknownMember => "a name that is not a member of the split it is looked for in",
            Code::NoMembers => "a split, or a part of it, with nobody to share its amount",
            Code::AllWeightsZero => "every weight that would share an amount is zero",
            Code::FixedOverParent => "fixed amounts that add up to more than there is to share",
            Code::WithinWithoutParent => "`within` on the first split, which has no parent",
            Code::TooManyLeaves => "an org tree with more leaves than salesplit can hold",
            Code::NotADate => "text that is not a date",
            Code::BadYearStart => "a fiscal year start that is not the 1st of a month in the plan year",
            Code::DateOutsideYear => "a date outside the plan year",
            Code::NoDaysToCarry => "a period with a share of the target but no day with a positive weight to carry it",
            Code::HoldsDoNotFit => "[time.fixed] holds that cannot be met: they exceed their parent, do not add up to it, or leave an amount to periods that weigh nothing",
            Code::NotAPeriod => "a period label that is not a period of the plan",
            Code::HoldTwice => "[time.fixed] holds a period twice, or the whole year",
            Code::HoldsWithDates => "[time.fixed] holds combined with people's start or end dates, ramps or vacancies",
            Code::UnknownHolidays => "a holiday calendar that is neither built in nor a file",
            Code::HolidayTwice => "a holiday calendar that marks one date both as a day off and as a working day",
            Code::DuplicatePerson => "a person who appears twice in a roster",
            Code::EmptyRoster => "a roster with a header but no rows",
            Code::BadRosterCell => "a roster's people cells that cannot be used together: an end before the start, a ramp without a start, going down or not in percentages, a min above the max, a max or min above 100% or below one unit",
            Code::FloorsAndCaps => "floors and caps that cannot be met (a floor above a cap, floors above the target, caps below it)",
            Code::NobodyInSeat => "a target for a time when nobody is in seat",
            Code::TwoDatedSplits => "two splits with people's dates, ramps or vacancies",
            Code::NotUtf8 => "a text file that is neither UTF-8 nor GB18030 (GBK) or UTF-16 text",
            Code::NotCsv => "a file that is neither CSV text nor a workbook (another zip, binary data)",
            Code::MissingColumn => "a CSV header without a column salesplit needs",
            Code::DuplicateColumn => "a CSV header that names a column twice",
            Code::WrongCellCount => "a CSV row with more or fewer cells than its header",
            Code::WrongDelimiter => "a file read as comma-separated (`delimiter = \",\"`) that is separated by semicolons or tabs",
            Code::EmptyCell => "a CSV cell that must be filled is empty",
            Code::FileTooLarge => "an input file larger than salesplit reads",
            Code::TooManyRows => "a CSV file with more rows than salesplit reads",
            Code::RowTooLong => "a CSV row longer than 1 MB",
            Code::MoreProblems => "more rows have problems than are shown",
            Code::BadWorkbook => "a workbook (.xlsx, .xls, .ods) that cannot be read",
            Code::NoSuchSheet => "a sheet that the workbook does not have",
            Code::UnknownTextFormat => "an encoding or delimiter that salesplit does not read",
            Code::NoSalesInYear => "a baseline without sales in the baseline year",
            Code::NoHistory => "a member without sales in the baseline, so without history to grow",
            Code::NothingToTrack => "a plan with no amount or count for track to follow",
            Code::UnplannedMembers => "actuals that name members the plan does not have (with --strict)",
            Code::UnknownDimension => "--by, --rows or --cols names something the plan or breakdown does not have",
            Code::BadDimensions => "--by, --rows or --cols written wrongly (an empty name, a name twice, two time levels)",
            Code::BadPeriod => "--period that is not a period",
            Code::PeriodTooFine => "--period finer than the breakdown's time level",
            Code::PeriodOutsidePlan => "--period outside the plan's year",
            Code::BadCell => "--cell written wrongly (an unclosed quote, no split before `=`, a name twice)",
            Code::UnknownCell => "--cell names something the plan does not have",
            Code::AmbiguousCell => "--cell names a member that could be in several splits",
            Code::UnknownMetricFlag => "--metric names a metric the plan does not have",
            Code::MetricIsLevel => "--metric names a level, which is not shared and has nothing to track or explain",
            Code::MetricNeeded => "track needs --metric: the plan has several metrics of the kind",
            Code::TooManyCells => "a breakdown with more cells than allowed or shown",
            Code::CoarserThanPlan => "a time level coarser than the one period a plan covers",
            Code::ShardNeedsLeaves => "--shard with a breakdown that sums org leaves into fewer rows",
            Code::CannotRead => "a file that cannot be read",
            Code::CannotWrite => "a file or folder that cannot be written",
            Code::NotAFile => "a path that is a folder or a device, not a file",
            Code::WouldOverwrite => "an output that would overwrite an input or an existing file",
            Code::XlsxDigits => "a figure with more significant digits than an xlsx number keeps (15)",
            Code::ParquetDigits => "a figure with more decimals or digits than its Parquet DECIMAL column keeps",
            Code::Internal => "an internal error of salesplit",
            Code::HolidaysIgnored => "holidays that do not change the figures, because spread is not \"workdays\"",
            Code::HolidaysDoNotCover => "a plan year that no holiday calendar covers in full",
            Code::HoldMissed => "members' figures that do not add up to a hold, because of rounding",
            Code::HighTarget => "a person with more than twice the average target of their team",
            Code::HighGrowth => "growth above 50%",
            Code::HighOverAssign => "over-assignment above 30%",
            Code::LongRamp => "a ramp longer than a year",
            Code::ActualsColumnUnused => "actuals columns that cannot be placed, so are not tracked by them",
            Code::ActualsOutsideYear => "actuals dated outside the plan year, left out",
            Code::ActualsUnplanned => "actuals that name members the plan does not have",
            Code::ActualsAfterAsOf => "actuals dated after the as-of date, not in the figures to date",
            Code::ActualsEndEarly => "actuals that end days before the as-of date",
            Code::CannotCarry => "a shortfall that cannot be carried: no later day has a target",
            Code::CrossCutMissed => "cross-cuts (an org node's period) that controlled rounding could not make exact",
        }
    }

    /// How to fix a problem of this kind, in one line (README's "Errors" table).
    // One arm per code, as in README's Errors table, even where two fixes read the same.
    #[allow(clippy::match_same_arms)]
    pub fn fix(self) -> &'static str {
        match self {
            Code::TomlSyntax => "fix the syntax at the place shown: quote text, close brackets and strings, write each key once",
            Code::UnknownKey => "correct the spelling (the help suggests the nearest key) or remove the key",
            Code::WrongType => "write the value in the form the help shows",
            Code::MissingKey => "add the key the message names, as in the help's example",
            Code::UnknownChoice => "write one of the choices the help lists",
            Code::NameTaken => "give each metric, split, stage, slot and column its own name",
            Code::EmptyName => "write the name, or remove the entry",
            Code::ConflictingKeys => "keep one of the two, as the help says",
            Code::MissingSetting => "add the setting the help names, or remove the one that needs it",
            Code::UnknownMetric => "name a metric of [target] of the kind the message asks for",
            Code::UnknownSplit => "name one of the plan's splits",
            Code::NotANumber => "write a plain decimal number, such as 1200 or 1.5 (or \"30%\" where a percentage is allowed)",
            Code::TooPrecise => "write it with at most 28 significant digits and 28 decimal places; quote a long number to keep every digit",
            Code::TooLarge => "lower the amounts or the target, or use a coarser precision",
            Code::Negative => "write 0 or more",
            Code::PercentageExpected => "write it as a percentage in quotes, such as \"10%\"",
            Code::PercentageNotAllowed => "write a plain number or amount without %",
            Code::OutOfRange => "write a value inside the range the message gives",
            Code::NotAMultiple => "round it to a multiple of `precision`, or choose a finer precision",
            Code::BadPrecision => "write \"0.01\", \"1\", \"100\" or another power of ten",
            Code::NotWhole => "write counts as whole numbers of 0 or more",
            Code::WrongLength => "write one value for each month (12) or quarter (4)",
            Code::LevelMixed => "write every value of the level the same way, all percentages or all plain numbers",
            Code::SharesDoNotAddUp => "make the percentages add up to exactly 100%, or write every weight as a plain relative number",
            Code::UnknownMember => "write one of the split's members (the help suggests the nearest)",
            Code::NoMembers => "add members, or give the parent a weight of 0",
            Code::AllWeightsZero => "give at least one member a positive weight",
            Code::FixedOverParent => "lower the fixed amounts, or raise the parent's target",
            Code::WithinWithoutParent => "remove `within`, or add the split it refines before this one",
            Code::TooManyLeaves => "split the plan into several plans, or use fewer members",
            Code::NotADate => "write dates as YYYY-MM-DD, such as 2026-04-01",
            Code::BadYearStart => "start the year on the 1st of a month of `year`",
            Code::DateOutsideYear => "correct the date, or move it to the plan that covers it",
            Code::NoDaysToCarry => "give its days a weight (workweek, weekdays, holidays), or give the period no share",
            Code::HoldsDoNotFit => "change the holds so that they fit inside their parent period",
            Code::NotAPeriod => "use the plan's period labels, such as 2026-Q1, 2026-03 or 2026-W10",
            Code::HoldTwice => "keep one hold per period, and hold a quarter, month, week or day rather than the year",
            Code::HoldsWithDates => "remove the holds, or the dates, ramps and vacancies",
            Code::UnknownHolidays => "name a built-in calendar (such as cn-2026) or a CSV file",
            Code::HolidayTwice => "keep one of the two rows",
            Code::DuplicatePerson => "give each person one row, or tell namesakes apart",
            Code::EmptyRoster => "add one row per person",
            Code::BadRosterCell => "correct the cell as the help shows",
            Code::FloorsAndCaps => "lower the floors or raise the caps",
            Code::NobodyInSeat => "check the people's start and end dates, or add someone for that time",
            Code::TwoDatedSplits => "keep dates, ramps and vacancies in one roster",
            Code::NotUtf8 => "name its encoding with `encoding` (or --encoding), or save it as CSV UTF-8 (in Excel or WPS: Save As, then CSV UTF-8)",
            Code::NotCsv => "save the sheet as \"CSV UTF-8 (Comma delimited)\" or .xlsx and name that file",
            Code::MissingColumn => "add the column to the header, or correct its name",
            Code::DuplicateColumn => "give each column its own name",
            Code::WrongCellCount => "quote values that contain commas, and write a cell for every column",
            Code::WrongDelimiter => "leave `delimiter` out to have it found from the header, or write the file's delimiter",
            Code::EmptyCell => "fill in the cell, or remove the row",
            Code::FileTooLarge => "check that this is the right file",
            Code::TooManyRows => "check that this is the right file",
            Code::RowTooLong => "close the quote that was opened, or check that this is the right file",
            Code::MoreProblems => "fix the rows shown, then run again to see the rest",
            Code::BadWorkbook => "open it in Excel or LibreOffice and save it again, or save the sheet as CSV UTF-8",
            Code::NoSuchSheet => "write one of the workbook's sheets in `sheet` (or --sheet)",
            Code::UnknownTextFormat => "write an encoding salesplit reads (utf-8, gbk, gb18030, utf-16le, utf-16be) or a delimiter (\",\", \";\", \"tab\")",
            Code::NoSalesInYear => "name the baseline of the year before the plan year",
            Code::NoHistory => "add its sales to the baseline, or give it a weight",
            Code::NothingToTrack => "add an amount or a count to [target]",
            Code::UnplannedMembers => "add those members to the plan, or fix their names in the actuals",
            Code::UnknownDimension => "name a split or a time level of the plan",
            Code::BadDimensions => "name each dimension once, separated by single commas",
            Code::BadPeriod => "write a period such as 2026-03 or 2026-Q1, or one of this-month, next-month, …",
            Code::PeriodTooFine => "ask for a finer level with --by, or for a coarser period",
            Code::PeriodOutsidePlan => "ask for a period of this plan, or use the plan of that year",
            Code::BadCell => "write --cell split=member, comma-separated, quoting values that contain commas",
            Code::UnknownCell => "name members and periods of the plan (`salesplit decompose --format csv` lists every cell)",
            Code::AmbiguousCell => "say which split: --cell split=member",
            Code::UnknownMetricFlag => "name one of the plan's metrics",
            Code::MetricIsLevel => "name an amount or a count",
            Code::MetricNeeded => "say which with --metric",
            Code::TooManyCells => "ask for a coarser --by or a shorter --period, or raise --max-cells",
            Code::CoarserThanPlan => "ask for a level the plan's period holds whole (its own level or finer)",
            Code::ShardNeedsLeaves => "shard the full breakdown (every split kept) and sum its rows afterwards",
            Code::CannotRead => "check the path and that you can read the file",
            Code::CannotWrite => "check that the folder exists and can be written to, or write elsewhere",
            Code::NotAFile => "name a file",
            Code::WouldOverwrite => "write the output to another file (init: add --force)",
            Code::XlsxDigits => "use --format csv or json, which keep every digit, or a coarser precision",
            Code::ParquetDigits => "write the figure with at most 18 decimals, or use --format csv or json, which keep every digit",
            Code::Internal => "please report it with the plan",
            Code::HolidaysIgnored => "set spread = \"workdays\", or remove `holidays`",
            Code::HolidaysDoNotCover => "add the holiday calendar of the other year",
            Code::HoldMissed => "use a finer precision, or accept the difference shown",
            Code::HighTarget => "check the person's weight, floor and fixed amount",
            Code::HighGrowth => "check the rate",
            Code::HighOverAssign => "check over_assign",
            Code::LongRamp => "check the ramp",
            Code::ActualsColumnUnused => "add the missing column to the actuals",
            Code::ActualsOutsideYear => "track those rows with the plan of their year",
            Code::ActualsUnplanned => "add those members to the plan, fix their names, or pass --strict",
            Code::ActualsAfterAsOf => "pass --as-of with the date of the last actuals",
            Code::ActualsEndEarly => "pass --as-of with the date of the last actuals",
            Code::CannotCarry => "choose another carry policy, or accept the shortfall",
            Code::CrossCutMissed => "use a finer precision, or accept the differences shown",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_follows_the_letter_of_the_id() {
        for code in Code::ALL {
            let warning = code.id().starts_with('W');
            assert_eq!(code.severity() == Severity::Warning, warning, "{code:?}");
        }
    }
}
