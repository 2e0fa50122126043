"""Sending a stored file back (a dossier's attachment, a digitized warehouse copy)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def file_response(content: bytes, media_type: str, filename: str | None, sha256: str) -> Response:
    """A submitted file sent back: as an attachment, never rendered by the browser."""
    name = quote(filename or "tep")
    return Response(
        content,
        mimetype=media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
            "ETag": f'"{sha256}"',
        },
    )
