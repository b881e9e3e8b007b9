"""Opens the Excel workbooks the HTTP tests downloaded and checks their cells
are typed: a bold header row, numbers as numbers, dates as dates, money in
a pounds format.

    python scripts/check-xlsx.py FOLDER

FOLDER holds impact.xlsx (the report's figures) and records.xlsx (a list
with dates and money), written by crates/web/tests/reports.rs.
"""

import datetime
import sys
from pathlib import Path

from openpyxl import load_workbook


def check(condition: bool, message: str, problems: list) -> None:
    if not condition:
        problems.append(message)


def main() -> int:
    folder = Path(sys.argv[1])
    problems: list[str] = []
    for name in ("impact.xlsx", "records.xlsx"):
        if not (folder / name).exists():
            print(f"{folder / name} is missing: run the Rust tests first (make test-rust)")
            return 1
    report = load_workbook(folder / "impact.xlsx")
    figures = report["Figures"]
    header = [c.value for c in figures[1]]
    check(header == ["Section", "Measure", "Figure", "Key"], f"impact.xlsx header is {header}", problems)
    check(all(c.font.bold for c in figures[1]), "impact.xlsx header row is not bold", problems)
    numbers = [row[2] for row in figures.iter_rows(min_row=2) if row[3].value]
    check(len(numbers) > 40, "impact.xlsx has too few figures", problems)
    check(all(c.data_type == "n" and isinstance(c.value, int) for c in numbers), "a figure is not a number", problems)
    check(len(report.sheetnames) == 4, f"impact.xlsx sheets are {report.sheetnames}", problems)
    rates = [row[2] for row in figures.iter_rows(min_row=2) if row[1].value and "rate" in row[1].value.lower() and row[2].value is not None]
    check(all(c.number_format == "0%" for c in rates), "a rate is not a percentage", problems)
    records = load_workbook(folder / "records.xlsx")["Records"]
    rows = list(records.iter_rows(min_row=2))
    check(len(rows) > 0, "records.xlsx has no rows", problems)
    check(all(isinstance(r[2].value, datetime.datetime) and r[2].number_format == "dd/mm/yyyy" for r in rows), "a date is not a date", problems)
    check(all(isinstance(r[5].value, (int, float)) and "£" in r[5].number_format for r in rows), "an amount is not money", problems)
    for p in problems:
        print(f"problem: {p}")
    print(f"impact.xlsx: {len(numbers)} figures; records.xlsx: {len(rows)} records; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
