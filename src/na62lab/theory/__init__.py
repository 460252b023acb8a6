"""Standard Model predictions used as references (e.g. BR(K+ -> pi+ nu nubar))."""
