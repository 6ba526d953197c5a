"""Placeholder replaced below."""
DEMO_ADMIN = "admin@demo.oland.se"
LOGIN_HINT = "Log in as admin@demo.oland.se with the password demo-oland-2025"
