"""The shared limits of every import: a deadline checked inside the work, and the limits on
depth, elements, unpacked bytes, passages and pages, each refused with a message that says what
to do. Zip members are read streaming under a hard cap, and every way one can fail to unpack is
a message, not an error page (issue 19, items 2 and 4)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from readings.importing import ImportRejected
from readings.importing.limits import LIMITS, MB, WALL_FACTOR, Budget, Limits, ZipReader
from tests.security.hostile import files


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_budget_refuses_once_its_time_is_up_and_says_how_long_it_allowed() -> None:
    clock = Clock()
    budget = Budget(Limits(seconds=2), what="The HTML file", clock=clock)
    clock.now += 1.9
    budget.check()
    clock.now += 0.2
    with pytest.raises(ImportRejected) as caught:
        budget.check()
    assert caught.value.message.startswith(
        "The HTML file took longer than 2 s to read, so nothing was imported: the file is much "
        "larger or more intricate than such files usually are. Split it into smaller files"
    )


def test_the_deadline_counts_the_work_done_not_the_time_spent_waiting() -> None:
    """A busy machine must not refuse a valid file: waiting (here, sleeping) does not count,
    working does."""
    budget = Budget(Limits(seconds=0.2), what="The text")
    time.sleep(0.4)
    budget.check()
    with pytest.raises(ImportRejected, match="The text took longer than 0.2 s to read"):
        while True:
            budget.check()


def test_however_busy_the_machine_the_wall_clock_stops_the_work(monkeypatch) -> None:
    """The CPU clock stands still (as for a process kept off the cores); the wall moves."""
    wall = Clock()
    monkeypatch.setattr("readings.importing.limits.time.monotonic", wall)
    budget = Budget(Limits(seconds=2), clock=Clock())
    wall.now += 2 * WALL_FACTOR - 0.1
    budget.check()
    wall.now += 0.2
    with pytest.raises(ImportRejected, match="took longer than 2 s"):
        budget.with_limits(LIMITS, what="The text").check()


def test_other_limits_keep_the_deadline() -> None:
    clock = Clock()
    budget = Budget(Limits(seconds=2), clock=clock)
    clock.now += 1.5
    narrower = budget.with_limits(Limits(seconds=60, max_depth=3), what="The project")
    narrower.check_depth(3)
    clock.now += 1
    with pytest.raises(ImportRejected, match="The project took longer than 60 s"):
        narrower.check()  # the deadline is the first budget's, whatever the new limits say


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        ("check_depth", 4, "The file nests more than 3 levels deep; real files nest a few"),
        ("check_elements", 11, "The file holds more than 10 elements (tags), more than one"),
        ("check_unpacked", MB + 1, "The file unpacks to more than 1 MB, more than one import"),
        ("check_passages", 6, "The text has more than 5 paragraphs, more than one reading"),
        ("check_pages", 8, "The PDF has 8 pages; one reading may have at most 7. Split it"),
    ],
)
def test_each_limit_is_refused_past_it_with_what_to_do(check, value, message) -> None:
    limits = Limits(
        max_depth=3, max_elements=10, max_unpacked_bytes=MB, max_passages=5, max_pages=7
    )
    budget = Budget(limits)
    getattr(budget, check)(value - 1)  # at the limit: fine
    with pytest.raises(ImportRejected) as caught:
        getattr(budget, check)(value)
    assert caught.value.message.startswith(message)


def _read_first(data: bytes, limits: Limits = LIMITS) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return ZipReader(archive, Budget(limits, what="The project")).read(archive.infolist()[0])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            files.encrypted_member_qdpx,
            "The project holds an encrypted (password-protected) part, project.qde, which "
            "cannot be read. Export it again without a password and upload it again.",
        ),
        (
            files.method_99_qdpx,
            "The project stores project.qde with a compression method this app cannot unpack "
            "(method 99, WinZip's AES encryption). Export it again with ordinary compression "
            "and upload it again.",
        ),
        (
            files.corrupt_deflate_qdpx,
            "The project is damaged: project.qde cannot be unpacked. Export it again and "
            "upload it again.",
        ),
    ],
)
def test_a_member_that_cannot_be_unpacked_is_refused_with_a_message(make, message) -> None:
    with pytest.raises(ImportRejected) as caught:
        _read_first(make().data)
    assert caught.value.message == message


def test_members_read_may_not_unpack_to_more_than_the_cap_together() -> None:
    data = files.zip_package(
        [files.member("a.txt", b"a" * 600_000), files.member("b.txt", b"b" * 600_000)]
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        reader = ZipReader(archive, Budget(Limits(max_unpacked_bytes=MB), what="The project"))
        assert len(reader.read(archive.getinfo("a.txt"))) == 600_000
        with pytest.raises(ImportRejected, match=r"unpacks to more than 1 MB \(at b.txt\)"):
            reader.read(archive.getinfo("b.txt"))


def test_a_header_that_understates_the_size_unpacks_no_more_than_it_says() -> None:
    """The cap holds whatever the header declares: zipfile stops at the declared size, and the
    checksum of the part it read does not match."""
    real = files.member("project.qde", b"x" * (3 * MB))
    lying = files.Member(real.name, real.deflated, real.crc, 1000)
    with pytest.raises(ImportRejected, match="is damaged: project.qde cannot be unpacked"):
        _read_first(files.zip_package([lying]), Limits(max_unpacked_bytes=2 * MB))
