"""One executor seam: local processes by default, Dask when given a scheduler."""

from na62lab.parallel.executor import map_shards, shard_seeds

__all__ = ["map_shards", "shard_seeds"]
