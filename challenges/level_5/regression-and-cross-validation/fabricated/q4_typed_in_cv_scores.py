# targets: q4
# expect: typed in
# Cross-validation results copied from a printout instead of computed.
# %% q4
cv_r2_mean = 0.48
cv_r2_std = 0.078
cv_mae_mean = 45.6
