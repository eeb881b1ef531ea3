"""Tests for analysis.keywords: tokenizer, term tables, trends, keyness, KWIC, figures."""

from __future__ import annotations

import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from scipy import sparse  # noqa: E402

from analysis import keywords as kw  # noqa: E402

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
# resources
# ----------------------------------------------------------------------------------------


def test_user_dictionary_has_300_sourced_tagged_entries():
    d = kw.load_user_dictionary()
    assert len(d) >= 300
    assert d["term"].is_unique
    assert (d["source"].str.len() > 10).all()  # every entry under a "## source:" heading
    assert d["source"].str.contains("法治政府建设实施纲要").any()
    assert d["source"].str.contains("seed reports").any()
    assert d["pos"].str.fullmatch(r"[a-z]+").all()
    assert (d["freq"] > 0).all()
    for term in ["习近平法治思想", "法治政府建设", "第一责任人", "三重一大", "综合行政执法", "行政复议", "行政诉讼",
                 "枫桥经验", "双随机、一公开", "重大行政决策", "合法性审查", "规范性文件", "公共法律服务",
                 "八五普法", "谁执法谁普法", "矛盾纠纷多元化解", "营商环境"]:
        assert term in set(d["term"]), term


def test_userdict_lines_are_jieba_format():
    jieba_line = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")  # jieba's re_userdict
    for line in kw._userdict_jieba_bytes().decode("utf-8").splitlines():
        m = jieba_line.match(line)
        assert m and m.group(2) and m.group(3), line


@pytest.mark.parametrize(
    ("kind", "present", "absent"),
    [
        ("function", ["的", "以及", "一是", "通过"], ["执法", "加强"]),
        ("boilerplate", ["加强", "推进", "进一步", "开展", "工作", "全面", "深入", "坚持", "落实"], ["执法", "普法", "调解", "法治"]),
    ],
)
def test_stopword_lists(kind, present, absent):
    words = kw.load_stopwords(kind)
    assert set(present) <= words
    assert not set(absent) & words


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
    terms = set(kw.load_user_dictionary()["term"])
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


@pytest.mark.parametrize(
    ("text", "dropped", "kept"),
    [
        ("2023年,全年开展普法宣传120余次", ["2023", "120", "余次", "年"], ["普法宣传"]),
        ("化解成功率99.7%，挽回损失1012.36万元", ["99.7", "%", "1012.36", "万元"], ["化解成功率"]),
        ("第三，组织１２３场讲座", ["第三", "１２３", "，"], ["组织", "讲座"]),
        ("二十场次活动、三个清楚", ["二十"], ["活动", "清楚"]),
        ("学习党的二十大和十九届四中全会精神", [], ["二十大", "十九届四中全会"]),
        ("涉及金额7965万元、3亿元", ["7965", "万元", "亿元"], ["涉及", "金额"]),
        ("办结率100%(12345热线)", ["100%", "("], ["办结率", "12345热线"]),
    ],
)
def test_numbers_punctuation_single_characters_are_not_terms(text, dropped, kept):
    terms = kw.tokenize(_corpus(text))["term"].astype(str).tolist()
    assert not set(dropped) & set(terms)
    assert set(kept) <= set(terms)
    assert all(len(t) >= 2 for t in terms)


def test_drop_numbers_false_keeps_numbers():
    # (decimals fall apart in segmentation: 210.61 -> 210 . 61; read quantities with
    # analysis.extract_indicators, not with tokens)
    terms = kw.tokenize(_corpus("全年立案80宗,罚款2106元"), drop_numbers=False)["term"].astype(str).tolist()
    assert "80" in terms and "2106" in terms


@pytest.mark.parametrize(
    ("options", "absent", "present"),
    [
        ({}, ["的", "以及", "一是"], ["加强", "推进", "进一步", "工作"]),
        ({"boilerplate": True}, ["的", "以及", "加强", "推进", "进一步", "工作", "全面", "深入", "落实"], ["执法", "普法"]),
        ({"stopwords": False}, [], ["以及", "进一步"]),
        ({"stopwords": ["执法"]}, ["执法"], ["以及"]),
    ],
)
def test_stopwords_removed(options, absent, present):
    text = "一是进一步加强执法工作以及普法工作,全面深入推进落实"
    terms = set(kw.tokenize(_corpus(text), **options)["term"].astype(str))
    assert not set(absent) & terms
    assert set(present) <= terms


