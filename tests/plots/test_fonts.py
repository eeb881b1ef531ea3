"""Tests for analysis.plots.fonts: Chinese renders, missing glyphs fail, SC face, stable PNGs."""

from __future__ import annotations

import importlib.metadata
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from analysis.plots import fonts as plotting  # noqa: E402
from analysis.plots.fonts import (  # noqa: E402
    FontNotFoundError,
    cjk_font_path,
    save_figure,
    use_cjk_font,
)

CHINESE = ["法治政府建设年度报告", "习近平法治思想", "存在的不足和原因", "令 直 骨 −12%"]


def _draw_chinese(text: str) -> None:
    fig, ax = plt.subplots(figsize=(3, 2))
    try:
        ax.set_title(text)
        ax.bar([text[:3], text[-3:]], [1, -2])
        ax.set_ylabel("每万词频率")
        fig.canvas.draw()
    finally:
        plt.close(fig)


@pytest.mark.parametrize("text", CHINESE)
def test_chinese_figure_draws_without_missing_glyph_warning(text):
    with matplotlib.rc_context():
        assert use_cjk_font() == "Noto Sans CJK SC"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # any "Glyph ... missing" becomes a failure
            _draw_chinese(text)


def test_without_cjk_font_the_glyph_warning_fires():
    """Proves the test above can fail: DejaVu Sans alone has no Chinese glyphs."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with pytest.warns(UserWarning, match=r"Glyph \d+ .* missing from font"):
            _draw_chinese("法治")


def test_use_cjk_font_is_idempotent_and_sets_rcparams():
    with matplotlib.rc_context():
        first = use_cjk_font()
        n_fonts = len(matplotlib.font_manager.fontManager.ttflist)
        second = use_cjk_font()
        assert first == second == "Noto Sans CJK SC"
        assert len(matplotlib.font_manager.fontManager.ttflist) == n_fonts
        assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
        assert matplotlib.rcParams["font.sans-serif"].count("Noto Sans CJK SC") == 1
        assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_font_is_not_written_into_matplotlib_folder():
    font = cjk_font_path(simplified=False)
    assert not str(font.resolve()).startswith(str(plotting.Path(matplotlib.__file__).parent))


def _face_family(path) -> str:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        return font["name"].getDebugName(1)
    finally:
        font.close()


def _render(path, char: str, index: int = 0) -> np.ndarray:
    font = ImageFont.truetype(str(path), 64, index=index)
    img = Image.new("L", (80, 80), 0)
    ImageDraw.Draw(img).text((4, 0), char, font=font, fill=255)
    return np.asarray(img)


def test_wordcloud_font_is_the_simplified_chinese_face():
    single = cjk_font_path(simplified=True)
    collection = cjk_font_path(simplified=False)
    assert single.suffix in {".otf", ".ttf"}
    assert _face_family(single) == "Noto Sans CJK SC"
    # 直 is drawn differently in Japanese (face 0 of the .ttc) and Simplified forms.
    jp = _render(collection, "直", index=0)
    sc_in_collection = _render(collection, "直", index=2)
    sc_extracted = _render(single, "直")  # PIL/wordcloud opens face 0 of this file
    assert np.array_equal(sc_extracted, sc_in_collection)
    assert not np.array_equal(sc_extracted, jp)


def test_extraction_goes_to_the_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path))
    monkeypatch.delenv("ANALYSIS_CJK_FONT", raising=False)
    path = cjk_font_path()
    assert path.parent == tmp_path / "fonts"
    assert path == cjk_font_path()  # second call reuses the file
    assert list((tmp_path / "fonts").glob("*.part")) == []


def test_env_var_overrides_the_bundled_font(monkeypatch):
    single = cjk_font_path(simplified=True)
    monkeypatch.setenv("ANALYSIS_CJK_FONT", str(single))
    assert cjk_font_path() == single
    assert cjk_font_path(simplified=False) == single
    with matplotlib.rc_context():
        assert use_cjk_font() == "Noto Sans CJK SC"


def test_env_var_pointing_nowhere_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_CJK_FONT", str(tmp_path / "msyh.ttc"))
    with pytest.raises(FontNotFoundError, match="ANALYSIS_CJK_FONT"):
        cjk_font_path()


def test_missing_package_error_names_the_fix(monkeypatch):
    monkeypatch.delenv("ANALYSIS_CJK_FONT", raising=False)

    def no_dist(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(plotting.importlib.metadata, "distribution", no_dist)
    with pytest.raises(FontNotFoundError, match=r"pip install noto-cjk-sans-otc"):
        cjk_font_path()
    with pytest.raises(FontNotFoundError, match="ANALYSIS_CJK_FONT"):
        use_cjk_font()


def test_save_figure_is_byte_reproducible(tmp_path):
    with matplotlib.rc_context():
        use_cjk_font()
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title("法治政府")
        ax.plot([1, 3, 2])
        first = save_figure(fig, "04-test", figures_dir=tmp_path)
        data = first.read_bytes()
        second = save_figure(fig, "04-test.png", figures_dir=tmp_path)
        plt.close(fig)
    assert first == second == tmp_path / "04-test.png"
    assert second.read_bytes() == data
    assert data.startswith(b"\x89PNG")
    assert b"matplotlib" not in data.lower()  # no "Software: matplotlib x.y" chunk
