# targets: q3
# expect: rows; expected
# %% q3
# `&` is applied before `|`: this keeps office orders to Germany, plus every order to France.
office_de_fr = sales[
    (sales["category"] == "office") & (sales["country"] == "Germany")
    | (sales["country"] == "France")
]
