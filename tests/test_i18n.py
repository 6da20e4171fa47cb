"""English is available next to Vietnamese (DESIGN principle 8: Vietnamese first).

The msgids of canbo are the Vietnamese texts themselves; the English catalogue
``src/canbo/locale/en/LC_MESSAGES/django.po`` (compiled to ``django.mo``,
committed) translates every one of them. ``core/`` is skipped: it never imports
Django, so it has no gettext — its words are bilingual in the code (``formatting.tr``,
the vocabularies' ``en`` labels), and entries of labels that moved there are obsolete
(docs/architecture.md, "Languages"). When a source string changes, refresh and
recompile the catalogue from ``src/canbo``::

    DJANGO_SETTINGS_MODULE=canbo.settings uv run django-admin makemessages -l en --ignore='core/*' --no-obsolete
    # translate the new / fuzzy entries in locale/en/LC_MESSAGES/django.po, then
    msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

import canbo
from canbo.registry.models import Assignment, Person

PACKAGE = Path(canbo.__file__).parent
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdfir]")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop"}


# --------------------------------------------------------------------------- reading the catalogue


@dataclass
class Entry:
    msgid: str = ""
    msgstr: str = ""
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    msgctxt: str | None = None
    msgid_plural: str | None = None
    plurals: dict[int, str] = field(default_factory=dict)  # msgstr[n] of a plural entry

    @property
    def translations(self) -> list[str]:
        """What must be translated: the msgstr, or every msgstr[n] of a plural entry."""
        return [self.plurals[n] for n in sorted(self.plurals)] if self.msgid_plural else [self.msgstr]


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a PO string is a C string literal; these use only \" \\ \n escapes


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file (header included, msgid ""): enough of the
    format for django.po — msgctxt, msgid_plural and msgstr[n] included."""
    entries: list[Entry] = []
    current: Entry | None = None
    part: str | int | None = None  # the string being continued; an int: msgstr[n]
    plural_form = re.compile(r"msgstr\[(\d+)\] ")
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            current, part = None, None
            continue
        if line.startswith("#,"):
            current = current or Entry()
            current.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgctxt "):
            current = current or Entry()
            current.msgctxt, part = _unquote(line[8:]), "msgctxt"
        elif line.startswith("msgid "):
            current = current or Entry()
            current.obsolete = obsolete
            current.msgid, part = _unquote(line[6:]), "msgid"
            entries.append(current)
        elif line.startswith("msgid_plural "):
            current.msgid_plural, part = _unquote(line[13:]), "msgid_plural"
        elif line.startswith("msgstr "):
            current.msgstr, part = _unquote(line[7:]), "msgstr"
        elif match := plural_form.match(line):
            n = int(match.group(1))
            current.plurals[n], part = _unquote(line[match.end() :]), n
        elif line.startswith('"') and current is not None and part is not None:
            if isinstance(part, int):
                current.plurals[part] += _unquote(line)
            else:
                setattr(current, part, getattr(current, part) + _unquote(line))
        else:
            pytest.fail(f"{path.name}: unexpected line {line!r} — extend read_po")
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return [e for e in read_po(PO) if e.msgid and not e.obsolete]


