"""Headless Chromium as a person's eyes: what a page shows, measured in the rendered DOM and in a
screenshot. Debian's package (`apt-get install chromium`; .ci/run installs it in CI)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTH = 1200

# After load, the probe writes into the DOM where each selector's first visible match is drawn,
# its text and its computed colours, and the page's full height.
_PROBE = """<script>
window.addEventListener("load", () => {
  const out = {height: document.documentElement.scrollHeight, found: {}};
  for (const sel of JSON.parse(document.getElementById("gk-probe-selectors").textContent)) {
    const el = [...document.querySelectorAll(sel)].find(e => e.getClientRects().length);
    if (!el) continue;
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    out.found[sel] = {x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height, text: el.innerText,
      title: el.title || "", background: s.backgroundColor, outline: s.outlineColor,
      count: document.querySelectorAll(sel).length, visible: s.visibility === "visible" && r.width > 0};
  }
  const pre = document.createElement("pre"); pre.id = "gk-probe-result";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


def chromium() -> str:
    """The browser, or a skip that says why the page is not checked here."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium; .ci/run does this in CI)")
    return path


def _run(args: list[str]) -> str:
    with tempfile.TemporaryDirectory() as profile:
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                 f"--user-data-dir={profile}"]
        out = subprocess.run([chromium(), *flags, *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def measure(page: Path, selectors: list[str]) -> dict:
    """Load a copy of ``page`` with the probe added; where each selector is drawn, and the height."""
    probed = page.with_name(page.stem + ".probe.html")
    html = page.read_text(encoding="utf-8")
    probe = f'<script type="application/json" id="gk-probe-selectors">{json.dumps(selectors)}</script>{_PROBE}'
    probed.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = _run(["--virtual-time-budget=5000", f"--window-size={WIDTH},1000", "--dump-dom", probed.as_uri()])
    start = dom.index('<pre id="gk-probe-result">') + len('<pre id="gk-probe-result">')
    import html as html_module

    return json.loads(html_module.unescape(dom[start : dom.index("</pre>", start)]))


def screenshot(page: Path, name: str, height: int) -> Image.Image:
    """The whole page as a person sees it, kept under build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / name
    _run([f"--window-size={WIDTH},{height}", f"--screenshot={out}", page.as_uri()])
    return Image.open(out).convert("RGB")


def share(image: Image.Image, box: dict, colour: tuple[int, int, int], tolerance: int = 40) -> float:
    """The share of the pixels inside a measured box that are close to ``colour``."""
    region = image.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["w"]), int(box["y"] + box["h"])))
    data = region.tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    close = sum(all(abs(a - b) <= tolerance for a, b in zip(p, colour)) for p in pixels)
    return close / max(1, len(pixels))
