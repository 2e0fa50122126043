"""The API's tables, defined in :mod:`engine.accounts` (the engine, the CLI and the
notification dispatch read them too); re-exported here for the API's modules."""

from engine.accounts import LANES, ROLES, ApiConsent, ApiNotification, ApiToken, ApiWebhook

__all__ = ["LANES", "ROLES", "ApiConsent", "ApiNotification", "ApiToken", "ApiWebhook"]