def test_tokens_table_columns_dtypes_and_offsets(seed_corpus):
    tokens = kw.tokenize(seed_corpus)
    assert list(tokens.columns) == ["doc_id", "part", "position", "term", "pos", "start", "end"]
    for col in ["doc_id", "part", "term", "pos"]:
        assert isinstance(tokens[col].dtype, pd.CategoricalDtype), col
    for col in ["position", "start", "end"]:
        assert tokens[col].dtype == np.int32, col
    assert tokens["part"].isna().all()  # the corpus has no part
    texts = dict(zip(seed_corpus["doc_id"], seed_corpus["text"]))
    assert all(texts[d][s:e] == t for d, s, e, t in zip(tokens["doc_id"], tokens["start"], tokens["end"], tokens["term"]))
    assert list(tokens["doc_id"].cat.categories) == seed_corpus["doc_id"].tolist()
    # document order, positions increasing within each document
    assert (tokens.groupby("doc_id", observed=True)["position"].apply(lambda p: p.is_monotonic_increasing)).all()


def test_tokenizing_together_equals_tokenizing_one_by_one(seed_corpus):
    together = kw.tokenize(seed_corpus)
    cols = ["doc_id", "position", "term", "pos", "start", "end"]
    alone = pd.concat([kw.tokenize(seed_corpus.iloc[[i]]) for i in range(len(seed_corpus))])
    a = together[cols].astype({"doc_id": str, "term": str, "pos": str}).reset_index(drop=True)
    b = alone[cols].astype({"doc_id": str, "term": str, "pos": str}).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_input_not_mutated(seed_corpus):
    before = seed_corpus.copy()
    kw.tokenize(seed_corpus, boilerplate=True)
    pd.testing.assert_frame_equal(seed_corpus, before)


def test_sections_give_the_corpus_tokens_with_parts():
    text = "2023年,我街深入学习习近平法治思想。\n一、主要举措\n(一)加强行政执法。\n二、存在的不足\n执法人员不足。"
    first = text.index("一、")
    sub = text.index("(一)")
    second = text.index("二、")
    sections = pd.DataFrame(
        {
            "doc_id": ["r"] * 4,
            "part": ["preamble", "measures", "measures", "shortcomings"],
            "level": [1, 1, 2, 1],
            "text": [text[:first], text[first:second], text[sub:second], text[second:]],
            "start": [0, first, sub, second],
            "end": [first, second, second, len(text)],
        }
    )
    by_section = kw.tokenize(sections)
    whole = kw.tokenize(pd.DataFrame({"doc_id": ["r"], "text": [text]}))
    cols = ["position", "term", "start", "end"]
    pd.testing.assert_frame_equal(by_section[cols].astype({"term": str}), whole[cols].astype({"term": str}))
    assert all(text[s:e] == t for s, e, t in zip(by_section["start"], by_section["end"], by_section["term"]))
    parts = dict(zip(by_section["term"].astype(str), by_section["part"].astype(str)))
    assert parts["习近平法治思想"] == "preamble"
    assert parts["行政执法"] == "measures"
    assert parts["执法人员"] == "shortcomings"


def test_empty_and_missing_texts():
    corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["", None, "执法 ,。"]})
    tokens = kw.tokenize(corpus)
    assert tokens["term"].astype(str).tolist() == ["执法"]
    assert list(tokens["doc_id"].cat.categories) == ["a", "b", "c"]
    assert len(kw.tokenize(corpus.iloc[:0])) == 0


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
    jieba = kw._jieba()  # imported with jieba's own import-time warnings silenced

    assert kw.get_segmenter() is kw.get_segmenter("rjieba", hmm=False)
    kw.get_segmenter("jieba")
    assert "习近平法治思想" not in jieba.dt.FREQ
    assert "习近平法治思想" not in jieba.dt.user_word_tag_tab


def test_jieba_backend_caches_in_cache_dir_silently(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("ANALYSIS_CACHE", str(tmp_path))
    kw._build_segmenter.cache_clear()
    try:
        seg = kw.get_segmenter("jieba")
        assert seg.cut("习近平法治思想") == ["习近平法治思想"]
        assert list(tmp_path.glob("jieba-*.cache"))
        captured = capfd.readouterr()
        assert captured.err == "" and captured.out == ""
    finally:
        kw._build_segmenter.cache_clear()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.sampled_from(list("法治政府建设执法普法的一是，,。\n 　１2%（）(习近平思想双随机、一公开A")), max_size=60), min_size=1, max_size=4))
