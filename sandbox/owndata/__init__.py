"""The own-data lab: bring a table of your own and get, as code you can copy, its profile,
a generated Pandera schema, a validation report, a cleaning recipe (and notebook), an
automatic dashboard and a baseline model.

Modules, in the order a learner meets them:

``reading``
    Opens CSV/TSV, JSON/NDJSON, Parquet and Excel files (or a DataFrame) as a Polars lazy
    scan, enforcing the limits (:data:`~sandbox.owndata.reading.LIMITS`) and turning every
    hostile file (empty, binary, wrongly encoded, ragged, password-protected) into an
    :class:`~sandbox.errors.OwnDataError`.
``profile``
    :func:`~sandbox.owndata.profile.profile`: per-column types, patterns, statistics,
    outliers, keys and issues, and the quality score (its parts are defined there).
``schema``
    A Pandera schema generated from a profile, exported as Python and YAML, and
    :func:`~sandbox.owndata.schema.validate` with a grouped report and the code to fix each
    kind of failure.
``cleaning``
    Suggested cleaning steps, applied through the Polars code they generate, and the
    notebook holding that code.
``dashboard``
    Vega-Lite charts chosen from the column types.
``baseline``
    Cross-validated scikit-learn baselines against a dummy, logged to MLflow, with SHAP
    importances and target-leak warnings.
``lab``
    Where the lab keeps files in the data home (``my-data/``) and the events it records.

Nothing here imports Streamlit or Typer, and the heavy libraries are imported inside the
functions that use them.
"""
