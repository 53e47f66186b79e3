"""The client report: what it computes, its key figures, its sections, and its export.

The report is the notebook ``notebooks/client-report.ipynb``, run by
``loyalty-lessons report`` (see ``docs/report.md``). Its cells are thin: each displays one
section function of this package. The package follows the stages of the job:

- :mod:`~loyalty_lessons.report.data`: :func:`report_data` loads the client's files (or a
  folder saved by :meth:`~loyalty_lessons.inputs.Inputs.save`) into a :class:`ReportData`,
  which computes every analysis once;
- :mod:`~loyalty_lessons.report.model`: the customer-base model of the report, fitted, checked
  on a holdout and applied (:func:`~loyalty_lessons.report.model.customer_base`);
- :mod:`~loyalty_lessons.report.figures`: :func:`key_figures`, what ``figures.json`` holds;
- the sections, one module each, named as the section is (``<section>_section.py``: the
  title and summary in :mod:`~loyalty_lessons.report.summary_section`, then
  ``data_quality``, ``quality_gap``, ``customer_types``, ``customer_base`` ("Who is still a
  customer"), ``pareto``, ``loyalty_value``, ``monitoring``, ``actions``, and ``sources``, the works the
  others cite), each filling its
  template with sentences of the message catalogue (:mod:`~loyalty_lessons.report.text`);
  what they share is in ``_common.py``;
- :mod:`~loyalty_lessons.report.render`: charts as inline images, the Jinja2 templates
  (``templates/``, autoescape on) and the HTML export (:func:`notebook_to_html`).
"""

from loyalty_lessons.report.actions_section import actions_section
from loyalty_lessons.report.customer_base_section import customer_base_section
from loyalty_lessons.report.customer_types_section import customer_types_section
from loyalty_lessons.report.data import (
    REPORT_ASSUMPTIONS,
    TABLES,
    ReportData,
    rejected_rows,
    report_data,
    write_rejected_rows,
)
from loyalty_lessons.report.data_quality_section import data_quality_section
from loyalty_lessons.report.figures import key_figures, write_key_figures
from loyalty_lessons.report.loyalty_value_section import loyalty_value_section
from loyalty_lessons.report.monitoring_section import monitoring_section
from loyalty_lessons.report.pareto_section import pareto_section
from loyalty_lessons.report.quality_gap_section import quality_gap_section
from loyalty_lessons.report.render import REPORT_STYLE, html_exporter, notebook_path, notebook_to_html
from loyalty_lessons.report.sources_section import sources_section
from loyalty_lessons.report.summary_section import summary_section, title_section
from loyalty_lessons.report.text import Messages, available_languages, messages

__all__ = [
    "REPORT_ASSUMPTIONS",
    "REPORT_STYLE",
    "TABLES",
    "Messages",
    "ReportData",
    "actions_section",
    "available_languages",
    "customer_base_section",
    "customer_types_section",
    "data_quality_section",
    "html_exporter",
    "key_figures",
    "loyalty_value_section",
    "messages",
    "monitoring_section",
    "notebook_path",
    "notebook_to_html",
    "pareto_section",
    "quality_gap_section",
    "rejected_rows",
    "report_data",
    "sources_section",
    "summary_section",
    "title_section",
    "write_key_figures",
    "write_rejected_rows",
]
