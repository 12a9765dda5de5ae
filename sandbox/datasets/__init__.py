"""The dataset registry: shipped data by name, the seeded generators behind it, Pandera schemas.

``from sandbox import datasets`` gives the whole public surface (``datasets.load``,
``datasets.path``, ``datasets.info``, ``datasets.schema``, ``datasets.planted_defects``, …);
it lives in three modules: :mod:`~sandbox.datasets.registry` (the registry file, ``load``),
:mod:`~sandbox.datasets.schemas` (column types, Pandera schemas) and
:mod:`~sandbox.datasets.generators` (the seeded generators, ``python -m sandbox.datasets``).

Registry (``datasets/datasets.toml``, ``format_version = 1``)
---------------------------------------------------------------
One ``[[datasets]]`` table per dataset, in the order learners meet them:

``name``         lowercase slug, underscores allowed (``retail_sales_messy``).
``file``         CSV file name inside ``datasets/`` (generated sets), or
``loader``       the ``sklearn.datasets`` function for sets bundled with scikit-learn.
``description``  what the data is and what it is for.
``source``       where it comes from; ``licence`` under which terms.
``rows``         number of data rows.
``columns``      table of column name → meaning, in file order.
``schema``       optional: the dataset whose schema this one is validated against. A messy
                 dataset names its clean counterpart; a clean one omits the key (itself).
``target``       optional: the column to predict (machine-learning sets).
``leak``         optional: a column that leaks the target (planted on purpose, see churn).
``defects``      optional: planted defect → count (messy sets; must equal the generator's).

Unknown keys are rejected with a :class:`~sandbox.errors.DatasetError` naming the file and key.

Every shipped CSV is produced by a seeded generator in this module and can be rebuilt byte
for byte with ``python -m sandbox.datasets`` (``--check`` only compares). Files are UTF-8,
``\\n`` line endings, ISO dates, fixed decimals, an empty field for a missing value.

retail_sales_messy: planted defects
-----------------------------------
The generator draws ``RETAIL_ORDERS`` true orders, then plants each defect on its own rows (no
row carries two defects, so counts are exact; see :data:`RETAIL_DEFECT_COUNTS` and
:func:`planted_defects` for the row-by-row record):

``duplicate_rows``           exact copies of clean orders, inserted a little later in the file
``missing_customer_id``      empty ``customer_id``
``missing_country``          empty ``country``
``missing_unit_price``       empty ``unit_price``
``unparseable_order_date``   impossible or non-date text (``2023-02-29``, ``not recorded``, …)
``negative_quantity``        the quantity with its sign flipped
``inconsistent_country``     another spelling of the country (``UK``, ``u.k.``, ``Holland``, …;
                             see :data:`COUNTRY_VARIANTS`)
``invalid_email``            a damaged address (no ``@``, ``@@``, no top-level domain, a space)

``retail_sales`` is what a correct cleaning of the messy table produces:

1. drop exact duplicate rows, keeping the first;
2. drop rows missing ``customer_id``, ``country`` or ``unit_price``;
3. parse ``order_date`` as ``YYYY-MM-DD`` and drop rows where that fails;
4. drop rows whose ``quantity`` is not positive;
5. map every country spelling to its canonical name (:data:`COUNTRY_VARIANTS`);
6. set invalid e-mail addresses to missing (the address cannot be recovered).

churn: the planted leak
-----------------------
``days_since_cancellation_request`` is filled only for customers who churned: it is recorded
*because* they left, so a model using it scores a near-perfect, useless ROC AUC. The other
features carry real but noisy signal; an honest model reaches roughly 0.8-0.9.

Variants: fresh data for verification
-------------------------------------
Every dataset has seeded *variants*: the same schema, the same planted defect kinds in
roughly the same proportions, other rows and values. Clean verification runs the learner's
notebook, the reference solution and the judge on one, so an answer typed in from the shipped
data fails while a computed one passes.

- Generated sets: ``variant_bytes(name, seed)``. The retail trio is built together per seed
  (messy, clean, customers and the defect record agree, as for the shipped files) with about
  ±10 % orders and customers and each defect count and join gap scaled by 0.75-1.25;
  ``daily_visits`` has the same days, other noise and a trend 0.7-1.3 times as steep;
  ``churn`` keeps its ``CHURN_ROWS`` rows, ids 1 to ``CHURN_ROWS`` and its leak.
- Bundled scikit-learn sets: ``variant_frame(name, seed)`` keeps 85-95 % of the rows (no
  noise, original order, index 0..n-1, same dtypes).
- ``write_variant(folder, seed)`` writes them (shipped file names; ``<name>.parquet``).

A variant is *active* when the environment variable ``SANDBOX_DATA_VARIANT`` (``VARIANT_ENV``)
is ``"<seed>:<absolute folder>"``; ``use_variant(seed)`` sets it for a ``with`` block. Then
``path`` and ``load`` return the variant's files (written into the folder on first use),
and ``planted_defects`` and ``customer_join_gaps`` describe the variant. ``info(name).rows``
stays the shipped count: a variant's row count differs.

Unseen rows
-----------
``unseen_rows(name, seed, n)`` draws further rows of a generated set (churn) from its
generator: other customers of the same process, numbered from ``UNSEEN_FIRST_ID``. The
judge scores models on rows drawn from a seed it picks afresh in its own process; no file
and no registry entry holds them.
"""

