"""Synthetic corpus generator: determinism, the forms written, and that the loader reads it back."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pipeline import synth
from analysis.pipeline.synth import places as synth_places

N = 60  # enough reports for every form to appear at least once (checked below)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    out = tmp_path_factory.mktemp("synth")
    return out, synth.generate_corpus(out, N, seed=7)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _decode(row: pd.Series, data: bytes) -> str:
    return data.decode(row["encoding"])


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes(generated, tmp_path: Path) -> None:
    root, manifest = generated
    again = synth.generate_corpus(tmp_path, N, seed=7)
    assert _files(root) == _files(tmp_path)
    pd.testing.assert_frame_equal(manifest, again)


def test_same_bytes_in_another_process(generated, tmp_path: Path) -> None:
    """No dependence on hash randomisation (set or dict order of str keys)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "analysis.pipeline.synth", str(tmp_path), "--reports", "12", "--seed", "7"],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    root, _ = generated
    full = _files(root)
    other = _files(tmp_path)
    assert len(other) == 12 and all(full[path] == data for path, data in other.items())


def test_smaller_corpus_is_a_prefix(generated, tmp_path: Path) -> None:
    root, manifest = generated
    small = synth.generate_corpus(tmp_path, 15, seed=7)
    pd.testing.assert_frame_equal(small, manifest.head(15))
    full = _files(root)
    assert all(full[path] == data for path, data in _files(tmp_path).items())


def test_other_seed_other_corpus(generated, tmp_path: Path) -> None:
    _, manifest = generated
    other = synth.generate_corpus(tmp_path, 10, seed=8)
    assert set(other["sha256"]).isdisjoint(manifest["sha256"])


def test_manifest_matches_files(generated) -> None:
    root, manifest = generated
    assert list(manifest.columns) == list(synth.MANIFEST_COLUMNS)
    assert len(manifest) == N and manifest["doc_id"].is_unique
    files = _files(root)
    assert sorted(files) == sorted(manifest["path"])  # nothing but the reports is written
    for row in manifest.itertuples():
        assert len(files[row.path]) == row.n_bytes
        assert row.doc_id == row.path.rsplit(".", 1)[0]
        assert row.path.startswith(row.province + "/")


# --------------------------------------------------------------------------- forms


def test_every_form_present(generated) -> None:
    _, m = generated
    assert set(m["form"]) == {"txt", "html"}
    assert {"utf-8", "gb18030", "gbk", "utf-8-sig"} <= set(m["encoding"])
    assert set(m["newline"]) == {"LF", "CRLF"}
    assert m["fullwidth"].any() and (~m["fullwidth"]).any()
    assert m["fullwidth_digits"].any()
    assert (~m["has_title"]).any()
    assert (m["previous_doc_id"] != "").any()
    assert m["issuer_type"].nunique() >= 5
    assert m["report_year"].between(2019, 2025).all() and m["report_year"].nunique() >= 5
    assert m["province"].nunique() >= 10


def test_bytes_are_in_the_declared_form(generated) -> None:
    root, m = generated
    for row in m.itertuples():
        data = (root / row.path).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") == (row.encoding == "utf-8-sig")
        if row.encoding in {"gb18030", "gbk"}:
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        text = data.decode(row.encoding)
        assert ("\r\n" in text) == (row.newline == "CRLF")
        body = text if row.form == "txt" else text.split('<div class="content">')[1]
        assert ("，" in body) == row.fullwidth
        assert bool(re.search("[０-９]", body)) == row.fullwidth_digits


def test_html_pages_carry_chrome(generated) -> None:
    root, m = generated
    pages = m[m["form"] == "html"]
    assert len(pages) >= 5
    for row in pages.itertuples():
        text = (root / row.path).read_bytes().decode(row.encoding)
        head = text[:400].lower()
        assert f"charset={row.charset.lower()}" in head.replace('"', "").replace("'", "")
        for furniture in ("您当前所在的位置", "发布日期:", "来源:", "ICP备", "公网安备", "网站标识码", "<h1>"):
            assert furniture in text
        assert row.publish_date.strftime("%Y-%m-%d") in text


def test_titles_and_openings_agree_on_the_year(generated) -> None:
    root, m = generated
    title_re = re.compile(r"^(.+?)(?:关于)?((?:19|20)\d\d)年度?法治政府建设")
    for row in m.itertuples():
        text = (root / row.path).read_bytes().decode(row.encoding).replace("\r\n", "\n")
        if row.form == "html":
            text = re.sub(r"<[^>]+>", "\n", text)
        lines = [ln.strip().translate({0x3000: None}) for ln in text.split("\n") if ln.strip()]
        ascii_lines = [ln.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}) for ln in lines]
        opening = next(ln for ln in ascii_lines if re.match(r"^(?:19|20)\d\d年", ln))
        assert opening.startswith(f"{row.report_year}年")
        if row.has_title:
            assert row.title in lines
            match = title_re.match(row.title)
            assert match and int(match.group(2)) == row.report_year
            assert row.title.startswith(row.issuer)
        else:
            assert not any("法治政府建设" in ln and ln.endswith("报告") for ln in lines)


