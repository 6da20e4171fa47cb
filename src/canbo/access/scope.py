"""Row-level permissions: the one place that decides who may do what to which
record.

Every query that serves a user goes through :func:`restrict`; every write is
checked by :func:`can` (before) and :func:`ensure_in_scope` (after, inside the
same transaction — so a change that moves a record out of the user's scope is
rolled back). The admin, and later the web views, API, exports and jobs, all
call these functions and nothing else.

Scope. A province officer's or unit officer's scope is their scope unit, the
units below it, and — because the 2025 reform merged units — every unit that
was merged into one of those (its predecessors by lineage) with the units
below them. So the officer of a new commune sees the records kept by the old
communes it absorbed; the Department of Home Affairs of a province sees its
whole history.

Whose files. A person's file (the person and every record hanging off them) is kept by their
managing unit: the officers whose scope holds it may view and change it. The officers of every
unit the person *held a post in* (an Assignment, at any date, confirmed) may also view it — so
the officer of a new commune reads the files of those who worked in the old communes it
absorbed, wherever their files are kept now — but not change it: a change stays with the
keeper (:func:`restrict` with ``change``/``delete`` is the managing unit only). A post recorded
outside the recorder's scope waits for the province's confirmation and opens nothing before
(:func:`held_posts_in`, :func:`may_confirm`).

Actions. ``view``, ``add``, ``change``, ``delete``. The inspector only views.
National catalogues (titles) are read by every role and written only by the
system administrator; administrative units and their facts are written by the
system administrator and province officers.

Provincial decisions (the provincial layer of the standards: accepted fields,
the difficult-area exception, stricter minimums, commune quotas — Decree
33/2023 Art. 8(5), Art. 10(2)) bind every unit of their province, so they are
*read upwards*: an officer or inspector sees the decisions of the provinces
their scope lies in, not only those kept by units inside their scope. They are
written only by the province's own officers (and the system administrator).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models

import canbo.common.lookups  # noqa: F401 - registers ``any_of``, the scope's ids as one array
from canbo.access.models import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

#: Which actions each role may take, per kind of record. ``records`` are the
#: personal records (people and everything hanging off them); ``units`` the
#: administrative units and their dated facts; ``provincial`` a province's own
#: decisions on the standards (read upwards, see :data:`READ_UPWARDS`);
#: ``catalogue`` the national title catalogue; ``users`` the accounts.
POLICY: dict[str, dict[str, frozenset[str]]] = {
    Role.SYSTEM_ADMIN: {
        "records": frozenset(ACTIONS),
        "units": frozenset(ACTIONS),
        "provincial": frozenset(ACTIONS),
        "catalogue": frozenset(ACTIONS),
        "users": frozenset(ACTIONS),
    },
    Role.PROVINCE_OFFICER: {
        "records": frozenset(ACTIONS),
        "units": frozenset({VIEW, ADD, CHANGE}),
        "provincial": frozenset({VIEW, ADD, CHANGE}),
        "catalogue": frozenset({VIEW}),
        "users": frozenset(),
    },
    Role.UNIT_OFFICER: {
        "records": frozenset(ACTIONS),
        "units": frozenset({VIEW}),
        "provincial": frozenset({VIEW}),
        "catalogue": frozenset({VIEW}),
        "users": frozenset(),
    },
    Role.INSPECTOR: {
        "records": frozenset({VIEW}),
        "units": frozenset({VIEW}),
        "provincial": frozenset({VIEW}),
        "catalogue": frozenset({VIEW}),
        "users": frozenset(),
    },
}

UNIT_MODELS = {
    "registry.unit",
    "registry.unitlineage",
    "registry.unitclassification",
    "registry.unitareaflag",
    "registry.unitstatistics",
}
PROVINCIAL_MODELS = {"standards.provincialdecision"}
CATALOGUE_MODELS = {"registry.title"}
USER_MODELS = {"access.user"}

#: Kinds whose records are also *viewed* by users whose scope lies below the
#: record's unit: a provincial decision applies to every commune of the
#: province, so the commune's officer reads it. Writing stays downward-only.
READ_UPWARDS = frozenset({"provincial"})


def record_kind(model: type[models.Model]) -> str:
    label = model._meta.label_lower
    if label in UNIT_MODELS:
        return "units"
    if label in PROVINCIAL_MODELS:
        return "provincial"
    if label in CATALOGUE_MODELS:
        return "catalogue"
    if label in USER_MODELS:
        return "users"
    return "records"


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.effective_role


def allowed(user, action: str, model: type[models.Model]) -> bool:
    """May ``user`` take ``action`` on records of ``model`` at all?"""
    role = role_of(user)
    if role is None:
        return False
    return action in POLICY[role][record_kind(model)]


def scope_unit_ids(user) -> frozenset[int] | None:
    """The ids of the units within ``user``'s scope; ``None`` means all units
    (system administrator); an empty set means none. Cached on the user object
    for the length of a request."""
    role = role_of(user)
    if role is None:
        return frozenset()
    if role == Role.SYSTEM_ADMIN:
        return None
    cached = getattr(user, "_canbo_scope_ids", None)
    if cached is not None:
        return cached
    ids = frozenset(expand_scope([user.scope_unit_id] if user.scope_unit_id else []))
    user._canbo_scope_ids = ids
    return ids


#: The unit tree read by :func:`expand_scope`, kept between requests with the fingerprint of the
#: tables it was read from: (fingerprint, children by parent, predecessors by successor).
_TREE: tuple[tuple, dict[int, list[int]], dict[int, list[int]]] | None = None


def _tree_fingerprint() -> tuple:
    """One aggregate query over units and lineage whose answer changes whenever a unit is added,
    removed or moved to another parent, or a lineage link changes (counts, and sums of ids and of
    id × parent): far cheaper than reading the tree (about 12,000 units nationally) every request."""
    from django.db import connection

    from canbo.registry.models import Unit, UnitLineage

    q = connection.ops.quote_name
    unit_t, lin_t = q(Unit._meta.db_table), q(UnitLineage._meta.db_table)
    sql = (
        f"SELECT COUNT(*), SUM(id), SUM(parent_id), SUM(id * COALESCE(parent_id, 0)) FROM {unit_t} "
        f"UNION ALL SELECT COUNT(*), SUM(predecessor_id), SUM(successor_id), "
        f"SUM(predecessor_id * successor_id) FROM {lin_t}"
    )
    with connection.cursor() as cur:
        cur.execute(sql)
        return tuple(tuple(int(v or 0) for v in row) for row in cur.fetchall())


def _unit_tree() -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Children by parent and predecessors by successor, re-read only when the tables changed."""
    global _TREE
    from canbo.registry.models import Unit, UnitLineage

    fingerprint = _tree_fingerprint()
    tree = _TREE
    if tree is not None and tree[0] == fingerprint:
        return tree[1], tree[2]
    children: dict[int, list[int]] = {}
    for uid, parent_id in Unit.objects.filter(parent__isnull=False).values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(uid)
    predecessors: dict[int, list[int]] = {}
    for pred, succ in UnitLineage.objects.values_list("predecessor_id", "successor_id"):
        predecessors.setdefault(succ, []).append(pred)
    _TREE = (fingerprint, children, predecessors)
    return children, predecessors


