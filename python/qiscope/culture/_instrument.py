"""Survey instruments as data: :class:`Instrument` and the built-in definitions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .. import _core
from ..errors import InputError

__all__ = ["Instrument", "available", "instrument"]

_FORMAT = "qiscope.instrument/1"


class Instrument:
    """A survey instrument: response scale(s), items by ID, negatively worded items,
    composites, what counts as positive, and the privacy threshold.

    Build one in Python, load a JSON document (:meth:`from_json`), or take a built-in
    (:func:`instrument`). Every instrument is validated by qiscope's core when it is created;
    a broken rule raises :class:`qiscope.InputError` whose ``column`` is the offending field
    (for example ``"composites[2].items[1]"``). The JSON format is described by
    ``qiscope/culture/instruments/instrument.schema.json``.

    Parameters
    ----------
    name : str
        Short identifier.
    scale : (int, int)
        Lowest and highest answer code, e.g. ``(1, 5)``.
    items : list of str
        Item IDs, the column names of the responses, in questionnaire order.
    reverse : list of str
        Negatively worded items, scored as ``min + max - x``. Answers are never changed.
    composites : dict of str to list of str
        Named groups of items (AHRQ composites, SAQ domains, a whole scale).
    missing_codes, dna_codes : list of int
        Codes meaning "not answered" and "does not apply / don't know" (outside the scale).
        Both are left out of every denominator; DNA answers are counted in ``n_dna``.
    positive, negative : (int, int), optional
        Inclusive ranges of the reverse-scored answer that count as positive and negative;
        everything else on the scale is neutral. Default: the options above and below the
        midpoint (4-5 and 1-2 on a 5-point scale, as AHRQ SOPS).
    labels : list of str, optional
        One label per answer code.
    min_n : int
        Fewest valid answers behind any released result (default 10).
    min_answered : int
        A respondent is scored when they answered at least this many items.
    composite_min_answered : int
        Answered items a respondent's composite score needs.
    scale_score : {"0-100"}, optional
        Also score composites on 0-100 per respondent (the SAQ).
    respondent_positive : float
        The 0-100 score at or above which a respondent is positive (75 for the SAQ).
    pairs : list of (str, str), optional
        Item pairs for :func:`qiscope.culture.gap`.
    """

    def __init__(
        self,
        name: str,
        *,
        scale: tuple[int, int] = (1, 5),
        items: Sequence[str],
        reverse: Sequence[str] = (),
        composites: Mapping[str, Sequence[str]] | None = None,
        missing_codes: Sequence[int] = (),
        dna_codes: Sequence[int] = (),
        positive: tuple[int, int] | None = None,
        negative: tuple[int, int] | None = None,
        labels: Sequence[str] | None = None,
        min_n: int = 10,
        min_answered: int = 1,
        composite_min_answered: int = 1,
        scale_score: str | None = None,
        respondent_positive: float = 75,
        pairs: Sequence[tuple[str, str]] | None = None,
        title: str = "",
        version: str = "",
        family: str = "",
        source: str = "",
        description: str = "",
    ) -> None:
        if isinstance(items, str):
            raise InputError("items must be a list of item IDs, not one string", column="items", rule="type")
        item_ids = [str(i) for i in items]
        unknown = [r for r in reverse if r not in item_ids]
        if unknown:
            raise InputError(f"reverse names {unknown[0]!r}, which is not in items", column="reverse",
                             rule="unknown_item")
        lo, hi = _pair(scale, "scale")
        scale_doc: dict[str, Any] = {"min": lo, "max": hi, "missing_codes": [int(c) for c in missing_codes],
                                     "dna_codes": [int(c) for c in dna_codes]}
        if positive is not None:
            scale_doc["positive"] = list(_pair(positive, "positive"))
        if negative is not None:
            scale_doc["negative"] = list(_pair(negative, "negative"))
        if labels is not None:
            scale_doc["labels"] = [str(label) for label in labels]
        doc: dict[str, Any] = {
            "format": _FORMAT,
            "name": name,
            "scale": scale_doc,
            "items": [{"id": i, "reverse": i in set(reverse)} for i in item_ids],
            "composites": [{"id": k, "items": list(v)} for k, v in (composites or {}).items()],
            "pairs": [{"a": a, "b": b} for a, b in (pairs or [])],
            "min_n": min_n,
            "min_answered": min_answered,
            "composite_min_answered": composite_min_answered,
            "scale_score": scale_score,
            "respondent_positive": respondent_positive,
        }
        for key, value in (("title", title), ("version", version), ("family", family), ("source", source),
                           ("description", description)):
            if value:
                doc[key] = value
        self._load(json.dumps(doc))

    def _load(self, text: str) -> None:
        self._core = _core.culture.Instrument.from_json(text)
        self._doc: dict[str, Any] = json.loads(self._core.to_json())

    @classmethod
    def from_json(cls, path_or_text: str | Path) -> Instrument:
        """Load an instrument from a JSON file or JSON text, validating it."""
        text = str(path_or_text)
        if isinstance(path_or_text, Path) or not text.lstrip().startswith("{"):
            path = Path(text)
            if not path.exists():
                raise InputError(f"no instrument file {text!r}", column="instrument", rule="file")
            text = path.read_text(encoding="utf-8")
        inst = cls.__new__(cls)
        inst._load(text)
        return inst

    def to_json(self, indent: int | None = 2) -> str:
        """The instrument as a JSON document in canonical form (every field written out)."""
        return json.dumps(self._doc, indent=indent)

    def to_dict(self) -> dict[str, Any]:
        """The canonical JSON document as a dict (a copy)."""
        return json.loads(json.dumps(self._doc))

    # -- reading ----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self._doc["name"])

    @property
    def version(self) -> str:
        return str(self._doc.get("version", ""))

    @property
    def items(self) -> list[str]:
        """Item IDs in questionnaire order."""
        return [i["id"] for i in self._doc["items"]]

    @property
    def reverse(self) -> list[str]:
        """Negatively worded (reverse-scored) items."""
        return [i["id"] for i in self._doc["items"] if i["reverse"]]

    @property
    def composites(self) -> dict[str, list[str]]:
        return {c["id"]: list(c["items"]) for c in self._doc["composites"]}

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(p["a"], p["b"]) for p in self._doc["pairs"]]

    @property
    def scale(self) -> tuple[int, int]:
        return int(self._doc["scale"]["min"]), int(self._doc["scale"]["max"])

    @property
    def min_n(self) -> int:
        return int(self._doc["min_n"])

    @property
    def scale_score(self) -> str:
        return str(self._doc["scale_score"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Instrument) and self._doc == other._doc

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (Instrument.from_json, (self.to_json(indent=None),))

    def __repr__(self) -> str:
        return (f"<Instrument {self.name!r}: {len(self.items)} items, {len(self.composites)} composites, "
                f"{len(self.reverse)} reversed, scale {self.scale[0]}-{self.scale[1]}, min_n {self.min_n}>")


def _pair(value: Any, field: str) -> tuple[int, int]:
    try:
        lo, hi = value
        return int(lo), int(hi)
    except (TypeError, ValueError) as err:
        raise InputError(f"{field} must be a pair (lowest, highest), not {value!r}", column=field,
                         rule="type") from err


def _builtin_dir() -> Any:
    return resources.files("qiscope.culture").joinpath("instruments")


def available() -> list[str]:
    """Names of the built-in instruments."""
    return sorted(p.name[: -len(".json")] for p in _builtin_dir().iterdir()
                  if p.name.endswith(".json") and p.name != "instrument.schema.json")


def instrument(name: str) -> Instrument:
    """A built-in instrument by name (see :func:`available`): ``"sops-hospital-2.0"``,
    ``"saq-short-form"``, ``"edmondson-psychological-safety"``, ``"leader-vulnerability"``."""
    names = available()
    if name not in names:
        raise InputError(f"no built-in instrument {name!r}; built-ins are {names}", column="instrument",
                         rule="unknown_instrument")
    return Instrument.from_json(_builtin_dir().joinpath(f"{name}.json").read_text(encoding="utf-8"))


def as_instrument(inst: Instrument | str) -> Instrument:
    """An Instrument, or a built-in one named by a string."""
    if isinstance(inst, Instrument):
        return inst
    if isinstance(inst, str):
        return instrument(inst)
    raise InputError(f"inst must be an Instrument or a built-in name, not {type(inst).__name__}",
                     column="inst", rule="type")
