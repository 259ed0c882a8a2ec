#!/usr/bin/env python3
"""Opens a CSV in LibreOffice the way a double click does and prints what
each cell became.

    lo_csv.py [--evaluate] FILE.csv

Uses the import dialog's default settings as LibreOffice ships them
(registry Office.Calc/Dialogs/CSVImport: separators comma, semicolon and
tab; `"` as the text delimiter; quoted fields not forced to text; special
numbers not detected; formulas not evaluated). `--evaluate` ticks
"Evaluate formulas", which is what Excel and WPS always do with a CSV.
Prints one JSON array per row: [kind, shown text] for each cell up to the
row's last non-empty one, kind being EMPTY, VALUE, TEXT or FORMULA (and for
a formula, whether its result is text: FORMULA-TEXT or FORMULA-VALUE).
Needs a python3 that can `import uno` and `soffice` on PATH.
"""

import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lo_recalc  # noqa: E402  (start_office, connect, prop)


def main(argv):
    evaluate = argv[:1] == ["--evaluate"]
    if evaluate:
        argv = argv[1:]
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    import uno
    from com.sun.star.table.CellContentType import FORMULA

    # Tokens: separators (comma/semicolon/tab), text delimiter ", UTF-8,
    # first line 1, no column formats, language, quoted as text, detect
    # special numbers, (export x2), trim spaces, (export), evaluate formulas.
    options = "44/59/9,34,76,1,,0,false,false,false,false,false,-1,%s" % ("true" if evaluate else "false")
    proc, pipe = lo_recalc.start_office(tempfile.mkdtemp(prefix="salesplit-lo-"))
    desktop = lo_recalc.connect(pipe, proc)
    url = uno.systemPathToFileUrl(os.path.abspath(argv[0]))
    props = (
        lo_recalc.prop("Hidden", True),
        lo_recalc.prop("FilterName", "Text - txt - csv (StarCalc)"),
        lo_recalc.prop("FilterOptions", options),
    )
    doc = desktop.loadComponentFromURL(url, "_blank", 0, props)
    try:
        sheet = doc.Sheets.getByIndex(0)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        last_row, last_col = cursor.RangeAddress.EndRow, cursor.RangeAddress.EndColumn
        for r in range(last_row + 1):
            row = []
            for c in range(last_col + 1):
                cell = sheet.getCellByPosition(c, r)
                kind = cell.getType().value
                if cell.getType() == FORMULA:
                    kind += "-TEXT" if cell.FormulaResultType2 == 2 else "-VALUE"
                row.append([kind, cell.getString()])
            while row and row[-1][0] == "EMPTY":
                row.pop()
            print(json.dumps(row, ensure_ascii=False))
    finally:
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes down as soffice exits
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
