# targets: q2
# expect: typing a number in
# The three numbers typed in as a printout showed them.
# %% q2
accuracy = 0.82
baseline_accuracy = 0.76
balanced_accuracy = 0.70
