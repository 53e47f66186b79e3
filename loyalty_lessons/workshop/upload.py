"""The facilitator's upload form: the client's files, date order, currency, Load, and the wipe button.

Its callbacks are one-line adapters over :mod:`loyalty_lessons.workshop.store`: Load calls
:func:`~loyalty_lessons.workshop.store.load_client_data` then
:func:`~loyalty_lessons.workshop.store.save_dataset`; *Wipe the client's data* calls
:func:`~loyalty_lessons.workshop.store.clear_dataset`. Refusals are put in the page's own
terms (:func:`~loyalty_lessons.workshop.wording.in_page_terms`) and the load report in
sentences (:func:`~loyalty_lessons.workshop.wording.plain_report`), in the page's language
(``workshop.upload`` of the catalogue). Only the facilitator's page builds this form: a
participant's kernel never holds it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.load_report import LoadReport
from loyalty_lessons.workshop.store import (
    UPLOAD_SUFFIXES,
    ColumnsNotRecognised,
    Dataset,
    clear_dataset,
    load_client_data,
    save_dataset,
)
from loyalty_lessons.workshop.texts import WorkshopTexts
from loyalty_lessons.workshop.wording import in_page_terms, plain_report

__all__ = ["UploadPanel", "error_html"]

#: The Dates menu: its entry in ``workshop.date_formats`` -> the format the loader is given.
_DATE_FORMATS = {
    "detect": "",
    "day_slash": "%d/%m/%Y",
    "day_dot": "%d.%m.%Y",
    "month_slash": "%m/%d/%Y",
    "iso": "%Y-%m-%d",
}
_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "RUB", "JPY"]
_FILES = ("transactions", "survey", "complaints")


def error_html(text: str) -> str:
    """A refusal as a red box (monospaced, so that a table of example lines stays aligned)."""
    return (
        f"<div class='ll-error' style='padding:8px 12px;background:#fdecea;color:#8a1c12;"
        f"border-left:4px solid #c0392b;max-width:1100px;white-space:pre-wrap;line-height:1.4;"
        f"font-family:var(--jp-code-font-family, monospace)'>{html.escape(text)}</div>"
    )


def _report_html(name: str, report: LoadReport, t: WorkshopTexts) -> str:
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in plain_report(report, t.language))
    heading = t.html("upload.report_heading", table=t.named("tables", name), file=report.source)
    return (
        "<div class='ll-report' style='max-width:1100px;overflow-wrap:anywhere'>"
        f"<h4 style='margin:8px 0 2px 0'>{heading}</h4><ul style='margin:0'>{lines}</ul></div>"
    )


def _uploaded(control: widgets.FileUpload) -> tuple[str, bytes] | None:
    if not control.value:
        return None
    item = control.value[0]
    return item["name"], bytes(item["content"])


class UploadPanel:
    """The upload form: three file pickers, date order, currency, Load, wipe, and the load report.

    A file whose headers are not recognised opens one dropdown per missing role (filled
    with the file's headers) and Load tries again with that mapping. A file that cannot be
    used shows what is wrong in the page's terms and changes nothing. Once loaded, or wiped,
    the files' bytes are dropped from the form.

    Attributes
    ----------
    widget : ipywidgets.VBox
    uploads : dict of str to ipywidgets.FileUpload
    status : ipywidgets.HTML
        The load report, or the message of what went wrong.
    mapping : dict
        Table name -> role -> Dropdown, while a mapping is asked for.
    """

    def __init__(
        self,
        folder: str | Path | None = None,
        on_change: Callable[[], None] | None = None,
        language: str | None = None,
    ):
        self.folder, self.on_change = folder, on_change or (lambda: None)
        self.texts = t = WorkshopTexts(language)
        accept = ",".join(UPLOAD_SUFFIXES)
        # The button shows its tooltip as its label (projector.css): ipywidgets would add a
        # file count, "(0)", to a description.
        self.uploads = {
            kind: widgets.FileUpload(
                accept=accept,
                description="",
                tooltip=t(f"upload.choose_{kind}"),
                icon="",
                layout=widgets.Layout(width="330px"),
            )
            for kind in _FILES
        }
        for control in self.uploads.values():
            control.add_class("ll-upload")
        style = {"description_width": "110px"}
        self.date_format = widgets.Dropdown(
            options=[(t(f"date_formats.{key}"), fmt) for key, fmt in _DATE_FORMATS.items()],
            value="",
            description=t("upload.dates"),
            style=style,
            layout=widgets.Layout(width="420px"),
        )
        self.currency = widgets.Dropdown(
            options=_CURRENCIES,
            value="EUR",
            description=t("upload.currency"),
            style=style,
            layout=widgets.Layout(width="260px"),
        )
        self.load_button = widgets.Button(description=t("upload.load"), button_style="primary")
        self.sample_button = widgets.Button(
            description=t("upload.wipe"),
            tooltip=t("upload.wipe_tooltip"),
            button_style="danger",
            layout=widgets.Layout(width="300px"),
        )
        self.load_button.on_click(lambda _: self.load())
        self.sample_button.on_click(lambda _: self.use_sample())
        self.mapping: dict[str, dict[str, widgets.Dropdown]] = {}
        self._mapped_files: dict[str, str] = {}
        self.mapping_box = widgets.VBox()
        self.chosen = widgets.HTML()
        for control in self.uploads.values():
            control.observe(lambda _: self._show_chosen(), names="value")
        self.status = widgets.HTML()
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    f"<h2 style='margin:0.6em 0 0.2em 0'>{t.html('upload.heading')}</h2>"
                    f"<p style='max-width:1100px'>{t.html('upload.intro')}</p>"
                ),
                widgets.HBox(list(self.uploads.values())),
                self.chosen,
                widgets.HBox([self.date_format, self.currency]),
                self.mapping_box,
                widgets.HBox([self.load_button, self.sample_button]),
                self.status,
            ]
        )

    def files(self) -> dict[str, tuple[str, bytes]]:
        """Table name -> (file name, content) of the files chosen so far."""
        return {kind: got for kind, control in self.uploads.items() if (got := _uploaded(control))}

    def _show_chosen(self) -> None:
        t = self.texts
        self.chosen.value = (
            "<div class='ll-chosen'>"
            + "; ".join(
                t.html("upload.chosen", table=t.named("tables", kind), file=name)
                for kind, (name, _) in self.files().items()
            )
            + "</div>"
        )

    def _forget_files(self) -> None:
        """Drop the chosen files' bytes from the form (and from the page's memory)."""
        for control in self.uploads.values():
            control.value = ()

    def columns(self) -> dict[str, dict[str, str]]:
        """Table name -> role -> header chosen in the mapping dropdowns."""
        return {
            kind: {role: d.value for role, d in roles.items() if d.index}
            for kind, roles in self.mapping.items()
        }

    def _ask_mapping(self, problem: ColumnsNotRecognised) -> None:
        t = self.texts
        kept = self.mapping.get(problem.kind, {})
        roles = {
            role: kept.get(role)
            or widgets.Dropdown(
                options=[t("upload.choose_column"), *problem.headers],
                value=t("upload.choose_column"),
                description=t.named("workshop.menu_roles", role),
                style={"description_width": "170px"},
                layout=widgets.Layout(width="520px"),
            )
            for role in [*kept, *problem.missing]
        }
        self.mapping[problem.kind] = roles
        self._mapped_files[problem.kind] = problem.file_name
        self.mapping_box.children = [
            control
            for kind, dropdowns in self.mapping.items()
            for control in [
                widgets.HTML(
                    t.html(
                        "upload.which_column", file=self._mapped_files[kind], table=t.named("tables", kind)
                    )
                ),
                *dropdowns.values(),
            ]
        ]

    def load(self) -> Dataset | None:
        """Load the chosen files and make them the active dataset; report on the page."""
        files, t = self.files(), self.texts
        if not files:
            self.status.value = error_html(t("upload.no_file"))
            return None
        try:
            dataset = load_client_data(
                files,
                columns=self.columns(),
                date_format=self.date_format.value or None,
                currency=self.currency.value,
            )
            save_dataset(dataset, self.folder)
        except ColumnsNotRecognised as problem:
            self._ask_mapping(problem)
            self.status.value = error_html(in_page_terms(str(problem), t.language))
            return None
        except LoyaltyDataError as problem:
            self.status.value = error_html(in_page_terms(str(problem), t.language))
            return None
        except Exception:  # a file no reader understands: say so, keep the page alive
            self.status.value = error_html(
                t("upload.unreadable", files=t.join([name for name, _ in files.values()]))
            )
            return None
        self.mapping, self.mapping_box.children = {}, []
        self._forget_files()
        self.status.value = (
            "<div class='ll-loaded' style='color:#1d5e20;font-weight:bold;margin:6px 0'>"
            f"{t.html('upload.loaded', name=dataset.name, reload=t('reload'))}</div>"
            + "".join(_report_html(kind, report, t) for kind, report in dataset.inputs.reports.items())
        )
        self.on_change()
        return dataset

    def use_sample(self) -> None:
        """Delete the client's data and make the sample business the active dataset again."""
        clear_dataset(self.folder)
        self.mapping, self.mapping_box.children = {}, []
        self._forget_files()
        self.chosen.value = ""
        self.status.value = (
            f"<div class='ll-loaded' style='margin:6px 0'>{self.texts.html('upload.wiped')}</div>"
        )
        self.on_change()
