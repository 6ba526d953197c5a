"""What each action of the audit log (services/audit.py) is called."""

from __future__ import annotations

from .text import N_

ACTIONS = {
    "login.success": N_("Logged in"),
    "login.failed": N_("Login failed"),
    "login.throttled": N_("Login refused: too many attempts"),
    "login.closed": N_("Login to a closed account"),
    "logout": N_("Logged out"),
    "user.created": N_("Account created"),
    "user.changed": N_("Account changed"),
    "token.created": N_("API token made"),
    "token.revoked": N_("API token revoked"),
    "personal_data.viewed": N_("Personal data looked up"),
    "personal_data.exported": N_("Personal data exported"),
    "personal_data.anonymised": N_("Earlier holders anonymised"),
    "export.assets": N_("Assets exported"),
    "owner.export": N_("Owner's register exported"),
    "owner.handover": N_("Owner's register handed over"),
    "owner.leaves_on": N_("Owner's leaving date set"),
    "import.done": N_("File imported"),
    "split.compute": N_("Split computed"),
    "split.adjust": N_("Split adjusted"),
    "split.apply": N_("Split applied"),
    "category.changed": N_("Category changed"),
    "model.created": N_("Model added"),
    "model.changed": N_("Model changed"),
    "site.created": N_("Site added"),
    "site.changed": N_("Site changed"),
    "location.created": N_("Location added"),
    "location.changed": N_("Location changed"),
    "business_unit.created": N_("Business unit added"),
    "business_unit.changed": N_("Business unit changed"),
    "service_object_saved": N_("Service object saved"),
    "service_object_deleted": N_("Service object removed"),
    "lifespans_adopted": N_("Target lifespans adopted"),
    "prisbasbelopp_set": N_("Prisbasbelopp set"),
    "capitalisation_rule_set": N_("Capitalisation rule set"),
    "cost_key.set": N_("Cost key set"),
}
