"""Reading TOML manifests strictly: one validator for the catalogue and the dataset registry.

A :class:`TomlTable` wraps one table of a parsed file. Each accessor checks the type of
one key and every problem becomes the caller's error class with the same shape of message,
naming the file and the dotted key: ``<file>: key 'levels[0].xp': expected an integer,
got 'ten'``. ``check_keys`` rejects keys the format does not define, so a typo is an error
instead of a silently ignored setting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from sandbox.errors import SandboxError


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of an accessor whose key must be present.
REQUIRED: Final = _Required()


def read_toml(path: Path, error: type[SandboxError]) -> dict[str, Any]:
    """Parse ``path``; a missing file or bad syntax becomes ``error`` naming the file."""
    import tomllib

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None


class TomlTable:
    """One table of a TOML file being read (``where`` is its dotted path in the file)."""

    def __init__(
        self, data: Mapping[str, Any], file: Path, where: str, error: type[SandboxError]
    ) -> None:
        self.data = data
        self.file = file
        self.where = where
        self._error = error

    def error(self, key: str, problem: str) -> SandboxError:
        location = f"{self.where}.{key}" if self.where else key
        return self._error(f"{self.file}: key '{location}': {problem}")

    def check_keys(self, allowed: Sequence[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(key, f"unknown key (allowed: {', '.join(allowed)})")

    def _get(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is REQUIRED:
            raise self.error(key, "missing")
        return default

    def text(self, key: str, default: str | _Required = REQUIRED, non_empty: bool = False) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or (non_empty and not value.strip()):
            kind = "a non-empty string" if non_empty else "a string"
            raise self.error(key, f"expected {kind}, got {value!r}")
        return value

    def optional_text(self, key: str) -> str | None:
        """A non-empty string, or None when the key is absent."""
        return self.text(key, non_empty=True) if key in self.data else None

    def integer(self, key: str, default: int | _Required = REQUIRED, minimum: int = 0) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, f"expected an integer, got {value!r}")
        if value < minimum:
            raise self.error(key, f"must be at least {minimum}, got {value}")
        return value

    def str_list(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self._get(key, REQUIRED if required else [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"expected a list of strings, got {value!r}")
        return tuple(value)

    def mapping(self, key: str, value_type: type, required: bool = False) -> dict[str, Any]:
        """A table whose values all have ``value_type`` (booleans never count as numbers)."""
        value = self._get(key, REQUIRED if required else {})
        if not isinstance(value, dict) or not all(
            isinstance(v, value_type) and not isinstance(v, bool) for v in value.values()
        ):
            raise self.error(key, f"expected a table of {value_type.__name__} values")
        return dict(value)

    def table(self, key: str) -> TomlTable:
        value = self._get(key, REQUIRED)
        if not isinstance(value, dict):
            raise self.error(key, f"expected a table, got {value!r}")
        where = f"{self.where}.{key}" if self.where else key
        return TomlTable(value, self.file, where, self._error)

    def tables(self, key: str) -> list[TomlTable]:
        value = self._get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, f"expected an array of tables ([[{key}]])")
        prefix = f"{self.where}." if self.where else ""
        return [
            TomlTable(v, self.file, f"{prefix}{key}[{i}]", self._error) for i, v in enumerate(value)
        ]
