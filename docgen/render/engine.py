"""The rendering libraries this process uses, as far as they decide a document's bytes.

The same input, options and date give byte-identical files only on the same stack: a PDF's
embedded fonts differ with the HarfBuzz and Pango on the machine, and without HarfBuzz's
subsetter (the libharfbuzz-subset0 package) WeasyPrint subsets fonts with fontTools, which
makes other bytes and takes about twice as long a PDF (measured on il-cook: 119 against 54 ms a
document). The versions go into the fingerprint a resumed run and every cluster worker must
share (docgen.store.resume), and `generate` says when the subsetter is missing.
"""

from __future__ import annotations

import importlib.metadata
from functools import cache

# isort: off
# docgen.render.pdf points fontconfig at the bundled fonts before WeasyPrint is first imported.
from docgen.render import pdf  # noqa: F401
from weasyprint.text import ffi

# isort: on

# Python packages whose version changes what a PDF or DOCX holds.
_PACKAGES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "docxtpl", "lxml")


def _harfbuzz_version(harfbuzz: object) -> str:
    """HarfBuzz's version, from hb_version_atleast (the only version call WeasyPrint declares)."""
    at_least = harfbuzz.hb_version_atleast  # type: ignore[attr-defined]
    found = [0, 0, 0]
    for place in range(3):
        while found[place] < 1000:
            trial = [*found]
            trial[place] += 1
            if not at_least(*trial):
                break
            found = trial
    return ".".join(map(str, found))


@cache
def engine_versions() -> dict[str, str]:
    """Each package's version, Pango's, HarfBuzz's, and whether HarfBuzz's subsetter is there."""
    versions = {name: importlib.metadata.version(name) for name in _PACKAGES}
    pango = ffi.pango.pango_version()
    versions["pango"] = f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}"
    versions["harfbuzz"] = _harfbuzz_version(ffi.harfbuzz)
    if ffi.harfbuzz_subset is None:
        versions["harfbuzz-subset"] = "missing"
    elif not ffi.harfbuzz.hb_version_atleast(4, 1, 0):  # WeasyPrint's own condition for it
        versions["harfbuzz-subset"] = "not used: HarfBuzz older than 4.1.0"
    else:
        versions["harfbuzz-subset"] = "present"
    return versions


def subsetter_warning() -> str | None:
    """What to tell whoever runs docgen on a machine without HarfBuzz's subsetter, else None."""
    if engine_versions()["harfbuzz-subset"] == "present":
        return None
    return (
        "libharfbuzz-subset is not installed (or HarfBuzz is older than 4.1): PDF fonts are "
        "subset with fontTools instead, about twice as slow a document, and the files differ "
        "from those of a machine that has it. Install it (Debian/Ubuntu: apt-get install "
        "libharfbuzz-subset0; see README)."
    )
