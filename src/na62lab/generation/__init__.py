"""Event generation: kaon beam and decays (``kaon``), beam-dump production (``dump``)."""
