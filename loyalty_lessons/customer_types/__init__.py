"""Customer types (lesson 02): who is dissatisfied, satisfied or loyal, and what each is worth.

The three types of [fr-monitoring-loyalty], one subject a module:

- :mod:`~loyalty_lessons.customer_types.classify`: the types and their rules, from purchase
  behaviour, from the survey or from both (:func:`classify_customers`, :data:`TYPE_RULES`,
  :func:`describe_rule`), and what each type is named by what it was read from
  (:func:`type_labels`, :func:`basis_counts`);
- :mod:`~loyalty_lessons.customer_types.profile`: how many customers each type has and what
  they spend (:func:`type_profile`, :func:`monthly_spend`), and how much more loyal
  customers spend than satisfied ones (:func:`spend_uplift`);
- :mod:`~loyalty_lessons.customer_types.prescriptions`: the service each type calls for
  (:func:`service_prescriptions`) and who among them complains (:func:`complaints_by_type`).

The names of all three are importable from here. The same lesson's other two views of the
customers have modules of their own: the five shopping behaviours in
:mod:`loyalty_lessons.behaviours`, RFM scores and segments in :mod:`loyalty_lessons.rfm`;
the spend measured out of sample is in :mod:`loyalty_lessons.future_spend`.
"""

from loyalty_lessons.customer_types.classify import (
    TYPE_LABELS,
    TYPE_RULES,
    TYPES,
    basis_counts,
    classify_customers,
    describe_rule,
    type_labels,
)
from loyalty_lessons.customer_types.prescriptions import complaints_by_type, service_prescriptions
from loyalty_lessons.customer_types.profile import (
    DAYS_PER_MONTH,
    MAX_BOOTSTRAP_DRAWS,
    SpendUplift,
    monthly_spend,
    spend_uplift,
    type_profile,
)

__all__ = [
    "complaints_by_type",
    "DAYS_PER_MONTH",
    "MAX_BOOTSTRAP_DRAWS",
    "TYPES",
    "TYPE_LABELS",
    "TYPE_RULES",
    "SpendUplift",
    "basis_counts",
    "classify_customers",
    "describe_rule",
    "monthly_spend",
    "service_prescriptions",
    "spend_uplift",
    "type_labels",
    "type_profile",
]
