"""Formats coming in at the edge: files people load into the register."""
