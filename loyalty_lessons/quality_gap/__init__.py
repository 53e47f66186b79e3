"""The quality gap (lesson 01): how far what customers perceive falls short of what they expect.

One subject a module:

- :mod:`~loyalty_lessons.quality_gap.gaps`: the gap itself, per item, respondent and
  dimension with its interval (:func:`dimension_gaps`), the SERVQUAL score
  (:func:`servqual_score`) and the NPS (:func:`nps`);
- :mod:`~loyalty_lessons.quality_gap.what_to_fix`: the importance–performance grid
  (:func:`importance_performance`) and the what-if of moved scores (:func:`what_if_gap`);
- :mod:`~loyalty_lessons.quality_gap.gap_behaviour`: what customers with a small or a large
  gap buy (:func:`gap_behaviour`).

The names of all three are importable from here.
"""

from loyalty_lessons.quality_gap.gap_behaviour import GAP_BANDS, gap_behaviour
from loyalty_lessons.quality_gap.gaps import (
    DIMENSIONS,
    SurveyScores,
    answered_items,
    dimension_gaps,
    item_gaps,
    nps,
    respondent_gaps,
    servqual_score,
    survey_scores,
)
from loyalty_lessons.quality_gap.what_to_fix import importance_performance, what_if_gap

__all__ = [
    "DIMENSIONS",
    "GAP_BANDS",
    "SurveyScores",
    "answered_items",
    "dimension_gaps",
    "gap_behaviour",
    "importance_performance",
    "item_gaps",
    "nps",
    "respondent_gaps",
    "servqual_score",
    "survey_scores",
    "what_if_gap",
]