def test_arbitrary_text_never_crashes_and_offsets_hold(texts):
    corpus = _corpus(*texts)
    tokens = kw.tokenize(corpus)
    lookup = dict(zip(corpus["doc_id"], corpus["text"]))
    for d, s, e, t in zip(tokens["doc_id"], tokens["start"], tokens["end"], tokens["term"]):
        assert lookup[d][s:e] == t
    for text in texts:
        assert "".join(kw.get_segmenter().cut(text)) == text


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


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_never_crashes(text):
    kw.tokenize(_corpus(text))
    kw.kwic(_corpus(text), "法治")


# ----------------------------------------------------------------------------------------
# term tables
# ----------------------------------------------------------------------------------------

TOKENS = pd.DataFrame(
    {
        "doc_id": ["a", "a", "a", "b", "b", "c"],
        "position": [0, 1, 3, 0, 1, 0],
        "term": ["执法", "普法", "执法", "执法", "调解", "普法"],
    }
)
META = pd.DataFrame({"doc_id": ["a", "b", "c"], "report_year": [2020, 2023, 2023], "issuer_type": ["subdistrict", "department", "subdistrict"]})


def test_term_frequencies_overall():
    tf = kw.term_frequencies(TOKENS)
    assert tf["term"].tolist() == ["执法", "普法", "调解"]
    assert tf["n"].tolist() == [3, 2, 1]
    assert tf["docfreq"].tolist() == [2, 2, 1]
    assert tf["rate_per_10k"].tolist() == pytest.approx([5000.0, 3333.333333, 1666.666667])
    assert (tf["n_tokens"] == 6).all() and (tf["n_docs"] == 3).all()


def test_term_frequencies_by_metadata():
    tf = kw.term_frequencies(TOKENS, by="report_year", corpus=META)
    got = {(y, t): (n, r, df) for y, t, n, r, df in zip(tf["report_year"], tf["term"], tf["n"], tf["rate_per_10k"], tf["docfreq"])}
    assert got[(2020, "执法")] == (2, pytest.approx(2 / 3 * 10_000), 1)
    assert got[(2023, "普法")] == (1, pytest.approx(1 / 3 * 10_000), 1)
    assert tf["report_year"].tolist() == sorted(tf["report_year"].tolist())
    with pytest.raises(KeyError, match="corpus"):
        kw.term_frequencies(TOKENS, by="report_year")


def test_document_term_matrix_is_sparse_and_counts():
    tokens = TOKENS.assign(doc_id=pd.Categorical(TOKENS["doc_id"], categories=["a", "b", "c", "empty"]))
    m, vocab, docs = kw.document_term_matrix(tokens)
    assert sparse.issparse(m) and m.format == "csr"
    assert docs.tolist() == ["a", "b", "c", "empty"]
    assert vocab.tolist() == sorted(vocab.tolist())
    dense = pd.DataFrame(m.toarray(), index=docs, columns=vocab)
    assert dense.loc["a", "执法"] == 2 and dense.loc["b", "调解"] == 1 and dense.loc["empty"].sum() == 0
    assert m.sum() == len(TOKENS)
    m2, vocab2, _ = kw.document_term_matrix(TOKENS, min_count=2)
    assert vocab2.tolist() == ["执法", "普法"]


def test_tfidf_top_terms_per_document():
    top = kw.tfidf_top_terms(TOKENS, n=1)
    assert top["doc_id"].tolist() == ["a", "b", "c"]
    assert top["term"].tolist() == ["执法", "调解", "普法"]
    assert (top["rank"] == 1).all()
    by_year = kw.tfidf_top_terms(TOKENS, by="report_year", corpus=META, n=2)
    assert set(by_year["report_year"]) == {2020, 2023}


def test_keyword_trends_carry_n_per_year():
    trends = kw.keyword_trends(TOKENS, {"执法": ["执法"], "普法/调解": ["普法", "调解"], "疫情": ["疫情"]}, corpus=META)
    assert len(trends) == 2 * 3  # every year x term, zeros included
    row = trends.set_index(["report_year", "term"])
    assert row.loc[(2020, "执法"), "n"] == 2
    assert row.loc[(2020, "执法"), "rate_per_10k"] == pytest.approx(2 / 3 * 10_000)
    assert row.loc[(2023, "普法/调解"), "n"] == 2
    assert row.loc[(2023, "疫情"), "n"] == 0
    assert row.loc[(2020, "执法"), "n_reports"] == 1 and bool(row.loc[(2020, "执法"), "single_report"])
    assert row.loc[(2023, "执法"), "n_reports"] == 2 and not bool(row.loc[(2023, "执法"), "single_report"])
    assert row.loc[(2020, "执法"), "label"] == "2020 (n=1)"
    assert row.loc[(2023, "普法/调解"), "n_reports_with_term"] == 2


