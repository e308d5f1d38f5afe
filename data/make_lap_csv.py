#!/usr/bin/env python3
"""Writes data/lap.csv: the Laplace kernel e(r) = exp(-r/ell), ell = 0.5, tabulated for
`--kernel table:file=lap.csv` (src/core/tabulated_kernel.cpp reads it).

3001 rows r_i = 0.01 i, i = 0 ... 3000 (0 <= r <= 30), one header line `r,e`, the two
columns comma-separated, every value in Python's shortest form that reads back exactly (repr).
At r = 30, e = exp(-60) ~ 8.8e-27: far below the 1e-6 max|e| the reader requires of the last
row. Widest spacing 0.01, so the table's transform is reliable up to xi = pi/0.01 ~ 314.

Usage: data/make_lap_csv.py [OUT]   (default: lap.csv next to this script)
Standard library only; the output is the same bytes on every run.
"""
import math
import pathlib
import sys

ELL = 0.5
ROWS = 3001
R_MAX = 30.0


def main() -> None:
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).with_name("lap.csv")
    lines = ["r,e"]
    for i in range(ROWS):
        r = R_MAX * i / (ROWS - 1)  # 0.01 i, rounded once
        lines.append(f"{r!r},{math.exp(-r / ELL)!r}")
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
