"""Django model choices derived from the core's vocabularies (:mod:`canbo.core.vocab`), so that
a code and its labels are written once: the label is the core's Vietnamese or English one, in
the active language (as for the qualification dimensions)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import lazy

from canbo.core.formatting import lang_of, tr
from canbo.core.vocab import Vocabulary

__all__ = ["bilingual", "text_choices"]


def _pick(vi: str, en: str) -> str:
    return tr(lang_of(translation.get_language()), vi, en)


#: A label from the core's (Vietnamese, English) pair, in the active language.
bilingual = lazy(_pick, str)


def text_choices(name: str, vocabulary: type[Vocabulary], module: str) -> Any:
    """A ``TextChoices`` class named ``name`` with one member per code of ``vocabulary``
    (same member names, values and labels). Typed ``Any``: the members are made at run time,
    which the type checker cannot see (``Class.MEMBER`` would otherwise be an error)."""
    members = [(m.name, (m.value, bilingual(m.vi, m.en))) for m in vocabulary]
    return models.TextChoices(name, members, module=module)  # type: ignore[call-overload]
