"""Reference data and the deterministic demo fleet."""
