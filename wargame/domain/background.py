"""The background catalog: the scenario's many unnamed objects, stored once per exercise as a blob."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import TypeAdapter

from wargame.domain.common import Frozen
from wargame.domain.orbit_model import Orbit
from wargame.domain.scenario_model import SpaceObject

FORMAT = "wargame.catalog/1"
"""Format tag of an encoded background catalog."""

_orbit_adapter: TypeAdapter[Orbit] = TypeAdapter(Orbit)


class CatalogRef(Frozen):
    """Where an exercise's background catalog is: the digest of its blob, and its size."""

    digest: str
    count: int


class CatalogFormatError(ValueError):
    """Bytes that are not an encoded background catalog."""


def encode_catalog(objects: Sequence[SpaceObject]) -> bytes:
    """Compressed canonical JSON of the objects, in the given order (the catalog order)."""
    rows = [o.model_dump(mode="json", exclude_defaults=True) for o in objects]
    text = json.dumps({"format": FORMAT, "objects": rows}, sort_keys=True, separators=(",", ":"))
    return zlib.compress(text.encode(), 6)


@dataclass(frozen=True, eq=False)
class BackgroundCatalog:
    """Decoded background catalog: one column per object field, in catalog order.

    Objects were validated when the exercise was created; their orbits stay as JSON objects
    until one is needed (`orbit`), so an exercise of 47,000 objects loads in well under a second.
    Two catalogs are equal when their digests are.
    """

    digest: str = ""
    ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    owners: tuple[str | None, ...] = ()
    kinds: tuple[str, ...] = ()
    missions: tuple[str | None, ...] = ()
    hard_body_radius_m: tuple[float, ...] = ()
    orbit_data: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BackgroundCatalog) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, object_id: object) -> bool:
        return object_id in self.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        """Catalog position of each id."""
        return {object_id: k for k, object_id in enumerate(self.ids)}

    def orbit(self, object_id: str) -> Orbit:
        return _orbit_adapter.validate_python(self.orbit_data[self.index[object_id]])

    def object(self, object_id: str) -> SpaceObject | None:
        """One object as the scenario model (slow path for single lookups); None if absent."""
        k = self.index.get(object_id)
        if k is None:
            return None
        return SpaceObject(
            id=self.ids[k],
            name=self.names[k],
            owner=self.owners[k],
            kind=self.kinds[k],
            mission=self.missions[k],
            orbit=self.orbit(object_id),
            hard_body_radius_m=self.hard_body_radius_m[k],
        )

    @classmethod
    def of(cls, objects: Iterable[SpaceObject], digest: str = "") -> BackgroundCatalog:
        """A catalog from validated objects (for tests and for the process that created it)."""
        rows = list(objects)
        return cls(
            digest=digest,
            ids=tuple(o.id for o in rows),
            names=tuple(o.name for o in rows),
            owners=tuple(o.owner for o in rows),
            kinds=tuple(o.kind for o in rows),
            missions=tuple(o.mission.value if o.mission else None for o in rows),
            hard_body_radius_m=tuple(o.hard_body_radius_m for o in rows),
            orbit_data=tuple(o.orbit.model_dump(mode="json") for o in rows),
        )


EMPTY_CATALOG = BackgroundCatalog()


def decode_catalog(data: bytes, digest: str) -> BackgroundCatalog:
    """The catalog encoded by `encode_catalog`; CatalogFormatError if the bytes are not one."""
    try:
        document = json.loads(zlib.decompress(data))
    except (zlib.error, ValueError) as exc:
        raise CatalogFormatError(f"catalog blob {digest[:12]} is not compressed JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CatalogFormatError(f"catalog blob {digest[:12]} is not in format {FORMAT}")
    rows: list[dict[str, Any]] = document["objects"]
    defaults = {name: info.default for name, info in SpaceObject.model_fields.items()}
    return BackgroundCatalog(
        digest=digest,
        ids=tuple(r["id"] for r in rows),
        names=tuple(r["name"] for r in rows),
        owners=tuple(r.get("owner") for r in rows),
        kinds=tuple(r.get("kind", defaults["kind"]) for r in rows),
        missions=tuple(r.get("mission") for r in rows),
        hard_body_radius_m=tuple(
            float(r.get("hard_body_radius_m", defaults["hard_body_radius_m"])) for r in rows
        ),
        orbit_data=tuple(r["orbit"] for r in rows),
    )
