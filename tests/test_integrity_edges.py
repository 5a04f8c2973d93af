"""The integrity checks at their edges, each caught by the check meant for it (not by a later one by luck):

- the audit trail's recorded end (audit_head) must match the last entry's number AND its hash;
- a backup whose last chunk was not sealed as the last (cut at a chunk boundary, or written so) is refused by the
  chunk reader itself, before the payload's lengths are ever read.
"""

from __future__ import annotations

import io
import secrets

import pytest

from fulian_desktop.backup import container
from fulian_desktop.backup.errors import Damaged
from fulian_desktop.domain.audit import GENESIS, Entry, check_chain

# --- the audit trail's end ----------------------------------------------------------------------------------------


def _chain(n: int) -> list[Entry]:
    out: list[Entry] = []
    prev = GENESIS
    for i in range(1, n + 1):
        e = Entry(id=i, at=f"2026-03-10T09:0{i}:00", actor_id=1, actor="tester", event="login", prev_hash=prev)
        e.hash = e.compute_hash()
        out.append(e)
        prev = e.hash
    return out


def test_the_chain_and_its_recorded_end_agree() -> None:
    chain = _chain(3)
    assert check_chain(chain, {}, (3, chain[-1].hash)) == []
    assert check_chain([], {}, (0, "")) == []


def test_an_end_with_the_right_number_but_another_hash_is_found() -> None:
    chain = _chain(3)
    problems = check_chain(chain, {}, (3, "f" * 64))
    assert [(p.entry_id, p.message) for p in problems] == [(3, "审计日志的结尾记号与记录不符（记录被改动）")]
    # the hash of an earlier entry at the end's place is not the end either
    assert check_chain(chain, {}, (3, chain[1].hash)) != []


def test_an_end_beyond_the_last_entry_says_which_entries_are_gone() -> None:
    chain = _chain(3)
    problems = check_chain(chain[:2], {}, (3, chain[-1].hash))
    assert [(p.entry_id, p.message) for p in problems] == [(3, "最后的第3条到第3条记录不见了（被删除）")]


def test_an_end_before_the_last_entry_is_found() -> None:
    chain = _chain(3)
    problems = check_chain(chain, {}, (2, chain[1].hash))
    assert [(p.entry_id, p.message) for p in problems] == [(3, "审计日志的结尾记号与记录不符（记录被改动）")]


def test_each_break_in_the_chain_is_named() -> None:
    chain = _chain(4)
    edited = _chain(4)
    edited[1].detail = '{"x":1}'  # changed, its hash not recomputed
    assert [p.message for p in check_chain(edited, {}, (4, edited[-1].hash))] == ["第2条记录被修改过"]
    gap = [chain[0], chain[2], chain[3]]
    assert [p.message for p in check_chain(gap, {}, (4, chain[-1].hash))] == [
        "第2条到第2条记录不见了（被删除）", "第3条与前一条记录接不上（前面的记录被修改或删除）"]
    assert [p.message for p in check_chain(chain, {2: "abc"}, (4, chain[-1].hash))] == [
        "第2条记录的修改历史（字段的原值和新值）被改动过"]


# --- a backup's last chunk -------------------------------------------------------------------------------------------

CHUNK = 4096  # the smallest chunk a backup file may declare


def _sealed(data: bytes, close: bool = True) -> tuple[bytes, container.MasterKey]:
    master = container.database_master(secrets.token_bytes(32))
    out = io.BytesIO()
    sealer = container.Sealer(out, master, chunk=CHUNK)
    sealer.write(data)
    if close:
        sealer.close()
    else:  # what is left sealed as an ordinary chunk: no chunk says "I am the last"
        sealer._emit(sealer.buffer, last=False)
    return out.getvalue(), master


def _chunks(raw: bytes, master: container.MasterKey) -> list[bytes]:
    u = container.Unsealer(io.BytesIO(raw))
    u.unlock(master)
    return list(u.chunks())


def test_a_whole_file_reads_back_chunk_by_chunk() -> None:
    data = secrets.token_bytes(3 * CHUNK + 100)
    raw, master = _sealed(data)
    chunks = _chunks(raw, master)
    assert [len(c) for c in chunks] == [CHUNK, CHUNK, CHUNK, 100]
    assert b"".join(chunks) == data
    exact, master = _sealed(data[: 2 * CHUNK])  # a stream of whole chunks: the last one is still sealed as last
    assert [len(c) for c in _chunks(exact, master)] == [CHUNK, CHUNK]


def test_a_file_cut_at_a_chunk_boundary_is_refused_by_the_chunk_reader() -> None:
    raw, master = _sealed(secrets.token_bytes(3 * CHUNK + 100))
    header = len(raw) - 3 * (CHUNK + container.TAG) - (100 + container.TAG)
    cut = raw[: header + 2 * (CHUNK + container.TAG)]  # two whole chunks: the second was not sealed as the last
    with pytest.raises(Damaged) as e:
        _chunks(cut, master)
    assert str(e.value) == container.INCOMPLETE


def test_a_file_whose_last_chunk_was_not_sealed_as_the_last_is_refused() -> None:
    raw, master = _sealed(secrets.token_bytes(CHUNK + 10), close=False)
    with pytest.raises(Damaged):
        _chunks(raw, master)


def test_a_chunk_moved_or_added_is_refused() -> None:
    raw, master = _sealed(secrets.token_bytes(3 * CHUNK + 100))
    size = CHUNK + container.TAG
    header = len(raw) - 3 * size - (100 + container.TAG)
    body = [raw[header + i * size: header + (i + 1) * size] for i in range(3)]
    swapped = raw[:header] + body[1] + body[0] + raw[header + 2 * size:]
    with pytest.raises(Damaged, match="第1段校验不符"):
        _chunks(swapped, master)
    with pytest.raises(Damaged):
        _chunks(raw + b"\0", master)
