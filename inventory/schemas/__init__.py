"""Values that cross layers: what forms, the API and imports hand to services, and what
the API returns."""
