"""Use cases: one keyword-only function each. They check permission and scope, call the
domain, write history and own the transaction. They know nothing of HTTP."""
