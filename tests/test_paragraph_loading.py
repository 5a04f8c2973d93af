"""reportlab's web-address pattern compiled when first used, not at each import (documents/paragraph_loading.py):
≈ 30 ms less at every `print`, the forms and the pattern's matches unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHECK = textwrap.dedent(
    """
    import re
    import fulian_desktop.documents
    from fulian_desktop.documents.paragraph_loading import CompiledWhenUsed
    from reportlab.platypus import paragraph
    assert isinstance(paragraph.uri_pat, CompiledWhenUsed) and paragraph.uri_pat._compiled is None
    assert isinstance(paragraph._hy_letters_pat, re.Pattern)  # every other pattern compiled as usual
    real = re.compile(paragraph.uri_pat._pattern, paragraph.uri_pat._flags)
    for uri in ("https://www.example.com/a/b/c.html", "HTTP://妇联.中国/维权/", "ftp://10.0.0.1:21/x", "not a uri",
                "mailto:someone@example.com", "https://localhost:8080/"):
        mine = paragraph.uri_pat.match(uri)
        theirs = real.match(uri)
        assert (mine and mine.groups()) == (theirs and theirs.groups()), uri
    assert paragraph._uri_split_pairs("https://example.com/a/b") == [
        ("https://example.com/a/", "b"), ("https://example.com/", "a/b"), ("https://", "example.com/a/b")]
    print("ok")
    """
)


def test_the_web_address_pattern_is_compiled_when_used_and_matches_as_before() -> None:
    run = subprocess.run([sys.executable, "-c", _CHECK], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr


def test_only_the_case_blind_all_unicode_pattern_waits() -> None:
    from fulian_desktop.documents.paragraph_loading import _slow_to_compile

    assert _slow_to_compile("[a-z\xa1-\uffff]", re.IGNORECASE)
    assert not _slow_to_compile("[a-z\xa1-\uffff]", 0)
    assert not _slow_to_compile("[a-z]", re.IGNORECASE)
    assert not _slow_to_compile(b"[a-z]", re.IGNORECASE)