from __future__ import annotations

from sandbox.datasets.generators import (
    CATEGORIES,
    CHURN_LEAK,
    CHURN_ROWS,
    CHURN_SEED,
    CONTRACTS,
    COUNTRIES,
    COUNTRY_VARIANTS,
    DEFECT_COLUMNS,
    DROPPED_DEFECTS,
    FIRST_CUSTOMER_ID,
    FIRST_ORDER_ID,
    N_CUSTOMERS,
    N_CUSTOMERS_WITHOUT_ORDERS,
    N_UNKNOWN_CUSTOMERS,
    PAYMENT_METHODS,
    PLANS,
    PRODUCTS,
    REGIONS,
    RETAIL_DEFECT_COUNTS,
    RETAIL_FIRST_DAY,
    RETAIL_LAST_DAY,
    RETAIL_ORDERS,
    RETAIL_SEED,
    SEGMENTS,
    SIGNUP_FIRST_DAY,
    SIGNUP_LAST_DAY,
    SKLEARN_VARIANT_FRACTION,
    UNSEEN_FIRST_ID,
    VISITS_FIRST_DAY,
    VISITS_LAST_DAY,
    VISITS_SEED,
    CustomerJoinGaps,
    PlantedDefect,
    customer_join_gaps,
    generate,
    generate_transactions,
    generated_names,
    main,
    planted_defects,
    unseen_rows,
    variant_bytes,
    variant_frame,
    write_all,
    write_variant,
)
from sandbox.datasets.registry import (
    BACKENDS,
    FORMAT_VERSION,
    NAME_RE,
    REGISTRY_FILE,
    SKLEARN_LOADERS,
    SKLEARN_TARGET,
    VARIANT_ENV,
    Backend,
    DatasetInfo,
    Variant,
    active_variant,
    info,
    load,
    names,
    path,
    read_registry,
    use_variant,
    variant_file,
)
from sandbox.datasets.schemas import (
    EMAIL_PATTERN,
    ISO_DATE_FORMAT,
    ColumnKind,
    read_pandas,
    read_polars,
    schema,
    shipped_columns,
    validate,
)

__all__ = [
    "BACKENDS",
    "CATEGORIES",
    "CHURN_LEAK",
    "CHURN_ROWS",
    "CHURN_SEED",
    "CONTRACTS",
    "COUNTRIES",
    "COUNTRY_VARIANTS",
    "DEFECT_COLUMNS",
    "DROPPED_DEFECTS",
    "EMAIL_PATTERN",
    "FIRST_CUSTOMER_ID",
    "FIRST_ORDER_ID",
    "FORMAT_VERSION",
    "ISO_DATE_FORMAT",
    "NAME_RE",
    "N_CUSTOMERS",
    "N_CUSTOMERS_WITHOUT_ORDERS",
    "N_UNKNOWN_CUSTOMERS",
    "PAYMENT_METHODS",
    "PLANS",
    "PRODUCTS",
    "REGIONS",
    "REGISTRY_FILE",
    "RETAIL_DEFECT_COUNTS",
    "RETAIL_FIRST_DAY",
    "RETAIL_LAST_DAY",
    "RETAIL_ORDERS",
    "RETAIL_SEED",
    "SEGMENTS",
    "SIGNUP_FIRST_DAY",
    "SIGNUP_LAST_DAY",
    "SKLEARN_LOADERS",
    "SKLEARN_TARGET",
    "SKLEARN_VARIANT_FRACTION",
    "UNSEEN_FIRST_ID",
    "VARIANT_ENV",
    "VISITS_FIRST_DAY",
    "VISITS_LAST_DAY",
    "VISITS_SEED",
    "Backend",
    "ColumnKind",
    "CustomerJoinGaps",
    "DatasetInfo",
    "PlantedDefect",
    "Variant",
    "active_variant",
    "customer_join_gaps",
    "generate",
    "generate_transactions",
    "generated_names",
    "info",
    "load",
    "main",
    "names",
    "path",
    "planted_defects",
    "read_pandas",
    "read_polars",
    "read_registry",
    "schema",
    "shipped_columns",
    "unseen_rows",
    "use_variant",
    "validate",
    "variant_bytes",
    "variant_file",
    "variant_frame",
    "write_all",
    "write_variant",
]
