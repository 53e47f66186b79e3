"""Generate a large, realistic transactions export for the benchmark (not committed).

``python benchmarks/generate.py ROWS PATH``: a comma-separated CSV with about ROWS/10
customers, Pareto-skewed spend (a few customers buy far more often and more per order),
three years of dates, order ids and some refunds. Deterministic (seeded).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb

SQL = """
SELECT printf('C%07d', customer) AS customer_id,
       DATE '2023-01-01' + CAST(floor(random() * 1096) AS INTEGER) AS date,
       round(CASE WHEN random() < 0.02 THEN -1 ELSE 1 END
             * (5 + 40 * pow(random(), 3)) * (1 + customer_weight), 2) AS amount,
       printf('O%09d', i) AS order_id,
       CASE WHEN random() < 0.15 THEN 'online' ELSE 'shop' END AS channel
FROM (
    SELECT i,
           -- Pareto-skewed customer: low ids buy far more often.
           CAST(floor({customers} * pow(random(), 2.5)) AS INTEGER) + 1 AS customer,
           0 AS customer_weight
    FROM range({rows}) t(i)
)
"""


def generate(rows: int, path: Path) -> None:
    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)")
    query = SQL.format(rows=rows, customers=max(rows // 10, 1))
    con.execute(f"COPY ({query}) TO '{path}' (HEADER, DELIMITER ',')")


if __name__ == "__main__":
    rows, path = int(sys.argv[1]), Path(sys.argv[2])
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    generate(rows, path)
    print(
        f"wrote {rows:,} rows to {path.name} ({path.stat().st_size / 1e6:.0f} MB) "
        f"in {time.perf_counter() - start:.1f} s"
    )
