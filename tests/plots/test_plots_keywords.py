"""Tests for analysis.plots.keywords: every figure draws Chinese, word clouds are deterministic."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from analysis import keywords as kw  # noqa: E402
from analysis.plots import keywords as kp  # noqa: E402
from analysis.plots.keywords import _frequency_dict, _wordcloud_image  # noqa: E402


def _draw_strict(fig) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" fails the test
        fig.canvas.draw()
    plt.close(fig)


def test_plots_draw_without_missing_glyphs(seed_corpus):
    tokens = kw.tokenize(seed_corpus, boilerplate=True)
    tf = kw.term_frequencies(tokens)
    per_doc = kw.term_frequencies(tokens, by="doc_id")
    trends = kw.keyword_trends(tokens, ["习近平法治思想", "普法", "调解"], corpus=seed_corpus)
    key = kw.keyness(tokens, seed_corpus.loc[seed_corpus["report_year"] == 2023, "doc_id"])
    with matplotlib.rc_context():
        for fig in [
            kp.plot_top_terms(tf, n=15, title="高频词"),
            kp.plot_top_terms(per_doc, n=8, by="doc_id"),
            kp.plot_keyword_trends(trends),
            kp.plot_keyness(key, n=8, target_label="2023年", reference_label="其他"),
            kp.plot_wordcloud(tf, title="词云", max_words=30, width=300, height=200),
            kp.plot_wordclouds(per_doc, max_words=20, max_panels=2),
        ]:
            _draw_strict(fig)


def test_wordcloud_is_deterministic_and_uses_the_sc_face(monkeypatch):
    freqs = {"法治政府建设": 30.0, "行政执法": 20.0, "普法": 12.0, "调解": 9.0, "令": 5.0, "直": 5.0}
    first = _wordcloud_image(_frequency_dict(freqs), max_words=10, random_state=7, width=300, height=200)
    second = _wordcloud_image(_frequency_dict(freqs), max_words=10, random_state=7, width=300, height=200)
    assert np.array_equal(first, second)
    assert (first < 250).any()  # something was drawn on the white background
    import wordcloud

    used = {}
    original = wordcloud.WordCloud.__init__

    def spy(self, *args, **kwargs):
        used["font_path"] = kwargs.get("font_path")
        original(self, *args, **kwargs)

    monkeypatch.setattr(wordcloud.WordCloud, "__init__", spy)
    _wordcloud_image(_frequency_dict(freqs), max_words=10, random_state=7, width=300, height=200)
    from fontTools.ttLib import TTFont

    font = TTFont(used["font_path"], lazy=True)
    try:
        assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    finally:
        font.close()


def test_figures_are_reachable_under_their_old_names():
    import analysis

    for name in kp.__all__:
        assert getattr(analysis, name) is getattr(kp, name)
        assert getattr(kw, name) is getattr(kp, name)  # analysis.keywords.plot_* of before
