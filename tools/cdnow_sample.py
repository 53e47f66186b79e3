r"""Write ``tests/data/cdnow_sample.csv`` from the CDNOW 1/10 sample of the lifetimes 0.11.3 wheel.

The source file, ``lifetimes/datasets/CDNOW_sample.txt``, has one line per purchase record of
2,357 CDNOW customers (customer index, customer id, date YYYYMMDD, number of CDs, dollar
value). This script keeps the customer id, the date and the dollar value, and merges a
customer's records of the same day into one (their values summed), as Fader, Hardie & Lee
(2005) count purchases. Usage::

    pip download --no-deps lifetimes==0.11.3 -d /tmp/lifetimes
    cd /tmp/lifetimes && unzip -o *.whl 'lifetimes/datasets/*'
    python tools/cdnow_sample.py /tmp/lifetimes/lifetimes/datasets/CDNOW_sample.txt \
        tests/data/cdnow_sample.csv
"""

from __future__ import annotations

import sys

import pandas as pd


def cdnow_sample(source: str) -> pd.DataFrame:
    """The sample's purchases, one row per customer and day: ``customer_id``, ``date``, ``amount``."""
    raw = pd.read_csv(
        source,
        sep=r"\s+",
        header=None,
        dtype={2: str},
        names=["index", "customer_id", "date", "cds", "amount"],
    )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    merged = raw.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    merged["amount"] = merged["amount"].round(2)
    return merged.sort_values(["customer_id", "date"], ignore_index=True)


if __name__ == "__main__":
    source, target = sys.argv[1:3]
    cdnow_sample(source).to_csv(target, index=False, date_format="%Y-%m-%d")
