"""Names a package imports from its modules on first use (PEP 562).

A package lists its names by module in ``_EXPORTS``; :func:`lazy_exports` gives it the
``__all__``, ``__getattr__`` and ``__dir__`` that import a module only when one of its names is
first asked for, so that importing the package (a workshop page's kernel, the command line)
does not import every subject's libraries.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: dict[str, tuple[str, ...]], namespace: dict
) -> tuple[list[str], Callable[[str], object], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for ``package``.

    Parameters
    ----------
    package : str
        The package's name (its ``__name__``).
    exports : dict
        Module of the package (relative name) -> the names importable from the package.
    namespace : dict
        The package's ``globals()``: a name, once imported, is kept there, so that the next
        lookup does not go through ``__getattr__``.

    Examples
    --------
    >>> names, getattr_, dir_ = lazy_exports("json", {"decoder": ("JSONDecoder",)}, {})
    >>> names, getattr_("JSONDecoder").__name__
    (['JSONDecoder'], 'JSONDecoder')
    """
    module_of = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str):
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        namespace[name] = value  # the next lookup does not come here
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(module_of))

    return sorted(module_of), __getattr__, __dir__
