"""Tests for analysis.keywords.dictionaries: shipped dictionaries, the user's words, stopwords."""

from __future__ import annotations

import re

import pytest

from analysis import keywords as kw
from analysis.config import cache_dir
from analysis.keywords.dictionaries import DEFAULT_FREQ, DEFAULT_TAG, dictionary_entries
from analysis.keywords.segmenter import _jieba




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
    for line in kw.userdict_bytes().decode("utf-8").splitlines():
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


def test_policy_vocabulary_has_300_sourced_entries_apart_from_the_rule_of_law_dictionary():
    v = kw.load_policy_vocabulary()
    assert len(v) >= 300
    assert v["term"].is_unique
    assert not set(v["term"]) & set(kw.load_user_dictionary()["term"])
    assert (v["source"].str.len() > 10).all()
    for source in ["十八大", "十九大", "二十大", "三中全会", "政府工作报告", "规划纲要", "1954"]:
        assert v["source"].str.contains(source).any(), source
    assert (v["term"].str.len() >= 2).all()
    assert v["pos"].str.fullmatch(r"[a-z]+").all()
    for term in ["生态文明", "一带一路", "新发展理念", "供给侧结构性改革", "中国式现代化", "新质生产力"]:
        assert term in set(v["term"]), term


@pytest.fixture(scope="module")
def plain_jieba():
    """jieba's reference tokenizer with its own dictionary only (no package word)."""
    jieba = _jieba()
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.cache_file = f"jieba-{jieba.__version__}.cache"
    tokenizer.initialize()
    return tokenizer


def test_policy_vocabulary_marks_exactly_the_terms_jieba_keeps_whole(plain_jieba):
    """Every entry is cut into pieces by jieba alone (HMM off), except the marked ones."""
    v = kw.load_policy_vocabulary()
    whole = {t for t in v["term"] if plain_jieba.lcut(t, HMM=False) == [t]}
    assert whole == set(v.loc[v["in_jieba"], "term"])
    assert len(whole) < 0.15 * len(v)  # the vocabulary is there for the others


def test_dictionary_entries_order_and_precedence():
    entries = dictionary_entries()
    words = [w for w, _, _ in entries]
    assert len(words) == len(set(words)) == len(kw.load_user_dictionary()) + len(kw.load_policy_vocabulary())
    assert words[: len(kw.load_user_dictionary())] == kw.load_user_dictionary()["term"].tolist()
    user = kw.read_userdict(["营商环境 5 n", "民生微实事"])
    with_user = dict((w, (f, p)) for w, f, p in dictionary_entries(user))
    assert with_user["营商环境"] == (5, "n")  # the user's line replaces the shipped one
    assert with_user["民生微实事"] == (DEFAULT_FREQ, DEFAULT_TAG)
    assert [w for w, _, _ in dictionary_entries(user)][-1] == "民生微实事"


def test_read_userdict_file_list_and_tuples_give_the_same_entries(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("# my words\n民生微实事\n\n枫桥式派出所 30000\n一老一小 nz\n数字经济 25000 n\n", encoding="utf-8")
    from_file = kw.read_userdict(path)
    assert from_file == (
        ("民生微实事", DEFAULT_FREQ, DEFAULT_TAG),
        ("枫桥式派出所", 30000, DEFAULT_TAG),
        ("一老一小", DEFAULT_FREQ, "nz"),
        ("数字经济", 25000, "n"),
    )
    assert kw.read_userdict(str(path)) == from_file
    assert kw.read_userdict(["民生微实事", "枫桥式派出所 30000", ("一老一小", DEFAULT_FREQ, "nz"), "数字经济 25000 n"]) == from_file
    assert kw.read_userdict(["甲乙 10", "甲乙 20"]) == (("甲乙", 20, DEFAULT_TAG),)  # the last line wins
    assert kw.read_userdict(None) == () and kw.read_userdict([]) == ()


@pytest.mark.parametrize(
    ("userdict", "error"),
    [
        ("民生微实事", FileNotFoundError),  # a string is a path
        (["民生 微实事 nz x"], ValueError),
        ([("民生微实事", 10)], ValueError),
        (["民生微实事 0"], ValueError),
    ],
)
def test_read_userdict_refuses_what_it_cannot_read(userdict, error):
    with pytest.raises(error):
        kw.read_userdict(userdict)
