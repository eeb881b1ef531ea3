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


def test_keyness_title_names_both_groups_and_their_reports(seed_corpus):
    tokens = kw.tokenize(seed_corpus, boilerplate=True)
    target = seed_corpus.loc[seed_corpus["report_year"] == 2023, "doc_id"]
    table = kw.keyness(tokens, target)
    fig = kp.plot_keyness(table, target_label="2023", reference_label="other years")
    try:
        assert fig.axes[0].get_title() == "Keyness: 2023 (n=3) vs other years (n=2)"
    finally:
        plt.close(fig)
    fig = kp.plot_keyness(table, target_label="甲", reference_label="乙", n_target=7, n_reference=9, title="标题")
    try:
        assert fig.axes[0].get_title() == "标题\nKeyness: 甲 (n=7) vs 乙 (n=9)"
    finally:
        plt.close(fig)


def test_report_panels_are_titled_with_the_report_labels(seed_corpus):
    from analysis.plots.labels import report_labels

    per_doc = kw.term_frequencies(kw.tokenize(seed_corpus, boilerplate=True), by="doc_id")
    labels = report_labels(seed_corpus)
    for fig in (
        kp.plot_top_terms(per_doc, n=5, by="doc_id", corpus=seed_corpus),
        kp.plot_wordclouds(per_doc, corpus=seed_corpus, max_words=10, width=200, height=120),
    ):
        try:
            titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
            assert titles == labels.tolist()
            assert fig.get_figwidth() <= kp.MAX_WIDTH
        finally:
            plt.close(fig)


def test_panels_left_out_are_said_in_the_title():
    freqs = kw.term_frequencies(
        __import__("pandas").DataFrame({"doc_id": [f"d{i:02d}" for i in range(20)], "term": ["执法"] * 20}), by="doc_id"
    )
    fig = kp.plot_top_terms(freqs, n=3, by="doc_id", max_panels=6, title="Top terms (20 reports)")
    try:
        assert fig._suptitle.get_text() == "Top terms (20 reports)\n6 of 20 doc_id groups shown: the first 6 in table order"
    finally:
        plt.close(fig)


def test_word_clouds_leave_place_names_out_by_default():
    freqs = {"海珠区": 50.0, "白云": 40.0, "执法": 30.0, "普法": 20.0}
    assert list(_frequency_dict(freqs, drop_places=True)) == ["执法", "普法"]
    assert list(_frequency_dict(freqs)) == ["海珠区", "白云", "执法", "普法"]
    import inspect

    assert inspect.signature(kp.plot_wordcloud).parameters["drop_places"].default is True
    assert inspect.signature(kp.plot_wordclouds).parameters["drop_places"].default is True