def test_follow_up_reports_are_the_next_year_of_the_same_issuer(generated) -> None:
    _, m = generated
    by_id = m.set_index("doc_id")
    follow = m[m["previous_doc_id"] != ""]
    for row in follow.itertuples():
        prev = by_id.loc[row.previous_doc_id]
        assert prev["issuer"] == row.issuer and prev["report_year"] + 1 == row.report_year


def test_places_are_real(generated) -> None:
    _, m = generated
    names = {row[1] for row in synth_places._gazetteer_rows()}
    for row in m.itertuples():
        for level in (row.province, row.city, row.county, row.subdistrict):
            assert level == "" or level in names


# --------------------------------------------------------------------------- the loader reads it


def test_loads_with_status_ok_and_the_generated_metadata(generated) -> None:
    from analysis.corpus import load_corpus

    root, m = generated
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warnings at all: only report files were written
        corpus = load_corpus(root)
    merged = corpus.merge(m, on="path", suffixes=("", "_gen"), validate="1:1")
    assert len(merged) == N
    assert (merged["status"] == "ok").all(), merged.loc[merged["status"] != "ok", ["path", "message"]]
    assert (merged["doc_id"] == merged["doc_id_gen"]).all()
    assert merged["report_year"].tolist() == merged["report_year_gen"].tolist()
    # Metadata beyond the year: the loader resolves places itself; allow a rare miss.
    assert (merged["issuer_type"] == merged["issuer_type_gen"]).mean() >= 0.95
    assert (merged["province"].fillna("") == merged["province_gen"]).mean() >= 0.95
    dated = merged[merged["publish_date_gen"].notna()]
    assert (dated["publish_date"] == dated["publish_date_gen"]).all()


# --------------------------------------------------------------------------- rewriting helpers


@pytest.mark.parametrize(
    "text,delta,expected",
    [
        ("2023年立案2024年出行处", 1, "2024年立案2025年出行处"),
        ("《法治政府建设实施纲要(2021-2025年)》", -3, "《法治政府建设实施纲要(2021-2025年)》"),
        ("《提升行政执法质量三年行动计划(2023—2025年)》", 2, "《提升行政执法质量三年行动计划(2023—2025年)》"),
        ("制定《白云湖街2020年普法依法治理工作要点》", 3, "制定《白云湖街2020年普法依法治理工作要点》"),
        ("组织开展2019年至2020年", 2, "组织开展2021年至2022年"),
        ("共立案80宗", 5, "共立案80宗"),
    ],
)
def test_shift_years(text: str, delta: int, expected: str) -> None:
    assert synth._shift_years(text, delta) == expected


@pytest.mark.parametrize(
    "text",
    [
        "紧密围绕省委“1310”具体部署和市委“1312”思路举措",  # quoted codes
        "1、加强组织领导制度。",  # enumerator
        "2.积极开展创建工作。",
        "构建“1+23”法律援助联络网络,1+N网格",  # codes with +
        "2023年12月22日",  # dates
        "100%完成年度拆违任务",  # a full percentage
        "《法治政府建设实施纲要(2021-2025年)》",
    ],
)
def test_perturb_leaves_codes_years_and_enumerators(text: str) -> None:
    import random

    assert synth._perturb_numbers(text, random.Random(1)) == text


def test_perturb_changes_quantities_consistently() -> None:
    import random

    text = "立案80宗,作出行政处罚决定99宗,涉及处罚金额总计达到210.61万元,调解成功率99.7%。"
    out = synth._perturb_numbers(text, random.Random(3))
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", out)]
    assert out != text
    assert re.sub(r"\d", "", out) == re.sub(r"\d", "", text)
    assert nums[0] <= nums[1]  # one factor per paragraph keeps the order of magnitudes
    assert re.search(r"\d+\.\d{2}万元", out) and nums[3] <= 99.9


@given(st.text(alphabet=st.sampled_from(list("0123456789.%+-—“”《》年月日、宗件万元法治 ")), max_size=60))
@settings(max_examples=150, deadline=None)
def test_perturb_never_crashes_and_only_rewrites_digits(text: str) -> None:
    import random

    out = synth._perturb_numbers(text, random.Random(0))
    assert re.sub(r"\d", "", out) == re.sub(r"\d", "", text)


@pytest.mark.parametrize("n,cn", [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_chinese_numerals(n: int, cn: str) -> None:
    assert synth._cn(n) == cn


# --------------------------------------------------------------------------- command line


def test_cli_writes_reports_and_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "manifest.csv"
    assert synth.main([str(tmp_path / "out"), "--reports", "4", "--seed", "2", "--manifest", str(manifest)]) == 0
    assert "wrote 4 reports" in capsys.readouterr().out
    assert manifest.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(list((tmp_path / "out").rglob("*.*"))) == 4


def test_rejects_negative_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        synth.generate_corpus(tmp_path, -1)