def test_keyword_trends_contains_match():
    tokens = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["智慧城管", "数字化", "智慧"]})
    meta = pd.DataFrame({"doc_id": ["a", "b"], "report_year": [2020, 2021]})
    exact = kw.keyword_trends(tokens, {"智慧": ["智慧"]}, corpus=meta)
    contains = kw.keyword_trends(tokens, {"智慧": ["智慧"]}, corpus=meta, match="contains")
    assert exact["n"].tolist() == [0, 1]
    assert contains["n"].tolist() == [1, 1]


# ----------------------------------------------------------------------------------------
# keyness: hand-computed 2x2 tables
# ----------------------------------------------------------------------------------------


def _keyness_tokens(a: int, b: int, n_target: int, n_reference: int) -> pd.DataFrame:
    """Target doc "t": a x 法治 + (n_target - a) other terms; reference doc "r" likewise with b."""
    t_terms = ["法治"] * a + [f"词{i}" for i in range(n_target - a)]
    r_terms = ["法治"] * b + [f"词{i}" for i in range(n_reference - b)]
    return pd.DataFrame({"doc_id": ["t"] * n_target + ["r"] * n_reference, "term": t_terms + r_terms})


@pytest.mark.parametrize(
    ("a", "b", "n_t", "n_r", "measure", "correction", "expected"),
    [
        # a=10 of 100 target tokens, b=5 of 200 reference tokens, N=300.
        # E = 5, 10, 95, 190; no expected count < 5, so quanteda's Yates does not apply:
        # G2 = 2*(10 ln(10/5) + 5 ln(5/10) + 90 ln(90/95) + 195 ln(195/190)) = 7.3298117
        (10, 5, 100, 200, "lr", "default", 7.329811674221491),
        (10, 5, 100, 200, "lr", "none", 7.329811674221491),
        # chi2 = N (ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d)) = 300 * 1500^2 / (15*285*100*200)
        (10, 5, 100, 200, "chi2", "default", 7.894736842105263),
        # a=4 of 50, b=1 of 150, N=200: E11 = 1.25 < 5 and |ad-bc| = 550 >= N/2, so the
        # Yates-corrected cells are 3.5, 1.5, 46.5, 148.5:
        (4, 1, 50, 150, "lr", "default", 4.598384656389059),
        (4, 1, 50, 150, "lr", "none", 6.87121342102375),
        # chi2 = 200 * (550 - 200*0.5)^2 / (5*195*50*150)
        (4, 1, 50, 150, "chi2", "yates", 5.538461538461538),
        # Williams: q = 1 + (N/5 + N/195 - 1)(N/50 + N/150 - 1)/(6N) = 1.14453704
        (4, 1, 50, 150, "lr", "williams", 6.003487173129722),
        # under-used in the target: negative sign
        (5, 10, 200, 100, "lr", "none", -7.329811674221491),
    ],
)
def test_keyness_matches_hand_computed(a, b, n_t, n_r, measure, correction, expected):
    table = kw.keyness(_keyness_tokens(a, b, n_t, n_r), ["t"], measure=measure, correction=correction)
    row = table.set_index("term").loc["法治"]
    stat = {"lr": "G2", "chi2": "chi2"}[measure]
    assert row[stat] == pytest.approx(expected, rel=1e-7)
    assert row["p"] == pytest.approx(__import__("scipy").stats.chi2.sf(abs(expected), 1), rel=1e-6)
    assert row["n_target"] == a and row["n_reference"] == b
    assert row["rate_target"] == pytest.approx(a / n_t * 10_000)
    assert row["pct_diff"] == pytest.approx(100 * (a / n_t - b / n_r) / (b / n_r))


def test_keyness_table_shape_and_errors():
    tokens = _keyness_tokens(10, 5, 100, 200)
    table = kw.keyness(tokens, pd.Series({"t": True, "r": False}))
    assert list(table.columns) == ["term", "G2", "p", "n_target", "n_reference", "rate_target", "rate_reference", "pct_diff"]
    assert table["G2"].is_monotonic_decreasing
    assert table.iloc[0]["term"] == "法治"
    only_target = pd.DataFrame({"doc_id": ["t", "r"], "term": ["新词", "旧词"]})
    assert kw.keyness(only_target, "t").set_index("term").loc["新词", "pct_diff"] == np.inf
    with pytest.raises(ValueError, match="all the documents"):
        kw.keyness(tokens, ["t", "r"])
    with pytest.raises(KeyError):
        kw.keyness(tokens, ["nope"])


