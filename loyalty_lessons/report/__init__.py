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
- :mod:`~loyalty_lessons.report.sections`: the sections, each filling its template with
  sentences of the message catalogue (:mod:`~loyalty_lessons.report.text`), with
  "Who is still a customer" in :mod:`~loyalty_lessons.report.customer_base_section`;
- :mod:`~loyalty_lessons.report.render`: charts as inline images, the Jinja2 templates
  (``templates/``, autoescape on) and the HTML export (:func:`notebook_to_html`).
"""

from loyalty_lessons.report.data import (
    REPORT_ASSUMPTIONS,
    TABLES,
    ReportData,
    rejected_rows,
    report_data,
    write_rejected_rows,
)
from loyalty_lessons.report.figures import key_figures, write_key_figures
from loyalty_lessons.report.render import REPORT_STYLE, html_exporter, notebook_path, notebook_to_html
from loyalty_lessons.report.sections import (
    actions_section,
    customer_base_section,
    customer_types_section,
    data_quality_section,
    loyalty_value_section,
    monitoring_section,
    pareto_section,
    quality_gap_section,
    summary_section,
    title_section,
)
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
    "summary_section",
    "title_section",
    "write_key_figures",
    "write_rejected_rows",
]