def expand_scope(roots: Iterable[int]) -> set[int]:
    """The roots, every unit below them and every unit merged into any of them,
    transitively. The tree is read once and kept while its fingerprint holds
    (:func:`_tree_fingerprint`, one aggregate query per call), then walked in memory."""
    children, predecessors = _unit_tree()
    seen: set[int] = set()
    stack = [r for r in roots if r is not None]
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        stack.extend(children.get(uid, ()))
        stack.extend(predecessors.get(uid, ()))
    return seen


def upward_scope_unit_ids(user) -> frozenset[int] | None:
    """The user's scope (:func:`scope_unit_ids`) plus every unit above a unit of
    it — the district and province a commune belongs to. Used to *view* the
    kinds in :data:`READ_UPWARDS`. Cached on the user object like the scope."""
    ids = scope_unit_ids(user)
    if ids is None or not ids:
        return ids
    cached = getattr(user, "_canbo_upward_scope_ids", None)
    if cached is not None:
        return cached
    from canbo.registry.models import Unit

    found = set(ids)
    frontier = set(ids)
    while frontier:
        parents = set(
            Unit.objects.filter(pk__in=frontier, parent__isnull=False).values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found |= parents
    result = frozenset(found)
    user._canbo_upward_scope_ids = result
    return result


def restrict(queryset: models.QuerySet, user, action: str = VIEW, *, few: bool = False) -> models.QuerySet:
    """``queryset`` narrowed to what ``user`` may take ``action`` on. ``few``: the queryset
    already names a few records (by id): the same rule, written so that the database checks
    those records alone instead of listing every person of the scope."""
    model = queryset.model
    if not allowed(user, action, model):
        return queryset.none()
    ids = scope_unit_ids(user)
    if ids is None:
        return queryset
    if action == VIEW and record_kind(model) in READ_UPWARDS:
        ids = upward_scope_unit_ids(user) or ids
    if record_kind(model) == "catalogue":
        return queryset
    if record_kind(model) == "users":
        return queryset.filter(pk=user.pk)
    path = getattr(model, "scope_path", None)
    if path is None:
        return queryset.none()
    person = person_prefix(model)
    if action == VIEW and person is not None:
        # A person's file is also read by the officers of the units they held posts in
        # (confirmed posts only: see :func:`held_posts_in`). One subquery, no list of ids: the
        # people kept in the scope's units, with those who held a post there (a UNION, which
        # PostgreSQL joins from — an OR of the two would make it read every person).
        # For a few records: an EXISTS per record, which reads only their posts.
        from canbo.registry.models import Person

        if few:
            held = held_posts_in(ids).filter(person_id=models.OuterRef(f"{person}pk"))
            return queryset.filter(models.Q(**{f"{path}__any_of": ids}) | models.Exists(held))
        kept = Person.objects.filter(managing_unit__any_of=ids).values("pk")
        return queryset.filter(**{f"{person}pk__in": kept.union(held_posts_in(ids))})
    return queryset.filter(**{f"{path}__any_of": ids})


#: Models scoped through a person whose records are NOT opened by a post the person held in the
#: user's scope: the log of reading a file records who read it, which concerns the file's keeper
#: (its managing unit), not every unit the person once worked in.
POST_VISIBILITY_EXCLUDED = frozenset({"access.fileaccess"})


def person_prefix(model: type[models.Model]) -> str | None:
    """The lookup prefix from ``model`` to the person whose file it belongs to — ``""`` for a
    Person, ``"person__"`` for a record hanging off one — or ``None`` when the model is not
    scoped through a person's managing unit (or is excluded, :data:`POST_VISIBILITY_EXCLUDED`)."""
    if model._meta.label_lower in POST_VISIBILITY_EXCLUDED:
        return None
    path = getattr(model, "scope_path", None)
    if path == "managing_unit" and model._meta.label_lower == "registry.person":
        return ""
    if path and path.endswith("__managing_unit"):
        prefix = path[: -len("managing_unit")]
        # Only a path through a field named ``person`` (Assignment, Qualification, trainings,
        # conduct records); a model scoped through another relation keeps its plain rule.
        if prefix == "person__":
            return prefix
    return None


def held_posts_in(unit_ids: Iterable[int]) -> models.QuerySet:
    """A subquery of the ids of the people who held a post (an Assignment) in one of
    ``unit_ids``, at any time. A post still *pending* the province's confirmation does not
    count: it is one officer's statement about another unit, and does not open the person's
    file to that unit's officers before the province has confirmed it."""
    from canbo.registry.models import Assignment, Confirmation

    return (
        Assignment.objects.filter(unit_id__any_of=unit_ids)
        .exclude(confirmation=Confirmation.PENDING)
        .values("person_id")
    )


def can(user, action: str, obj: models.Model | type[models.Model]) -> bool:
    """May ``user`` take ``action`` on ``obj`` (an instance, or a model class
    for the question "on any record of this kind")?"""
    if isinstance(obj, type):
        return allowed(user, action, obj)
    if obj.pk is None:
        return allowed(user, action, type(obj)) and in_scope(user, obj)
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def in_scope(user, obj: models.Model) -> bool:
    """Is the (possibly unsaved) ``obj`` within ``user``'s scope, judged by the
    unit its scope path leads to?"""
    ids = scope_unit_ids(user)
    if ids is None or record_kind(type(obj)) == "catalogue":
        return True
    path = getattr(type(obj), "scope_path", None)
    if path is None:
        return False
    if path == "pk":  # a unit: judged by itself, or by its parent while it is new
        return (obj.pk if obj.pk else getattr(obj, "parent_id", None)) in ids
    target: object = obj
    *through, last = path.split("__")
    for part in through:
        target = getattr(target, part, None)
        if target is None:
            return False
    # The last step by its key column when it has one (no query for the unit itself).
    unit_id = getattr(target, f"{last}_id", None)
    if unit_id is None:
        found = getattr(target, last, None)
        unit_id = found.pk if isinstance(found, models.Model) else found
    return unit_id in ids


def ensure_in_scope(user, obj: models.Model, action: str = CHANGE) -> None:
    """Raise PermissionDenied unless the saved ``obj`` is within ``user``'s
    scope for ``action``. Called inside the write's transaction, after the
    save, so that an out-of-scope result is rolled back."""
    if not restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists():
        raise PermissionDenied("Bản ghi nằm ngoài phạm vi được phân quyền của bạn.")


# --------------------------------------------------------------------------- posts to confirm

#: The roles that confirm a post recorded outside its recorder's scope (issue 10 §2): the
#: province's Department of Home Affairs, whose scope holds every unit of the province and its
#: merged predecessors, confirms a post held in one of its units; the system administrator may
#: too. A commune or district officer never confirms, not even a post in their own scope (such a
#: post, recorded by them, needs no confirmation).
CONFIRMERS = frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER})


