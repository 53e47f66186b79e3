"""The performance benchmark: ``make bench`` (or ``python benchmarks/bench.py [SIZES...] [--repeats N]``).

For each size (rows of transactions; customers about a tenth, Pareto-skewed spend, three
years of dates), generated on demand into ``bench-data/`` (git-ignored), it measures in
fresh processes, in the same run:

- loading + validation + per-customer summary with loyalty-lessons, beside the
  plain-pandas baseline (``read_csv(engine="pyarrow")`` + groupby to the same summary),
  their ratio, and whether the two summaries are identical;
- the full ``loyalty-lessons report`` (kernel start and HTML conversion included);
- the customer-base models (``benchmarks/customer_base.py``) on as many customers as the
  largest size has (a tenth of its rows), with one OpenBLAS thread as in the report's kernel;
- the Spark engine in local mode beside DuckDB (loading + summary, and the report), up to
  10 M rows: the price of the second engine on one machine (``--no-spark`` leaves it out;
  it needs pyspark and Java);

then the time of one update of each lesson explorer, on the sample business and on
100,000 customers. ``100M`` (asked for by name: ``make bench SIZES=100M``, about 4 GB of
CSV) measures the one-machine ceiling of the DuckDB route; the pandas baseline, which would
need tens of GB of memory there, is left out at that size.

Wall seconds (the median of ``--repeats`` runs, 3 by default, with their range; ours and
the baseline take turns), and peak memory (the largest resident set of the process and the
processes it waited for, over the runs). It prints Markdown tables.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "bench-data"
SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000, "100M": 100_000_000}
#: The sizes run when none is named (100M only on request: it takes a while and 4 GB of disk).
DEFAULT_SIZES = ["100k", "1M", "10M"]
#: The sizes the pandas baseline and the Spark engine in local mode are run at.
BASELINE_SIZES = {"100k", "1M", "10M"}


def measure(command: list[str]) -> tuple[float, float, int]:
    """Run a command; return (wall seconds, peak memory in MB, exit status)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-2000:])
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def runs(command: list[str], repeats: int) -> tuple[list[float], float, int]:
    """``measure`` the command ``repeats`` times: (the wall seconds of each run, the largest
    peak memory, the first non-zero exit status or 0)."""
    measured = [measure(command) for _ in range(repeats)]
    return [m[0] for m in measured], max(m[1] for m in measured), next((m[2] for m in measured if m[2]), 0)


def spread(seconds: list[float]) -> str:
    """The median of the runs, and their range when there are several."""
    middle = f"{statistics.median(seconds):.2f}"
    return middle if len(seconds) == 1 else f"{middle} ({min(seconds):.2f}-{max(seconds):.2f})"


def dataset(label: str) -> Path:
    path = DATA / f"transactions_{label}.csv"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(SIZES[label]), str(path)], check=True)
    return path


def same(a: Path, b: Path) -> str:
    left, right = pd.read_parquet(a), pd.read_parquet(b)
    if (
        len(left) != len(right)
        or not (left["customer_id"].to_numpy() == right["customer_id"].to_numpy()).all()
    ):
        return "no (customers differ)"
    for column in left.columns.drop("customer_id"):
        if not np.allclose(left[column].to_numpy(float), right[column].to_numpy(float)):
            return f"no ({column} differs)"
    return "yes"


