"""Re-export of :class:`engine.caches.TtlCache` (the API's token and webhook caches)."""

from engine.caches import TtlCache

__all__ = ["TtlCache"]