# ----------------------------------------------------------------------------------------
# kwic and collocations
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pattern", "options", "expected"),
    [
        ("坚持和发展新时代枫桥经验,化解矛盾", "枫桥经验", {"window": 4}, [("展新时代", "枫桥经验", ",化解矛")]),
        ("坚持和发展新时代“枫桥经验”，化解矛盾", "枫桥经验", {"window": 3}, [("时代“", "枫桥经验", "”，化")]),
        ("上一行\n践行枫桥经验\n下一行", "枫桥经验", {"window": 10}, [("践行", "枫桥经验", "")]),
        ("普法120余次,普法宣传", "普法", {"window": 2}, [("", "普法", "12"), ("次,", "普法", "宣传")]),
        ("数字化城管和智慧城管", r"数字化|智慧", {"regex": True, "window": 1}, [("", "数字化", "城"), ("和", "智慧", "城")]),
        ("数字化城管和智慧城管", ["智慧", "数字化"], {"window": 1}, [("", "数字化", "城"), ("和", "智慧", "城")]),
    ],
)
def test_kwic(text, pattern, options, expected):
    table = kw.kwic(_corpus(text), pattern, **options)
    assert list(table.columns) == ["doc_id", "start", "end", "left", "keyword", "right"]
    assert list(zip(table["left"], table["keyword"], table["right"])) == expected
    assert all(text[s:e] == k for s, e, k in zip(table["start"], table["end"], table["keyword"]))


def test_kwic_offsets_refer_to_report_text_for_sections():
    text = "前言。\n一、执法工作\n加强执法"
    sections = pd.DataFrame({"doc_id": ["r", "r"], "text": [text[:4], text[4:]], "start": [0, 4]})
    table = kw.kwic(sections, "执法")
    assert all(text[s:e] == "执法" for s, e in zip(table["start"], table["end"]))
    assert len(table) == 2


def test_collocations_need_adjacency():
    tokens = pd.DataFrame(
        {
            "doc_id": ["a"] * 8 + ["b"] * 2,
            "position": [0, 1, 2, 3, 5, 6, 8, 10, 0, 1],
            "term": ["法律", "援助", "法律", "援助", "法律", "援助", "法律", "援助", "法律", "援助"],
        }
    )
    table = kw.collocations(tokens, min_count=1)
    row = table.set_index("collocation").loc["法律援助"]
    assert row["n"] == 4  # (0,1), (2,3), (5,6) in a and (0,1) in b; 8 -> 10 is not adjacent
    assert row["term1"] == "法律" and row["term2"] == "援助"
    assert np.isfinite(row["pmi"]) and row["G2"] > 0


def test_collocations_on_seeds_find_known_pairs(seed_corpus):
    table = kw.collocations(kw.tokenize(seed_corpus), min_count=3)
    assert len(table) > 10
    assert table["G2"].is_monotonic_decreasing


# ----------------------------------------------------------------------------------------
# figures: every plot_* draws Chinese with no missing glyph
# ----------------------------------------------------------------------------------------


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
            kw.plot_top_terms(tf, n=15, title="高频词"),
            kw.plot_top_terms(per_doc, n=8, by="doc_id"),
            kw.plot_keyword_trends(trends),
            kw.plot_keyness(key, n=8, target_label="2023年", reference_label="其他"),
            kw.plot_wordcloud(tf, title="词云", max_words=30, width=300, height=200),
            kw.plot_wordclouds(per_doc, max_words=20, max_panels=2),
        ]:
            _draw_strict(fig)


def test_wordcloud_is_deterministic_and_uses_the_sc_face(monkeypatch):
    freqs = {"法治政府建设": 30.0, "行政执法": 20.0, "普法": 12.0, "调解": 9.0, "令": 5.0, "直": 5.0}
    first = kw._wordcloud_image(kw._frequency_dict(freqs), max_words=10, random_state=7, width=300, height=200)
    second = kw._wordcloud_image(kw._frequency_dict(freqs), max_words=10, random_state=7, width=300, height=200)
    assert np.array_equal(first, second)
    assert (first < 250).any()  # something was drawn on the white background
    import wordcloud

    used = {}
    original = wordcloud.WordCloud.__init__

    def spy(self, *args, **kwargs):
        used["font_path"] = kwargs.get("font_path")
        original(self, *args, **kwargs)

    monkeypatch.setattr(wordcloud.WordCloud, "__init__", spy)
    kw._wordcloud_image(kw._frequency_dict(freqs), max_words=10, random_state=7, width=300, height=200)
    from fontTools.ttLib import TTFont

    font = TTFont(used["font_path"], lazy=True)
    try:
        assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    finally:
        font.close()
