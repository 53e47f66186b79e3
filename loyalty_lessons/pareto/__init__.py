"""The 80/20 rule: how concentrated revenue, orders and complaints are over customers.

Sources: [fr-monitoring-loyalty] (a fifth of the customers bring four fifths of the
sales, and a fifth of the customers cause four fifths of the problems) and
[ru-loyalty-tips] (four fifths of the business comes from a stable fifth of the
customers). Whether a client's data follow 80/20, 70/30 or 95/5 is what these functions
measure.

Three modules, all names importable from here:

- :mod:`~loyalty_lessons.pareto.concentration`: the concentration curve, top shares, the
  data's own Pareto point, Gini, and a verdict comparing two top shares;
- :mod:`~loyalty_lessons.pareto.complaints`: how concentrated complaints are, and the
  overlap of the most valuable customers with the top complainers;
- :mod:`~loyalty_lessons.pareto.table`: :func:`pareto_table`, every measure in one table.

Negative values (customers whose refunds exceed their purchases) cannot hold a share of a
total. They are counted as 0 and, by default, a ``UserWarning`` says how many there were;
pass ``negative="clip"`` to accept that quietly or ``negative="raise"`` to refuse such data.
:func:`pareto_table` reports the count in its ``negatives_clipped`` column.
"""

from __future__ import annotations

from loyalty_lessons.pareto.complaints import (
    ValueComplaintOverlap,
    complaint_concentration,
    value_complaint_overlap,
)
from loyalty_lessons.pareto.concentration import (
    NegativePolicy,
    ParetoPoint,
    concentration_curve,
    concentration_verdict,
    curve_shares,
    gini,
    pareto_point,
    top_count,
    top_share,
)
from loyalty_lessons.pareto.table import pareto_table

__all__ = [
    "NegativePolicy",
    "ParetoPoint",
    "ValueComplaintOverlap",
    "complaint_concentration",
    "concentration_curve",
    "concentration_verdict",
    "curve_shares",
    "gini",
    "pareto_point",
    "pareto_table",
    "top_count",
    "top_share",
    "value_complaint_overlap",
]