def needs_confirmation(user, unit_id: int) -> bool:
    """Is a post in ``unit_id`` recorded by ``user`` to be confirmed by the province — that is,
    is the unit outside ``user``'s scope?"""
    ids = scope_unit_ids(user)
    return ids is not None and unit_id not in ids


def may_confirm(user, unit_id: int) -> bool:
    """May ``user`` confirm (or reject) a pending post in ``unit_id``: a province officer whose
    scope holds the unit, or the system administrator."""
    role = role_of(user)
    if role not in CONFIRMERS:
        return False
    ids = scope_unit_ids(user)
    return ids is None or unit_id in ids


def posts_to_confirm(user) -> models.QuerySet:
    """The pending posts ``user`` may confirm: in a unit of their scope (any unit for the
    system administrator), whoever keeps the person's file."""
    from canbo.registry.models import Assignment, Confirmation

    pending = Assignment.objects.filter(confirmation=Confirmation.PENDING)
    if role_of(user) not in CONFIRMERS:
        return pending.none()
    ids = scope_unit_ids(user)
    return pending if ids is None else pending.filter(unit_id__any_of=ids)


# --------------------------------------------------------------------------- pages of the web app

#: Which roles may open each page of the web application (issue 10). The records a page shows
#: are narrowed by :func:`restrict` as everywhere; this table only says who may open the page
#: at all. ``rules_edit`` is the province's own decisions (kind ``provincial``), ``users`` the
#: accounts (kind ``users``) — both follow :data:`POLICY`.
PAGES: dict[str, frozenset[str]] = {
    "dashboard": frozenset(Role),
    "units": frozenset(Role),
    "people": frozenset(Role),
    "person": frozenset(Role),
    "person_edit": frozenset(r for r in Role if CHANGE in POLICY[r]["records"]),
    #: The résumé (Mẫu 2C-BNV/2008) of a person whose file the user keeps (issue 15 §2).
    "person_resume": frozenset(Role),
    "export": frozenset(Role),
    "imports": frozenset(r for r in Role if ADD in POLICY[r]["records"]),
    "reports": frozenset(Role),
    "rules": frozenset(Role),
    "rules_edit": frozenset(r for r in Role if CHANGE in POLICY[r]["provincial"]),
    "users": frozenset(r for r in Role if CHANGE in POLICY[r]["users"]),
    "access_log": frozenset({Role.SYSTEM_ADMIN, Role.INSPECTOR}),
    "confirmations": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER}),
    #: One's own background jobs (canbo.jobs): every role asks for reports.
    "jobs": frozenset(Role),
    # One's own tokens of the REST API (issue 11 §3): every role may call the API, each with its
    # own permissions; a token never gives more than its user has.
    "api_tokens": frozenset(Role),
    # Training plans (issue 13 §5, §7): every role reads the plans of its scope; the roles that
    # add records solve new drafts; only a province role approves (:func:`may_approve_plan`).
    "training_plans": frozenset(Role),
    "training_plan_new": frozenset(r for r in Role if ADD in POLICY[r]["records"]),
    "training_plan_approve": frozenset({Role.PROVINCE_OFFICER}),
}

