"""The challenge catalogue: manifests under ``challenges/`` loaded into frozen, typed records.

Files (``format_version = 1``)
-------------------------------
``challenges/catalogue.toml``
    ``format_version``  integer, must be 1.
    ``[game]``          ``no_help_bonus_percent``: extra XP, as a percentage of a challenge's XP,
                        for a first verification that used no hint and no solution.
    ``[[levels]]``      ``number`` (1, 2, … in order), ``name``, ``xp`` (cumulative XP needed to
                        reach the level; level 1 needs 0), ``blurb``, ``challenges`` (ids in the
                        order a learner should take them). Adding a challenge = one folder + one
                        line here.
    ``[[badges]]``      ``id``, ``name``, ``description``, ``icon``, ``rule`` (a table with
                        ``kind`` and the kind's parameters, see ``BADGE_RULE_PARAMS``).

``challenges/level_N/<id>/challenge.toml``
    ``id``, ``title``, ``level``, ``xp``, ``summary``, ``tags``, ``datasets``, ``minutes``,
    ``prerequisites`` (challenge ids), ``[[tasks]]`` each with ``id`` (``q1``, ``q2``, …),
    ``title``, ``prompt``, ``variables`` (names the task reads from the learner's namespace),
    ``hints`` (from gentle to specific) and ``check`` (a table with ``kind`` and the kind's
    options, see ``CHECK_OPTIONS``; those in ``REQUIRED_CHECK_OPTIONS``, whether order is part
    of the answer, must be stated).
    Beside it: ``solution.py`` (the reference, one ``# %% qN`` section per task), optional
    ``checks.py`` (required when a task uses ``kind = "custom"``) and ``wrong/*.py``
    (near-miss answers). The starter notebook is ``notebooks/level_N/<id>.ipynb``.

Every problem is reported as a :class:`CatalogueError` naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sandbox.errors import CatalogueError, NotFoundError, UnknownChallengeError
from sandbox.paths import SLUG_RE, content_root, manifests_stamp
from sandbox.tomltable import TomlTable, read_toml

FORMAT_VERSION = 1

#: Parameters each badge rule kind takes (all integers except ``tag``).
BADGE_RULE_PARAMS: dict[str, tuple[str, ...]] = {
    "verified_count": ("count",),  # N challenges verified
    "level_complete": ("level",),  # every challenge of level N verified
    "tag_complete": ("tag",),  # every challenge carrying the tag verified
    "no_help_count": ("count",),  # N challenges verified without hints or solutions
    "streak_days": ("days",),  # a streak of N days
    "xp_total": ("xp",),  # N XP in total
    "own_data_profiled": ("count",),  # N of the learner's own datasets profiled
    "own_data_validated": ("count",),  # N own datasets that passed validation against a schema
    "own_data_baseline": ("count",),  # N baseline models logged to MLflow from own data
}

_COMPARE_OPTIONS = ("rtol", "atol")
_FRAME_OPTIONS = (
    *_COMPARE_OPTIONS, "check_row_order", "check_column_order", "check_dtype", "check_index",
)  # fmt: skip

#: Options every check kind accepts: ``builds_on``, the earlier tasks whose answers this one
#: uses; when one of them failed, this task's failure names it as the first thing to fix.
COMMON_CHECK_OPTIONS = ("builds_on",)

#: Options each check kind accepts besides ``kind`` and ``COMMON_CHECK_OPTIONS`` (their
#: meaning: ``docs/authoring.md``, "Comparison semantics"; the comparisons:
#: ``sandbox/grading/compare.py``).
CHECK_OPTIONS: dict[str, tuple[str, ...]] = {
    "value": (*_COMPARE_OPTIONS, "type"),
    "sequence": (*_COMPARE_OPTIONS, "ordered", "type"),
    "set": ("type",),
    "frame": _FRAME_OPTIONS,
    "series": _FRAME_OPTIONS,
    "figure": ("check_axis_titles", "check_title", "check_data", "rtol"),
    "estimator": ("estimator", "fitted_on", "metric", "min_score", "holdout"),
    "custom": ("function",),
}

#: Options a check must state: whether the order of rows or items is part of the answer is
#: decided by the prompt, so every manifest says it instead of inheriting a default.
REQUIRED_CHECK_OPTIONS: dict[str, tuple[str, ...]] = {
    "frame": ("check_row_order",),
    "series": ("check_row_order",),
    "sequence": ("ordered",),
}

#: What ``type`` may require, per kind: the Python type the prompt names ("an integer", "the set",
#: "a list").
CHECK_TYPES: dict[str, tuple[str, ...]] = {
    "value": ("integer",),
    "set": ("set",),
    "sequence": ("list",),
}

_BOOLEAN_OPTIONS = frozenset(
    ("check_row_order", "check_column_order", "check_index", "ordered", "check_axis_titles",
     "check_data")
)  # fmt: skip
_CHOICE_OPTIONS: dict[str, tuple[object, ...]] = {
    "check_dtype": ("family", "exact", False),
    "check_title": (True, False, "exact"),
}

TASK_ID_PREFIX = "q"


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    xp: int
    blurb: str
    challenges: tuple[str, ...]


@dataclass(frozen=True)
class BadgeRule:
    kind: str
    count: int | None = None
    level: int | None = None
    tag: str | None = None
    days: int | None = None
    xp: int | None = None


@dataclass(frozen=True)
class Badge:
    id: str
    name: str
    description: str
    icon: str
    rule: BadgeRule


@dataclass(frozen=True)
class CheckSpec:
    kind: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    prompt: str
    variables: tuple[str, ...]
    hints: tuple[str, ...]
    check: CheckSpec
    #: Why this task's answer is the same on every data variant (a column name, a chosen
    #: method), so a copied answer cannot be told from a computed one; None for most tasks.
    same_on_every_variant: str | None = None


@dataclass(frozen=True)
class Challenge:
    id: str
    title: str
    level: int
    xp: int
    summary: str
    tags: tuple[str, ...]
    datasets: tuple[str, ...]
    minutes: int
    prerequisites: tuple[str, ...]
    tasks: tuple[Task, ...]
    folder: Path
    notebook: Path
    #: Why clean verification runs this challenge on the shipped files rather than on a fresh
    #: variant of its data; None (the rule) for challenges verified on fresh data.
    fixed_data: str | None = None

    @property
    def solution_file(self) -> Path:
        return self.folder / "solution.py"

    @property
    def checks_file(self) -> Path:
        return self.folder / "checks.py"

    @property
    def wrong_dir(self) -> Path:
        return self.folder / "wrong"

    @property
    def alternatives_dir(self) -> Path:
        return self.folder / "alternatives"

    @property
    def fabricated_dir(self) -> Path:
        return self.folder / "fabricated"

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        known = ", ".join(t.id for t in self.tasks)
        raise NotFoundError(
            f"Challenge {self.id!r} has no task {task_id!r}; its tasks are {known}."
        )


@dataclass(frozen=True)
class Catalogue:
    format_version: int
    no_help_bonus_percent: int
    levels: tuple[Level, ...]
    badges: tuple[Badge, ...]
    challenges: Mapping[str, Challenge]
    root: Path

    def __iter__(self) -> Iterator[Challenge]:
        """Challenges in learning order: by level, then as listed in the level."""
        return iter(self.challenges.values())

    def get(self, challenge_id: str) -> Challenge:
        """The challenge with this id, or UnknownChallengeError with close matches."""
        try:
            return self.challenges[challenge_id]
        except KeyError:
            pass
        import difflib

        close = difflib.get_close_matches(challenge_id, list(self.challenges), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownChallengeError(
            f"No challenge {challenge_id!r}.{hint} `sandbox list` shows every challenge id."
        )

    def level(self, number: int) -> Level:
        for level in self.levels:
            if level.number == number:
                return level
        raise NotFoundError(
            f"No level {number}; levels are {', '.join(str(lv.number) for lv in self.levels)}."
        )

    def in_level(self, number: int) -> list[Challenge]:
        return [c for c in self if c.level == number]

    def with_tag(self, tag: str) -> list[Challenge]:
        return [c for c in self if tag in c.tags]


# ---------------------------------------------------------------------------- loading helpers


def _table(data: Mapping[str, Any], file: Path, where: str = "") -> TomlTable:
    return TomlTable(data, file, where, CatalogueError)


def _read_toml(path: Path) -> dict[str, Any]:
    return read_toml(path, CatalogueError)


def _slug(table: TomlTable, key: str) -> str:
    value = table.text(key)
    if not SLUG_RE.fullmatch(value):
        raise table.error(key, f"{value!r} is not a lowercase slug (like 'pandas-first-look')")
    return value


def _load_rule(table: TomlTable) -> BadgeRule:
    kind = table.text("kind")
    if kind not in BADGE_RULE_PARAMS:
        raise table.error(
            "kind", f"unknown badge rule kind {kind!r} (known: {', '.join(BADGE_RULE_PARAMS)})"
        )
    params = BADGE_RULE_PARAMS[kind]
    table.check_keys(("kind", *params))
    values: dict[str, Any] = {}
    for param in params:
        values[param] = table.text(param) if param == "tag" else table.integer(param, minimum=1)
    return BadgeRule(kind=kind, **values)


def _load_check(table: TomlTable, number: int) -> CheckSpec:
    kind = table.text("kind")
    if kind not in CHECK_OPTIONS:
        raise table.error(
            "kind", f"unknown check kind {kind!r} (known: {', '.join(CHECK_OPTIONS)})"
        )
    table.check_keys(("kind", *COMMON_CHECK_OPTIONS, *CHECK_OPTIONS[kind]))
    options = {k: v for k, v in table.data.items() if k != "kind"}
    if kind == "custom" and "function" not in options:
        raise table.error("function", "a custom check names its function in checks.py")
    if kind == "estimator":
        _check_estimator_options(table, options)
    if "builds_on" in options:
        earlier = table.str_list("builds_on", required=True)
        wrong = [t for t in earlier if t not in {f"{TASK_ID_PREFIX}{n}" for n in range(1, number)}]
        if wrong:
            raise table.error("builds_on", f"{wrong[0]!r} is not an earlier task of this challenge")
        options["builds_on"] = tuple(earlier)
    for key in REQUIRED_CHECK_OPTIONS.get(kind, ()):
        if key not in options:
            raise table.error(
                key,
                "missing: say whether order is part of the answer (true when the prompt states "
                "an order, such as 'largest first'; false otherwise)",
            )
    for key, value in options.items():
        _check_option(table, kind, key, value)
    return CheckSpec(kind=kind, options=options)


#: ``fitted_on`` values of an estimator check: the rows a model must be proven fitted on.
FITTED_ON = ("train",)


def _check_estimator_options(table: TomlTable, options: dict[str, Any]) -> None:
    """``estimator`` is a call with literal keyword arguments, read without importing
    scikit-learn (the judge resolves the class); ``fitted_on`` names known rows."""
    import ast

    text = options.get("estimator")
    if text is not None:
        try:
            call = ast.parse(str(text).strip(), mode="eval").body
        except SyntaxError:
            call = None
        if (
            not isinstance(call, ast.Call)
            or not isinstance(call.func, ast.Name)
            or call.args
            or any(k.arg is None for k in call.keywords)
        ):
            raise table.error(
                "estimator",
                f"{text!r} is not a call like 'LogisticRegression(max_iter=1000)' (keyword arguments only)",
            )
    fitted_on = options.get("fitted_on")
    if fitted_on is not None and fitted_on not in FITTED_ON:
        raise table.error("fitted_on", f"{fitted_on!r} is not one of {', '.join(FITTED_ON)}")


def _check_option(table: TomlTable, kind: str, key: str, value: Any) -> None:
    """One option's value has the type its comparison reads (a typo is an error, not a default)."""
    if key in _BOOLEAN_OPTIONS and not isinstance(value, bool):
        raise table.error(key, f"expected true or false, got {value!r}")
    if key in _CHOICE_OPTIONS and not any(
        value == choice and type(value) is type(choice) for choice in _CHOICE_OPTIONS[key]
    ):
        choices = ", ".join(repr(c).lower() for c in _CHOICE_OPTIONS[key])
        raise table.error(key, f"expected one of {choices}, got {value!r}")
    if key in ("rtol", "atol") and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
    ):
        raise table.error(key, f"expected a number of at least 0, got {value!r}")
    if key == "type" and value not in CHECK_TYPES[kind]:
        allowed = ", ".join(repr(t) for t in CHECK_TYPES[kind])
        raise table.error(key, f"a {kind} check may require {allowed}, got {value!r}")


