"""The exercise bundle's container: a zip whose manifest gives each member's SHA-256, streamed both ways."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

FORMAT = "wargame-exercise-bundle"
FORMAT_VERSION = 1
"""The bundle layout this release writes; it reads this version and older ones (none yet)."""

MANIFEST = "manifest.json"
LOG = "log.jsonl"
SCENARIO = "scenario.json"
RULESET = "ruleset.json"
SEATS = "seats.jsonl"
COMMANDS = "commands.jsonl"
BLOBS = "blobs/"
SNAPSHOTS = "snapshots/"

DEFLATE_LEVEL = 1
"""zlib level of the text members (the log, seats): level 1 already shrinks JSON several times
and keeps an export close to the plain log export's time; blobs and snapshots are stored as they
are (already compressed)."""

CHUNK = 1 << 20
"""Bytes copied at a time when a member is hashed and read."""


class BundleError(ValueError):
    """A bundle cannot be written or read as asked: `code` says which check failed (machine
    readable), the message what is wrong and where. Nothing was written to the database."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_json(self) -> dict[str, str]:
        return {"type": "error", "code": self.code, "message": self.message}


@dataclass
class MemberDigest:
    sha256: str
    bytes: int


class _HashingWriter:
    """A writable member that hashes what passes through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        self.raw.write(data)
        return len(data)


class BundleWriter:
    """Writes members one after another into a zip (a path or a stream that need not seek),
    and at the end the manifest listing each member's SHA-256 and size."""

    def __init__(self, target: Path | IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=DEFLATE_LEVEL)
        self.members: dict[str, MemberDigest] = {}

    @contextmanager
    def member(self, name: str, *, compress: bool = True) -> Iterator[_HashingWriter]:
        if name in self.members or name == MANIFEST:
            raise ValueError(f"member {name} written twice")
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        with self.zip.open(info, "w", force_zip64=True) as raw:
            writer = _HashingWriter(raw)
            yield writer
        self.members[name] = MemberDigest(writer.sha.hexdigest(), writer.size)

    def write_bytes(self, name: str, data: bytes, *, compress: bool = True) -> None:
        with self.member(name, compress=compress) as out:
            out.write(data)

    def finish(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """Write the manifest (with the members) and close the zip; returns the manifest."""
        manifest = {**manifest, "members": {n: vars(d) for n, d in self.members.items()}}
        text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        info = zipfile.ZipInfo(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, text.encode("utf-8"))
        self.zip.close()
        return manifest

    def abandon(self) -> None:
        try:
            self.zip.close()
        except (OSError, ValueError):
            pass


@dataclass
class BundleReader:
    """An opened bundle: its manifest checked (format, version, members listed and present);
    each member read through `open_member`, which checks its SHA-256 when it is read to its end."""

    path: Path
    zip: zipfile.ZipFile
    manifest: dict[str, Any]
    checked: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, path: Path) -> BundleReader:
        try:
            archive = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise BundleError("bundle_missing", f"{path}: no such file") from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BundleError("bundle_unreadable", f"{path}: not a complete bundle (zip): {exc}") from None
        reader = cls(path=path, zip=archive, manifest={})
        reader.manifest = reader._read_manifest()
        return reader

    def close(self) -> None:
        self.zip.close()

    def _read_manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self.zip.read(MANIFEST))
        except KeyError:
            raise BundleError("bundle_unreadable", f"{self.path}: it has no {MANIFEST}") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise BundleError("bundle_unreadable", f"{self.path}: {MANIFEST} is unreadable: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BundleError("bundle_format", f"{self.path}: {MANIFEST} does not say format {FORMAT!r}")
        version = manifest.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise BundleError("bundle_format", f"{MANIFEST}: format_version must be a whole number >= 1")
        if version > FORMAT_VERSION:
            raise BundleError(
                "bundle_version",
                f"the bundle has format version {version}, newer than the {FORMAT_VERSION} this release "
                "reads: import it with a newer release",
            )
        members = manifest.get("members")
        if not isinstance(members, dict):
            raise BundleError("bundle_format", f"{MANIFEST} has no members table")
        present = set(self.zip.namelist()) - {MANIFEST}
        missing, extra = sorted(set(members) - present), sorted(present - set(members))
        if missing:
            raise BundleError("bundle_member_missing", f"member {missing[0]} is in {MANIFEST} but absent")
        if extra:
            raise BundleError("bundle_member_unlisted", f"member {extra[0]} is not listed in {MANIFEST}")
        return manifest

    def names(self, prefix: str) -> list[str]:
        return sorted(name for name in self.manifest["members"] if name.startswith(prefix))

    @contextmanager
    def open_member(self, name: str) -> Iterator[_HashingReader]:
        """The member's bytes as a stream; reading it to its end checks its size and SHA-256
        against the manifest (BundleError naming it otherwise)."""
        expected = self.manifest["members"].get(name)
        if not isinstance(expected, dict):
            raise BundleError("bundle_member_missing", f"the bundle has no member {name}")
        try:
            with self.zip.open(name) as raw:
                reader = _HashingReader(raw, name, expected)
                yield reader
                reader.drain()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise BundleError("bundle_unreadable", f"member {name} is damaged or cut short: {exc}") from None
        self.checked.add(name)

    def read(self, name: str) -> bytes:
        with self.open_member(name) as member:
            return member.read_all()

    def lines(self, name: str) -> Iterator[str]:
        """The member's lines (UTF-8, without their newline), streamed."""
        with self.open_member(name) as member:
            yield from member.lines()

    def check_member(self, name: str) -> None:
        """Read a member through to check its SHA-256 (when another check failed in it: an
        altered member is reported as that, not as what the change broke)."""
        with self.open_member(name):
            pass

    def unchecked(self) -> list[str]:
        """Members not read to their end (and so not checked) yet."""
        return sorted(set(self.manifest["members"]) - self.checked)


class _HashingReader:
    def __init__(self, raw: IO[bytes], name: str, expected: dict[str, Any]) -> None:
        self.raw, self.name, self.expected = raw, name, expected
        self.sha = hashlib.sha256()
        self.size = 0
        self.done = False

    def _chunk(self, size: int = CHUNK) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        self.size += len(data)
        if not data:
            self._check()
        return data

    def _check(self) -> None:
        if self.done:
            return
        self.done = True
        if self.size != self.expected.get("bytes") or self.sha.hexdigest() != self.expected.get("sha256"):
            raise BundleError(
                "bundle_member_hash",
                f"member {self.name} does not match the SHA-256 {MANIFEST} gives for it: it was altered",
            )

    def read_all(self) -> bytes:
        parts = []
        while chunk := self._chunk():
            parts.append(chunk)
        return b"".join(parts)

    def lines(self) -> Iterator[str]:
        rest = b""
        while chunk := self._chunk():
            rest += chunk
            *complete, rest = rest.split(b"\n")
            for line in complete:
                yield line.decode("utf-8")
        if rest:
            yield rest.decode("utf-8")

    def drain(self) -> None:
        while self._chunk():
            pass
