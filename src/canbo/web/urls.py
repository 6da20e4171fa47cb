"""Routes of the web application (namespace ``web``). Each page family owns one module of
:mod:`canbo.web.views`; the routes of a family are listed together."""

from django.urls import path

from canbo.web.views import (
    account,
    confirmations,
    dashboard,
    imports,
    people,
    person,
    reports,
    rules,
    tokens,
    units,
    users,
)

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("units/<int:pk>/", units.unit, name="unit"),
    path("people/", people.people, name="people"),
    path("people/export.xlsx", people.export, name="people_export"),
    path("people/<int:pk>/", person.person, name="person"),
    path("people/<int:pk>/edit/", person.person_edit, name="person_edit"),
    path("people/<int:pk>/posts/add/", person.person_post_add, name="person_post_add"),
    path("people/<int:pk>/posts/end/", person.person_post_end, name="person_post_end"),
    path(
        "people/<int:pk>/qualifications/add/",
        person.person_qualification_add,
        name="person_qualification_add",
    ),
    path("import/", imports.imports, name="imports"),
    path("import/upload/", imports.upload, name="import_upload"),
    path("import/template/", imports.template, name="import_template"),
    path("import/<int:pk>/", imports.batch, name="import_batch"),
    path("import/<int:pk>/commit/", imports.commit, name="import_commit"),
    path("import/<int:pk>/file/", imports.batch_file, name="import_file"),
    path("import/reviews/", imports.reviews, name="import_reviews"),
    path("import/reviews/<int:pk>/", imports.review, name="import_review"),
    path("reports/", reports.reports, name="reports"),
    path("reports/download/", reports.download, name="report_download"),
    path("rules/", rules.rules, name="rules"),
    path("rules/decisions/new/", rules.decision_new, name="decision_new"),
    path("rules/decisions/<int:pk>/", rules.decision_detail, name="decision_detail"),
    path("rules/decisions/<int:pk>/edit/", rules.decision_edit, name="decision_edit"),
    path("rules/decisions/<int:pk>/end/", rules.decision_end, name="decision_end"),
    path("users/", users.users, name="users"),
    path("users/new/", users.user_new, name="user_new"),
    path("users/units/", users.user_units, name="user_units"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    path("users/<int:pk>/reset/", users.user_reset, name="user_reset"),
    path("confirmations/", confirmations.confirmations, name="confirmations"),
    path("account/tokens/", tokens.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
]
