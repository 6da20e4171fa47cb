"""Validators shared by the models, the admin, the import and the web forms (issue 10 §3).

A name — a person's family, middle or given name, their home town, a user's names — is plain
text: it never carries markup (``<``, ``>``) nor control characters (a tab, a line break, a
zero-width direction override copied from a web page). Templates escape everything anyway; the
validator keeps such text out of the records, the Excel files and the reports built from them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from canbo.core.text import bad_name_characters, describe_character


@deconstructible
class PlainNameValidator:
    """Refuse markup and control characters in a name (message in Vietnamese)."""

    code = "plain_name"

    def __call__(self, value: str) -> None:
        bad = bad_name_characters(value)
        if bad:
            raise ValidationError(
                _("Không được chứa ký tự đánh dấu (<, >) hoặc ký tự điều khiển: %(chars)s."),
                code=self.code,
                params={"chars": ", ".join(describe_character(c) for c in bad)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainNameValidator)

    def __hash__(self) -> int:
        return hash(self.code)


plain_name = PlainNameValidator()
