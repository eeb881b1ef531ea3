"""Tests for analysis.keywords.segmenter: terms come out whole, backends agree, no global state."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import keywords as kw
from analysis.keywords.dictionaries import dictionary_entries
from analysis.keywords.segmenter import _build_engine, _jieba, _segmenter

DICTIONARY_TERMS = [
    # (sentence as a report writes it, the dictionary term that must come out whole)
    ("深入学习贯彻习近平法治思想,全面推进依法治国", "习近平法治思想"),
    ("深入学习贯彻习近平法治思想，全面推进依法治国。", "习近平法治思想"),
    ("扎实推进法治政府建设提质增效", "法治政府建设"),
    ("扎实推进法治政府建设提质增效", "提质增效"),
    ("切实履行推进法治建设第一责任人职责", "第一责任人职责"),
    ("严格落实“三重一大”民主决策制度", "三重一大"),
    ("推进街道综合行政执法规范化建设", "综合行政执法"),
    ("发挥行政复议化解行政争议主渠道作用", "行政复议"),
    ("参与行政诉讼8起，目前已完结2起", "行政诉讼"),
    ("践行新时代“枫桥经验”,打造主城经验样本", "枫桥经验"),
    ("全面推行“双随机、一公开”监管，全年抽查１２次", "双随机、一公开"),
    ("结合\"双随机、一公开\"监管、重点监管", "双随机、一公开"),
    ("严格执行重大行政决策法定程序", "重大行政决策"),
    ("构建“流程规范、审查全面”的合法性审查工作机制", "合法性审查"),
    ("加强行政规范性文件审查、备案及清理工作", "行政规范性文件"),
    ("持续推进公共法律服务站点平台建设", "公共法律服务"),
    ("迎接2025年八五普法验收", "八五普法"),
    ("坚持“谁执法谁普法”，组织普法进校园", "谁执法谁普法"),
    ("健全矛盾纠纷多元化解机制", "矛盾纠纷多元化解"),
    ("将优化营商环境向纵深推进", "营商环境"),
    ("全面贯彻党的二十大精神", "二十大"),
    ("全面贯彻党的十九大和十九届二中、三中、四中全会精神", "十九届"),
    ("推动矛盾纠纷源头预防、前端化解，案结事了", "案结事了"),
]


def _corpus(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


# ----------------------------------------------------------------------------------------
# tokenizer
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
@pytest.mark.parametrize(("sentence", "term"), DICTIONARY_TERMS)
def test_dictionary_terms_come_out_whole(sentence, term, backend):
    tokens = kw.tokenize(_corpus(sentence), backend=backend)
    assert term in tokens["term"].astype(str).tolist()
    row = tokens[tokens["term"] == term].iloc[0]
    assert sentence[row["start"] : row["end"]] == term
    assert row["pos"] == kw.load_user_dictionary().set_index("term").loc[term, "pos"]


def test_dictionary_terms_in_the_seeds_are_cut_only_by_other_dictionary_terms(seed_corpus):
    """Each occurrence of an entry is one token, or overlaps a longer/competing entry."""
    terms = {term for term, _, _ in dictionary_entries()}
    seg = kw.get_segmenter()
    found = 0
    for text in seed_corpus["text"]:
        spans = []
        pos = 0
        for w in seg.cut(text):
            spans.append((pos, pos + len(w), w))
            pos += len(w)
        bounds = {s for s, _, _ in spans}
        for term in terms:
            for m in re.finditer(re.escape(term), text):
                found += 1
                if not any(m.start() < b < m.end() for b in bounds):
                    continue  # whole, or inside a longer token
                crossing = [w for s, e, w in spans if s < m.end() and e > m.start() and (s < m.start() or e > m.end())]
                assert any(w in terms for w in crossing), (term, text[m.start() - 5 : m.end() + 5], crossing)
    assert found > 300


def test_backends_agree_on_the_seeds(seed_corpus):
    """rjieba (default) vs jieba (reference), user dictionary loaded, HMM off: >= 99.9%."""
    fast = kw.get_segmenter("rjieba")
    reference = kw.get_segmenter("jieba")
    same = total = 0
    for text in seed_corpus["text"]:
        a = fast.cut(text)
        b = reference.cut(text)
        sa, sb = _spans(a), _spans(b)
        same += len(sa & sb)
        total += max(len(sa), len(sb))
    agreement = same / total
    assert agreement >= 0.999, agreement
    assert agreement == 1.0  # measured: identical segmentation of the seeds
    t_fast = kw.tokenize(seed_corpus, backend="rjieba")
    t_ref = kw.tokenize(seed_corpus, backend="jieba")
    pd.testing.assert_frame_equal(t_fast, t_ref)  # same terms, offsets and tags


def _spans(words: list[str]) -> set[tuple[int, int, str]]:
    out = set()
    pos = 0
    for w in words:
        out.add((pos, pos + len(w), w))
        pos += len(w)
    return out


def test_default_backend_follows_the_measured_agreement():
    assert kw.get_segmenter().backend == "rjieba"
    assert kw.get_segmenter(hmm=True).backend == "jieba"
    with pytest.raises(ValueError, match="backend"):
        kw.get_segmenter("thulac")


def test_segmenter_is_built_once_and_leaves_global_jieba_alone():
    jieba = _jieba()  # imported with jieba's own import-time warnings silenced

    assert kw.get_segmenter() is kw.get_segmenter("rjieba", hmm=False)
    kw.get_segmenter("jieba")
    assert "习近平法治思想" not in jieba.dt.FREQ
    assert "习近平法治思想" not in jieba.dt.user_word_tag_tab


def test_jieba_backend_caches_in_cache_dir_silently(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path))
    _build_engine.cache_clear()
    _segmenter.cache_clear()
    try:
        seg = kw.get_segmenter("jieba")
        assert seg.cut("习近平法治思想") == ["习近平法治思想"]
        assert list(tmp_path.glob("jieba-*.cache"))
        captured = capfd.readouterr()
        assert captured.err == "" and captured.out == ""
    finally:
        _build_engine.cache_clear()
        _segmenter.cache_clear()

@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_cut_gives_the_words_of_tag_also_where_terms_are_joined(backend):
    seg = kw.get_segmenter(backend)
    text = "推行“双随机、一公开”监管,双随机、一公开抽查12次;双随机、一"
    assert "双随机、一公开" in seg.cut(text)
    assert seg.cut(text) == [w for w, _ in seg.tag(text)]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("双随机、一公开监管执法普法的,。\n 12")), max_size=60))
def test_cut_equals_tag_words_on_arbitrary_text(text):
    seg = kw.get_segmenter()
    assert seg.cut(text) == [w for w, _ in seg.tag(text)]



# ----------------------------------------------------------------------------------------
# policy vocabulary and the user's own words
# ----------------------------------------------------------------------------------------

POLICY_SENTENCES = [
    # (sentence, the policy term the package keeps whole and jieba alone cuts)
    ("坚持人与自然和谐共生,建设生态文明", "生态文明"),
    ("积极参与一带一路建设,扩大高水平对外开放", "一带一路"),
    ("推动经济社会高质量发展", "高质量发展"),
    ("以中国式现代化全面推进中华民族伟大复兴", "中国式现代化"),
    ("深化供给侧结构性改革", "供给侧结构性改革"),
    ("因地制宜发展新质生产力", "新质生产力"),
    ("完整准确全面贯彻新发展理念", "新发展理念"),
]


@pytest.mark.parametrize(("sentence", "term"), POLICY_SENTENCES)
def test_policy_terms_are_single_tokens_only_thanks_to_the_dictionary(sentence, term):
    import rjieba

    plain = rjieba.Jieba().cut(sentence, False)  # jieba's own dictionary, nothing added
    assert term not in plain
    assert any(len(w) < len(term) and w in term for w in plain)  # cut into pieces
    assert term in kw.get_segmenter().cut(sentence)
    assert term in kw.get_segmenter("jieba").cut(sentence)
    assert term in kw.tokenize(_corpus(sentence))["term"].astype(str).tolist()


def test_plan_names_are_terms_not_numbers():
    terms = kw.tokenize(_corpus("编制十五五规划,总结十三五和十四五成就,全年开展二十场活动"))["term"].astype(str).tolist()
    assert {"十五五", "十三五", "十四五"} <= set(terms)
    assert "二十" not in terms


USER_WORDS = ["民生微实事", "枫桥式派出所", "一老一小"]


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_user_words_are_single_tokens_with_their_tags(backend, tmp_path):
    text = "推进民生微实事,创建枫桥式派出所,做好一老一小服务"
    assert not set(USER_WORDS) & set(kw.get_segmenter(backend).cut(text))  # not without them
    path = tmp_path / "words.txt"
    path.write_text("民生微实事 20000 nz\n枫桥式派出所\n一老一小 20000 l\n", encoding="utf-8")
    for userdict in (USER_WORDS, path):
        tokens = kw.tokenize(_corpus(text), backend=backend, userdict=userdict)
        got = dict(zip(tokens["term"].astype(str), tokens["pos"].astype(str)))
        assert set(USER_WORDS) <= set(got), got
        assert all(text[s:e] == t for s, e, t in zip(tokens["start"], tokens["end"], tokens["term"]))
    assert got["一老一小"] == "l" and got["枫桥式派出所"] == "nz"


def test_user_words_with_characters_jieba_never_joins_are_rejoined():
    seg = kw.get_segmenter(userdict=["一老、一小"])
    assert "一老、一小" in seg.cut("关注一老、一小群体")
    assert seg.cut("关注一老、一小群体") == [w for w, _ in seg.tag("关注一老、一小群体")]


def test_segmenters_are_cached_by_dictionary_content_not_by_path(tmp_path):
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text("民生微实事\n", encoding="utf-8")
    second.write_text("# same word, other file\n民生微实事 20000 nz\n", encoding="utf-8")
    seg = kw.get_segmenter(userdict=first)
    assert kw.get_segmenter(userdict=second) is seg
    assert kw.get_segmenter(userdict=["民生微实事"]) is seg
    assert kw.Segmenter(userdict=["民生微实事"])._cut is seg._cut  # one engine per content
    first.write_text("枫桥式派出所\n", encoding="utf-8")  # edited file: a new segmenter
    assert kw.get_segmenter(userdict=first) is not seg
    assert kw.get_segmenter(userdict=first).userdict == (("枫桥式派出所", 20000, "nz"),)


def test_user_words_leave_every_other_segmenter_and_global_jieba_alone():
    text = "推进民生微实事"
    before = kw.get_segmenter().cut(text)
    kw.tokenize(_corpus(text), userdict=["民生微实事"], backend="jieba")
    kw.tokenize(_corpus(text), userdict=["民生微实事"])
    assert kw.get_segmenter().cut(text) == before
    assert "民生微实事" not in before
    jieba = _jieba()
    assert "民生微实事" not in jieba.dt.FREQ and "民生微实事" not in jieba.dt.user_word_tag_tab