def source_msgids() -> dict[str, str]:
    """Every literal string passed to gettext in canbo's Django code (msgid → where)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "core" or "migrations" in rel.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{rel}:{node.lineno}")
    return found


# --------------------------------------------------------------------------- (a) the catalogue is complete


def test_catalogue_header_is_english_and_not_fuzzy():
    header = next(e for e in read_po(PO) if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr


def test_every_msgid_is_translated(entries):
    assert len(entries) > 200
    untranslated = [e.msgid for e in entries if not all(t.strip() for t in e.translations)]
    assert not untranslated, f"untranslated in {PO.name}: {untranslated}"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy (needs review) in {PO.name}: {fuzzy}"


def test_translations_keep_the_placeholders(entries):
    wrong = {
        e.msgid: t
        for e in entries
        for t in e.translations
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(t))
        or e.msgid.count("%") != t.count("%")
    }
    assert not wrong, f"placeholders differ: {wrong}"


def test_compiled_catalogue_matches_the_po(entries):
    """django.mo is committed: it must be recompiled whenever django.po changes."""
    with MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)

    def compiled(e: Entry) -> list[str]:
        if e.msgid_plural and e.msgctxt is not None:
            return [mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n) for n in (1, 2)]
        if e.msgid_plural:
            return [mo.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]  # English: [0] one, [1] other
        if e.msgctxt is not None:
            return [mo.pgettext(e.msgctxt, e.msgid)]
        return [mo.gettext(e.msgid)]

    stale = [e.msgid for e in entries if compiled(e) != e.translations]
    assert not stale, f"{MO.name} is out of date (run msgfmt) for: {stale}"


def test_every_source_string_is_in_the_catalogue(entries):
    """A gettext string added or reworded in the code since the last
    makemessages is shown untranslated in English: refresh the catalogue."""
    known = {e.msgid for e in entries}
    missing = {msgid: where for msgid, where in source_msgids().items() if msgid not in known}
    assert not missing, f"not in {PO.name} (re-run makemessages and translate): {missing}"


TEMPLATE_TRANSLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1""")


def test_every_template_string_is_in_the_catalogue(entries):
    """The same for the ``{% translate "…" %}`` of canbo's templates (makemessages reads them too)."""
    known = {e.msgid for e in entries}
    missing = {}
    for path in sorted(PACKAGE.glob("**/templates/**/*.html")):
        for _quote, msgid in TEMPLATE_TRANSLATE.findall(path.read_text(encoding="utf-8")):
            if msgid not in known:
                missing[msgid] = str(path.relative_to(PACKAGE))
    assert not missing, f"not in {PO.name} (re-run makemessages and translate): {missing}"


# --------------------------------------------------------------------------- (b) models speak the active language


def test_model_names_follow_the_active_language():
    with translation.override("en"):
        assert str(Person._meta.verbose_name) == "cadre / civil servant"
        assert str(Assignment._meta.verbose_name) == "assignment"
        assert str(Person._meta.get_field("birth_date").verbose_name) == "date of birth"
    with translation.override("vi"):
        assert str(Person._meta.verbose_name) == "cán bộ, công chức"
        assert str(Assignment._meta.verbose_name) == "quá trình công tác"
        assert str(Person._meta.get_field("birth_date").verbose_name) == "ngày sinh"


def test_choice_labels_follow_the_active_language():
    from canbo.conduct.models import DisciplineForm

    with translation.override("en"):
        assert str(DisciplineForm.REPRIMAND.label) == "Reprimand"
    with translation.override("vi"):
        assert str(DisciplineForm.REPRIMAND.label) == "Khiển trách"


def _period_error(language: str) -> str:
    """The message of Assignment.clean's period check (common.models.check_period)."""
    assignment = Assignment(start=date(2025, 3, 2), end=date(2025, 3, 1), start_reason="appointed")
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            assignment.clean()
        return caught.value.message_dict["end"][0]


def test_validation_messages_follow_the_active_language():
    assert _period_error("en") == "end date (01/03/2025) must not be before start date (02/03/2025)."
    assert _period_error("vi") == "đến ngày (01/03/2025) không được trước từ ngày (02/03/2025)."


def test_vietnamese_is_the_default_language():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "vi"
    with translation.override(settings.LANGUAGE_CODE):
        assert str(Person._meta.verbose_name) == "cán bộ, công chức"


# --------------------------------------------------------------------------- (c) the admin: Vietnamese first, English on request


@pytest.fixture
def admin_client(db, client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "quantri_i18n", "quantri@example.com", "mat-khau-dai-du-10"
    )
    client.force_login(user)
    return client


