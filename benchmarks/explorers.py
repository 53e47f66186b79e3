"""Time one update of each lesson explorer (a control moved, result recomputed, chart redrawn)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import statistics
import time

import loyalty_lessons.widgets as widgets_package
from loyalty_lessons import fit_bg_nbd, load_inputs, model_check
from loyalty_lessons.widgets import Explorer


def _factories():
    for info in pkgutil.iter_modules(widgets_package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"loyalty_lessons.widgets.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_explorer") and function.__module__ == module.__name__:
                yield f"{info.name}.{name}", function


def _build(factory, inputs):
    """Call an explorer factory with the inputs its parameters name (the customer-base model
    and its check are fitted as lesson 07 fits them, when an explorer asks for them)."""
    available = {
        "inputs": lambda: inputs,
        "summary": lambda: inputs.summary,
        "transactions": lambda: inputs.transactions,
        "survey": lambda: inputs.survey,
        "complaints": lambda: inputs.complaints,
        "model": lambda: fit_bg_nbd(inputs.summary),
        "check": lambda: model_check(inputs.transactions, holdout_end=inputs.observation_end),
    }
    parameters = inspect.signature(factory).parameters
    kwargs = {name: available[name]() for name in parameters if name in available}
    return factory(**kwargs)


def _update_ms(explorer: Explorer, repeats: int = 5) -> float:
    times = []
    for control in explorer.controls.values():
        options = getattr(control, "options", None)
        values = (
            [o[1] if isinstance(o, tuple) else o for o in options]
            if options
            else [control.min, control.max]
            if hasattr(control, "max")
            else []
        )
        for value in (values * repeats)[: 2 * repeats]:
            start = time.perf_counter()
            control.value = value
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times) if times else float("nan")


def explorer_table() -> str:
    from loyalty_lessons import generate_sample

    sample = load_inputs()
    big = generate_sample(n_customers=100_000)
    large = load_inputs(big.transactions, big.survey, big.complaints)
    rows = ["| explorer | sample (3,000 customers) ms | 100,000 customers ms |", "|---|---|---|"]
    for name, factory in sorted(_factories()):
        cells = []
        for inputs in (sample, large):
            try:
                cells.append(f"{_update_ms(_build(factory, inputs)):.0f}")
            except Exception as error:  # report, do not hide, an explorer that cannot be built
                cells.append(f"error: {type(error).__name__}")
        rows.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return "\n".join(rows)