def loading_table(labels: list[str], repeats: int) -> str:
    rows = [
        "| rows | file | loyalty-lessons s | MB | pandas s | MB | faster | less memory | same summary |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    step = [sys.executable, str(HERE / "steps.py")]
    for label in labels:
        path = dataset(label)
        ours_s, theirs_s, m1, m2, statuses = [], [], 0.0, 0.0, []
        with tempfile.TemporaryDirectory() as tmp:
            ours, theirs = Path(tmp, "ours.parquet"), Path(tmp, "theirs.parquet")
            if label not in BASELINE_SIZES:  # the one-machine ceiling: ours alone
                ours_s, m1, status = runs(step + ["toolkit", str(path), str(ours)], repeats)
                rows.append(
                    f"| {label} | {path.stat().st_size / 1e6:.0f} MB | {spread(ours_s)} | {m1:.0f} | "
                    f"— | — | — | — | {'(no baseline)' if status == 0 else 'failed'} |"
                )
                continue
            for _ in range(repeats):  # in turns, so that a slow spell of the machine hits both
                (t1,), mem1, s1 = runs(step + ["toolkit", str(path), str(ours)], 1)
                (t2,), mem2, s2 = runs(step + ["pandas", str(path), str(theirs)], 1)
                ours_s.append(t1), theirs_s.append(t2), statuses.append((s1, s2))
                m1, m2 = max(m1, mem1), max(m2, mem2)
            ok = all(s1 == s2 == 0 for s1, s2 in statuses)
            verdict = same(ours, theirs) if ok else "failed"
        ratios = [t2 / t1 for t1, t2 in zip(ours_s, theirs_s)]
        faster = f"{statistics.median(theirs_s) / statistics.median(ours_s):.1f}×"
        if repeats > 1:
            faster += f" ({min(ratios):.1f}-{max(ratios):.1f})"
        rows.append(
            f"| {label} | {path.stat().st_size / 1e6:.0f} MB | {spread(ours_s)} | {m1:.0f} | "
            f"{spread(theirs_s)} | {m2:.0f} | {faster} | {m2 / m1:.1f}× | {verdict} |"
        )
    return "\n".join(rows)


def report_table(labels: list[str], repeats: int, engine: str = "duckdb") -> str:
    rows = ["| rows | report s | peak MB | status |", "|---|---|---|---|"]
    cli = str(Path(sys.executable).with_name("loyalty-lessons"))
    for label in labels:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, memory, status = runs(
                [cli, "report", "--engine", engine, "--transactions", str(dataset(label)), "--output", tmp],
                repeats,
            )
        rows.append(
            f"| {label} | {spread(seconds)} | {memory:.0f} | {'ok' if status == 0 else f'exit {status}'} |"
        )
    return "\n".join(rows)


def customer_base_table(customers: int, repeats: int) -> str:
    """``benchmarks/customer_base.py``'s table, run in a fresh process as the report's kernel runs."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, str(HERE / "customer_base.py"), str(customers), "--repeats", str(repeats)]
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout.strip()


def spark_table(labels: list[str], repeats: int) -> str:
    """Loading + summary on DuckDB and on Spark in local mode, in turns, and whether they agree."""
    rows = [
        "| rows | DuckDB s | MB | Spark local s | Python MB (no JVM) | Spark slower | same summary |",
        "|---|---|---|---|---|---|---|",
    ]
    step = [sys.executable, str(HERE / "steps.py")]
    for label in labels:
        path = dataset(label)
        duck_s, spark_s, m1, m2, statuses = [], [], 0.0, 0.0, []
        with tempfile.TemporaryDirectory() as tmp:
            duck, spark = Path(tmp, "duckdb.parquet"), Path(tmp, "spark.parquet")
            for _ in range(repeats):
                (t1,), mem1, s1 = runs(step + ["toolkit", str(path), str(duck)], 1)
                (t2,), mem2, s2 = runs(step + ["spark", str(path), str(spark)], 1)
                duck_s.append(t1), spark_s.append(t2), statuses.append((s1, s2))
                m1, m2 = max(m1, mem1), max(m2, mem2)
            ok = all(s1 == s2 == 0 for s1, s2 in statuses)
            verdict = same(duck, spark) if ok else "failed"
        slower = f"{statistics.median(spark_s) / statistics.median(duck_s):.1f}×"
        rows.append(
            f"| {label} | {spread(duck_s)} | {m1:.0f} | {spread(spark_s)} | {m2:.0f} | {slower} | {verdict} |"
        )
    return "\n".join(rows)


def spark_available() -> str | None:
    """Why the Spark engine cannot be measured here, or None when it can."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is missing (apt-get install openjdk-17-jre-headless)"
    return None


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb

    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; Python {platform.python_version()}, "
        f"pandas {pd.__version__}, DuckDB {duckdb.__version__}"
    )


def main(labels: list[str], repeats: int, with_spark: bool = True) -> None:
    print(f"Machine: {machine()}\n")
    print(f"Seconds: the median of {repeats} runs, and their range.\n" if repeats > 1 else "")
    print("## Loading + validation + per-customer summary\n")
    print(loading_table(labels, repeats), "\n")
    print("## Full report (kernel start and HTML conversion included)\n")
    print(report_table([label for label in labels if label != "100k"] or labels, repeats), "\n")
    print("## Customer-base models (fit, predict)\n")
    print(customer_base_table(max(SIZES[label] for label in labels) // 10, repeats), "\n")
    spark_labels = [label for label in labels if label in BASELINE_SIZES]
    if with_spark and spark_labels:
        print("## The Spark engine in local mode beside DuckDB (JVM start included)\n")
        why = spark_available()
        if why:
            print(f"Not measured: {why}.\n")
        else:
            print("Loading + validation + per-customer summary:\n")
            print(spark_table(spark_labels, repeats), "\n")
            print("Full report, --engine spark:\n")
            print(
                report_table(
                    [label for label in spark_labels if label != "100k"] or spark_labels, repeats, "spark"
                )
            )
            print()
    from explorers import explorer_table  # noqa: E402  (needs the package's widgets)

    print("## Explorer updates\n")
    print(explorer_table())


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    parser = argparse.ArgumentParser(description="Speed and memory against plain pandas.")
    parser.add_argument("sizes", nargs="*", metavar="SIZE", help=f"some of {', '.join(SIZES)} (default: all)")
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of each command (default 3); the "
        "tables give the median and the range, since one run's time can be far off",
    )
    parser.add_argument("--no-spark", action="store_true", help="leave out the Spark engine's measurements")
    args = parser.parse_args()
    unknown = [size for size in args.sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    main(args.sizes or DEFAULT_SIZES, max(1, args.repeats), with_spark=not args.no_spark)