def _get(client, path: str, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200
    return response, response.content.decode()


def test_admin_is_vietnamese_even_for_an_english_browser(admin_client):
    response, html = _get(admin_client, "/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi"' in html
    assert "Hồ sơ cán bộ, công chức" in html  # the registry app
    assert "Quy hoạch cán bộ" in html
    assert "Cadre and civil servant records" not in html
    assert "Succession planning" not in html

    _, html = _get(admin_client, "/admin/registry/person/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Trang chủ" in html
    assert "Cán bộ, công chức" in html


def test_admin_is_english_when_the_user_chose_english(admin_client):
    admin_client.cookies["django_language"] = "en"
    response, html = _get(admin_client, "/admin/")
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en"' in html
    assert "Cadre and civil servant records" in html
    assert "Succession planning" in html
    assert "Training and retraining" in html
    assert "Evaluation, inspection and discipline" in html
    assert "Quy hoạch cán bộ" not in html
    assert "Đào tạo, bồi dưỡng" not in html

    _, html = _get(admin_client, "/admin/registry/person/")
    assert "Home" in html
    assert "Trang chủ" not in html
    assert "Cadre / civil servant" in html


def test_language_switch_sets_the_cookie(admin_client):
    response = admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert response.status_code == 302
    assert admin_client.cookies["django_language"].value == "en"
    _, html = _get(admin_client, "/admin/")
    assert "Cadre and civil servant records" in html

    admin_client.post("/i18n/setlang/", {"language": "vi", "next": "/admin/"})
    _, html = _get(admin_client, "/admin/")
    assert "Hồ sơ cán bộ, công chức" in html
    assert "Cadre and civil servant records" not in html


def test_an_unknown_language_cookie_falls_back_to_vietnamese(admin_client):
    admin_client.cookies["django_language"] = "fr"
    response, html = _get(admin_client, "/admin/")
    assert response.headers["Content-Language"] == "vi"
    assert "Cadre and civil servant records" not in html


def test_core_labels_and_messages_follow_the_language():
    from canbo.registry.models import Qualification

    q = Qualification(dimension="political_theory", level="university")
    field = Qualification._meta.get_field("dimension")
    with translation.override("en"):
        assert dict(field.flatchoices)["political_theory"] == "Political theory"
        try:
            q.clean_fields(exclude=["person", "level"])
            q.clean()
        except ValidationError as e:
            assert "does not exist in the 'Political theory' scale" in " ".join(e.message_dict["level"])
        else:
            raise AssertionError("an unknown level must be refused")
    with translation.override("vi"):
        assert dict(field.flatchoices)["political_theory"] == "Lý luận chính trị"
        try:
            q.clean()
        except ValidationError as e:
            assert "không tồn tại trong thang 'Lý luận chính trị'" in " ".join(e.message_dict["level"])


def test_django_admin_strings_missing_from_djangos_vietnamese_are_supplied(client, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", password="x-password-123")
    client.force_login(admin)
    html = client.get("/admin/registry/person/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hiện số lượng" in html and "Show counts" not in html
    with translation.override("vi"):
        assert translation.gettext("Run") == "Thực hiện"
        assert translation.gettext("- Select an option -") == "- Chọn -"
        assert translation.gettext("Log in") == "Đăng nhập"  # Django's own Vietnamese still applies


def test_gettext_is_only_imported_under_names_makemessages_extracts():
    """``makemessages`` (xgettext) extracts only the calls of the names it knows (``_``,
    ``gettext``, ``gettext_lazy``…): a string marked through another alias (``_l = gettext_lazy``)
    would silently stay untranslated."""
    bad = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    if alias.asname and alias.asname not in GETTEXT_NAMES:
                        bad.append(
                            f"{path.relative_to(PACKAGE)}:{node.lineno} {alias.name} as {alias.asname}"
                        )
    assert not bad, bad
