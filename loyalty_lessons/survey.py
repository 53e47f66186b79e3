"""The SERVQUAL survey's vocabulary: its five dimensions and which item measures which.

The loader (:func:`~loyalty_lessons.survey_loader.load_survey`) reads survey exports with these
names, and the analyses (:mod:`loyalty_lessons.quality_gap`, the sample business, the
explorers, the report) report in this order; they all import them from here.
"""

from __future__ import annotations

__all__ = ["DIMENSIONS", "SERVQUAL_ITEMS"]

#: The five SERVQUAL dimensions, in the order every result uses.
DIMENSIONS: tuple[str, ...] = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")

#: The standard 22-item SERVQUAL questionnaire (Parasuraman, Zeithaml & Berry, 1988):
#: item number -> dimension.
SERVQUAL_ITEMS: dict[int, str] = {
    **{i: "tangibles" for i in range(1, 5)},
    **{i: "reliability" for i in range(5, 10)},
    **{i: "responsiveness" for i in range(10, 14)},
    **{i: "assurance" for i in range(14, 18)},
    **{i: "empathy" for i in range(18, 23)},
}
