# targets: q2
# expect: x-axis title is 'payment_method'
# %% q2
fig = px.bar(churn_rate.reset_index(), x="payment_method", y="churned", title="Churn rates")
