#!/usr/bin/env python3
"""Recalculates salesplit workbooks in LibreOffice and compares every
formula's result with the value salesplit cached for it.

    lo_recalc.py [--pdf DIR] BOOK.xlsx...

For each workbook: reads every formula cell and its cached value from the
package's XML (before anything recalculates), opens the workbook in one
headless LibreOffice (Python-UNO), forces `calculateAll()`, and compares each
formula cell's recalculated result with the cached one. With `--pdf DIR`,
also prints each workbook to DIR/<name>.pdf (Calc's PDF export, the print
setup as written) and reports its page count.

Prints one line per workbook (`ok BOOK: N formulas` or the mismatches,
`pages BOOK: N`) and exits 1 when any formula's result differs from its
cached value, 2 when LibreOffice cannot be used. Needs a python3 that can
`import uno` (Debian: python3-uno) and `soffice` on PATH (or $SOFFICE).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}

# Cached and recalculated numbers agree when they are the same double up to
# the last bits of a floating-point sum: far below a cent at any amount
# salesplit writes as a number (at most 15 significant digits).
REL_TOL = 1e-12
ABS_TOL = 1e-9


def cached_formulas(path):
    """{sheet name: [(cell ref, formula, kind, cached text)]} read from the XML."""
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        sheets = {}
        for sheet in book.find("m:sheets", NS).findall("m:sheet", NS):
            rid = sheet.get("{%s}id" % NS["r"])
            target = targets[rid].lstrip("/")
            if not target.startswith("xl/"):
                target = "xl/" + target
            root = ET.fromstring(z.read(target))
            found = []
            for c in root.iter("{%s}c" % NS["m"]):
                f = c.find("m:f", NS)
                if f is None:
                    continue
                v = c.find("m:v", NS)
                found.append((c.get("r"), f.text or "", c.get("t", "n"), None if v is None else (v.text or "")))
            sheets[sheet.get("name")] = found
        return sheets


def same_number(a, b):
    return abs(a - b) <= max(ABS_TOL, REL_TOL * max(abs(a), abs(b)))


def start_office(profile):
    soffice = os.environ.get("SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice (soffice) not found", file=sys.stderr)
        sys.exit(2)
    pipe = "salesplit_recalc_%d" % os.getpid()
    proc = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "-env:UserInstallation=file://" + profile,
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, pipe


def connect(pipe, proc):
    import uno  # noqa: E402  (only where python3-uno is installed)

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 120
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:  # NoConnectException until soffice listens
            if proc.poll() is not None or time.time() > deadline:
                print("cannot connect to LibreOffice", file=sys.stderr)
                sys.exit(2)
            time.sleep(0.25)


def prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def check(desktop, path, pdf_dir):
    """Mismatch lines of one workbook, and the number of formulas checked."""
    import uno
    from com.sun.star.table.CellContentType import FORMULA

    formulas = cached_formulas(path)
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        return ["cannot open %s" % path], 0, None
    problems = []
    count = 0
    pages = None
    try:
        doc.calculateAll()
        for name, cells in formulas.items():
            sheet = doc.Sheets.getByName(name)
            for ref, formula, kind, cached in cells:
                count += 1
                cell = sheet.getCellRangeByName(ref)
                where = "%s!%s =%s" % (name, ref, formula)
                if cell.getType() != FORMULA:
                    problems.append("%s: not a formula after loading" % where)
                    continue
                if cell.getError() != 0:
                    problems.append("%s: error %d after recalculation (cached %r)" % (where, cell.getError(), cached))
                    continue
                # FormulaResultType2: 1 = VALUE, 2 = TEXT (com.sun.star.sheet.FormulaResult).
                result_type = cell.FormulaResultType2
                if kind == "str":
                    got = cell.getString() if result_type == 2 else repr(cell.getValue())
                    if result_type != 2 or got != (cached or ""):
                        problems.append("%s: cached text %r, recalculated %r" % (where, cached, got))
                elif cached is None:
                    problems.append("%s: no cached value" % where)
                else:
                    if result_type != 1:
                        problems.append("%s: cached %s, recalculated text %r" % (where, cached, cell.getString()))
                        continue
                    got = cell.getValue()
                    if not same_number(float(cached), got):
                        problems.append("%s: cached %s, recalculated %r" % (where, cached, got))
        if pdf_dir:
            out = os.path.join(pdf_dir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)), (prop("FilterName", "calc_pdf_Export"),))
            with open(out, "rb") as f:
                pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", f.read()))
    finally:
        doc.close(True)
    return problems, count, pages


def main(argv):
    pdf_dir = None
    if argv[:1] == ["--pdf"]:
        pdf_dir, argv = argv[1], argv[2:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    profile = tempfile.mkdtemp(prefix="salesplit-lo-")
    proc, pipe = start_office(profile)
    failed = False
    try:
        desktop = connect(pipe, proc)
        for path in argv:
            problems, count, pages = check(desktop, path, pdf_dir)
            if problems:
                failed = True
                print("FAIL %s: %d of %d formulas differ" % (path, len(problems), count))
                for p in problems[:50]:
                    print("  " + p)
            else:
                print("ok %s: %d formulas" % (path, count))
            if pages is not None:
                print("pages %s: %d" % (path, pages))
            sys.stdout.flush()
        try:
            desktop.terminate()
        except Exception:  # the bridge goes down as soffice exits
            pass
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