#: The roles that approve a training plan (issue 13 §5: "approved by a province role"): the
#: province's Department of Home Affairs, for the units of its scope. Not the system
#: administrator, whose role is technical, nor the commune that the plan sends to training.
PLAN_APPROVERS = PAGES["training_plan_approve"]


def may_approve_plan(user, plan: models.Model) -> bool:
    """May ``user`` approve the training plan ``plan`` (its unit in their scope)?"""
    return role_of(user) in PLAN_APPROVERS and in_scope(user, plan)


def may_open(user, page: str) -> bool:
    """May ``user`` open the web page ``page`` (a key of :data:`PAGES`)?"""
    role = role_of(user)
    return role is not None and role in PAGES[page]


# --------------------------------------------------------------------------- sensitive parts of a file

#: The sensitive parts of a person's file (issue 10 §2) and the roles whose work needs them. A page
#: or export shows a part only to these roles — and only on the files the user *keeps* (see
#: :func:`sensitive_allowed`); the rest see "—" with no hint of the value.
#:
#: Why these parts, and why these roles (reviewed for issue 10; the text of Decree 13/2023/NĐ-CP
#: is not among ``shared/legal`` — the articles below are from the published decree and should
#: be checked against it):
#:
#: * ``religion`` and ``party`` (membership, dates, leaving): religious and political views are
#:   *sensitive personal data* (Decree 13/2023 Art. 2(4)(a)). The officers who keep the files —
#:   province and unit officers — record them (the résumé form 2C carries both, LEGAL.md §7.2;
#:   Law 80/2025 Art. 42 on keeping the file complete). The inspector (Thanh tra, Ủy ban Kiểm
#:   tra) needs Party membership to judge Party discipline and Party-track decisions, not a
#:   person's religion — so ``party`` is shown to the inspector, ``religion`` is not.
#: * ``health``: health data is sensitive (Art. 2(4)(b)); needed by the keepers (fitness for the
#:   post, recruitment: Decree 170/2025, a health certificate in the file), not by the inspector.
#: * ``discipline``: not in Decree 13's list, but the file's most confidential part (Decree
#:   172/2025: discipline records are kept in the file); the keepers and the inspector, whose task
#:   it is (USERS.md: "a person's file, discipline history").
#: * ``family``: *basic* personal data (Art. 2(3)), yet private; the keepers record it, and the
#:   inspector needs it to judge whether an appointment was legal on its date — the rules on
#:   relatives in personnel work (Law 80/2025 Art. 14(6), by reference to the anti-corruption
#:   law). Added to the inspector's parts in issue 10.
#: * Ethnic group is sensitive too (Art. 2(4)(c)) but stays visible with the scope: the share of
#:   ethnic-minority staff is a figure the reports must give (LEGAL.md §7.1, Biểu 8B), processed
#:   because the law requires it — the people list filters by it (the shared URL contract).
#:
#: The system administrator keeps every part: the role repairs records in the admin, which shows
#: the whole file, and holds the database and its backups; hiding a part on a page would protect
#: nothing. (USERS.md gives the role no reading task; a province that wants it can give its
#: administrator an officer account for daily work.)
SENSITIVE: dict[str, frozenset[str]] = {
    "religion": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER, Role.UNIT_OFFICER}),
    "party": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER, Role.UNIT_OFFICER, Role.INSPECTOR}),
    "discipline": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER, Role.UNIT_OFFICER, Role.INSPECTOR}),
    "health": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER, Role.UNIT_OFFICER}),
    "family": frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICER, Role.UNIT_OFFICER, Role.INSPECTOR}),
}


def sensitive_allowed(user, part: str, person: models.Model | None = None) -> bool:
    """May ``user`` see the sensitive part ``part`` (a key of :data:`SENSITIVE`)? With ``person``,
    of that person's file: only where the user *keeps* the file — its managing unit is in their
    scope (or they are the system administrator). An officer who reads the file because the
    person once held a post in their unit (:func:`restrict`) sees the posts, qualifications and
    findings, not the sensitive parts: their need is the unit's staffing, not the person's
    beliefs, health, family or discipline (data minimisation)."""
    role = role_of(user)
    if role is None or role not in SENSITIVE[part]:
        return False
    return person is None or in_scope(user, person)
