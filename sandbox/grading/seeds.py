"""Which data variant a clean verification runs on.

Clean verification runs the learner's notebook on a fresh, seeded variant of every dataset it
reads (:func:`sandbox.datasets.variant_bytes`), and the judge compares against the reference
solution run on that same variant; a number typed in from the shipped files then fails while
any real computation passes. In the learner's own session ``datasets.path()``/``load()`` give
the shipped files, as always.

Each challenge has a small pool of :data:`POOL_SIZE` seeds per data home, so the reference
runs at most that many times per challenge (its values are cached per seed) and verification
stays as fast as before. The pool is derived from the data home's secret seal key, never
written anywhere; verification picks one of its seeds at random. ``sandbox check --seed N``
runs any seed instead (a brand-new one computes its reference first), to reproduce a run.

Challenges verified on the shipped files: those that read no dataset (nothing to vary) and
those whose ``challenge.toml`` says why their tasks are about the shipped files
(``fixed_data = "…"``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from sandbox.catalogue import Challenge

#: Seeds per challenge that verification picks from.
POOL_SIZE = 5
#: Seeds are drawn below this bound (they appear in messages and `--seed`: keep them short).
SEED_BOUND = 1_000_000


def varies(challenge: Challenge) -> bool:
    """Whether clean verification of ``challenge`` runs on a data variant."""
    return bool(challenge.datasets) and challenge.fixed_data is None


def pool(home: Path, challenge_id: str) -> list[int]:
    """The seeds verification of ``challenge_id`` picks from in the data home ``home``."""
    from sandbox.grading.expected import ensure_seal_key, seal_key

    ensure_seal_key(home)
    key = seal_key(home)
    seeds = []
    for index in range(POOL_SIZE):
        digest = hmac.new(key, f"variant/{challenge_id}/{index}".encode(), hashlib.sha256)
        seeds.append(int.from_bytes(digest.digest()[:8], "big") % SEED_BOUND)
    return seeds


def pick(home: Path, challenge: Challenge) -> int | None:
    """The seed of the next clean verification, or None for the shipped data."""
    if not varies(challenge):
        return None
    return secrets.choice(pool(home, challenge.id))
