# targets: q3
# expect: typed in
# %% q3
precision = 0.53
recall = 0.658
f1 = 0.587
