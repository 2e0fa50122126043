"""Re-export of :class:`toantrinh.engine.caches.TtlCache` (the API's token and webhook caches)."""

from toantrinh.engine.caches import TtlCache

__all__ = ["TtlCache"]
