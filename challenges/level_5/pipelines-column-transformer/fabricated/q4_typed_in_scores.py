# targets: q4
# expect: typed in
# The fold scores copied from a printed array instead of computed.
# %% q4
import numpy as np

cv_scores = np.array([0.852, 0.842, 0.876, 0.866, 0.826])
