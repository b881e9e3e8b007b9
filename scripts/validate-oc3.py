"""Checks an OC3 return with the DfE rules as the open-source 903 validator
(csc-validator-be-903) implements them.

    python scripts/validate-oc3.py TABLES_DIR 2025-26

TABLES_DIR holds header.csv, episodes.csv and oc3.csv (as written by
`staying-close export-oc3 --tables`). Every rule that reads the OC3 table is
run; each failure is printed with its rule, child and message, and the exit
status is 1 if there is any. Rules that could not run are failures too.
"""

import logging
import sys
from pathlib import Path

logging.disable(logging.CRITICAL)

from lac_validator import lac_validator  # noqa: E402
from lac_validator.rules import lac2025_26, lac2026_27  # noqa: E402

RULESETS = {"2025-26": lac2025_26.registry, "2026-27": lac2026_27.registry}


def main() -> int:
    folder, year = Path(sys.argv[1]), sys.argv[2]
    registry = RULESETS.get(year)
    if registry is None:
        print(f"no rules for the collection year {year}; known: {', '.join(RULESETS)}")
        return 2
    files = [
        {"name": name, "description": "This year", "file_content": (folder / name).read_bytes()}
        for name in ("header.csv", "episodes.csv", "oc3.csv")
    ]
    rules = [code for code, rule in registry.items() if rule.tables and "OC3" in rule.tables]
    metadata = {"collectionYear": str(int(year[:4]) + 1), "localAuthority": "E09000027"}
    v = lac_validator.LacValidator(metadata=metadata, files=files, registry=registry, selected_rules=rules)
    problems = 0
    for code in v.fails:
        print(f"rule {code} could not run on the files")
        problems += 1
    for table, frame in v.ds_results.items():
        if table == "metadata":
            continue
        for column in [c for c in frame.columns if str(c).startswith("ERR_")]:
            code = column[4:]
            for _, row in frame[frame[column] == True].iterrows():  # noqa: E712
                print(f"rule {code} ({table}) child {row.get('CHILD')}: {registry[code].message}")
                problems += 1
    oc3_rows = len(v.dfs.get("OC3", []))
    print(f"{len(rules)} OC3 rules run ({len(v.skips)} skipped for want of a table) on {oc3_rows} OC3 rows: {problems} errors")
    return 1 if problems or oc3_rows == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
