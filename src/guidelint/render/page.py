"""The page around a guide or the site index: head, styles, and the "Exit this page" control.

Modelled on the GOV.UK Design System's "Exit this page" component, for readers who may be
watched by the person they need help against:

- a red button at the top of every page, sticky while scrolling, that is a plain link to a
  neutral page (`RenderOptions.exit_url`), so it works without scripts;
- with scripts, activating it (or pressing Shift three times within five seconds each)
  blanks the page at once and replaces the current history entry (`location.replace`), so
  Back does not return to the guide; a live region announces the key presses;
- `rel="nofollow noreferrer"` and a no-referrer policy, so neither the neutral page nor any
  resource a guide links to learns which guide was being read.

The page loads nothing: one inline stylesheet and one inline script, both allowed by their
SHA-256 hash in a Content-Security-Policy that refuses everything else (no third-party
requests, no injected script can run). Print styles drop the exit control and print each
link's address after its text.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable
from typing import Final

from guidelint.render.options import RenderOptions

STYLE: Final = (
    ":root{color-scheme:light}"
    "*,*::before,*::after{box-sizing:border-box}"
    "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "font-size:1.0625rem;line-height:1.5;color:#1a1a1a;background:#fff;"
    "overflow-wrap:break-word}"
    "main{max-width:42rem;margin:0 auto;padding:1rem 1rem 3rem}"
    "h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}"
    "h2{font-size:1.25rem;line-height:1.3;margin:1.75rem 0 .5rem}"
    "li{margin:.35rem 0}"
    "a{color:#0b57d0;text-underline-offset:.15em}"
    "a:focus{outline:3px solid #f9ab00;outline-offset:1px}"
    "a[href^='tel:']{font-weight:600;white-space:nowrap}"
    ".reviewed,.meta{color:#505a5f}"
    ".reviewed{margin:0 0 1rem}"
    # The bar spans the window; its content lines up with the right edge of `main`.
    ".exit-bar{position:sticky;top:0;z-index:10;display:flex;flex-wrap:wrap;"
    "align-items:center;justify-content:flex-end;gap:.25rem 1rem;"
    "padding:.5rem max(1rem,calc((100% - 42rem)/2 + 1rem));"
    "background:#fff;border-bottom:1px solid #b1b4b6}"
    ".exit-hint{margin:0;font-size:.9rem;color:#505a5f}"
    # A touch screen has no Shift key to press.
    "@media (pointer:coarse){.exit-hint{display:none}}"
    ".guides li{margin:.75rem 0}"
    ".exit-button{display:inline-block;padding:.55rem 1rem;border-radius:.25rem;"
    "background:#b3261e;color:#fff;font-weight:700;text-decoration:none;"
    "box-shadow:0 2px 0 #5a130f}"
    ".exit-button:hover{background:#8e1e18;color:#fff}"
    ".exit-button:focus{outline:3px solid transparent;background:#fd0;color:#0b0c0c;"
    "box-shadow:0 -2px #fd0,0 4px #0b0c0c}"
    ".visually-hidden{position:absolute!important;width:1px!important;height:1px!important;"
    "margin:0!important;padding:0!important;overflow:hidden!important;"
    "clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;"
    "white-space:nowrap!important;border:0!important}"
    ".exiting .exit-bar,.exiting main{display:none}"
    ".exit-overlay{position:fixed;inset:0;z-index:20;display:flex;align-items:center;"
    "justify-content:center;background:#fff;color:#1a1a1a;font-size:1.25rem}"
    "@media print{.exit-bar,.exit-overlay{display:none}body{font-size:11pt;color:#000}"
    "main{max-width:none;padding:0}a{color:#000}"
    "a[href^='http']::after{content:' (' attr(href) ')';font-weight:400;"
    "overflow-wrap:anywhere}}"
)

# Written without `<` and `&`, so the page stays well-formed XML as well as HTML.
SCRIPT: Final = """
(function () {
  "use strict";
  var link = document.getElementById("exit-this-page");
  var status = document.getElementById("exit-status");
  var hint = document.getElementById("exit-hint");
  var presses = 0;
  var lastKeyWasModified = false;
  var timer = 0;
  if (!link || !status) {
    return;
  }
  function reset() {
    window.clearTimeout(timer);
    presses = 0;
    status.textContent = "";
  }
  function leave(event) {
    var overlay = document.createElement("div");
    if (event) {
      event.preventDefault();
    }
    reset();
    overlay.className = "exit-overlay";
    overlay.setAttribute("role", "alert");
    document.documentElement.classList.add("exiting");
    document.body.appendChild(overlay);
    overlay.textContent = "Loading.";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  // Shift pressed on its own, three times, each within 5 seconds of the last. A Shift
  // released after Shift+A comes after a keyup with shiftKey set, and does not count.
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || lastKeyWasModified) {
      if (presses) {
        reset();
      }
    } else if (presses === 2) {
      leave();
    } else {
      presses += 1;
      window.clearTimeout(timer);
      timer = window.setTimeout(reset, 5000);
      status.textContent = presses === 1
        ? "Shift, press 2 more times to exit."
        : "Shift, press 1 more time to exit.";
    }
    lastKeyWasModified = event.shiftKey;
  }, true);
  // A page restored from the back-forward cache must not stay blank.
  window.addEventListener("pageshow", function () {
    var overlays = document.querySelectorAll(".exit-overlay");
    var index;
    for (index = 0; index !== overlays.length; index += 1) {
      overlays[index].remove();
    }
    document.documentElement.classList.remove("exiting");
    reset();
  });
  if (hint) {
    hint.hidden = false;
  }
}());
"""


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline `<script>` or `<style>`."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


CONTENT_SECURITY_POLICY: Final = (
    f"default-src 'none'; style-src {csp_hash(STYLE)}; script-src {csp_hash(SCRIPT)}; "
    "base-uri 'none'; form-action 'none'"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def exit_control(options: RenderOptions) -> Iterable[str]:
    yield '<header class="exit-bar">'
    yield '<p class="exit-hint" id="exit-hint" hidden="hidden">Shortcut: press Shift 3 times</p>'
    yield (
        f'<a href="{_e(options.exit_url)}" id="exit-this-page" class="exit-button" '
        'rel="nofollow noreferrer"><span class="visually-hidden">Emergency</span> '
        "Exit this page</a>"
    )
    yield '<span id="exit-status" class="visually-hidden" role="status"></span>'
    yield "</header>"


def document(lang: str, title: str, body: Iterable[str], options: RenderOptions) -> str:
    """A whole page: `body` is the escaped markup inside `<main>`."""
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8"/>',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}"/>',
        '<meta name="referrer" content="no-referrer"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        *exit_control(options),
        "<main>",
        *body,
        "</main>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"
