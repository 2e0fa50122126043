"""The pages' static files, compressed once and cached by content hash.

- :func:`asset_url` gives ``/ui/static/<file>?v=<hash>``; a request carrying the file's
  current hash is answered with ``Cache-Control: public, max-age=31536000, immutable`` (a
  changed file gets a new URL, so browsers never keep an old one); any other request for a
  static file gets ``no-cache`` with a strong ETag, so it is revalidated (304) cheaply.
- :func:`import_map` maps every ES module of ``static/js/`` to its hashed URL, so the
  relative ``import … from "./common.js"`` of the page scripts are cached the same way.
- Text files (JS, CSS, JSON, SVG, fonts other than WOFF/WOFF2) are sent brotli- or
  gzip-compressed by the browser's ``Accept-Encoding``, compressed once per file version
  and kept in memory (the vendored bpmn-js bundle is 560 KB as built, about 150 KB as sent).

API answers and pages are compressed by Flask-Compress (api/app.py); its streamed-response
path is off, so file downloads go out as they are.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Response, abort, request, url_for
from werkzeug.security import safe_join

STATIC = Path(__file__).resolve().parent / "static"
YEAR = 365 * 24 * 3600
COMPRESSIBLE = {
    "text/javascript",
    "application/javascript",
    "text/css",
    "application/json",
    "image/svg+xml",
    "text/plain",
    "application/xml",
    "text/xml",
    "font/ttf",
    "application/vnd.ms-fontobject",
}
HASH_CHARS = 16

try:  # Flask-Compress brings brotli; gzip is the fallback
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency of flask-compress
    brotli = None


@dataclass
class _Version:
    key: tuple[int, int]  # mtime_ns, size
    digest: str
    raw: bytes
    encoded: dict[str, bytes] = field(default_factory=dict)


_versions: dict[str, _Version] = {}
_lock = threading.Lock()


def _version(filename: str) -> tuple[Path, _Version]:
    path_text = safe_join(str(STATIC), filename)
    if path_text is None:
        abort(404)
    path = Path(path_text)
    try:
        stat = path.stat()
    except OSError:
        abort(404)
    if not path.is_file():
        abort(404)
    key = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        known = _versions.get(path_text)
        if known is None or known.key != key:
            raw = path.read_bytes()
            known = _Version(key, hashlib.sha256(raw).hexdigest()[:HASH_CHARS], raw)
            _versions[path_text] = known
    return path, known


def content_hash(filename: str) -> str:
    """The first characters of the SHA-256 of a static file (``filename`` under static/)."""
    return _version(filename)[1].digest


def asset_url(filename: str) -> str:
    """The URL of a static file with its content hash, cacheable for a year (without the
    hash when the file is missing: vendored assets not built yet, which the page says)."""
    path = safe_join(str(STATIC), filename)
    if path is None or not Path(path).is_file():
        return url_for("web.static", filename=filename)
    return url_for("web.static", filename=filename, v=content_hash(filename))


def import_map() -> str:
    """An import map sending each module of static/js/ to its hashed URL (JSON)."""
    imports = {}
    for path in sorted((STATIC / "js").glob("*.js")):
        name = f"js/{path.name}"
        imports[url_for("web.static", filename=name)] = asset_url(name)
    return json.dumps({"imports": imports}).replace("</", "<\\/")


def _mimetype(path: Path) -> str:
    if path.suffix == ".js":
        return "text/javascript"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _encode(version: _Version, encoding: str) -> bytes:
    with _lock:
        done = version.encoded.get(encoding)
    if done is None:
        done = (
            brotli.compress(version.raw, quality=9)
            if encoding == "br"
            else gzip.compress(version.raw, 9)
        )
        with _lock:
            version.encoded[encoding] = done
    return done


def _chosen_encoding() -> str | None:
    accepted = {
        part.split(";")[0].strip().lower()
        for part in request.headers.get("Accept-Encoding", "").split(",")
    }
    if "br" in accepted and brotli is not None:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


def send_asset(filename: str) -> Response:
    path, version = _version(filename)
    mimetype = _mimetype(path)
    encoding = _chosen_encoding() if mimetype in COMPRESSIBLE and len(version.raw) > 500 else None
    body = _encode(version, encoding) if encoding else version.raw
    response = Response(body, mimetype=mimetype)
    if mimetype.startswith("text/") or mimetype in ("application/json", "image/svg+xml"):
        response.charset = "utf-8"
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(f"{version.digest}-{encoding or 'identity'}")
    if request.args.get("v") == version.digest:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)
