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
