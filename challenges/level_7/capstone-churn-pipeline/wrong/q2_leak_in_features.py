# targets: q2
# expect: days_since_cancellation_request
# %% q2
feature_sql = """
SELECT customer_id,
       age,
       tenure_months,
       monthly_charges,
       total_charges / tenure_months AS avg_monthly_billed,
       CASE contract
           WHEN 'month-to-month' THEN 1
           WHEN 'one-year' THEN 12
           WHEN 'two-year' THEN 24
       END AS contract_months,
       CAST(payment_method = 'invoice' AS INTEGER) AS pays_by_invoice,
       autopay,
       support_calls_90d,
       avg_weekly_logins,
       days_since_last_login,
       days_since_cancellation_request,
       churned
FROM validated
ORDER BY customer_id
"""
features = duckdb.sql(feature_sql).df()
