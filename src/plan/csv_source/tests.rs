use super::*;

#[test]
fn fields_trim_as_str_trims() {
    let texts = [
        "",
        " ",
        "a",
        " a",
        "a ",
        "\ta\r",
        "华北",
        " 华北",
        "华北\u{3000}",
        "\u{3000}华北",
        "\u{a0}x",
        "x\u{85}",
        "\u{2028}",
        "é",
        "é ",
        "\u{1680}a",
        "a\u{202f}",
        "ab\u{205f}",
        "\u{200b}",
        "\u{feff}x",
        "x\u{1}",
    ];
    for text in texts {
        assert_eq!(trim(text), text.trim(), "{text:?}");
    }
}

#[test]
fn the_encoding_is_found_from_the_start_of_the_file() {
    let (gbk, _, _) = encoding_rs::GB18030.encode("name,region\n张伟,华东\n");
    assert_eq!(sniff_encoding(&gbk, true), Some(encoding_rs::GB18030));
    assert_eq!(sniff_encoding("name,region\n张伟,华东\n".as_bytes(), true), None);
    assert_eq!(sniff_encoding(b"\xef\xbb\xbfname\n", true), None);
    assert_eq!(sniff_encoding(b"\xff\xfen\x00", true), Some(encoding_rs::UTF_16LE));
    assert_eq!(sniff_encoding(b"\xfe\xff\x00n", true), Some(encoding_rs::UTF_16BE));
    // Neither UTF-8 nor GB18030 (0xff is in neither).
    assert_eq!(sniff_encoding(b"name\n\xff\xfe\xfd,1\n", true), None);
    // A character cut where the sniffed start ends is no reason to think otherwise.
    let utf8 = "张伟".as_bytes();
    assert_eq!(sniff_encoding(&utf8[..4], false), None);
    assert_eq!(sniff_encoding(&gbk[..gbk.len() - 1], false), Some(encoding_rs::GB18030));
}

#[test]
fn the_delimiter_is_found_from_the_header() {
    assert_eq!(sniff_delimiter("date,region;x\n1;2;3"), b',');
    assert_eq!(sniff_delimiter("\n\ndate;region;sales\n"), b';');
    assert_eq!(sniff_delimiter("date\tregion\tsales\n"), b'\t');
    assert_eq!(sniff_delimiter("date\n"), b',');
}

#[test]
fn a_sheet_reads_like_its_csv() {
    let csv = "name,weight\nAnn,1\nBob,\"1,234.50\"\n";
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 2, "Roster 2026").unwrap();
    for (c, h) in ["name", "weight"].into_iter().enumerate() {
        ws.write_string(2, u16::try_from(c).unwrap() + 2, h).unwrap();
    }
    ws.write_string(3, 2, "Ann").unwrap();
    ws.write_number(3, 3, 1.0).unwrap();
    ws.write_string(5, 2, "Bob").unwrap();
    ws.write_string(5, 3, "1,234.50").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let noun = Noun { the: "the roster", has: "has", owner: "the roster's", a: "a roster" };
    let rows = |mut s: CsvSource<&[u8]>| {
        let mut out = vec![(s.line(), s.headers().join("|"))];
        while s.next_row() {
            out.push((s.line(), s.record().iter().collect::<Vec<_>>().join("|")));
        }
        out
    };
    let from_csv = rows(CsvSource::new(csv.as_bytes(), "r.csv", noun, ROSTER_LIMITS).unwrap());
    let sheet = CsvSource::new(bytes.as_slice(), "r.xlsx", noun, ROSTER_LIMITS).unwrap();
    let shown = Diagnostic::new(Code::MissingColumn, "x").at(sheet.header_at(0..4)).to_string();
    assert!(shown.contains("--> r.xlsx [Sheet1] C3\n"), "{shown}");
    let from_sheet = rows(sheet);
    let cells = |r: &[(usize, String)]| r.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>();
    assert_eq!(cells(&from_sheet), cells(&from_csv));
    // Sheet rows are the sheet's own (the blank row 5 skipped).
    assert_eq!(from_sheet.iter().skip(1).map(|(l, _)| *l).collect::<Vec<_>>(), [4, 6]);
}
