"""Fonts and figure output shared by every notebook and the command line.

Chinese text needs a CJK font. On a fresh Linux machine without root there is none,
and matplotlib then draws empty boxes (with a "Glyph ... missing from font(s)"
warning) while ``wordcloud`` draws boxes silently. This module finds a font in this
order and fails loudly when there is none:

1. ``$ANALYSIS_CJK_FONT``: path to any .ttf/.otf/.ttc/.otc font that has Chinese
   glyphs (e.g. a Source Han Sans SC or a SimHei file you are licensed to use).
2. ``NotoSansCJK-Regular.ttc`` shipped by the PyPI package ``noto-cjk-sans-otc``
   (SIL Open Font License 1.1), a runtime dependency of this package.

The .ttc is a collection of ten faces whose *first* face is Japanese ("Noto Sans
CJK JP": 令, 直, 骨 … drawn in Japanese forms). matplotlib registers every face of a
collection and is pointed at the family "Noto Sans CJK SC"; ``wordcloud`` (PIL)
always opens face 0, so for it the Simplified-Chinese face is extracted once with
fontTools into :func:`analysis.config.cache_dir` and that single-face file is used.

Nothing is ever written into matplotlib's install folder.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from analysis.plots.fonts import use_cjk_font
>>> use_cjk_font()
'Noto Sans CJK SC'
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "FONT_ENV_VAR",
    "FontNotFoundError",
    "cjk_font_path",
    "use_cjk_font",
    "save_figure",
]

#: Environment variable that overrides the bundled font.
FONT_ENV_VAR = "ANALYSIS_CJK_FONT"
#: PyPI distribution that ships the default font, and the file inside it.
FONT_DISTRIBUTION = "noto-cjk-sans-otc"
FONT_FILE = "NotoSansCJK-Regular.ttc"
#: Family drawn in Simplified-Chinese glyph forms inside the Noto collection.
SC_FAMILY = "Noto Sans CJK SC"

_COLLECTION_SUFFIXES = {".ttc", ".otc"}
# Family-name markers of a Simplified-Chinese face in a collection, best first,
# e.g. "Noto Sans CJK SC", "Source Han Sans CN", "Microsoft YaHei" has no marker.
_SC_MARKERS = (" SC", " CN", "GB", "Hans", "SimSun", "SimHei")

_FIX = (
    "Install the bundled font with `pip install noto-cjk-sans-otc` "
    f"(it is a dependency of this package), or set ${FONT_ENV_VAR} to the path "
    "of a .ttf/.otf/.ttc font with Chinese glyphs."
)

_registered_family: dict[str, str] = {}


class FontNotFoundError(RuntimeError):
    """No CJK font could be found; the message says how to install one."""


def _bundled_font() -> Path:
    """Locate ``NotoSansCJK-Regular.ttc`` inside the installed PyPI package."""
    try:
        dist = importlib.metadata.distribution(FONT_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError as exc:
        raise FontNotFoundError(
            f"No CJK font found: the package {FONT_DISTRIBUTION!r} is not installed "
            f"and ${FONT_ENV_VAR} is not set. {_FIX}"
        ) from exc
    for file in dist.files or ():
        if file.name == FONT_FILE:
            path = Path(str(file.locate()))
            if path.is_file():
                return path
    raise FontNotFoundError(
        f"No CJK font found: {FONT_DISTRIBUTION!r} is installed but its {FONT_FILE} "
        f"is missing. Reinstall it (`pip install --force-reinstall noto-cjk-sans-otc`) "
        f"or set ${FONT_ENV_VAR}."
    )


def _face_names(path: Path) -> list[str]:
    """Family names (name ID 1) of each face of a font file, in face order."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in _COLLECTION_SUFFIXES:
        holder = TTCollection(str(path), lazy=True)
        fonts = holder.fonts
    else:
        holder = TTFont(str(path), lazy=True)
        fonts = [holder]
    try:
        return [font["name"].getDebugName(1) or "" for font in fonts]
    finally:
        holder.close()


def _simplified_face_index(names: list[str]) -> int | None:
    """Index of the Simplified-Chinese face among family ``names`` (None if none)."""
    for marker in _SC_MARKERS:
        for i, name in enumerate(names):
            if marker in name and "Mono" not in name:
                return i
    return None


