"""The benchmark suite: synthetic case graphs and casegraph measured against the plain way."""
