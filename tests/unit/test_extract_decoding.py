"""Strict decoding in declared order, format by magic bytes, and flag files."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.decoding import DecodeFailure, decode_to_utf8, sniff_format
from extractors.filedrop import parse_flag

ORDER = ("utf-8-sig", "gb18030")


def decode(tmp_path: Path, data: bytes) -> tuple[str, str]:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_bytes(data)
    codec = decode_to_utf8(src, ORDER, out)
    return codec, out.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        ("姓名\r\n张𠮷\r\n".encode("gb18030"), "gb18030"),
        ("姓名\r\n䶮 長埫\r\n".encode("gb18030"), "gb18030"),
        ("姓名\r\n张三\r\n".encode("gbk"), "gb18030"),
        ("姓名\r\n张三\r\n".encode(), "utf-8"),
        ("姓名\r\n张三\r\n".encode("utf-8-sig"), "utf-8-sig"),
    ],
)
def test_each_encoding_is_recognized_and_recorded(tmp_path: Path, data: bytes, codec: str) -> None:
    got, text = decode(tmp_path, data)
    assert got == codec
    assert text.startswith("姓名\r\n") and "\ufeff" not in text


def test_undecodable_bytes_fail_with_every_attempt(tmp_path: Path) -> None:
    with pytest.raises(DecodeFailure) as err:
        decode(tmp_path, "姓名\n张三\n".encode("gb18030") + b"\xff\n")
    assert (
        "utf-8-sig: byte 0xd0" in err.value.reason
        and "gb18030: byte 0xff at offset 10 (line 3)" in err.value.reason
    )
    assert not (tmp_path / "out.csv").exists()


def test_format_by_content(tmp_path: Path) -> None:
    for name, head, fmt in [("a.csv", b"PK\x03\x04rest", "xlsx"), ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
                            ("a.xlsx", "号码,姓名".encode("gb18030"), "csv")]:  # fmt: skip
        path = tmp_path / name
        path.write_bytes(head)
        assert sniff_format(path) == fmt


def test_flag_formats() -> None:
    md5 = "0123456789abcdef0123456789ABCDEF"
    assert parse_flag(f"rows=12\nmd5={md5}\n") == (12, md5.lower())
    assert parse_flag(f"{md5} 7") == (7, md5.lower())
    assert parse_flag("3") == (3, None)
    assert parse_flag("") == (None, None)