def _extract_face(path: Path, index: int) -> Path:
    """Write face ``index`` of collection ``path`` once into the cache; return it.

    The cache name carries a digest of the source path, size and mtime, so a new
    font version is extracted again. The file is written to a temporary name and
    renamed, so concurrent processes never see half a font.
    """
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{index}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    out_dir = config.cache_dir() / "fonts"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{path.stem}-face{index}-{digest}.otf"
    if out.is_file() and out.stat().st_size > 0:
        return out
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".otf.part")
    os.close(fd)
    try:
        collection.fonts[index].save(tmp)
        os.replace(tmp, out)
    finally:
        collection.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def cjk_font_path(*, simplified: bool = True) -> Path:
    """Path of a font file that draws Chinese.

    Parameters
    ----------
    simplified : bool, default True
        If True, return a single-face file drawing Simplified-Chinese forms: when
        the font is a collection (.ttc/.otc), its SC face is extracted once into
        the per-user cache (``analysis.config.cache_dir()/fonts``). Use this for
        ``wordcloud``/PIL, which only ever read face 0 of a collection. If False,
        return the font file as found (matplotlib registers all faces of it).

    Returns
    -------
    pathlib.Path
        ``$ANALYSIS_CJK_FONT`` if set, else the Noto Sans CJK collection from the
        ``noto-cjk-sans-otc`` package (or its extracted SC face).

    Raises
    ------
    FontNotFoundError
        If ``$ANALYSIS_CJK_FONT`` points at no file, or no font is installed; the
        message names the fix.

    Examples
    --------
    >>> cjk_font_path(simplified=False).suffix in {".ttc", ".otc", ".ttf", ".otf"}
    True
    """
    env = os.environ.get(FONT_ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise FontNotFoundError(
                f"${FONT_ENV_VAR} is set to {env!r}, which is not a font file. "
                f"Point it at an existing .ttf/.otf/.ttc font, or unset it to use the "
                f"bundled Noto Sans CJK (`pip install noto-cjk-sans-otc`)."
            )
    else:
        path = _bundled_font()
    if not simplified or path.suffix.lower() not in _COLLECTION_SUFFIXES:
        return path
    index = _simplified_face_index(_face_names(path))
    if index is None:
        # A collection without a recognisable SC face (e.g. a TC-only font): its
        # first face is the best we can do; it still has Chinese glyphs.
        index = 0
    return _extract_face(path, index)


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese; return the font family it will use.

    Registers the font found by :func:`cjk_font_path` with
    ``matplotlib.font_manager.fontManager.addfont`` (in memory, never writing into
    matplotlib's folder), puts its Simplified-Chinese family first in
    ``rcParams["font.sans-serif"]``, sets ``font.family`` to sans-serif and
    ``axes.unicode_minus`` to False (the CJK font has no U+2212 minus). Calling it
    again is cheap and has the same effect.

    Returns
    -------
    str
        The family name, e.g. ``"Noto Sans CJK SC"``.

    Raises
    ------
    FontNotFoundError
        When no CJK font is available (see :func:`cjk_font_path`).
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = cjk_font_path(simplified=False)
    key = str(path.resolve())
    family = _registered_family.get(key)
    if family is None:
        before = {(f.fname, f.name) for f in font_manager.fontManager.ttflist}
        if not any(fname == key or fname == str(path) for fname, _ in before):
            font_manager.fontManager.addfont(str(path))
        names = [
            f.name
            for f in font_manager.fontManager.ttflist
            if Path(f.fname).resolve() == path.resolve()
        ]
        index = _simplified_face_index(names)
        if index is None and path.suffix.lower() in _COLLECTION_SUFFIXES:
            # An older matplotlib registers only face 0 of a collection: register
            # the extracted Simplified-Chinese face instead.
            single = cjk_font_path(simplified=True)
            font_manager.fontManager.addfont(str(single))
            names = [
                f.name
                for f in font_manager.fontManager.ttflist
                if Path(f.fname).resolve() == single.resolve()
            ]
            index = _simplified_face_index(names)
        if not names:
            raise FontNotFoundError(f"matplotlib could not read the font {path}. {_FIX}")
        family = names[index if index is not None else 0]
        _registered_family[key] = family
    sans = [family] + [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = sans
    mpl.rcParams["axes.unicode_minus"] = False
    return family


def save_figure(
    fig: Figure,
    name: str,
    *,
    figures_dir: str | os.PathLike[str] | None = None,
    dpi: int = 150,
) -> Path:
    """Save ``fig`` as a byte-reproducible PNG in the figures folder.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File name, e.g. ``"04-top-terms"``; ``.png`` is added when missing.
    figures_dir : path, optional
        Folder to write to; default :func:`analysis.config.figures_dir` (honours
        ``$ANALYSIS_FIGURES``).
    dpi : int, default 150

    Returns
    -------
    pathlib.Path
        The written file. The PNG carries no "Software" (matplotlib version) entry
        and no timestamp, so the same figure gives the same bytes.
    """
    out_dir = config.figures_dir(figures_dir)
    filename = name if name.lower().endswith(".png") else f"{name}.png"
    out = out_dir / filename
    fig.savefig(
        out,
        dpi=dpi,
        bbox_inches="tight",
        format="png",
        metadata={"Software": None},
    )
    return out
