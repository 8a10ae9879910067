#!/usr/bin/env python3
"""Writes a Eurostat bulk TSV (2023+ header, years ascending) of about CELLS cells for the ingest benchmark.

Rows: unit x sex x age x geo over every NUTS 2021 code of the project's classification (levels 0-3), so that each
row is a valid, distinct key; one column per year. About 8% of cells carry flags (b, p, e, bu) and 5% are ':'.
Usage: gen_eurostat_tsv.py CELLS OUT_FILE [SEED]
"""
import csv
import random
import sys

cells = int(sys.argv[1])
out = sys.argv[2]
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
with open(sys.argv[4] if len(sys.argv) > 4 else "src/main/resources/nuts/NUTS2021.csv", newline="",
          encoding="utf-8") as f:
    geos = [r["code2021"] for r in csv.DictReader(f) if r["NUTS_level"] in ("0", "1", "2", "3")]
years = list(range(1985, 2025))
units = ["THS", "PC", "MIO_EUR", "PPS", "NR", "PC_POP"]
sexes = ["F", "M", "T"]
ages = ["Y15-24", "Y15-64", "Y20-64", "Y25-34", "Y25-64", "Y35-44", "Y45-54", "Y55-64", "Y_GE15", "Y_GE25",
        "Y_GE65", "Y15-19", "Y20-24", "Y65-74"]
rows_needed = -(-cells // len(years))
flags = [" b", " p", " e", " bu"]
written = 0
with open(out, "w", encoding="utf-8", newline="\n") as w:
    w.write("freq,unit,sex,age,geo\\TIME_PERIOD\t" + "\t".join(f"{y} " for y in years) + "\n")
    for unit in units:
        for sex in sexes:
            for age in ages:
                for geo in geos:
                    if written >= rows_needed:
                        break
                    parts = []
                    for _ in years:
                        u = rnd.random()
                        if u < 0.05:
                            parts.append(": ")
                        else:
                            v = f"{rnd.uniform(0, 99.9):.1f}"
                            parts.append(v + (flags[int(u * 1000) % 4] if u < 0.13 else " "))
                    w.write(f"A,{unit},{sex},{age},{geo}\t" + "\t".join(parts) + "\n")
                    written += 1
if written < rows_needed:
    sys.exit(f"only {written} distinct rows available; ask for fewer cells")
print(f"{written} rows x {len(years)} years = {written * len(years)} cells -> {out}")
