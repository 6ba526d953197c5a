"""Formats at the edge: files people take away (CSV, later XLSX)."""