_CHALLENGE_KEYS = (
    "id", "title", "level", "xp", "summary", "tags", "datasets", "minutes", "prerequisites", "tasks",
    "fixed_data",
)  # fmt: skip
_TASK_KEYS = ("id", "title", "prompt", "variables", "hints", "check", "same_on_every_variant")


def _load_challenge(path: Path, root: Path) -> Challenge:
    top = _table(_read_toml(path), path)
    top.check_keys(_CHALLENGE_KEYS)
    challenge_id = _slug(top, "id")
    if path.parent.name != challenge_id:
        raise top.error(
            "id", f"{challenge_id!r} does not match its folder name {path.parent.name!r}"
        )
    level = top.integer("level", minimum=1)
    if path.parent.parent.name != f"level_{level}":
        raise top.error("level", f"{level} but the folder is under {path.parent.parent.name}/")
    tasks: list[Task] = []
    for number, task_table in enumerate(top.tables("tasks"), start=1):
        task_table.check_keys(_TASK_KEYS)
        task_id = task_table.text("id")
        if task_id != f"{TASK_ID_PREFIX}{number}":
            raise task_table.error(
                "id",
                f"expected '{TASK_ID_PREFIX}{number}' (tasks are q1, q2, … in order), got {task_id!r}",
            )
        variables = task_table.str_list("variables", required=True)
        if not variables or not all(v.isidentifier() for v in variables):
            raise task_table.error("variables", "list the Python variable name(s) the task reads")
        tasks.append(
            Task(
                id=task_id,
                title=task_table.text("title"),
                prompt=task_table.text("prompt"),
                variables=variables,
                hints=task_table.str_list("hints", required=True),
                check=_load_check(task_table.table("check"), number),
                same_on_every_variant=task_table.optional_text("same_on_every_variant"),
            )
        )
    if not tasks:
        raise top.error("tasks", "a challenge needs at least one [[tasks]] table")
    folder = path.parent
    notebook = root / "notebooks" / f"level_{level}" / f"{challenge_id}.ipynb"
    challenge = Challenge(
        id=challenge_id,
        title=top.text("title"),
        level=level,
        xp=top.integer("xp", minimum=1),
        summary=top.text("summary"),
        tags=top.str_list("tags"),
        datasets=top.str_list("datasets"),
        minutes=top.integer("minutes", minimum=1),
        prerequisites=top.str_list("prerequisites"),
        tasks=tuple(tasks),
        folder=folder,
        notebook=notebook,
        fixed_data=top.optional_text("fixed_data"),
    )
    if not challenge.solution_file.is_file():
        raise top.error("id", f"the challenge's file {challenge.solution_file} is missing")
    if not challenge.notebook.is_file() and not (folder / "starter.py").is_file():
        # A starter.py alone is enough while authoring: `sandbox dev build` writes the notebook.
        raise top.error(
            "id",
            f"the challenge's file {challenge.notebook} is missing (and there is no starter.py)",
        )
    if any(t.check.kind == "custom" for t in tasks) and not challenge.checks_file.is_file():
        raise top.error(
            "tasks", f"a task uses a custom check but {challenge.checks_file} is missing"
        )
    return challenge


