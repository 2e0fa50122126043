"""The pages: one Jinja template each, the strings in :mod:`toantrinh.web.i18n`, assets under
``/ui/static`` (vendored libraries built by ``web/build.sh`` into ``static/vendor``).

Pages hold no data of their own: the scripts call ``/api/v1`` with the bearer token the
user signed in with (kept in the browser's ``localStorage``), so every permission check
stays in the API.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request
from markupsafe import Markup

from toantrinh.web.assets import asset_url, import_map, send_asset
from toantrinh.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, messages

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "static" / "vendor"
LANG_COOKIE = "tt_lang"


class _WebBlueprint(Blueprint):
    def send_static_file(self, filename: str):
        """Static files compressed and cached by content hash (web/assets.py)."""
        return send_asset(filename)


web_blueprint = _WebBlueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/ui/static",
)

PAGES = {
    # endpoint: (template, roles that use it; None = public)
    "home": ("home.html", None),
    "login": ("login.html", None),
    "track": ("track.html", None),
    "verify": ("verify.html", None),
    "citizen": ("citizen.html", ("citizen",)),
    "inbox": ("inbox.html", ("officer", "admin")),
    "modeller": ("modeller.html", ("modeller", "admin")),
    "reformer": ("reformer.html", ("reformer", "modeller", "admin")),
    "catalogue": ("catalogue.html", ("reformer", "modeller", "admin")),
}


def current_language() -> str:
    wanted = request.args.get("lang") or request.cookies.get(LANG_COOKIE) or DEFAULT_LANGUAGE
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def dev_login_enabled() -> bool:
    """``TOANTRINH_DEV_LOGIN``: the try-out sign-in (the page's role buttons and the API's
    ``/auth/dev-login``), as the app's settings say."""
    value = current_app.config.get("TOANTRINH_DEV_LOGIN", "")
    return str(value).lower() in ("1", "true", "yes")


def render_page(endpoint: str, **context):
    template, roles = PAGES[endpoint]
    lang = current_language()
    strings = messages(lang)

    def t(key: str, **values) -> str:
        text = strings.get(key, key)
        return text.format(**values) if values else text

    page = {
        "page": endpoint,
        "lang": lang,
        "roles": list(roles or []),
        "dev_login": dev_login_enabled(),
        **context,
    }
    html = render_template(
        template,
        t=t,
        lang=lang,
        languages=LANGUAGES,
        page=page,
        endpoint=endpoint,
        assets_built=(VENDOR / "VERSIONS.json").is_file(),
        asset=asset_url,
        import_map=Markup(import_map()),
        boot=Markup(
            json.dumps({"page": page, "i18n": strings}, ensure_ascii=False).replace("</", "<\\/")
        ),
    )
    response = make_response(html)
    if request.args.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    response.headers["Content-Language"] = lang
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@web_blueprint.get("/")
def home():
    return render_page("home")


@web_blueprint.get("/login")
def login():
    return render_page("login")


@web_blueprint.get("/track")
@web_blueprint.get("/track/<string(minlength=1, maxlength=40):code>")
def track(code: str | None = None):
    return render_page("track", code=code or request.args.get("code", "").strip().upper() or None)


@web_blueprint.get("/verify")
@web_blueprint.get("/verify/<string(minlength=1, maxlength=64):code>")
def verify(code: str | None = None):
    return render_page("verify", code=code or request.args.get("code", "").strip().upper() or None)


@web_blueprint.get("/citizen")
def citizen():
    return render_page(
        "citizen", start=request.args.get("start"), dossier=request.args.get("dossier", type=int)
    )


@web_blueprint.get("/inbox")
def inbox():
    return render_page("inbox", task=request.args.get("task"))


@web_blueprint.get("/modeller")
@web_blueprint.get("/modeller/<string(minlength=1, maxlength=120):slug>")
def modeller(slug: str | None = None):
    return render_page("modeller", slug=slug)


@web_blueprint.get("/reformer/catalogue")
def catalogue():
    return render_page("catalogue")


@web_blueprint.get("/reformer")
@web_blueprint.get("/reformer/<string(minlength=1, maxlength=120):slug>")
def reformer(slug: str | None = None):
    return render_page("reformer", slug=slug)


@web_blueprint.get("/ui/lang/<code>")
def switch_language(code: str):
    if code not in LANGUAGES:
        abort(404)
    target = request.args.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
