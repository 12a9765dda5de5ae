"""The one exception tree of the sandbox.

The core raises these; the CLI prints the message and exits 2 for a
:class:`UsageError` (the request itself is malformed) and 1 for every other one,
the dashboard shows it with ``st.error``. Every message says what went wrong *and* how to
get out, because the learner reads it, not a developer::

    SandboxError
    ├── CatalogueError          challenges/ manifests are malformed (authoring problem)
    ├── ProgressError           progress.json cannot be read or written safely
    │   ├── ProgressCorruptError    the file is damaged or of an unknown version; it is left untouched
    │   └── StoreBusyError          another process (a running verification) holds the store's lock
    ├── StorageError            a file could not be written (disk full, read-only, no permission);
    │                           the previous version is intact and no partial file is left
    ├── TransferError           an export file to import is damaged, too large or makes claims that
    │                           cannot be true; nothing was imported
    ├── NotFoundError           a task or level that does not exist
    │   └── UnknownChallengeError   a challenge id that is not in the catalogue
    ├── RefusedError            a well-formed request the learner's state does not allow now (a
    │                           locked solution, a hint for a task that passes, an import into a
    │                           profile with progress); the message says what would allow it
    ├── UsageError              a malformed request (options that do not go together, a name that
    │                           is not a valid slug, a file that does not exist)
    ├── GradingError            a check could not be carried out (missing reference, broken checks.py)
    │   └── VerificationError   clean verification could not run (no kernel, unreadable notebook)
    ├── DatasetError            an unknown dataset, or a query that reaches outside the datasets
    ├── OwnDataError            a file brought to the own-data lab cannot be read, or is beyond its limits
    └── IntegrationError        MLflow, Optuna, SHAP/LIME or Yellowbrick cannot serve the request
        ├── UnknownStudyError       no Optuna study of that name in the learner's optuna.db
        └── NotEnoughTrialsError    a tuning chart needs more finished trials than the study has
"""

from __future__ import annotations


class SandboxError(Exception):
    """Base class: a problem the learner or author can act on, with a message saying how."""


class CatalogueError(SandboxError):
    """A manifest under challenges/ is malformed; the message names the file and the key."""


class ProgressError(SandboxError):
    """The progress store cannot be read or written safely."""


class StoreBusyError(ProgressError):
    """Another process holds the progress store's lock for longer than the caller would wait."""


class ProgressCorruptError(ProgressError):
    """progress.json is damaged or of an unknown format version. It is never modified."""


class StorageError(SandboxError):
    """A file could not be written; the message names it, the reason and the way out."""


class TransferError(SandboxError):
    """An import file is malformed, too large or implausible; it was rejected as a whole."""


class NotFoundError(SandboxError):
    """A challenge, task or level that does not exist; the message lists what does."""


class UnknownChallengeError(NotFoundError):
    """A challenge id that does not exist in the catalogue."""


class RefusedError(SandboxError):
    """A well-formed request the learner's current state does not allow; the message says
    what would allow it."""


class UsageError(SandboxError):
    """A malformed request: options that do not go together, a name that is not a valid slug."""


class GradingError(SandboxError):
    """A check could not be carried out."""


class VerificationError(GradingError):
    """Clean verification of a notebook could not run."""


class DatasetError(SandboxError):
    """An unknown dataset, or a query reaching outside the shipped datasets."""


class OwnDataError(SandboxError):
    """A learner's own file cannot be read (empty, binary, wrongly encoded, ragged, protected)
    or goes beyond the own-data lab's limits; the message says which and how to fix it."""


class IntegrationError(SandboxError):
    """MLflow, Optuna, SHAP/LIME or Yellowbrick cannot serve the request as asked."""


class UnknownStudyError(IntegrationError):
    """An Optuna study name that does not exist in the learner's optuna.db."""


class NotEnoughTrialsError(IntegrationError):
    """A tuning chart needs more finished trials (or more parameters) than the study has."""