def load_catalogue(root: Path | None = None) -> Catalogue:
    """Load and validate the whole catalogue under ``root`` (default: the content root).

    ``root`` holds ``challenges/`` and ``notebooks/``.
    """
    root = (root if root is not None else content_root()).resolve()
    path = root / "challenges" / "catalogue.toml"
    top = _table(_read_toml(path), path)
    top.check_keys(("format_version", "game", "levels", "badges"))
    version = top.integer("format_version")
    if version != FORMAT_VERSION:
        raise top.error(
            "format_version", f"this sandbox reads format {FORMAT_VERSION}, got {version}"
        )
    game = top.table("game") if "game" in top.data else _table({}, path, "game")
    game.check_keys(("no_help_bonus_percent",))
    bonus = game.integer("no_help_bonus_percent", default=0)

    levels: list[Level] = []
    listed: dict[str, int] = {}
    for number, table in enumerate(top.tables("levels"), start=1):
        table.check_keys(("number", "name", "xp", "blurb", "challenges"))
        level_number = table.integer("number", minimum=1)
        if level_number != number:
            raise table.error("number", f"levels are numbered 1, 2, … in order; expected {number}")
        xp = table.integer("xp")
        if levels and xp <= levels[-1].xp:
            raise table.error(
                "xp",
                f"thresholds must rise: {xp} is not above level {number - 1}'s {levels[-1].xp}",
            )
        if number == 1 and xp != 0:
            raise table.error("xp", "level 1 starts at 0 XP")
        ids = table.str_list("challenges")
        for cid in ids:
            if cid in listed:
                raise table.error(
                    "challenges", f"duplicate challenge id {cid!r} (also in level {listed[cid]})"
                )
            listed[cid] = level_number
        levels.append(Level(level_number, table.text("name"), xp, table.text("blurb"), ids))
    if not levels:
        raise top.error("levels", "the catalogue needs at least one [[levels]] table")

    # Every manifest on disk must be listed, and every listed id must have a manifest.
    manifests: dict[str, Path] = {}
    for found in sorted((root / "challenges").glob("level_*/*/challenge.toml")):
        manifests[found.parent.name] = found
    challenges: dict[str, Challenge] = {}
    for level in levels:
        for cid in level.challenges:
            if not SLUG_RE.fullmatch(cid):
                raise CatalogueError(
                    f"{path}: key 'levels[{level.number - 1}].challenges': {cid!r} is not a lowercase slug"
                )
            listed_manifest = manifests.get(cid)
            if listed_manifest is None:
                raise CatalogueError(
                    f"{path}: key 'levels[{level.number - 1}].challenges': {cid!r} has no "
                    f"challenges/level_{level.number}/{cid}/challenge.toml"
                )
            challenge = _load_challenge(listed_manifest, root)
            if challenge.level != level.number:
                raise CatalogueError(
                    f"{listed_manifest}: key 'level': {challenge.level}, but catalogue.toml lists it in level {level.number}"
                )
            challenges[cid] = challenge
    for cid, manifest in manifests.items():
        if cid not in challenges:
            raise CatalogueError(
                f"{manifest}: challenge {cid!r} is not listed in {path} (add it to its level's 'challenges')"
            )
    for challenge in challenges.values():
        for prerequisite in challenge.prerequisites:
            if prerequisite not in challenges:
                raise CatalogueError(
                    f"{challenge.folder / 'challenge.toml'}: key 'prerequisites': unknown challenge {prerequisite!r}"
                )

    badges: list[Badge] = []
    seen_badges: set[str] = set()
    level_numbers = {lv.number for lv in levels}
    all_tags = {tag for c in challenges.values() for tag in c.tags}
    for table in top.tables("badges"):
        table.check_keys(("id", "name", "description", "icon", "rule"))
        badge_id = _slug(table, "id")
        if badge_id in seen_badges:
            raise table.error("id", f"duplicate badge id {badge_id!r}")
        seen_badges.add(badge_id)
        rule_table = table.table("rule")
        rule = _load_rule(rule_table)
        if rule.kind == "level_complete" and rule.level not in level_numbers:
            raise rule_table.error("level", f"no level {rule.level}")
        if rule.kind == "tag_complete" and rule.tag not in all_tags:
            raise rule_table.error("tag", f"no challenge carries the tag {rule.tag!r}")
        badges.append(
            Badge(badge_id, table.text("name"), table.text("description"), table.text("icon"), rule)
        )

    return Catalogue(
        format_version=version,
        no_help_bonus_percent=bonus,
        levels=tuple(levels),
        badges=tuple(badges),
        challenges=challenges,
        root=root,
    )


@lru_cache(maxsize=4)
def _cached(root: Path, stamp: tuple[int, int]) -> Catalogue:
    return load_catalogue(root)


def default_catalogue() -> Catalogue:
    """The catalogue of the content root, cached until one of its manifests changes."""
    root = content_root().resolve()
    try:
        stamp = manifests_stamp(root)
    except FileNotFoundError:
        raise CatalogueError(
            f"{root / 'challenges' / 'catalogue.toml'}: file not found; is SANDBOX_CONTENT "
            "pointing at a content tree?"
        ) from None
    return _cached(root, stamp)
