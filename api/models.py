"""The API's tables, defined in :mod:`toantrinh.engine.accounts` (the engine, the CLI and the
notification dispatch read them too); re-exported here for the API's modules."""

from toantrinh.engine.accounts import (
    LANES,
    ROLES,
    ApiConsent,
    ApiNotification,
    ApiToken,
    ApiWebhook,
)

__all__ = ["LANES", "ROLES", "ApiConsent", "ApiNotification", "ApiToken", "ApiWebhook"]
