from __future__ import annotations

import re
from pathlib import Path

import pytest

from sandbox.catalogue import BADGE_RULE_PARAMS, load_catalogue
from sandbox.errors import CatalogueError, UnknownChallengeError


def test_fixture_catalogue_loads_into_typed_records(fixture_content: Path) -> None:
    cat = load_catalogue(fixture_content)
    assert [c.id for c in cat] == ["alpha", "beta", "gamma"]
    alpha = cat.get("alpha")
    assert alpha.level == 1 and alpha.xp == 100
    assert [t.id for t in alpha.tasks] == ["q1", "q2"]
    assert alpha.tasks[0].variables == ("total",)
    assert alpha.tasks[0].check.kind == "value"
    assert alpha.notebook == fixture_content / "notebooks" / "level_1" / "alpha.ipynb"
    assert cat.no_help_bonus_percent == 20
    assert [lv.xp for lv in cat.levels] == [0, 150]
    assert {b.rule.kind for b in cat.badges} == set(BADGE_RULE_PARAMS)


def test_records_are_frozen(fixture_content: Path) -> None:
    alpha = load_catalogue(fixture_content).get("alpha")
    with pytest.raises(AttributeError):
        alpha.xp = 5  # type: ignore[misc]


def test_unknown_challenge_suggests_close_ids(fixture_content: Path) -> None:
    with pytest.raises(UnknownChallengeError, match="Did you mean alpha"):
        load_catalogue(fixture_content).get("alpah")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


ALPHA = "challenges/level_1/alpha/challenge.toml"
CATALOGUE = "challenges/catalogue.toml"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        pytest.param(
            ALPHA,
            "minutes = 5",
            'minutes = 5\ncolour = "red"',
            r"alpha/challenge.toml: key 'colour': unknown key",
            id="unknown-key",
        ),
        pytest.param(
            ALPHA,
            'check = { kind = "value" }',
            'check = { kind = "value", tolerance = 1 }',
            r"key 'tasks\[0\].check.tolerance': unknown key",
            id="unknown-check-option",
        ),
        pytest.param(
            ALPHA,
            'check = { kind = "value" }',
            'check = { kind = "guess" }',
            r"unknown check kind 'guess'",
            id="unknown-check-kind",
        ),
        pytest.param(
            ALPHA,
            "prerequisites = []",
            'prerequisites = ["nope"]',
            r"key 'prerequisites': unknown challenge 'nope'",
            id="unknown-prerequisite",
        ),
        pytest.param(ALPHA, 'id = "q2"', 'id = "q3"', r"expected 'q2'", id="task-ids-in-order"),
        pytest.param(
            ALPHA, "xp = 100", 'xp = "lots"', r"key 'xp': expected an integer", id="wrong-type"
        ),
        pytest.param(
            ALPHA, 'title = "Add up a list"\n', "", r"key 'title': missing", id="missing-key"
        ),
        pytest.param(
            CATALOGUE,
            '["alpha", "beta"]',
            '["alpha", "beta", "alpha"]',
            r"duplicate challenge id 'alpha'",
            id="duplicate-id",
        ),
        pytest.param(
            CATALOGUE,
            '["gamma"]',
            '["gamma", "Bad_Id"]',
            r"'Bad_Id' is not a lowercase slug",
            id="bad-slug",
        ),
        pytest.param(
            CATALOGUE,
            '["gamma"]',
            '["gamma", "delta"]',
            r"'delta' has no challenges/level_2/delta/challenge.toml",
            id="listed-without-folder",
        ),
        pytest.param(
            CATALOGUE,
            'kind = "xp_total"',
            'kind = "karma"',
            r"unknown badge rule kind 'karma'",
            id="unknown-badge-rule",
        ),
        pytest.param(
            CATALOGUE,
            'tag = "sql"',
            'tag = "spark"',
            r"no challenge carries the tag 'spark'",
            id="unearnable-tag-badge",
        ),
        pytest.param(
            CATALOGUE,
            "format_version = 1",
            "format_version = 9",
            r"this sandbox reads format 1",
            id="format-version",
        ),
        pytest.param(
            CATALOGUE, "xp = 150", "xp = 0", r"thresholds must rise", id="thresholds-rise"
        ),
        pytest.param(
            CATALOGUE, 'name = "Explorer"', 'name = "Explorer', r"not valid TOML", id="toml-syntax"
        ),
    ],
)
def test_malformed_manifests_name_file_and_key(
    fixture_content: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(fixture_content / file, old, new)
    with pytest.raises(CatalogueError, match=message) as info:
        load_catalogue(fixture_content)
    assert str(fixture_content / file) in str(info.value)


def test_missing_referenced_notebook_is_reported(fixture_content: Path) -> None:
    (fixture_content / "notebooks" / "level_1" / "beta.ipynb").unlink()
    with pytest.raises(CatalogueError, match=re.escape("beta.ipynb is missing")):
        load_catalogue(fixture_content)


def test_missing_checks_py_for_custom_check_is_reported(fixture_content: Path) -> None:
    _edit(
        fixture_content / ALPHA,
        'check = { kind = "value" }',
        'check = { kind = "custom", function = "check_total" }',
    )
    with pytest.raises(CatalogueError, match=r"checks\.py is missing"):
        load_catalogue(fixture_content)


def test_folder_not_listed_in_catalogue_is_reported(fixture_content: Path) -> None:
    extra = fixture_content / "challenges" / "level_2" / "stray"
    extra.mkdir()
    (extra / "challenge.toml").write_text('id = "stray"\n')
    with pytest.raises(CatalogueError, match="'stray' is not listed"):
        load_catalogue(fixture_content)


def test_id_must_match_folder(fixture_content: Path) -> None:
    _edit(fixture_content / ALPHA, 'id = "alpha"', 'id = "alpha-two"')
    with pytest.raises(CatalogueError, match="does not match its folder name"):
        load_catalogue(fixture_content)
