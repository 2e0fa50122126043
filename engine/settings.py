"""Every setting of Toàn Trình, in one table, read from the environment once at start.

:data:`CATALOGUE` names each environment variable with its default and meaning;
docs/operations.md "Settings" is this table (``python -m toantrinh.engine.settings`` prints it, and
``tests/engine/test_settings.py`` keeps the page and the code in step: a variable the code
reads and the catalogue lacks fails it).

:class:`Settings` holds the values a process starts with: the web app reads them when it
is created (:func:`toantrinh.api.app.create_app`, which puts them in ``app.config`` and
``app.extensions["toantrinh.settings"]``), the command line and the workers through
:func:`current` (read on first use, then kept). A test changes a setting the way an
operator does — in the environment, before the app or process starts — or by passing
``Settings.from_env({...})`` down.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_TRUE = ("1", "true", "yes", "on")


def flag(value: str) -> bool:
    return value.strip().lower() in _TRUE


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    meaning: str
    parse: Callable[[str], Any] = str

    @property
    def key(self) -> str:
        """The attribute name on :class:`Settings`: ``TOANTRINH_SPEC_CACHE`` → ``spec_cache``."""
        return self.name.removeprefix("TOANTRINH_").lower()


S = Setting
CATALOGUE: tuple[Setting, ...] = (
    # where things are
    S(
        "DATABASE_URL",
        None,
        "the database (SQLAlchemy URL); default a SQLite file in the data directory",
    ),
    S(
        "TOANTRINH_DATA_DIR",
        "instance",
        "the data directory: the SQLite file, generated keys and test signers",
    ),
    S(
        "TOANTRINH_LIBRARY",
        "",
        "the procedure library folder deployed by serve and simplify --all (default: the shipped one)",
    ),
    S(
        "TOANTRINH_FILE_STORE",
        "",
        "where new dossier files go instead of their rows: a directory or s3://bucket/prefix",
    ),
    S(
        "TOANTRINH_S3_ENDPOINT_URL",
        "",
        "the S3-compatible service of an s3:// file store (MinIO, Ceph, …)",
    ),
    S(
        "TOANTRINH_REDIS_URL",
        "",
        "Redis for Celery workers (docs/deployment.md); unset: the scheduler runs in process",
    ),
    S(
        "TOANTRINH_REPORTS",
        "thread",
        "where catalogue reports are computed: thread (in the app process) or celery (on the workers, cached in Redis)",
    ),
    S(
        "TOANTRINH_REPORT_WAIT",
        20.0,
        "seconds a catalogue-report request waits before answering 202 with a status URL",
        float,
    ),
    S("TOANTRINH_CELERY_QUEUE", "toantrinh", "the Celery queue name"),
    S(
        "TOANTRINH_CELERY_VISIBILITY_TIMEOUT",
        300,
        "seconds before Redis hands an unacknowledged task to another worker",
        int,
    ),
    # the web app
    S("TOANTRINH_MAX_UPLOAD", 10 * 1024 * 1024, "bytes of one request body", int),
    S("TOANTRINH_ATTACHMENT_MAX_BYTES", 8 * 1024 * 1024, "bytes of one attached file", int),
    S("TOANTRINH_ATTACHMENTS_PER_DOSSIER", 30, "files one dossier may hold", int),
    S(
        "TOANTRINH_UPLOAD_SCAN",
        "",
        "the malware scanner each upload goes through (e.g. clamdscan -)",
    ),
    S("TOANTRINH_UPLOAD_SCAN_SECONDS", 30.0, "seconds the scanner may take", float),
    S("TOANTRINH_SEAL_KEY", "", "the Ed25519 key (PEM) that signs public result verifications"),
    S("TOANTRINH_DEFER_SERVICES", False, "service tasks run on workers, not in the request", flag),
    S("TOANTRINH_PROXIES", 0, "reverse proxies in front that may set X-Forwarded-For", int),
    S("TOANTRINH_ADMIN_TOKEN", "", "a bootstrap admin bearer token"),
    S(
        "TOANTRINH_TOKEN_CACHE_SECONDS",
        5.0,
        "seconds a verified token is trusted without a query",
        float,
    ),
    S(
        "TOANTRINH_DEV_LOGIN",
        False,
        "the try-out sign-in (any role, 12 hours); never in production",
        flag,
    ),
    S(
        "TOANTRINH_PUBLIC_URL",
        "",
        "the address citizens reach the site at (QR codes, payment returns)",
    ),
    S("TOANTRINH_CONNECTORS", "", "(tests) a connector registry factory given in the app's config"),
    S("TOANTRINH_RATE_LIMIT", True, "request budgets on (0 turns them off)", lambda v: v != "0"),
    S(
        "TOANTRINH_RATE_LIMIT_STORAGE",
        "memory://",
        "where budgets are counted (redis://… for several processes)",
    ),
    S("TOANTRINH_RATE_LIMIT_PUBLIC", "300 per minute", "budget of an anonymous caller"),
    S("TOANTRINH_RATE_LIMIT_CITIZEN", "600 per minute", "budget of a citizen"),
    S("TOANTRINH_RATE_LIMIT_STAFF", "", "budget of staff (empty: none)"),
    S("TOANTRINH_RATE_LIMIT_TRACKING", "60 per minute", "budget of the public tracking page"),
    S("TOANTRINH_RATE_LIMIT_UPLOADS", "100 per hour", "budget of uploads"),
    S("TOANTRINH_LOG_FORMAT", "json", "log lines as JSON objects (json) or plain text (text)"),
    S("TOANTRINH_LOG_LEVEL", "INFO", "the least severe level logged"),
    # the engine
    S("TOANTRINH_SPEC_CACHE", 64, "parsed model versions kept per process", int),
    S(
        "TOANTRINH_STATE_CACHE",
        512,
        "workflows of recently committed dossiers kept per process (0: off)",
        int,
    ),
    S("TOANTRINH_FORM_CACHE", 512, "compiled forms kept per process", int),
    S(
        "TOANTRINH_JOURNAL_MAX",
        8,
        "steps kept as journal entries before the state is dumped (0: always dump)",
        int,
    ),
    S(
        "TOANTRINH_JOURNAL_SETTLE_AFTER",
        60,
        "seconds idle before a dossier's journal is settled",
        int,
    ),
    S(
        "TOANTRINH_RETRY_BASE",
        60.0,
        "seconds before the first automatic retry of a failed step",
        float,
    ),
    S("TOANTRINH_RETRY_CAP", 3600.0, "longest wait between retries, seconds", float),
    S("TOANTRINH_RETRY_MAX", 10, "automatic retries before a dossier needs an officer", int),
    S("TOANTRINH_TICK_INTERVAL", 1.0, "seconds between scheduler passes (Celery beat)", float),
    S("TOANTRINH_TICK_LIMIT", 100, "items of each kind one pass takes", int),
    S(
        "TOANTRINH_TICK_DRAIN",
        True,
        "a pass that found a full batch runs again at once",
        lambda v: v not in ("0", "false", "no"),
    ),
    S("TOANTRINH_CLOCK_OFFSET", 0.0, "(demos, tests) seconds added to the engine clock", float),
    S("TOANTRINH_CALENDAR", "", "the working calendar file (default data/calendar.json)"),
    S(
        "TOANTRINH_DOCUMENT_VALIDITY",
        "",
        "how long kept documents stay in force (default data/document_validity.json)",
    ),
    S(
        "TOANTRINH_PERSONAL_DATA",
        "",
        "which fields the audit trail masks (default data/personal_data.json)",
    ),
    S("TOANTRINH_SCRIPT_SECONDS", 1.0, "wall-clock budget of one script or expression", float),
    S("TOANTRINH_SCRIPT_WORKERS", 4, "script worker processes per process", int),
    S("TOANTRINH_SCRIPT_MEMORY_MB", 256, "address space a script worker may add", int),
    S("TOANTRINH_SCRIPT_JOBS_PER_WORKER", 10_000, "jobs before a script worker is replaced", int),
    S("TOANTRINH_SCRIPT_MAX_ITEMS", 200_000, "values a script may leave in the task data", int),
    S("TOANTRINH_SCRIPT_MAX_TEXT", 5_000_000, "characters of text a script may leave", int),
    S("TOANTRINH_SCRIPT_MAX_DEPTH", 100, "levels of nesting a script may leave", int),
    S("TOANTRINH_VERIFY_JOURNAL", False, "(tests) rebuild every journaled step and compare", flag),
    S(
        "TOANTRINH_VERIFY_WALK",
        False,
        "(tests) check every tree walk against SpiffWorkflow's",
        flag,
    ),
    S("TOANTRINH_VERIFY_STATE_MEMO", False, "(tests) check the state serializer's memo", flag),
    S(
        "TOANTRINH_VERIFY_FORMS",
        False,
        "(tests) check the fast form validator against jsonschema",
        flag,
    ),
    # national databases (docs/registries.md)
    S(
        "TOANTRINH_REGISTRY_URL",
        "http://127.0.0.1:8765",
        "the national databases' service (default: the sandbox)",
    ),
    S("TOANTRINH_REGISTRY_API_KEY", "", "its API key"),
    S("TOANTRINH_REGISTRY_TIMEOUT", 5.0, "seconds per registry call", float),
    S("TOANTRINH_REGISTRY_RETRIES", 2, "retries of a failed registry call", int),
    S(
        "TOANTRINH_REGISTRY_CATALOG",
        "",
        "the registry catalogue file (default data/registries.json)",
    ),
    S(
        "TOANTRINH_SANDBOX_PORT",
        8765,
        "the port `toantrinh serve` starts the sandbox registry on",
        int,
    ),
    # notifications
    S("TOANTRINH_SMTP_HOST", "", "mail server for applicant email (unset: no email)"),
    S("TOANTRINH_SMTP_PORT", 25, "its port", int),
    S("TOANTRINH_SMTP_USER", "", "its user"),
    S("TOANTRINH_SMTP_PASSWORD", "", "its password"),
    S("TOANTRINH_SMTP_STARTTLS", False, "use STARTTLS", flag),
    S("TOANTRINH_MAIL_FROM", "no-reply@toantrinh.local", "sender address"),
    S("TOANTRINH_SMS_URL", "", "SMS gateway (unset: no SMS)"),
    S("TOANTRINH_SMS_API_KEY", "", "its API key"),
    S("TOANTRINH_WEBHOOK_TIMEOUT", 5.0, "seconds per webhook delivery", float),
    S(
        "TOANTRINH_WEBHOOK_ALLOW",
        "",
        "internal networks and hosts webhooks may reach (CIDR, names)",
    ),
    S(
        "TOANTRINH_WEBHOOK_CACHE_SECONDS",
        5.0,
        "seconds active subscriptions are kept per process",
        float,
    ),
    S("TOANTRINH_NOTIFY_SYNC", False, "(tests) deliver inside the request", flag),
    # the one-stop desk (docs/onestop.md)
    S("TOANTRINH_SIGNERS", "", "the agencies' signing keys (PKCS#12 files or PKCS#11 tokens)"),
    S(
        "TOANTRINH_TEST_P12_PASSPHRASE",
        "",
        "(development) passphrase of the generated test signers",
    ),
    S("TOANTRINH_TEMPLATE_DIR", "", "the province's own document templates"),
    S("TOANTRINH_PROVINCE", "", "the province's code on documents"),
    S("TOANTRINH_PROVINCE_NAME", "", "the province's name on documents"),
    S("TOANTRINH_PLACE_NAME", "", "the place name in a document's date line"),
    S("TOANTRINH_PDF_FONT_DIR", "", "fonts for PDF documents"),
    S(
        "TOANTRINH_ONESTOP_INTERVAL",
        5.0,
        "seconds between one-stop passes (signing, portal sync)",
        float,
    ),
    S("TOANTRINH_PAYMENT_URL", "", "the national payment platform (unset: payments off)"),
    S("TOANTRINH_PAYMENT_MERCHANT", "TOANTRINH", "merchant code there"),
    S("TOANTRINH_PAYMENT_SECRET", "", "its shared secret"),
    S(
        "TOANTRINH_PAYMENT_SANDBOX_PORT",
        8766,
        "port of the payment sandbox `toantrinh serve` starts",
        int,
    ),
    S("TOANTRINH_FEE_REDUCTIONS", "", "fee reduction rules (default data/fee_reductions.json)"),
    S("TOANTRINH_PORTAL_URL", "", "the national public-service portal (unset: no sync)"),
    S("TOANTRINH_PORTAL_USER", "toantrinh", "user there"),
    S("TOANTRINH_PORTAL_PASSWORD", "", "its password"),
    S("TOANTRINH_PORTAL_AGENCY_CODE", "000.00.00.H00", "the agency code the portal knows"),
    S("TOANTRINH_PORTAL_DSTCODE", "", "the portal's destination code"),
    S(
        "TOANTRINH_PORTAL_SANDBOX_PORT",
        8767,
        "port of the portal sandbox `toantrinh serve` starts",
        int,
    ),
    S(
        "TOANTRINH_PORTAL_STATUSES",
        "",
        "status mapping to the portal (default data/portal_statuses.json)",
    ),
    S(
        "TOANTRINH_PORTAL_CODES",
        "",
        "procedure codes on the portal (default data/portal_codes.json)",
    ),
)
del S
BY_NAME = {s.name: s for s in CATALOGUE}
# read per registry: TOANTRINH_REGISTRY_<ID>_URL and _API_KEY (engine/registries/__init__.py)
PATTERNS = ("TOANTRINH_REGISTRY_",)


class Settings:
    """The settings a process runs with, read once (``Settings.from_env()``).

    Attributes are the catalogue's names without the prefix, in lower case
    (``settings.spec_cache``); :meth:`env` gives the raw text of any variable as it was
    at start (for the per-registry ones)."""

    def __init__(self, values: dict[str, Any], raw: Mapping[str, str]):
        self._values = values
        self._raw = dict(raw)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in CATALOGUE:
            text = environ.get(setting.name)
            if text is None or (text == "" and setting.parse is not str):
                values[setting.key] = setting.default
                continue
            try:
                values[setting.key] = setting.parse(text)
            except ValueError as err:
                raise ValueError(f"{setting.name}={text!r}: {setting.meaning}: {err}") from err
        raw = {
            k: v for k, v in environ.items() if k.startswith("TOANTRINH_") or k == "DATABASE_URL"
        }
        return cls(values, raw)

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["_values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def env(self, name: str, default: str | None = None) -> str | None:
        return self._raw.get(name, default)

    def as_config(self) -> dict[str, Any]:
        """The values under their variable names (what ``app.config`` holds)."""
        return {s.name: self._values[s.key] for s in CATALOGUE}


_CURRENT: Settings | None = None


def current() -> Settings:
    """This process's settings, read from the environment on first use."""
    global _CURRENT
    if _CURRENT is None:
        _CURRENT = Settings.from_env()
    return _CURRENT


def markdown_table() -> str:
    """The table of docs/operations.md "Settings"."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for s in CATALOGUE:
        default = "" if s.default in (None, "") else f"`{s.default}`"
        rows.append(f"| `{s.name}` | {default} | {s.meaning} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
